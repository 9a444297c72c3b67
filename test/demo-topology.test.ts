// The demo estate contains what the topology views exist to find, at every scale.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Inventory } from '../src/model/records.js';
import { DemoVcenter, demoSources, parseDemoUrl } from '../src/sources/demo/index.js';

const NOW = new Date('2026-03-10T14:23:45.123Z');

/** Every anomaly of one inventory, found the way the views look for them. */
function findings(inv: Inventory) {
  const clusterOf = new Map(inv.hosts.map((h) => [h.name, h.cluster]));
  const hostsOf = (cluster: string | undefined) => inv.hosts.filter((h) => h.cluster === cluster).map((h) => h.name);
  // A shared datastore missing on some host of a cluster where it is mounted elsewhere (local ones are on one host by nature).
  const unmounted = inv.datastores.filter((d) => d.shared).filter((d) => {
    const clusters = new Set(d.hosts.map((h) => clusterOf.get(h)));
    return [...clusters].some((c) => hostsOf(c).some((h) => !d.hosts.includes(h)));
  });
  // A standard portgroup name whose VLAN differs between hosts of one cluster.
  const vlans = new Map<string, Set<number | undefined>>();
  for (const p of inv.portgroups.filter((x) => x.kind === 'standard')) {
    const k = `${clusterOf.get(p.hosts[0]!)}|${p.name}`;
    vlans.set(k, (vlans.get(k) ?? new Set()).add(p.vlan));
  }
  const vlanMismatch = [...vlans].filter(([, v]) => v.size > 1).map(([k]) => k);
  // MTU of the vMotion adapters per cluster.
  const mtus = new Map<string | undefined, Set<number | undefined>>();
  for (const v of inv.vmkernels.filter((x) => x.services.includes('vmotion'))) {
    const c = clusterOf.get(v.host);
    mtus.set(c, (mtus.get(c) ?? new Set()).add(v.mtu));
  }
  const mtuMismatch = [...mtus].filter(([, m]) => m.size > 1).map(([c]) => c);
  // Hosts of a cluster with vSAN adapters that lack one.
  const vsanHosts = new Set(inv.vmkernels.filter((v) => v.services.includes('vsan')).map((v) => v.host));
  const lackVsan = inv.hosts.filter((h) => !vsanHosts.has(h.name) && hostsOf(h.cluster).some((x) => vsanHosts.has(x)));
  return {
    unmounted, vlanMismatch, mtuMismatch, lackVsan,
    disconnected: inv.hosts.filter((h) => h.connectionState === 'disconnected'),
    maintenance: inv.hosts.filter((h) => h.maintenance),
    inaccessible: inv.datastores.filter((d) => d.accessible === false),
    overcommitted: inv.datastores.filter((d) => (d.provisionedBytes ?? 0) > d.capacityBytes),
    trunks: inv.portgroups.filter((p) => p.vlanTrunk && !/DVUplinks/.test(p.name)),
    pvlans: inv.portgroups.filter((p) => p.pvlan !== undefined),
  };
}

