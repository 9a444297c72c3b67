import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { emptyInventory, type Inventory } from '../src/model/records.js';
import { loadVmViews } from '../src/store/inventory.js';
import { addOwner, assignOwners } from '../src/store/manual.js';
import type { Store } from '../src/store/store.js';
import type { Actor } from '../src/store/vault.js';
import { SourceWriter } from '../src/sync/apply.js';
import { makeHome, openStore, vm, type TestHome } from './helpers.js';

function inventory(vms = [vm('web-01'), vm('web-02'), vm('db-01')]): Inventory {
  const inv = emptyInventory();
  inv.datacenters.push({ ref: 'dc-1', name: 'dc1' });
  inv.clusters.push({ ref: 'c-1', name: 'prod', datacenter: 'dc1', hosts: 1 });
  inv.hosts.push({ ref: 'host-1', name: 'esx01.example.com', cluster: 'prod', datastores: ['ds1'], connectionState: 'connected', maintenance: false, memoryMB: 65536 });
  inv.datastores.push({ ref: 'ds-1', name: 'ds1', capacityBytes: 1e12, freeBytes: 5e11, shared: true, hosts: ['esx01.example.com'], vms: 3 });
  inv.portgroups.push({ ref: 'pg-1', name: 'VM Network', kind: 'network', vlan: 120, hosts: [], vms: 3 });
  inv.vms.push(...vms);
  inv.alarms.push({ ref: 'alarm-1.host-1', entity: 'esx01.example.com', alarm: 'Host CPU usage', status: 'warning', time: new Date().toISOString() });
  inv.events.push({ ref: '101', time: new Date().toISOString(), type: 'VmPoweredOnEvent', severity: 'info', message: 'web-01 powered on' });
  return inv;
}

const changeRows = (store: Store) => store.read<{ type: string; field: string; old: string | null; new: string | null; name: string }>('changes', 'ORDER BY id').rows.map((r) => r.doc);
const rowsWithSeqAbove = (store: Store, table: string, seq: number) => (store.db.prepare(`SELECT count(*) n FROM ${table} WHERE seq > ?`).get(seq) as { n: number }).n;

