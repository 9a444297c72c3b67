import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Inventory, VmRecord } from '../src/model/records.js';
import { DEMO_EPOCH_MS, DemoVcenter, demoSources, parseDemoUrl, type DemoChanges } from '../src/sources/demo/index.js';

const NOW = new Date('2026-03-10T14:23:45.123Z');
const at = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);

function byRef(inv: Inventory): Map<string, VmRecord> {
  return new Map(inv.vms.map((v) => [v.ref, v]));
}

/** changesBetween(t1, t2) must report exactly the VMs that differ between full(t1) and full(t2). */
function checkChanges(vc: DemoVcenter, t1: Date, t2: Date): DemoChanges {
  const a = byRef(vc.full(t1, { events: false }));
  const b = byRef(vc.full(t2, { events: false }));
  const ch = vc.changesBetween(t1, t2);
  const changed = [...b.values()].filter((v) => !a.has(v.ref) || JSON.stringify(a.get(v.ref)) !== JSON.stringify(v)).map((v) => v.ref).sort();
  const removed = [...a.keys()].filter((r) => !b.has(r)).sort();
  assert.deepEqual(ch.vms.map((v) => v.ref).sort(), changed, `changed VMs between ${t1.toISOString()} and ${t2.toISOString()}`);
  assert.deepEqual([...ch.removedVms].sort(), removed, 'removed VMs');
  for (const v of ch.vms) assert.deepEqual(v, b.get(v.ref));
  return ch;
}

/** Narrows [lo, hi] (where pred holds for changesBetween(lo, hi)) to a window of at most `width` seconds. */
function narrow(vc: DemoVcenter, lo: Date, hi: Date, pred: (c: DemoChanges) => boolean, width = 120): [Date, Date] {
  assert.ok(pred(vc.changesBetween(lo, hi)), 'nothing to narrow down to');
  while (hi.getTime() - lo.getTime() > width * 1000) {
    const mid = new Date(Math.floor((lo.getTime() + hi.getTime()) / 2000) * 1000);
    if (pred(vc.changesBetween(lo, mid))) hi = mid;
    else lo = mid;
  }
  return [lo, hi];
}

describe('demo URLs and the default estate', () => {
  it('parses demo:// URLs with defaults and refuses bad ones with one-line messages', () => {
    assert.deepEqual(parseDemoUrl('demo://ams?vms=1000&seed=7'), { site: 'ams', vms: 1000, seed: 7 });
    assert.deepEqual(parseDemoUrl('demo://fra'), { site: 'fra', vms: 1000, seed: 1 });
    assert.deepEqual(parseDemoUrl('demo://NYC/?seed=3'), { site: 'nyc', vms: 1000, seed: 3 });
    for (const bad of ['', 'ams', 'http://ams?vms=1', 'demo://ams?vms=0', 'demo://ams?vms=abc', 'demo://ams?vms=1e3', 'demo://ams?vms=999999999',
      'demo://ams?foo=1', 'demo://ams?vms=1&vms=2', 'demo://ams/path', 'demo://a_b', 'demo://ams?seed=-1', 'demo://user@ams', 'demo://ams:99']) {
      assert.throws(() => parseDemoUrl(bad), (e: Error) => e.constructor === Error && /invalid demo URL/.test(e.message) && !e.message.includes('\n'), bad);
    }
  });

  it('splits the default estate over three vCenters with parseable URLs', () => {
    const s = demoSources();
    assert.deepEqual(s.map((x) => x.name), ['vc-ams', 'vc-fra', 'vc-nyc']);
    assert.equal(s.reduce((a, x) => a + parseDemoUrl(x.url).vms, 0), 3000);
    assert.ok(s.every((x) => parseDemoUrl(x.url).seed === 1));
    assert.equal(demoSources(10_000, 5).reduce((a, x) => a + parseDemoUrl(x.url).vms, 0), 10_000);
    const big = demoSources(1_000_000);
    assert.equal(big.reduce((a, x) => a + parseDemoUrl(x.url).vms, 0), 1_000_000, 'large estates get more vCenters');
    assert.ok(big.length > 3);
  });
});

