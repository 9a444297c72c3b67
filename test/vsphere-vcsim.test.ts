// vSphere collector against a real vCenter simulator (govmomi's vcsim, see test/vcsim/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { VmiError } from '../src/errors.js';
import type { Inventory } from '../src/model/records.js';
import { VsphereClient, fetchCertificate, type VsphereClientOptions } from '../src/sources/vsphere/soap.js';
import { collectEvents, collectInventory } from '../src/sources/vsphere/collect.js';
import { watch, type WatchChange } from '../src/sources/vsphere/watch.js';
import { NO_GO_MESSAGE, buildVcsim, runTask, startVcsim, until, type Vcsim } from './vcsim/vcsim.js';

const bin = await buildVcsim();
if (!bin) console.warn(NO_GO_MESSAGE);
const skip = bin ? false : 'Go toolchain not installed (vcsim cannot be built)';

const FANCY = 'web & <db> "prod" üñï 🚀';
let sim: Vcsim;
let inv: Inventory;

const clientOpts = (s: Vcsim, extra: Partial<VsphereClientOptions> = {}): VsphereClientOptions => ({
  url: s.url,
  name: 'vcsim-a',
  username: s.username,
  password: s.password,
  thumbprint: s.thumbprint,
  timeoutMs: 15_000,
  ...extra,
});

async function rejects(p: Promise<unknown>, reason: string): Promise<VmiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof VmiError, String(e));
    assert.equal(e.reason, reason, e.message);
    assert.ok(!e.message.includes('\n'));
    return e;
  }
  assert.fail(`expected ${reason}`);
}

before(async () => {
  if (skip) return;
  sim = await startVcsim({ fixtures: true, dc: 1, cluster: 1, host: 2, standaloneHost: 1, vm: 2, pod: 1 });
  const c = await VsphereClient.connect(clientOpts(sim));
  try {
    inv = await collectInventory(c);
  } finally {
    await c.close();
  }
});

after(async () => {
  await sim?.stop();
});

test('full inventory: counts and topology', { skip }, () => {
  assert.deepEqual(inv.datacenters.map((d) => d.name).sort(), ['DC0', 'Empty ☁ DC']);
  assert.equal(inv.clusters.length, 1);
  assert.equal(inv.hosts.length, 3);
  assert.equal(inv.vms.length, sim.vms);
  assert.equal(inv.vms.length, 6);
  const c = inv.clusters[0]!;
  assert.equal(c.name, 'DC0_C0');
  assert.equal(c.hosts, 2);
  assert.equal(c.datacenter, 'DC0');
  assert.equal(c.drs, true);
  // every moref resolved to a name
  for (const vm of inv.vms) {
    assert.equal(vm.datacenter, 'DC0', vm.name);
    assert.ok(vm.host && !vm.host.startsWith('host-'), vm.name);
    for (const n of vm.nics) assert.ok(n.network && !/^(network|dvportgroup)-/.test(n.network), `${vm.name} ${n.network}`);
    for (const d of vm.disks) assert.ok(d.datastore && !d.datastore.startsWith('/'), `${vm.name} ${d.datastore}`);
  }
});

