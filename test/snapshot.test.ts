// The VM snapshot: unlock takes the VM list from a few sealed parts instead of every VM row. It
// is derived data, so every test compares a model loaded through it with one loaded from the
// rows alone, after the kinds of change a cache sees.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LiveModel } from '../src/model/live.js';
import { VmLoader } from '../src/model/loader.js';
import { decodePacked, encodePacked, packedIdsSeqs, PART_SIZE, refreshSnapshot, staleParts } from '../src/model/snapshot.js';
import { interner, packSynced, unpackSynced, type VmView } from '../src/model/vm.js';
import { addOwner, assignOwners, tagVms } from '../src/store/manual.js';
import type { Store } from '../src/store/store.js';
import { rekey, type Actor } from '../src/store/vault.js';
import { insertVms, makeHome, openStore, vm, type TestHome } from './helpers.js';

const byId = (m: LiveModel) => [...m.vms.values()].sort((a, b) => a.id - b.id);
const parts = (store: Store) => store.db.prepare('SELECT part, upto_seq, vm_count, format FROM vm_snapshot ORDER BY part').all() as { part: number; upto_seq: number; vm_count: number; format: number }[];

/** The model from the rows alone, the model through the snapshot here, and through a load thread. */
async function loads(store: Store): Promise<{ rows: LiveModel; here: LiveModel; thread: LiveModel }> {
  const rows = new LiveModel(store);
  rows.load();
  const here = new LiveModel(store);
  await here.loadParallel();
  const thread = new LiveModel(store);
  const loader = new VmLoader(store.file);
  await loader.ready();
  await thread.loadParallel({ loader, minVms: 1 });
  return { rows, here, thread };
}

