// The sync pipeline and the worker against a real vSphere API (vcsim).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { LiveModel } from '../src/model/live.js';
import { staleParts } from '../src/model/snapshot.js';
import { collectInventory } from '../src/sources/vsphere/collect.js';
import { VsphereClient } from '../src/sources/vsphere/soap.js';
import { moref, type MoRef } from '../src/sources/vsphere/xml.js';
import { retrieveObjects } from '../src/sources/vsphere/props.js';
import { Engine } from '../src/worker/engine.js';
import type { SourceStatus } from '../src/worker/protocol.js';
import { makeHome, openStore, vmi, type TestHome } from './helpers.js';
import { buildVcsim, NO_GO_MESSAGE, runTask, startVcsim, until, type Vcsim } from './vcsim/vcsim.js';

const bin = await buildVcsim();
if (!bin) console.warn(NO_GO_MESSAGE);
const skip = bin ? false : 'Go toolchain not installed (vcsim cannot be built)';

function useSim(h: TestHome, sim: Vcsim, extra: Record<string, unknown> = {}): NodeJS.ProcessEnv {
  const cfg = JSON.parse(readFileSync(h.home.configFile, 'utf8'));
  cfg.sources = [{ name: 'sim', platform: 'vsphere', url: sim.url, user: sim.username, thumbprint: sim.thumbprint, refreshSeconds: 600, ...extra }];
  writeFileSync(h.home.configFile, JSON.stringify(cfg, null, 2));
  return { ...h.env, VMI_VC_PASSWORD: sim.password };
}

async function client(sim: Vcsim): Promise<VsphereClient> {
  return VsphereClient.connect({ url: sim.url, name: 'sim', username: sim.username, password: sim.password, thumbprint: sim.thumbprint });
}

async function refsByName(c: VsphereClient): Promise<{ vms: Map<string, MoRef>; hosts: Map<string, MoRef>; vmHost: Map<string, string> }> {
  const inv = await collectInventory(c, { events: false });
  return {
    vms: new Map(inv.vms.map((v) => [v.name, { type: 'VirtualMachine', value: v.ref }])),
    hosts: new Map(inv.hosts.map((x) => [x.name, { type: 'HostSystem', value: x.ref }])),
    vmHost: new Map(inv.vms.map((v) => [v.name, v.host ?? ''])),
  };
}