test('full inventory: a VM with awkward name, NICs, IPs, disks, attributes', { skip }, () => {
  const vm = inv.vms.find((v) => v.name === FANCY);
  assert.ok(vm, 'fancy VM found by its exact name');
  assert.equal(vm.cpus, 4);
  assert.equal(vm.coresPerSocket, 2);
  assert.equal(vm.sockets, 2);
  assert.equal(vm.memoryMB, 8192);
  assert.equal(vm.powerState, 'poweredOn');
  assert.equal(vm.guestOs, 'Ubuntu Linux (64-bit)');
  assert.equal(vm.guestOsTools, 'Ubuntu 22.04.3 LTS');
  assert.equal(vm.osFamily, 'linux');
  assert.equal(vm.toolsStatus, 'toolsOk');
  assert.equal(vm.hostname, 'web01.example.com');
  assert.equal(vm.cluster, 'DC0_C0');
  assert.equal(vm.resourcePool, 'Resources');
  assert.equal(vm.folder, 'vm');
  assert.equal(vm.annotation, 'Line1 & <b>\nLine2');
  assert.deepEqual(vm.customAttributes, { 'Owner & Co': 'Ops <team> "A" ✓' });
  assert.match(vm.biosUuid ?? '', /^[0-9a-f-]{36}$/);
  assert.match(vm.instanceUuid ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(vm.nics.length, 2);
  const [n0, n1] = vm.nics;
  assert.equal(n0!.network, 'DC0_DVPG0');
  assert.equal(n0!.networkRef?.startsWith('dvportgroup-'), true);
  assert.deepEqual(n0!.ipv4, ['10.0.0.10']);
  assert.deepEqual(n0!.ipv6, ['fe80::250:56ff:fe00:1']);
  assert.equal(n1!.network, 'VM Network');
  assert.deepEqual(n1!.ipv4, ['192.168.1.20']);
  assert.equal(n1!.connected, true);
  assert.match(n1!.mac ?? '', /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  assert.equal(vm.disks.length, 2);
  const big = vm.disks.find((d) => d.sizeGB === 10);
  assert.ok(big);
  assert.equal(big.thin, true);
  assert.equal(big.datastore, 'LocalDS_0');
  assert.deepEqual([...vm.networks].sort(), ['DC0_DVPG0', 'VM Network']);
  assert.deepEqual(vm.datastores, ['LocalDS_0']);

  const bare = inv.vms.find((v) => v.name === 'bare-vm')!;
  assert.deepEqual([bare.nics, bare.disks, bare.powerState, bare.template], [[], [], 'poweredOff', false]);
  assert.equal(bare.guestOsTools, undefined);
  assert.equal(inv.vms.find((v) => v.name === 'tmpl-linux')!.template, true);
});

test('full inventory: hosts, vmknics and their services, samples', { skip }, () => {
  const h = inv.hosts.find((x) => x.name === 'DC0_C0_H0')!;
  assert.equal(h.cluster, 'DC0_C0');
  assert.equal(h.datacenter, 'DC0');
  assert.equal(h.serial, 'SN-0001');
  assert.equal(h.managementIp, '10.0.0.101');
  assert.equal(h.cpuUsageMhz, 1200);
  assert.equal(h.connectionState, 'connected');
  assert.equal(h.maintenance, false);
  assert.ok(h.version && h.build && h.cpuModel && h.cpuCores && h.memoryMB);
  assert.deepEqual([...h.datastores].sort(), ['LocalDS_0', 'PodDS 1']);
  const standalone = inv.hosts.find((x) => x.name === 'DC0_H0')!;
  assert.equal(standalone.cluster, undefined);
  const vmks = inv.vmkernels.filter((v) => v.host === 'DC0_C0_H0');
  assert.deepEqual(vmks.map((v) => [v.device, v.ip, v.portgroup, v.services]).sort(), [
    ['vmk0', '10.0.0.101', 'Management Network', ['management']],
    ['vmk1', '10.10.10.11', 'vMotion', ['vmotion']],
  ]);
  assert.equal(vmks.find((v) => v.device === 'vmk1')!.mtu, 9000);
  const vmk0 = vmks.find((v) => v.device === 'vmk0')!;
  assert.deepEqual([vmk0.netmask, vmk0.netStack], ['255.0.0.0', 'defaultTcpipStack']);
  const sample = inv.hostSamples.find((s) => s.host === h.ref)!;
  assert.equal(sample.cpuPct, Math.round((1200 / (h.cpuMhz! * h.cpuCores!)) * 1000) / 10);
  const vss = inv.switches.find((s) => s.kind === 'vss' && s.host === 'DC0_C0_H0')!;
  assert.equal(vss.name, 'vSwitch0');
  assert.equal(vss.mtu, 9000);
  const vmotionPg = inv.portgroups.find((p) => p.kind === 'standard' && p.name === 'vMotion')!;
  assert.equal(vmotionPg.vlan, 42);
  assert.equal(vmotionPg.switch, 'vSwitch0');
});

test('full inventory: storage (pod datastore found, shared vs local) and DVS portgroup VLANs', { skip }, () => {
  const pod = inv.datastoreClusters.find((p) => p.name === 'DC0_POD0')!;
  assert.ok(pod.capacityBytes > 0);
  const inPod = inv.datastores.find((d) => d.name === 'PodDS 1');
  assert.ok(inPod, 'datastore inside the storage pod is collected');
  assert.equal(inPod.datastoreCluster, 'DC0_POD0');
  assert.equal(inPod.shared, true);
  assert.deepEqual(inPod.hosts, ['DC0_C0_H0', 'DC0_C0_H1']);
  const local = inv.datastores.find((d) => d.name === 'local-ds')!;
  assert.equal(local.shared, false);
  assert.deepEqual(local.hosts, ['DC0_H0']);
  const shared = inv.datastores.find((d) => d.name === 'LocalDS_0')!;
  assert.equal(shared.shared, true);
  assert.equal(shared.hosts.length, 3);
  assert.ok(shared.capacityBytes >= shared.freeBytes && shared.freeBytes > 0);
  assert.equal(shared.datacenter, 'DC0');
  assert.equal(shared.maintenanceMode, 'normal');

  const dvs = inv.switches.find((s) => s.kind === 'dvs')!;
  assert.deepEqual([dvs.name, dvs.version, dvs.mtu, dvs.hosts.length], ['DVS0', '7.0.3', 9000, 3]);
  const pg = (name: string) => inv.portgroups.find((p) => p.name === name)!;
  assert.deepEqual([pg('PG-VLAN120 & <x>').vlan, pg('PG-VLAN120 & <x>').switch, pg('PG-VLAN120 & <x>').kind], [120, 'DVS0', 'dvportgroup']);
  assert.equal(pg('PG-Trunk').vlanTrunk, '100-110,200');
  assert.equal(pg('PG-PVLAN').pvlan, 333);
  assert.equal(pg('DC0_DVPG0').vlan, 0);
});

test('full inventory: triggered alarms with names, events in key order', { skip }, () => {
  assert.equal(inv.alarms.length, 2);
  const byEntity = new Map(inv.alarms.map((a) => [a.entity, a]));
  assert.deepEqual(
    [byEntity.get('DC0_C0_H0')?.status, byEntity.get(FANCY)?.status, byEntity.get(FANCY)?.alarm, byEntity.get(FANCY)?.acknowledged],
    ['critical', 'warning', 'Host CPU & <usage>', true],
  );
  assert.ok(inv.events.length > 10);
  const keys = inv.events.map((e) => Number(e.ref));
  assert.deepEqual(keys, [...keys].sort((a, b) => a - b));
  assert.ok(inv.events.some((e) => e.type === 'VmPoweredOnEvent' && e.entity && e.message.includes('powered on')));
  assert.ok(inv.events.every((e) => e.time && ['critical', 'warning', 'info'].includes(e.severity)));
});

test('events since a key', { skip }, async () => {
  const c = await VsphereClient.connect(clientOpts(sim));
  try {
    const all = await collectEvents(c);
    const last = Number(all.at(-1)!.ref);
    const recent = (await collectEvents(c, { sinceKey: last - 3 })).map((e) => Number(e.ref));
    assert.ok(recent.every((k) => k > last - 3), String(recent));
    for (const k of [last - 2, last - 1, last]) assert.ok(recent.includes(k), `${k} in ${recent}`);
    assert.deepEqual(await collectEvents(c, { sinceTime: new Date(Date.now() + 3600_000) }), []);
  } finally {
    await c.close();
  }
});

test('wrong password: login-refused, no retry storm', { skip }, async () => {
  const c = new VsphereClient(clientOpts(sim, { password: 'Wr0ng-S3cret!' }));
  const e = await rejects(c.login(), 'login-refused');
  assert.match(e.message, /vcsim-a/);
  assert.ok(!e.message.includes('Wr0ng-S3cret!'));
  assert.equal(c.requests, 2); // RetrieveServiceContent + one Login
  await rejects(c.currentTime(), 'not-authenticated'); // never logged in: no automatic login
  await rejects(c.login(), 'login-refused'); // refused credentials are not sent again
  assert.equal(c.requests, 3);
  await c.close();
});

test('TLS: pinned thumbprint (any spelling), mismatch, default verification, CA, insecure', { skip }, async () => {
  const spelled = sim.thumbprint.replace(/:/g, '').toLowerCase();
  const ok = await VsphereClient.connect(clientOpts(sim, { thumbprint: spelled }));
  assert.ok((await ok.currentTime()).length > 0);
  await ok.close();

  const wrong = 'AB:'.repeat(31) + 'AB';
  const mm = await rejects(VsphereClient.connect(clientOpts(sim, { thumbprint: wrong })), 'tls-mismatch');
  assert.ok(mm.message.includes(sim.thumbprint) && mm.message.includes(wrong), mm.message);

  const untrusted = await rejects(VsphereClient.connect(clientOpts(sim, { thumbprint: undefined })), 'tls-untrusted');
  assert.ok(untrusted.message.includes(sim.thumbprint), untrusted.message);

  const cert = await fetchCertificate(sim.url);
  assert.equal(cert.thumbprint, sim.thumbprint);
  assert.equal(cert.trusted, false);
  assert.ok(new Date(cert.validTo).getTime() > Date.now());

  // Normal CA verification: the self-signed certificate becomes acceptable once trusted as a CA.
  const pem = await new Promise<string>((resolve, reject) => {
    const u = new URL(sim.url);
    const s = tls.connect({ host: u.hostname, port: Number(u.port), rejectUnauthorized: false }, () => {
      const raw = s.getPeerCertificate().raw;
      s.destroy();
      resolve(`-----BEGIN CERTIFICATE-----\n${raw.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`);
    });
    s.on('error', reject);
  });
  const viaCa = await VsphereClient.connect(clientOpts(sim, { thumbprint: undefined, ca: pem }));
  await viaCa.close();

  const insecure = await VsphereClient.connect(clientOpts(sim, { thumbprint: undefined, insecure: true }));
  await insecure.close();
});

test('session lost on the server: one transparent re-login', { skip }, async () => {
  const c = await VsphereClient.connect(clientOpts(sim));
  // End the session behind the client's back (the cookie it holds becomes invalid).
  await c.call('Logout', c.serviceContent.sessionManager!, '', { noRelogin: true });
  const before = c.requests;
  assert.ok((await c.currentTime()).length > 0);
  assert.equal(c.requests - before, 3); // CurrentTime (NotAuthenticated), Login, CurrentTime
  await c.close();
});

test('two vCenters collected concurrently', { skip }, async () => {
  const other = await startVcsim({ dc: 2, cluster: 1, host: 1, standaloneHost: 0, vm: 3, pod: 0 });
  try {
    const [a, b] = await Promise.all([
      VsphereClient.connect(clientOpts(sim)),
      VsphereClient.connect(clientOpts(other, { name: 'vcsim-b' })),
    ]);
    const [ia, ib] = await Promise.all([collectInventory(a), collectInventory(b)]);
    await Promise.all([a.close(), b.close()]);
    assert.equal(ia.vms.length, sim.vms);
    assert.equal(ib.vms.length, 6);
    assert.deepEqual(ib.datacenters.map((d) => d.name).sort(), ['DC0', 'DC1']);
    assert.ok(!ia.vms.some((v) => v.name.startsWith('DC1_')));
  } finally {
    await other.stop();
  }
});

test('live updates: power off, rename, destroy are delivered as new records', { skip }, async () => {
  const c = await VsphereClient.connect(clientOpts(sim));
  const ctl = new AbortController();
  const changes: WatchChange[] = [];
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  const done = watch(c, (ch) => void changes.push(ch), ctl.signal, { maxWaitSeconds: 5, onReady: ready });
  try {
    await isReady;
    const target = inv.vms.find((v) => v.name === 'DC0_H0_VM0')!;
    const ref = { type: 'VirtualMachine', value: target.ref };
    const t0 = Date.now();
    await runTask(c, 'PowerOffVM_Task', ref);
    const off = await until(
      () => changes.flatMap((ch) => (ch.kind === 'changes' ? ch.vms : [])).find((v) => v.ref === target.ref && v.powerState === 'poweredOff'),
      5000,
      'power-off update',
    );
    assert.ok(Date.now() - t0 < 3000, `delivered after ${Date.now() - t0} ms`);
    assert.equal(off.host, target.host); // complete, resolved record
    assert.equal(off.nics.length, target.nics.length);

    await runTask(c, 'Rename_Task', ref, '<newName>renamed &amp; ✓</newName>');
    await until(() => changes.some((ch) => ch.kind === 'changes' && ch.vms.some((v) => v.ref === target.ref && v.name === 'renamed & ✓')), 5000, 'rename');

    const bare = inv.vms.find((v) => v.name === 'bare-vm')!;
    await runTask(c, 'Destroy_Task', { type: 'VirtualMachine', value: bare.ref });
    await until(() => changes.some((ch) => ch.kind === 'changes' && ch.removedVms.includes(bare.ref)), 5000, 'destroy');
    assert.ok(!changes.some((ch) => ch.kind === 'resync'), JSON.stringify(changes.filter((ch) => ch.kind === 'resync')));
  } finally {
    ctl.abort();
    const t = Date.now();
    await done;
    assert.ok(Date.now() - t < 3000, 'watch ends promptly on abort');
    await c.close();
  }
});

test('live updates: a lost connection ends the watch with a resync request', { skip }, async () => {
  const own = await startVcsim({ dc: 1, cluster: 1, host: 1, standaloneHost: 0, vm: 1, pod: 0 });
  const c = await VsphereClient.connect(clientOpts(own, { timeoutMs: 5000 }));
  const changes: WatchChange[] = [];
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  const done = watch(c, (ch) => void changes.push(ch), new AbortController().signal, { maxWaitSeconds: 2, onReady: ready });
  await isReady;
  await own.stop();
  await done;
  assert.equal(changes.at(-1)?.kind, 'resync');
  await c.close();
});