describe('VM snapshot', () => {
  let h: TestHome;
  let store: Store;
  let actor: Actor;
  let ids: number[];
  before(async () => {
    h = await makeHome();
    ({ store, actor } = await openStore(h.home));
    // Two parts' worth of ids, with the odd values a list has to carry.
    const many = Array.from({ length: PART_SIZE + 300 }, (_, i) => vm(`vm-${String(i).padStart(5, '0')}`, {
      ref: `vm-${i}`, instanceUuid: `u-${i}`, biosUuid: i % 7 ? `b-${i}` : undefined, sockets: i % 2 ? 2 : undefined,
      host: i % 3 ? `esx${i % 40}.example.com` : undefined, cluster: i % 5 ? `c${i % 4}` : undefined,
      nics: i % 4 ? [{ key: '1', label: 'n', connected: true, network: `pg-${i % 9}`, ipv4: [`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`], ipv6: i % 5 ? [] : ['fe80::1'] }] : [],
      networks: i % 4 ? [`pg-${i % 9}`, ...(i % 11 ? [] : ['pg-x'])] : [], datastores: i % 6 ? ['ds1'] : [],
      name: i === 7 ? 'tab\tand\nnewline ΟΔΟΣ 😀' : i === 8 ? '' : `vm-${String(i).padStart(5, '0')}`,
    }));
    ids = insertVms(store, 'vc-snap', many);
    const olga = addOwner(store, actor, { fullName: 'Olga Ops', email: 'olga@corp.example' });
    const rows = new LiveModel(store);
    rows.load();
    const some = [...rows.vms.values()].filter((v) => v.id % 97 === 0);
    assignOwners(store, actor, some, { technical: olga });
    tagVms(store, actor, some.slice(0, 5), 'pci', true);
  });
  after(() => {
    store.close();
    h.cleanup();
  });

  it('packs every field of a view losslessly', () => {
    const m = new LiveModel(store);
    m.load();
    const views = byId(m).filter((v) => !v.technicalOwner && v.tags.length === 0);
    const bytes = encodePacked(packSynced(views));
    const back = decodePacked(bytes);
    assert.ok(back);
    assert.deepEqual(unpackSynced(back, (id) => m.sources.get(id) ?? '?', interner()), views);
    // What the load thread reads of a part to know which rows it covers.
    assert.deepEqual(packedIdsSeqs(bytes), { ids: Float64Array.from(views, (v) => v.id), seqs: Float64Array.from(views, (v) => v.seq) });
  });

  it('never takes a damaged or foreign layout for a part', () => {
    const bytes = encodePacked(packSynced([]));
    assert.ok(decodePacked(bytes));
    const full = encodePacked(packSynced(byId((() => { const m = new LiveModel(store); m.load(); return m; })()).slice(0, 50)));
    for (const cut of [0, 8, 31, 32, 100, full.length - 1]) assert.equal(decodePacked(full.subarray(0, cut).slice()), null, `cut at ${cut}`);
    const other = full.slice();
    other[0] ^= 1; // another magic
    assert.equal(decodePacked(other), null);
    const shape = full.slice();
    shape[12] += 1; // another number of text fields
    assert.equal(decodePacked(shape), null);
  });

  it('without a snapshot, unlock reads the rows; writers build one part per 4,096 ids', async () => {
    assert.equal(parts(store).length, 0);
    const before = await loads(store);
    assert.deepEqual(byId(before.here), byId(before.rows));
    const r = await refreshSnapshot(store);
    assert.equal(r.written, 2);
    const p = parts(store);
    assert.deepEqual(p.map((x) => x.part), [0, 1]);
    assert.equal(p[0]!.vm_count + p[1]!.vm_count, ids.length);
    assert.deepEqual(staleParts(store), { rewrite: [], drop: [] });
    const { rows, here, thread } = await loads(store);
    assert.deepEqual(byId(here), byId(rows));
    assert.deepEqual(byId(thread), byId(rows));
    assert.equal(rows.vms.size, ids.length);
    assert.ok(byId(here).some((v) => v.technicalOwner?.name === 'Olga Ops' && v.tags.includes('pci')), 'manual data is applied over snapshot views');
  });

  it('follows every kind of change made after it was written', async () => {
    // Changed VMs (a new seq), a new one, a soft-deleted one (deleted_at and a new seq), a
    // hard-deleted one, and an owner renamed (manual data, not in the snapshot).
    const m = new LiveModel(store);
    m.load();
    const changed = byId(m).filter((v) => v.id % 50 === 1).slice(0, 10);
    insertVms(store, 'vc-snap', changed.map((v) => vm(v.name, { ref: v.ref, instanceUuid: v.instanceUuid, cpus: 16, memoryMB: 65536 })));
    insertVms(store, 'vc-snap', [vm('brand-new', { ref: 'vm-new', instanceUuid: 'u-new' })]);
    store.write((tx) => tx.update('vms', ids[3]!, { deleted_at: tx.now }));
    store.db.prepare('DELETE FROM vms WHERE id = ?').run(ids[4]);
    const { rows, here, thread } = await loads(store);
    assert.deepEqual(byId(here), byId(rows));
    assert.deepEqual(byId(thread), byId(rows));
    assert.equal(rows.vms.get(changed[0]!.id)?.cpus, 16);
    assert.ok(rows.vms.get(ids[3]!)?.deletedAt);
    assert.equal(rows.vms.has(ids[4]!), false);
    // Eleven changed rows of 4,096 are not worth a rewrite yet; many more are.
    assert.deepEqual(staleParts(store).rewrite, []);
    assert.deepEqual(staleParts(store, 5).rewrite, [0]);
    // What a worker checks after its commits: only the rows changed since, same answer here.
    assert.deepEqual(staleParts(store, 5, true), { rewrite: [0], drop: [] });
  });

  it('a part that fails authentication is reported and its VMs are read from their rows', async () => {
    const good = store.db.prepare('SELECT doc FROM vm_snapshot WHERE part = 1').get() as { doc: Buffer };
    store.db.prepare('UPDATE vm_snapshot SET doc = ? WHERE part = 0').run(good.doc); // moved: fails authentication
    const { rows, here, thread } = await loads(store);
    assert.deepEqual(byId(here), byId(rows));
    assert.deepEqual(byId(thread), byId(rows));
    assert.deepEqual(here.tampered.map((t) => t.message), ['row vm_snapshot:0 failed authentication (modified or moved); it was skipped']);
    assert.deepEqual(thread.tampered.map((t) => t.message), here.tampered.map((t) => t.message));
    // A writer puts a good part back (the damaged one is the oldest the index can tell about).
    store.db.prepare('DELETE FROM vm_snapshot WHERE part = 0').run();
    assert.deepEqual(staleParts(store).rewrite, [0]);
    await refreshSnapshot(store);
    assert.equal((await loads(store)).here.tampered.length, 0);
  });

  it('a part in a layout this build does not write is rewritten, and ignored until then', async () => {
    store.db.prepare('UPDATE vm_snapshot SET format = 999 WHERE part = 1').run();
    const { rows, here } = await loads(store);
    assert.deepEqual(byId(here), byId(rows));
    assert.equal(here.tampered.length, 0);
    assert.deepEqual(staleParts(store).rewrite, [1]);
    await refreshSnapshot(store);
    assert.deepEqual(parts(store).map((p) => p.format), [1, 1]);
  });

  it('a VM row altered on disk keeps its last authenticated view until it is read again', async () => {
    const victim = ids[10]!;
    const other = (store.db.prepare('SELECT doc FROM vms WHERE id = ?').get(ids[11]) as { doc: Buffer }).doc;
    const saved = (store.db.prepare('SELECT doc FROM vms WHERE id = ?').get(victim) as { doc: Buffer }).doc;
    store.db.prepare('UPDATE vms SET doc = ? WHERE id = ?').run(other, victim);
    const { rows, here } = await loads(store);
    // Rows alone skip it and say so; the snapshot still holds what the row said when it was sound.
    assert.equal(rows.vms.has(victim), false);
    assert.equal(rows.tampered.length, 1);
    assert.equal(here.vms.get(victim)?.name, 'vm-00010');
    assert.throws(() => here.vmDoc(victim), /vms:\d+ failed authentication/);
    store.db.prepare('UPDATE vms SET doc = ? WHERE id = ?').run(saved, victim);
  });

  it('re-keying drops it; a process still holding the old key cannot write one', async () => {
    const { store: stale } = await openStore(h.home);
    rekey(store, actor);
    assert.equal(parts(store).length, 0);
    const { rows, here } = await loads(store);
    assert.deepEqual(byId(here), byId(rows));
    assert.equal(here.tampered.length, 0);
    await assert.rejects(refreshSnapshot(stale), /re-keyed/);
    assert.equal(parts(store).length, 0);
    stale.close();
    await refreshSnapshot(store);
    assert.equal(parts(store).length, 2);
  });

  it('parts whose VMs are all gone are dropped', async () => {
    store.db.prepare('DELETE FROM vms WHERE id >= ?').run(PART_SIZE);
    assert.deepEqual(staleParts(store).drop, [1]);
    assert.deepEqual(staleParts(store, undefined, true).drop, [], 'the quick check does not look for deleted rows');
    await refreshSnapshot(store);
    assert.deepEqual(parts(store).map((p) => p.part), [0]);
    const { rows, here } = await loads(store);
    assert.deepEqual(byId(here), byId(rows));
  });

  it('the first load can leave topology, alarms and history for after the first frame', async () => {
    const { emptyInventory } = await import('../src/model/records.js');
    const { SourceWriter } = await import('../src/sync/apply.js');
    const inv = emptyInventory();
    inv.hosts.push({ ref: 'host-1', name: 'esx01.example.com', cluster: 'prod', datastores: [], connectionState: 'connected', maintenance: false, memoryMB: 65536 });
    inv.alarms.push({ ref: 'alarm-1.host-1', entity: 'esx01.example.com', alarm: 'Host CPU usage', status: 'critical', time: new Date().toISOString() });
    inv.vms.push(vm('topo-vm', { ref: 'vm-topo', instanceUuid: 'u-topo' }));
    const w = new SourceWriter(store, { name: 'vc-topo', platform: 'vsphere' });
    w.applyFull(inv, w.startRun(), Date.now());
    const m = new LiveModel(store);
    await m.loadParallel({ deferRest: true });
    const full = new LiveModel(store);
    full.load();
    assert.deepEqual(byId(m), byId(full), 'every VM is there for the first frame');
    assert.equal(m.hosts.size, 0);
    assert.equal(m.alarms.size, 0);
    // Newer rows wait until the older ones are in: poll() finishes the first load first.
    const inv2 = structuredClone(inv);
    inv2.alarms = []; // cleared: a newer version of the alarm row
    w.applyFull(inv2, w.startRun(), Date.now());
    assert.ok(m.poll(true));
    full.poll(true);
    assert.equal(m.hosts.size, 1);
    assert.deepEqual([...m.alarms.values()], [...full.alarms.values()]);
    assert.ok([...m.alarms.values()].every((a) => a.cols.cleared_at !== null), 'the newer row is applied after the older ones');
    assert.deepEqual([...m.syncRuns.keys()], [...full.syncRuns.keys()]);
    assert.deepEqual(byId(m), byId(full));
  });

  it('a view keeps the seq of the row it was built from', () => {
    const m = new LiveModel(store);
    m.load();
    const v = m.vms.values().next().value as VmView;
    const row = store.db.prepare('SELECT seq FROM vms WHERE id = ?').get(v.id) as { seq: number };
    assert.equal(v.seq, row.seq);
  });
});