describe('demo estate: determinism and realism', () => {
  const sources = demoSources();
  const invs = sources.map((s) => new DemoVcenter(parseDemoUrl(s.url)).full(NOW));

  it('is a pure function of (params, time)', () => {
    const p = parseDemoUrl(sources[0]!.url);
    assert.deepEqual(new DemoVcenter(p).full(NOW), invs[0]);
    const other = new DemoVcenter({ ...p, seed: 2 }).full(NOW, { events: false });
    assert.notDeepEqual(other.vms.map((v) => v.name), invs[0]!.vms.map((v) => v.name));
    // the result does not depend on earlier calls on the same instance
    const vc = new DemoVcenter(p);
    vc.full(at(NOW, -86_400));
    vc.changes(at(NOW, -3600));
    assert.deepEqual(vc.full(NOW), invs[0]);
  });

  it('has about 3,000 VMs over 3 vCenters, with hosts, clusters and datacenters that make sense', () => {
    assert.equal(invs.reduce((a, i) => a + i.vms.length, 0) > 2950, true);
    assert.equal(invs.reduce((a, i) => a + i.vms.length, 0) <= 3000, true);
    for (const inv of invs) {
      assert.ok(inv.datacenters.length >= 1 && inv.datacenters.length <= 2);
      for (const c of inv.clusters) {
        assert.match(c.name, /^cl-(prod|dev|dmz|mgmt)-\d\d$/);
        assert.ok(c.hosts >= 8 && c.hosts <= 32, `${c.name} has ${c.hosts} hosts`);
        assert.equal(inv.hosts.filter((h) => h.cluster === c.name).length, c.hosts);
      }
      const perHost = inv.vms.length / inv.hosts.length;
      assert.ok(perHost >= 15 && perHost <= 40, `${perHost} VMs per host`);
      for (const h of inv.hosts) {
        assert.match(h.name, /^esx-[a-z]+-[pdzm]\d\d-\d\d\.corp\.example$/);
        assert.ok(['Dell Inc.', 'HPE', 'Lenovo'].includes(h.vendor!));
        assert.match(h.cpuModel!, /Xeon|EPYC/);
        assert.equal(h.cpuThreads, h.cpuCores! * 2);
        assert.match(h.version!, /^(7\.0\.3|8\.0\.[0-3])$/);
        assert.match(h.build!, /^\d{8}$/);
        assert.ok(Date.parse(h.bootTime!) <= NOW.getTime());
        assert.ok(Math.abs(h.uptimeSeconds! - (NOW.getTime() - Date.parse(h.bootTime!)) / 1000) < 2);
        // A disconnected host reports no usage (see topology.ts).
        if (h.connectionState === 'disconnected') assert.deepEqual([h.cpuUsageMhz, h.memoryUsageMB, h.powerState], [undefined, undefined, 'unknown']);
        else assert.ok(h.cpuUsageMhz! > 0 && h.memoryUsageMB! < h.memoryMB!);
      }
      assert.equal(inv.hosts.filter((h) => h.connectionState === 'disconnected').length, 1);
      assert.equal(inv.hostSamples.length, inv.hosts.length - 1, 'every connected host has a sample');
    }
  });

  it('keeps references consistent: hosts, datastores, networks', () => {
    for (const inv of invs) {
      const hosts = new Map(inv.hosts.map((h) => [h.ref, h]));
      const ds = new Map(inv.datastores.map((d) => [d.name, d]));
      const pgs = new Set(inv.portgroups.map((p) => p.name));
      const dsVms = new Map<string, number>();
      const pgVms = new Map<string, number>();
      for (const vm of inv.vms) {
        const h = hosts.get(vm.hostRef!);
        assert.ok(h, `${vm.name}: host ${vm.hostRef}`);
        assert.equal(h.name, vm.host);
        assert.equal(h.cluster, vm.cluster);
        for (const d of vm.disks) {
          assert.ok(ds.has(d.datastore!), `${vm.name}: datastore ${d.datastore}`);
          assert.equal(ds.get(d.datastore!)!.ref, d.datastoreRef);
          assert.ok(ds.get(d.datastore!)!.hosts.includes(h.name), `${d.datastore} mounted on ${h.name}`);
        }
        assert.deepEqual([...new Set(vm.disks.map((d) => d.datastore))], vm.datastores);
        for (const n of vm.nics) assert.ok(pgs.has(n.network!), `${vm.name}: network ${n.network}`);
        for (const d of vm.datastores) dsVms.set(d, (dsVms.get(d) ?? 0) + 1);
        for (const n of vm.networks) pgVms.set(n, (pgVms.get(n) ?? 0) + 1);
        assert.match(vm.disks[0]!.label, /^Hard disk 1$/);
        assert.ok(vm.disks.length >= 1 && vm.nics.length >= 1 && vm.nics.length <= 3);
      }
      for (const d of inv.datastores) {
        assert.equal(d.vms, dsVms.get(d.name) ?? 0, d.name);
        assert.ok(d.freeBytes > 0 && d.freeBytes <= d.capacityBytes, d.name);
        assert.ok(d.provisionedBytes! >= d.capacityBytes - d.freeBytes);
        assert.equal(d.shared, d.hosts.length > 1);
      }
      assert.ok(inv.datastores.some((d) => !d.shared), 'local datastores');
      assert.ok(inv.datastores.some((d) => d.type === 'NFS' || d.type === 'NFS41'));
      for (const p of inv.portgroups) if (p.kind === 'dvportgroup') assert.equal(p.vms, pgVms.get(p.name) ?? 0, p.name);
      for (const pod of inv.datastoreClusters) {
        const members = inv.datastores.filter((d) => d.datastoreCluster === pod.name);
        assert.ok(members.length >= 2);
        assert.equal(pod.capacityBytes, members.reduce((a, d) => a + d.capacityBytes, 0));
      }
      // used space covers what the VMs commit
      const used = inv.datastores.reduce((a, d) => a + d.capacityBytes - d.freeBytes, 0);
      assert.ok(used >= 0.97 * inv.vms.reduce((a, v) => a + v.committedBytes!, 0));
      for (const k of inv.vmkernels) assert.ok(inv.hosts.some((h) => h.name === k.host));
      assert.ok(inv.portgroups.some((p) => p.vlanTrunk) && inv.portgroups.some((p) => /DVUplinks/.test(p.name)));
      assert.ok(inv.portgroups.filter((p) => p.vlan !== undefined && p.kind === 'dvportgroup').every((p) => p.vlan! >= 100 && p.vlan! <= 999));
    }
  });

  it('has unique refs, MACs and IPv4 addresses, and unique names but one deliberate pair', () => {
    for (const inv of invs) {
      const refs = [inv.datacenters, inv.clusters, inv.hosts, inv.vms, inv.datastoreClusters, inv.datastores, inv.switches, inv.portgroups, inv.vmkernels]
        .flatMap((l) => l.map((x) => x.ref));
      assert.equal(new Set(refs).size, refs.length, 'refs');
      const uuids = inv.vms.map((v) => v.instanceUuid);
      assert.equal(new Set(uuids).size, uuids.length);
      const names = new Map<string, string[]>();
      for (const v of inv.vms) names.set(v.name, [...(names.get(v.name) ?? []), v.ref]);
      const dups = [...names].filter(([, r]) => r.length > 1);
      assert.equal(dups.length, 1, `duplicate names: ${dups.map(([n]) => n).join(', ')}`);
      assert.equal(dups[0]![1].length, 2);
      const macs = inv.vms.flatMap((v) => v.nics.map((n) => n.mac!));
      assert.ok(macs.every((m) => /^00:50:56:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/.test(m)));
      assert.equal(new Set(macs).size, macs.length, 'MACs');
      const ips = inv.vms.flatMap((v) => v.nics.flatMap((n) => n.ipv4));
      assert.equal(new Set(ips).size, ips.length, 'IPv4');
      assert.ok(ips.length > inv.vms.length * 0.7);
    }
  });

  it('looks like a real estate: power, OS, templates, tools, awkward names, alarms, events', () => {
    const vms = invs.flatMap((i) => i.vms);
    const on = vms.filter((v) => v.powerState === 'poweredOn').length / vms.length;
    assert.ok(on > 0.78 && on < 0.92, `powered on ${on}`);
    assert.ok(vms.some((v) => v.powerState === 'suspended'));
    assert.ok(vms.some((v) => v.template && v.powerState === 'poweredOff'));
    for (const os of [/Windows Server 2016/, /Windows Server 2019/, /Windows Server 2022/, /Red Hat Enterprise Linux 8/, /Red Hat Enterprise Linux 9/, /Ubuntu/, /SUSE/, /Photon/]) {
      assert.ok(vms.some((v) => os.test(v.guestOs ?? '')), String(os));
    }
    assert.ok(vms.some((v) => v.powerState === 'poweredOn' && !v.guestOsTools && v.nics.every((n) => !n.ipv4.length) && !v.hostname), 'tools not running');
    assert.ok(vms.some((v) => v.nics.some((n) => n.ipv6.length)));
    assert.ok(vms.some((v) => v.name.length >= 60) && vms.some((v) => /&/.test(v.name)) && vms.some((v) => / /.test(v.name)) && vms.some((v) => /[^\x00-\x7f]/.test(v.name)));
    assert.ok(vms.some((v) => /^nyc-k8s-worker-\d\d$/.test(v.name)) && vms.some((v) => /^ams-web-\d{3}$/.test(v.name)));
    assert.ok(vms.every((v) => v.cpus >= 1 && v.cpus <= 16 && v.memoryMB >= 1024 && v.memoryMB <= 131072 && v.disks.length <= 6));
    assert.ok(vms.some((v) => Object.keys(v.customAttributes).includes('backup')));
    const alarms = invs.flatMap((i) => i.alarms);
    assert.ok(alarms.length >= 10 && alarms.length <= 120, `${alarms.length} alarms`);
    assert.ok(new Set(alarms.map((a) => a.entityType)).size >= 2);
    for (const inv of invs) {
      assert.equal(new Set(inv.alarms.map((a) => a.ref)).size, inv.alarms.length);
      assert.ok(inv.events.length > 0 && inv.events.length <= 1000);
      const keys = inv.events.map((e) => Number(e.ref));
      assert.ok(keys.every((k, i) => i === 0 || k > keys[i - 1]!), 'event keys increase');
      assert.ok(inv.events.every((e, i) => i === 0 || e.time >= inv.events[i - 1]!.time), 'event times increase');
      assert.ok(inv.events.every((e) => Date.parse(e.time) <= NOW.getTime() && Date.parse(e.time) > NOW.getTime() - 86_400_000));
      assert.ok(inv.events.every((e) => e.message && e.type && ['info', 'warning', 'critical'].includes(e.severity)));
    }
  });

  it('host samples move smoothly over time', () => {
    const vc = new DemoVcenter(parseDemoUrl(sources[2]!.url));
    const a = vc.samples(NOW);
    const b = vc.samples(at(NOW, 60));
    const c = vc.samples(at(NOW, 4 * 3600));
    assert.deepEqual(a, invs[2]!.hostSamples);
    let moved = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i]!.cpuPct !== b[i]!.cpuPct) moved++;
      if (a[i]!.cpuPct > 5 && b[i]!.cpuPct > 5) assert.ok(Math.abs(a[i]!.cpuPct - b[i]!.cpuPct) < 15, `${a[i]!.cpuPct} -> ${b[i]!.cpuPct}`);
    }
    assert.ok(moved > a.length / 2);
    assert.notDeepEqual(a.map((s) => s.cpuPct), c.map((s) => s.cpuPct));
  });
});