describe('sync apply', () => {
  let h: TestHome;
  let store: Store;
  let actor: Actor;
  before(async () => {
    h = await makeHome();
    ({ store, actor } = await openStore(h.home));
  });
  after(() => { store.close(); h.cleanup(); });

  it('a first sync stores everything and records no change noise', () => {
    const w = new SourceWriter(store, { name: 'vc-a', platform: 'vsphere' });
    const r = w.applyFull(inventory(), w.startRun(), Date.now());
    assert.equal(r.firstSync, true);
    assert.equal(r.counts.vms.added, 3);
    assert.equal(r.changes, 0);
    assert.equal(loadVmViews(store).views.length, 3);
    assert.equal((store.db.prepare('SELECT count(*) n FROM datastore_mounts').get() as { n: number }).n, 1);
  });

  it('an unchanged second sync writes no inventory or change row', () => {
    const w = new SourceWriter(store, { name: 'vc-a', platform: 'vsphere' });
    const seq = store.currentSeq();
    const r = w.applyFull(inventory(), w.startRun(), Date.now());
    assert.equal(r.counts.vms.unchanged, 3);
    assert.equal(r.changes, 0);
    for (const t of ['vms', 'hosts', 'datastores', 'networks', 'changes', 'alarms', 'events']) assert.equal(rowsWithSeqAbove(store, t, seq), 0, t);
  });

  it('records each changed field; deleted VMs keep their owners and come back with them', () => {
    const w = new SourceWriter(store, { name: 'vc-a', platform: 'vsphere' });
    const owner = addOwner(store, actor, { fullName: 'Olga Owner', email: 'olga@corp.example' });
    assignOwners(store, actor, loadVmViews(store).views.filter((v) => v.name === 'db-01'), { technical: owner });
    const before = changeRows(store).length;
    w.applyFull(inventory([vm('web-01', { powerState: 'poweredOff', memoryMB: 8192 }), vm('web-02', { host: 'esx02.example.com' }), vm('app-01')]), w.startRun(), Date.now());
    const got = changeRows(store).slice(before).map((c) => `${c.name} ${c.type} ${c.field} ${c.old}->${c.new}`).sort();
    assert.deepEqual(got, [
      'app-01 created object null->app-01',
      'db-01 deleted object present->deleted',
      'web-01 hardware memoryMB 4096->8192',
      'web-01 power powerState poweredOn->poweredOff',
      'web-02 placement host esx01.example.com->esx02.example.com',
    ]);
    const db = loadVmViews(store).views.find((v) => v.name === 'db-01')!;
    assert.ok(db.deletedAt);
    w.applyFull(inventory([vm('web-01'), vm('web-02'), vm('db-01'), vm('app-01')]), w.startRun(), Date.now());
    const back = loadVmViews(store).views.find((v) => v.name === 'db-01')!;
    assert.equal(back.deletedAt, null);
    assert.equal(back.technicalOwner?.email, 'olga@corp.example');
    assert.ok(changeRows(store).some((c) => c.name === 'db-01' && c.type === 'reappeared'));
  });

  it('owners, tags, notes, custom fields and overrides survive a sync that changes the VM', async () => {
    const { setManual, setCustomField, tagVms, addManualIp } = await import('../src/store/manual.js');
    const w = new SourceWriter(store, { name: 'vc-a', platform: 'vsphere' });
    const web = () => loadVmViews(store).views.find((v) => v.name === 'web-02' && v.deletedAt === null)!;
    setManual(store, actor, web(), { notes: 'keep me', project: 'P1', overrides: { cluster: 'manual-cluster' } });
    setCustomField(store, actor, web(), 'costcenter', '4711');
    tagVms(store, actor, [web()], 'pci', true);
    addManualIp(store, actor, web(), '192.0.2.5');
    w.applyFull(inventory([vm('web-01'), vm('web-02', { cluster: 'other', memoryMB: 1024 }), vm('db-01'), vm('app-01')]), w.startRun(), Date.now());
    const v = web();
    assert.equal(v.memoryMB, 1024);
    assert.equal(v.cluster, 'manual-cluster');
    assert.equal(v.synced.cluster, 'other');
    assert.deepEqual([v.notes, v.project, v.customFields.costcenter, v.tags.join(), v.ips.includes('192.0.2.5')], ['keep me', 'P1', '4711', 'pci', true]);
  });

  it('a moref reused by a new VM (other instance UUID) is a new VM', () => {
    const w = new SourceWriter(store, { name: 'vc-a', platform: 'vsphere' });
    const r = w.applyFull(inventory([vm('web-01'), vm('web-02'), vm('app-01'), vm('db-01', { instanceUuid: 'uuid-new-db' })]), w.startRun(), Date.now());
    assert.equal(r.counts.vms.added, 1);
    assert.equal(r.counts.vms.deleted, 1);
    const dbs = loadVmViews(store).views.filter((v) => v.name === 'db-01');
    assert.equal(dbs.length, 2);
    assert.deepEqual(dbs.map((d) => d.deletedAt === null).sort(), [false, true]);
  });

  it('alarms clear when they are no longer triggered', () => {
    const w = new SourceWriter(store, { name: 'vc-a', platform: 'vsphere' });
    const inv = inventory([vm('web-01'), vm('web-02'), vm('app-01'), vm('db-01', { instanceUuid: 'uuid-new-db' })]);
    inv.alarms = [];
    const r = w.applyFull(inv, w.startRun(), Date.now());
    assert.equal(r.alarms.cleared, 1);
    assert.equal((store.db.prepare('SELECT count(*) n FROM alarms WHERE cleared_at IS NULL').get() as { n: number }).n, 0);
  });
  it('an alarm that stays triggered follows its severity and acknowledgement', () => {
    const w = new SourceWriter(store, { name: 'vc-alarm', platform: 'vsphere' });
    const inv = inventory([vm('alarm-vm', { ref: 'vm-alarm', instanceUuid: 'u-alarm' })]);
    w.applyFull(inv, w.startRun(), Date.now());
    const status = () => store.read<{ status: string; acknowledged?: boolean }, { source_id: number; cleared_at: number | null }>('alarms', 'WHERE cleared_at IS NULL').rows
      .filter((r) => r.source_id === w.sourceId).map((r) => [r.doc.status, !!r.doc.acknowledged]);
    assert.deepEqual(status(), [['warning', false]]);
    const seq = Number((store.db.prepare("SELECT value FROM meta WHERE name = 'seq'").get() as { value: string }).value);
    w.applyFull(inv, w.startRun(), Date.now());
    assert.equal(rowsWithSeqAbove(store, 'alarms', seq), 0, 'an unchanged alarm is not rewritten');
    inv.alarms[0]!.status = 'critical';
    w.applyFull(inv, w.startRun(), Date.now());
    assert.deepEqual(status(), [['critical', false]]);
    inv.alarms[0]!.acknowledged = true;
    w.applyFull(inv, w.startRun(), Date.now());
    assert.deepEqual(status(), [['critical', true]]);
  });

  it('two VMs with the same name are two VMs', () => {
    const w = new SourceWriter(store, { name: 'vc-dup', platform: 'vsphere' });
    w.applyFull(inventory([vm('twin', { ref: 'vm-1', instanceUuid: 'u1' }), vm('twin', { ref: 'vm-2', instanceUuid: 'u2', memoryMB: 8192 })]), w.startRun(), Date.now());
    const twins = loadVmViews(store).views.filter((v) => v.name === 'twin');
    assert.deepEqual(twins.map((t) => t.memoryMB).sort(), [4096, 8192]);
  });

  it('the live model reads the same VMs with a second thread as with one, tampered rows included', async () => {
    const { LiveModel } = await import('../src/model/live.js');
    const { packSynced, unpackSynced, interner } = await import('../src/model/vm.js');
    const w = new SourceWriter(store, { name: 'vc-many', platform: 'vsphere' });
    const many = Array.from({ length: 300 }, (_, i) => vm(`bulk-${i}`, {
      ref: `vm-b${i}`, instanceUuid: `ub-${i}`, host: i % 3 ? 'esx01.example.com' : undefined, sockets: i % 2 ? 2 : undefined,
      nics: i % 4 ? [{ key: '1', label: 'n', connected: true, network: 'VM Network', ipv4: [`10.9.${i >> 8}.${i & 255}`], ipv6: i % 5 ? [] : ['fe80::1'] }] : [],
      networks: i % 4 ? ['VM Network'] : [], name: i === 7 ? 'tab\tand\nnewline ΟΔΟΣ 😀' : `bulk-${i}`,
    }));
    w.applyFull(inventory(many), w.startRun(), Date.now());
    const victim = (store.db.prepare("SELECT id FROM vms ORDER BY id DESC LIMIT 1").get() as { id: number }).id;
    const other = (store.db.prepare('SELECT doc FROM vms WHERE id = ?').get(victim - 1) as { doc: Buffer }).doc;
    store.db.prepare('UPDATE vms SET doc = ? WHERE id = ?').run(other, victim); // moved ciphertext: fails authentication

    const one = new LiveModel(store);
    one.load();
    const two = new LiveModel(store);
    // A thread that is ready when the load starts, a small threshold and one-row chunks: both
    // threads take chunks.
    const { VmLoader } = await import('../src/model/loader.js');
    const loader = new VmLoader(store.file);
    await loader.ready();
    await two.loadParallel({ minVms: 10, loader, chunk: 1 });
    const byId = (m: InstanceType<typeof LiveModel>) => [...m.vms.values()].sort((a, b) => a.id - b.id);
    assert.ok(one.vms.size > 300);
    assert.deepEqual(byId(two), byId(one));
    assert.deepEqual(two.tampered.map((t) => t.message), one.tampered.map((t) => t.message));
    assert.equal(two.tampered.length, 1);
    assert.ok(two.version > 0);
    // The packed form round-trips every field.
    const synced = byId(one).filter((v) => !v.technicalOwner && !v.businessOwner && v.tags.length === 0);
    assert.ok(synced.length > 300);
    assert.deepEqual(unpackSynced(packSynced(synced), (id) => one.sources.get(id) ?? '?', interner()), synced);
    store.db.prepare('UPDATE vms SET doc = ? WHERE id = ?').run(other, victim - 1); // keep later tests' view consistent: both fail
    store.db.prepare('DELETE FROM vms WHERE id IN (?, ?)').run(victim, victim - 1);
  });

  it('the live model follows an owner rename on exactly the VMs that owner has', async () => {
    const { LiveModel } = await import('../src/model/live.js');
    const { updateOwner } = await import('../src/store/manual.js');
    const model = new LiveModel(store);
    model.load();
    const owned = [...model.vms.values()].filter((v) => v.technicalOwner?.email === 'olga@corp.example');
    assert.ok(owned.length >= 1);
    const other = [...model.vms.values()].find((v) => !v.technicalOwner)!;
    const otherBefore = model.vms.get(other.id);
    updateOwner(store, actor, owned[0].technicalOwner!.id, { fullName: 'Olga Renamed' });
    assert.ok(model.poll(true));
    for (const v of owned) assert.equal(model.vms.get(v.id)!.technicalOwner?.name, 'Olga Renamed');
    assert.equal(model.vms.get(other.id), otherBefore, 'VMs of other owners are not rebuilt');
  });

  it('the live model keeps changes and events of the history window only, and each host\'s latest sample', async () => {
    const { LiveModel, HISTORY_MS } = await import('../src/model/live.js');
    const w = new SourceWriter(store, { name: 'vc-a', platform: 'vsphere' });
    w.applyFull(inventory(), w.startRun(), Date.now());
    const runId = w.startRun('live');
    const sample = (cpuPct: number, at: number) => w.applyLive({ vms: [], samples: [{ host: 'host-1', time: new Date(at).toISOString(), cpuPct, memPct: 50 }] }, runId);
    sample(10, Date.now() - 120_000);
    sample(20, Date.now() - 60_000);
    const model = new LiveModel(store);
    model.load();
    assert.ok(model.changes.size > 0 && model.events.size > 0);
    const [host] = model.hosts.keys();
    assert.equal(model.samples.get(host)?.cpuPct, 20);
    const version = model.version;
    model.pruneHistory(Date.now());
    assert.ok(model.changes.size > 0 && model.events.size > 0, 'nothing in the window is dropped');
    model.pruneHistory(Date.now() + HISTORY_MS + 3_600_000);
    assert.equal(model.changes.size, 0);
    assert.equal(model.events.size, 0);
    assert.equal(model.changesInWindow, 0);
    assert.ok(model.version > version, 'screens showing them are told');
  });

  it('the live model applies a resync of more VMs than one read takes, every one of them', async () => {
    const { LiveModel } = await import('../src/model/live.js');
    const w = new SourceWriter(store, { name: 'vc-big', platform: 'vsphere' });
    const many = (cpus: number) => inventory(Array.from({ length: 4500 }, (_, i) => vm(`big-${i}`, { cpus })));
    w.applyFull(many(2), w.startRun(), Date.now());
    const model = new LiveModel(store);
    model.load();
    w.applyFull(many(3), w.startRun(), Date.now());
    assert.ok(model.poll(true));
    const big = [...model.vms.values()].filter((v) => v.name.startsWith('big-'));
    assert.equal(big.length, 4500);
    assert.ok(big.every((v) => v.cpus === 3), 'no VM left behind at a chunk boundary');
    assert.equal(model.poll(true), false, 'nothing left for the next poll');
  });

  it('the live model holds the newest changes only, counts all of the window, and reads a VM\'s history from the cache', async () => {
    const { LiveModel } = await import('../src/model/live.js');
    const w = new SourceWriter(store, { name: 'vc-a', platform: 'vsphere' });
    const cpus = (n: number) => inventory([vm('web-01', { cpus: n }), vm('web-02'), vm('db-01', { cpus: n })]);
    for (let n = 2; n <= 6; n++) w.applyFull(cpus(n), w.startRun(), Date.now());
    const all = store.read<{ name: string }>('changes', 'WHERE changed_at >= ? ORDER BY id', [Date.now() - 3_600_000]).rows;
    assert.ok(all.length >= 10);
    const model = new LiveModel(store, { changes: 4 });
    model.load();
    assert.deepEqual([...model.changes.keys()], all.slice(-4).map((r) => r.id), 'the newest four');
    assert.equal(model.changesInWindow, store.read('changes', 'WHERE changed_at >= ?', [Date.now() - 8 * 24 * 3_600_000]).rows.length, 'counted over the window');
    const before = model.changesInWindow;
    w.applyFull(cpus(7), w.startRun(), Date.now());
    assert.ok(model.poll(true));
    assert.equal(model.changes.size, 4);
    assert.equal(model.changesInWindow, before + 2, 'new changes counted as they arrive');
    const web = [...model.vms.values()].find((v) => v.name === 'web-01')!;
    const history = model.vmHistory(web.id);
    assert.ok(history.length >= 6, 'the whole history, not only what the model holds');
    assert.ok(history.every((c) => c.objectId === web.id && c.table === 'vms'));
    assert.deepEqual(history.slice(0, 2).map((c) => c.new), ['7', '6'], 'newest first');
  });

});