describe('demo topology anomalies', () => {
  for (const vms of [1, 30, 120, 1000, 5000]) {
    it(`are all there at ${vms} VMs, and stay put over time`, () => {
      const vc = new DemoVcenter({ site: 'ams', vms, seed: 1 });
      const inv = vc.full(NOW, { events: false });
      const f = findings(inv);
      assert.equal(f.unmounted.length, 1, f.unmounted.map((d) => d.name).join());
      assert.ok(f.unmounted[0]!.datastoreCluster, 'the unmounted datastore belongs to a datastore cluster');
      assert.equal(f.vlanMismatch.length, 1, f.vlanMismatch.join());
      assert.match(f.vlanMismatch[0]!, /\|VM Network$/);
      assert.equal(f.mtuMismatch.length, 1);
      assert.equal(f.disconnected.length, 1);
      assert.ok(f.maintenance.length >= 1 && f.maintenance.some((h) => h !== f.disconnected[0]));
      assert.equal(f.inaccessible.length, 1);
      assert.equal(f.overcommitted.length >= 1, true);
      assert.ok(inv.datastoreClusters.length >= 1);
      assert.ok(f.trunks.length >= 1 && f.pvlans.length === 1);
      if (vms >= 40) assert.equal(f.lackVsan.length, 1, 'one host of a vSAN cluster lacks its vSAN adapter');
      assert.ok(inv.vmkernels.some((v) => v.services.includes('vmotion')));
      // Later: the same anomalies (the maintenance host stays in maintenance).
      const later = findings(vc.full(new Date(NOW.getTime() + 9 * 86_400_000), { events: false }));
      assert.deepEqual(later.disconnected.map((h) => h.name), f.disconnected.map((h) => h.name));
      assert.ok(f.maintenance.some((h) => later.maintenance.some((x) => x.name === h.name)), 'a host stays in maintenance');
      assert.deepEqual(later.unmounted.map((d) => d.name), f.unmounted.map((d) => d.name));
    });
  }

  it('wires hosts: NICs on their switches, VMkernel netmasks and TCP/IP stacks, datastore maintenance mode', () => {
    const inv = new DemoVcenter({ site: 'fra', vms: 400, seed: 2 }).full(NOW, { events: false });
    const switches = new Set(inv.switches.map((s) => s.name));
    for (const h of inv.hosts) {
      assert.deepEqual(h.nics!.map((n) => n.device), ['vmnic0', 'vmnic1', 'vmnic2', 'vmnic3']);
      for (const n of h.nics!) assert.ok(switches.has(n.switch!), `${h.name} ${n.device} on ${n.switch}`);
    }
    assert.ok(inv.hosts.some((h) => h.nics!.some((n) => n.speedMb === undefined)), 'a link is down somewhere');
    const vmk0 = inv.vmkernels.find((v) => v.device === 'vmk0')!;
    assert.equal(inv.hosts.find((h) => h.name === vmk0.host)!.nics![0]!.mac, vmk0.mac, 'vmk0 uses vmnic0\'s MAC');
    assert.ok(inv.vmkernels.every((v) => /^255\.255\.\d+\.0$/.test(v.netmask!) && v.netStack));
    assert.ok(inv.vmkernels.filter((v) => v.device === 'vmk1').every((v) => v.netStack === 'vmotion'));
    assert.ok(inv.datastores.every((d) => d.maintenanceMode === 'normal'));
    assert.ok(inv.switches.filter((s) => s.kind === 'vss').every((s) => s.uplinks?.join() === 'vmnic0,vmnic1'));
  });

  it('is deterministic', () => {
    const a = new DemoVcenter({ site: 'nyc', vms: 200, seed: 9 }).full(NOW, { events: false });
    const b = new DemoVcenter({ site: 'nyc', vms: 200, seed: 9 }).full(NOW, { events: false });
    assert.deepEqual(findings(a), findings(b));
  });

  it('reaches the bench estate with topo=dense: 100,000 VMs, 2,000 hosts, 5,000 datastores, 1,000 distributed portgroups', () => {
    const t = { vms: 0, hosts: 0, datastores: 0, dvpgs: 0 };
    const sources = demoSources(100_000, 1, { dense: true });
    assert.ok(sources.every((s) => s.url.endsWith('&topo=dense') && parseDemoUrl(s.url).dense === true));
    for (const s of sources) {
      const inv = new DemoVcenter(parseDemoUrl(s.url)).full(NOW, { events: false });
      t.vms += inv.vms.length;
      t.hosts += inv.hosts.length;
      t.datastores += inv.datastores.length;
      t.dvpgs += inv.portgroups.filter((p) => p.kind === 'dvportgroup').length;
      const f = findings(inv);
      assert.equal(f.unmounted.length, 1);
      assert.equal(f.disconnected.length, 1);
      assert.ok(inv.portgroups.filter((p) => p.vlan !== undefined && p.kind === 'dvportgroup').every((p) => p.vlan! >= 100 && p.vlan! <= 999));
    }
    assert.ok(t.vms > 99_000, JSON.stringify(t));
    assert.ok(t.hosts >= 1900 && t.hosts <= 2100, JSON.stringify(t));
    assert.ok(t.datastores >= 4800 && t.datastores <= 5500, JSON.stringify(t));
    assert.ok(t.dvpgs >= 950 && t.dvpgs <= 1200, JSON.stringify(t));
    assert.throws(() => parseDemoUrl('demo://ams?topo=wide'), /topo must be dense or default/);
    assert.equal(parseDemoUrl('demo://ams?vms=10').dense, undefined);
  });
});