describe('demo estate: changes over time', () => {
  const vc = new DemoVcenter({ site: 'fra', vms: 1000, seed: 7 });

  it('a later time shows more changes, and changesBetween() matches the difference of two full retrievals', () => {
    const t0 = full(vc, NOW);
    const later = full(vc, at(NOW, 600));
    assert.notDeepEqual(t0, later);
    for (const [s1, s2] of [[0, 1], [0, 30], [0, 600], [600, 4000], [0, 3 * 86_400], [-40 * 86_400, 0]] as const) {
      checkChanges(vc, at(NOW, s1), at(NOW, s2));
    }
    // backwards too: the difference is symmetric in what it reports
    checkChanges(vc, at(NOW, 900), NOW);
    const day = vc.changesBetween(NOW, at(NOW, 86_400));
    assert.ok(day.vms.length > 500, `${day.vms.length} VMs changed in a day`);
  });

  it('reports VMs moved by host maintenance, and the hosts', () => {
    const [lo, hi] = narrow(vc, NOW, at(NOW, 60 * 86_400), (c) => c.hosts.length > 0);
    const ch = checkChanges(vc, lo, hi);
    assert.ok(ch.hosts.length >= 1);
    const before = vc.full(lo, { events: false }).hosts.find((h) => h.ref === ch.hosts[0]!.ref)!;
    const after = ch.hosts[0]!;
    assert.ok(before.maintenance !== after.maintenance || before.bootTime !== after.bootTime);
  });

  it('reports destroyed VMs as removed and new VMs with new refs and names', () => {
    const [lo, hi] = narrow(vc, NOW, at(NOW, 60 * 86_400), (c) => c.removedVms.length > 0);
    const ch = checkChanges(vc, lo, hi);
    const gone = ch.removedVms[0]!;
    const before = vc.full(lo, { events: false }).vms.find((v) => v.ref === gone)!;
    const ev = vc.events(lo, hi, 10_000).filter((e) => e.type === 'VmRemovedEvent');
    assert.ok(ev.some((e) => e.entity === before.name), 'a VmRemovedEvent for it');
    // later its seat gets a new VM: a new ref and instance UUID
    const [lo2, hi2] = narrow(vc, NOW, at(NOW, 60 * 86_400), (c) => c.vms.some((v) => Date.parse(v.createdAt!) > NOW.getTime()));
    const created = checkChanges(vc, lo2, hi2).vms.filter((v) => Date.parse(v.createdAt!) > lo2.getTime());
    assert.ok(created.length >= 1);
    const earlier = byRef(vc.full(NOW, { events: false }));
    for (const v of created) assert.ok(!earlier.has(v.ref));
  });

  it('changes() streams what happened since the previous full() or changes() call', () => {
    const live = new DemoVcenter({ site: 'fra', vms: 1000, seed: 7 });
    assert.deepEqual(live.changes(NOW), { vms: [], removedVms: [], hosts: [] }, 'the first call only sets the baseline');
    live.full(NOW);
    let prev = NOW;
    let total = 0;
    for (const step of [2, 2, 5, 60, 300]) {
      const next = at(prev, step);
      const got = live.changes(next);
      assert.deepEqual(got, vc.changesBetween(prev, next));
      total += got.vms.length;
      prev = next;
    }
    assert.ok(total > 0);
  });

  it('events describe the changes, with unique increasing keys', () => {
    const from = NOW;
    const to = at(NOW, 1800);
    const ev = vc.events(from, to, 100_000);
    assert.deepEqual(ev, new DemoVcenter({ site: 'fra', vms: 1000, seed: 7 }).events(from, to, 100_000));
    assert.ok(ev.length > 100, `${ev.length} events in 30 minutes`);
    assert.equal(new Set(ev.map((e) => e.ref)).size, ev.length);
    const types = new Set(ev.map((e) => e.type));
    for (const t of ['DrsVmMigratedEvent', 'VmPoweredOffEvent', 'VmPoweredOnEvent']) assert.ok(types.has(t), t);
    // every power change in the window has its event
    const a = byRef(vc.full(from, { events: false }));
    const b = byRef(vc.full(to, { events: false }));
    for (const [ref, v] of b) {
      const old = a.get(ref);
      if (!old || old.powerState === v.powerState) continue;
      assert.ok(ev.some((e) => /^Vm(PoweredOn|PoweredOff|Suspended)Event$/.test(e.type) && (e.entity === v.name || e.entity === old.name)), `power event for ${v.name}`);
    }
    assert.deepEqual(vc.events(from, to, 10), ev.slice(-10), 'the newest ones when capped');
  });
});