describe('sync against vcsim', { skip }, () => {
  let sim: Vcsim;
  let h: TestHome;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    sim = await startVcsim({ dc: 1, cluster: 1, host: 2, standaloneHost: 0, vm: 8, pod: 0 });
    h = await makeHome();
    env = useSim(h, sim);
  });
  after(async () => {
    await sim?.stop();
    h?.cleanup();
  });

  it('records a scripted sequence of vCenter changes one for one', async () => {
    const first = vmi(['sync', '--once'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /sim: 8 VMs \(8 new, 0 changed, 0 deleted\)/);
    const again = vmi(['sync', '--once'], env);
    assert.match(again.stdout, /sim: 8 VMs \(0 new, 0 changed, 0 deleted\), 2 hosts, 0 changes/);

    const c = await client(sim);
    const { vms, hosts, vmHost } = await refsByName(c);
    const names = [...vms.keys()].sort();
    const [a, b, cpu, mig, src, gone, ipvm] = names;
    const otherHost = [...hosts.keys()].find((x) => x !== vmHost.get(mig))!;
    await runTask(c, 'PowerOffVM_Task', vms.get(a)!);
    await runTask(c, 'ReconfigVM_Task', vms.get(b)!, '<spec><memoryMB>64</memoryMB></spec>');
    await runTask(c, 'ReconfigVM_Task', vms.get(cpu)!, '<spec><numCPUs>2</numCPUs></spec>');
    await runTask(c, 'RelocateVM_Task', vms.get(mig)!, `<spec><host type="HostSystem">${hosts.get(otherHost)!.value}</host></spec>`);
    await runTask(c, 'ReconfigVM_Task', vms.get(ipvm)!, '<spec><extraConfig xsi:type="OptionValue"><key>SET.guest.ipAddress</key><value xsi:type="xsd:string">10.99.0.7</value></extraConfig></spec>');
    let folder: MoRef | undefined;
    await retrieveObjects(c, [vms.get(src)!], [{ type: 'VirtualMachine', paths: ['parent'] }], (oc) => { folder = moref(oc.props.get('parent')); });
    await runTask(c, 'CloneVM_Task', vms.get(src)!, `<folder type="Folder">${folder!.value}</folder><name>clone-01</name><spec><location/><powerOn>false</powerOn><template>false</template></spec>`);
    await runTask(c, 'PowerOffVM_Task', vms.get(gone)!);
    await runTask(c, 'Destroy_Task', vms.get(gone)!);
    await c.close();

    const second = vmi(['sync', '--once'], env);
    assert.equal(second.code, 0, second.stderr);
    const changes = JSON.parse(vmi(['changes', '--json', '--since', '1h'], env).stdout) as { name: string; type: string; field: string; old: string; new: string }[];
    const got = changes.map((x) => `${x.name} ${x.field} ${x.old} -> ${x.new}`).sort();
    const expected = [
      `${a} powerState poweredOn -> poweredOff`,
      `${b} memoryMB 32 -> 64`,
      `${cpu} cpus 1 -> 2`,
      `${cpu} sockets 1 -> 2`, // vcsim keeps one core per socket
      `${mig} host ${vmHost.get(mig)} -> ${otherHost}`,
      `${gone} object present -> deleted`,
      'clone-01 object null -> clone-01',
      `${ipvm} ips ${''}`,
    ];
    // The IP change: whatever vcsim reported before, it is 10.99.0.7 now.
    const ipRow = got.find((g) => g.startsWith(`${ipvm} ips`));
    assert.ok(ipRow && ipRow.endsWith('-> 10.99.0.7'), `IP change recorded: ${got.join(' | ')}`);
    const rest = got.filter((g) => g !== ipRow);
    assert.deepEqual(rest, expected.filter((e) => !e.startsWith(`${ipvm} ips`)).sort(), rest.join('\n'));
    const deleted = JSON.parse(vmi(['vms', '--json', '--filter', 'deleted:true'], env).stdout);
    assert.deepEqual(deleted.map((v: { name: string }) => v.name), [gone]);
    // Each sync --once leaves the VM snapshot current: unlock reads the same VMs from it.
    const { store } = await openStore(h.home);
    assert.deepEqual(staleParts(store), { rewrite: [], drop: [] });
    const fromRows = new LiveModel(store);
    fromRows.load();
    const fromSnapshot = new LiveModel(store);
    await fromSnapshot.loadParallel();
    const byId = (m: LiveModel) => [...m.vms.values()].sort((x, y) => x.id - y.id);
    assert.equal(fromRows.vms.size, 9);
    assert.deepEqual(byId(fromSnapshot), byId(fromRows));
    store.close();
  });

  it('a power-off reaches the cache within 5 s through live updates', async () => {
    const { store } = await openStore(h.home);
    const statuses: SourceStatus[] = [];
    const engine = new Engine(store, pino({ level: 'silent' }), (m) => { if (m.type === 'status') statuses.push(m.status); });
    await engine.handle({ type: 'credentials', username: sim.username, password: new Uint8Array(Buffer.from(sim.password)) });
    engine.setSources([{ name: 'sim', platform: 'vsphere', url: sim.url, user: sim.username, thumbprint: sim.thumbprint, refreshSeconds: 600, enabled: true }]);
    await until(() => statuses.some((s) => s.state === 'live'), 30_000, 'live');
    const reader = await openStore(h.home);
    const model = new LiveModel(reader.store);
    model.load();
    const target = [...model.vms.values()].find((v) => v.power === 'poweredOn' && v.deletedAt === null)!;
    const c = await client(sim);
    // Give the live filter a moment to be in place (its baseline is reported before changes).
    await new Promise((r) => setTimeout(r, 500));
    const t = Date.now();
    await runTask(c, 'PowerOffVM_Task', { type: 'VirtualMachine', value: target.ref });
    await until(() => { model.poll(); return model.vms.get(target.id)?.power === 'poweredOff'; }, 10_000, 'power-off in the cache');
    const ms = Date.now() - t;
    assert.ok(ms < 5_000, `took ${ms} ms`);
    await c.close();
    await engine.stop();
    reader.store.close();
    store.close();
  });

  it('a vCenter that goes away: the run fails, nothing is marked deleted, exit 4', async () => {
    const before = JSON.parse(vmi(['vms', '--json'], env).stdout).length;
    await sim.stop();
    const r = vmi(['sync', '--once'], env);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /sim/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.equal(JSON.parse(vmi(['vms', '--json'], env).stdout).length, before);
    assert.equal(JSON.parse(vmi(['vms', '--json', '--filter', 'deleted:true'], env).stdout).length, 1);
  });
});