describe('demo estate at benchmark scale', () => {
  it('generates 100,000 VMs', () => {
    const t0 = performance.now();
    const vc = new DemoVcenter({ site: 'ams', vms: 100_000, seed: 1 });
    const t1 = performance.now();
    const inv = vc.full(NOW);
    const t2 = performance.now();
    const ch = vc.changes(at(NOW, 10));
    const t3 = performance.now();
    console.log(`demo 100k: constructor ${(t1 - t0).toFixed(0)} ms, full() ${(t2 - t1).toFixed(0)} ms, changes(10 s) ${(t3 - t2).toFixed(0)} ms (${ch.vms.length} VMs)`);
    assert.equal(inv.vms.length > 99_000, true);
    assert.ok(inv.hosts.length > 2500 && inv.hosts.length < 4000);
    const names = new Set(inv.vms.map((v) => v.name));
    assert.equal(names.size, inv.vms.length - 1);
    const macs = new Set(inv.vms.flatMap((v) => v.nics.map((n) => n.mac)));
    assert.equal(macs.size, inv.vms.reduce((a, v) => a + v.nics.length, 0));
    assert.ok(inv.portgroups.filter((p) => p.vlan !== undefined).every((p) => p.vlan! <= 999));
  });

  it('starts changing at the demo epoch', () => {
    const vc = new DemoVcenter({ site: 'tiny', vms: 30, seed: 1 });
    const before = vc.full(new Date(DEMO_EPOCH_MS - 86_400_000));
    assert.equal(before.events.length, 0);
    assert.equal(before.vms.length, 30);
  });
});

function full(vc: DemoVcenter, t: Date): VmRecord[] {
  return vc.full(t, { events: false }).vms;
}