describe('vmi sync and source trust: bad input', { skip }, () => {
  let sim: Vcsim;
  let h: TestHome;
  before(async () => {
    sim = await startVcsim({ dc: 1, cluster: 1, host: 1, standaloneHost: 0, vm: 2, pod: 0 });
    h = await makeHome();
  });
  after(async () => {
    await sim?.stop();
    h?.cleanup();
  });

  it('a wrong vCenter password: exit 3, one line, no password in it', () => {
    const env = useSim(h, sim);
    const r = vmi(['sync', '--once'], { ...env, VMI_VC_PASSWORD: 'not-the-password' });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.ok(!r.stderr.includes('not-the-password'));
    assert.match(r.stderr, /sim/);
  });

  it('a pinned thumbprint that does not match is refused with both thumbprints', () => {
    const wrong = 'AB'.repeat(32);
    const env = useSim(h, sim, { thumbprint: wrong });
    const r = vmi(['sync', '--once'], env);
    assert.equal(r.code, 4, r.stderr);
    assert.ok(r.stderr.toUpperCase().replace(/:/g, '').includes(wrong), r.stderr);
    assert.ok(r.stderr.toUpperCase().replace(/:/g, '').includes(sim.thumbprint.replace(/:/g, '').toUpperCase()), r.stderr);
  });

  it('without a pin the self-signed certificate is refused; source trust pins it; insecure works and warns', () => {
    const env = useSim(h, sim, { thumbprint: undefined });
    const refused = vmi(['sync', '--once'], env);
    assert.equal(refused.code, 4, refused.stderr);
    const shown = vmi(['source', 'trust', 'sim'], env);
    assert.equal(shown.code, 2, 'needs --yes without a terminal');
    assert.match(shown.stdout, new RegExp(sim.thumbprint));
    const pinned = vmi(['source', 'trust', 'sim', '--yes'], env);
    assert.equal(pinned.code, 0, pinned.stderr);
    assert.equal(vmi(['sync', '--once'], env).code, 0);
    const insecure = useSim(h, sim, { thumbprint: undefined, insecure: true });
    const r = vmi(['sync', '--once'], insecure);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /certificate verification is OFF/);
  });

  it('the worker does not retry a refused login until new credentials come', async () => {
    const { store } = await openStore(h.home);
    const statuses: SourceStatus[] = [];
    const engine = new Engine(store, pino({ level: 'silent' }), (m) => { if (m.type === 'status') statuses.push(m.status); });
    await engine.handle({ type: 'credentials', username: sim.username, password: new Uint8Array(Buffer.from('wrong password')) });
    engine.setSources([{ name: 'sim', platform: 'vsphere', url: sim.url, user: sim.username, thumbprint: sim.thumbprint, refreshSeconds: 15, enabled: true }]);
    await until(() => statuses.some((s) => s.state === 'offline' && s.lastError?.reason === 'login-refused'), 20_000, 'refused');
    await new Promise((r) => setTimeout(r, 6000));
    const attempts = statuses.filter((s, i) => s.state === 'connecting' && statuses[i - 1]?.state !== 'connecting').length;
    assert.equal(attempts, 1, JSON.stringify(statuses.map((s) => [s.state, s.lastError?.reason])));
    await engine.handle({ type: 'credentials', username: sim.username, password: new Uint8Array(Buffer.from(sim.password)) });
    await until(() => statuses.some((s) => s.state === 'live'), 20_000, 'live with the right password');
    await engine.stop();
    store.close();
  });

  it('a refused port and an unknown host fail fast with exit 4', () => {
    const closed = useSim(h, { ...sim, url: 'https://127.0.0.1:9/sdk' });
    const t = Date.now();
    const r = vmi(['sync', '--once'], closed);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /refused/);
    const dns = useSim(h, { ...sim, url: 'https://no-such-vcenter.invalid/sdk' });
    const d = vmi(['sync', '--once'], dns);
    assert.equal(d.code, 4);
    assert.ok(Date.now() - t < 30_000);
  });
});
