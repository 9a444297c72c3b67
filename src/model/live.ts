// The decrypted in-memory model the screen reads. It tails the cache by seq: at start every row
// (VMs from the VM snapshot where their rows have not changed since, see snapshot.ts), later
// only rows with seq > the last one seen, noticed through PRAGMA data_version (writes by this
// process's worker or by another vmi process on the same cache).
import { EventEmitter } from 'node:events';
import { TamperedRowError } from '../crypto/keys.js';
import { VmLoader } from './loader.js';
import type { Opened, Store } from '../store/store.js';
import type {
  AlarmRecord, ClusterRecord, DatacenterRecord, DatastoreClusterRecord, DatastoreRecord, EventRecord, HostRecord,
  PortgroupRecord, SwitchRecord, VmkernelRecord,
} from './records.js';
import { decodePacked, eachVmRow, openSnapshotRows, readRowSeqs, RowSeqs, sealedSnapshot, snapshotWorth, viewOfRow } from './snapshot.js';
import { interner, PACKED_ID, PACKED_SEQ, unpackSynced, withManual, type ManualDoc, type ManualIp, type OwnerDoc, type OwnerRef, type VmDoc, type VmView } from './vm.js';

type Cols = Record<string, unknown>;

export interface Obj<T> {
  id: number;
  seq: number;
  sourceId: number;
  source: string;
  deletedAt: number | null;
  doc: T;
  cols: Cols;
}

export interface ChangeEntry {
  id: number;
  sourceId: number;
  source: string;
  runId: number | null;
  table: string;
  objectId: number;
  time: number;
  type: string;
  field: string;
  old: string | null;
  new: string | null;
  name?: string;
}

export interface SyncRunEntry {
  id: number;
  sourceId: number;
  startedAt: number;
  finishedAt: number | null;
  status: string;
  kind?: string;
  reason?: string;
  error?: string;
}

export interface OwnerEntry extends OwnerDoc {
  id: number;
}

export interface SampleEntry {
  hostId: number;
  time: number;
  cpuPct: number;
  memPct: number;
}

// Tables the model keeps; the key is the column that identifies a row.
const TABLES = [
  'sources', 'owners', 'vms', 'vm_manual', 'vm_tags', 'vm_manual_ips', 'vm_custom_fields', 'datacenters', 'clusters', 'hosts',
  'datastore_clusters', 'datastores', 'switches', 'networks', 'vmkernel_adapters', 'alarms', 'events', 'changes', 'sync_runs', 'host_samples',
] as const;
type Table = (typeof TABLES)[number];
const ID_COL: Partial<Record<Table, string>> = { vm_manual: 'vm_id' };

/** How far back the model keeps changes and events; older ones stay in the cache for the CLI. */
export const HISTORY_MS = 8 * 24 * 3600 * 1000;

/**
 * The newest changes and events the model holds (the change and event tables show them). A
 * busy estate records tens of thousands of changes an hour: a screen left open for weeks must
 * not hold them all. Counts for the dashboard cover the whole window (see changeMinutes), and a
 * VM's history is read from the cache (vmHistory()).
 */
const CHANGES_KEPT = 50_000;
const EVENTS_KEPT = 20_000;

const MINUTE = 60_000;

/** From this many VMs on, a second thread helps the first load. */
export const PARALLEL_MIN_VMS = 20_000;

/** Whether a cache is large enough for a second thread to help load it (counts rows only). */
export function worthALoader(store: Store): boolean {
  return (store.db.prepare('SELECT count(*) AS n FROM vms').get() as { n: number }).n >= PARALLEL_MIN_VMS;
}

/** What the first frame of the VMs view needs besides the VM rows: names, owners, manual data. */
const VM_PARTS: readonly Table[] = ['sources', 'owners', 'vm_manual', 'vm_tags', 'vm_manual_ips', 'vm_custom_fields'];
const NOT_VMS: readonly Table[] = TABLES.filter((t) => t !== 'vms');
/** The rest, in steps of roughly equal cost (topology, then port groups, then history). */
const REST_STEPS: readonly Table[][] = [
  ['datacenters', 'clusters', 'hosts', 'datastore_clusters', 'datastores', 'switches'],
  ['networks', 'vmkernel_adapters'],
  ['alarms', 'events', 'changes', 'sync_runs', 'host_samples'],
];

export interface LoadOptions {
  /** From this many VM rows on, a second thread opens rows too. */
  minVms?: number;
  /** A load thread started earlier (see VmLoader). */
  loader?: VmLoader;
  /** VM rows per chunk the two threads take turns on. */
  chunk?: number;
  /** Whether the VM snapshot may be used (false: every row is opened). */
  snapshot?: boolean;
  /** Leave topology, alarms and history for loadRestStep(), after the first frame. */
  deferRest?: boolean;
}

/** Rows per read on the first load: each chunk is opened, reduced and dropped before the next. */
const LOAD_CHUNK = 4096;

export class LiveModel extends EventEmitter<{ change: [ChangedTables]; tampered: [TamperedRowError[]]; 'key-changed': [] }> {
  readonly sources = new Map<number, string>();
  readonly owners = new Map<number, OwnerEntry>();
  readonly vms = new Map<number, VmView>();
  readonly datacenters = new Map<number, Obj<DatacenterRecord>>();
  readonly clusters = new Map<number, Obj<ClusterRecord>>();
  readonly hosts = new Map<number, Obj<HostRecord>>();
  readonly datastoreClusters = new Map<number, Obj<DatastoreClusterRecord>>();
  readonly datastores = new Map<number, Obj<DatastoreRecord>>();
  readonly switches = new Map<number, Obj<SwitchRecord>>();
  readonly networks = new Map<number, Obj<PortgroupRecord>>();
  readonly vmkernels = new Map<number, Obj<VmkernelRecord>>();
  readonly alarms = new Map<number, Obj<AlarmRecord>>();
  readonly events = new Map<number, Obj<EventRecord>>();
  /** The newest changes of the history window (CHANGES_KEPT), oldest first. */
  readonly changes = new Map<number, ChangeEntry>();
  /** Changes in the history window per minute (minute: time / 60,000, rounded down). */
  readonly changeMinutes = new Map<number, number>();
  readonly syncRuns = new Map<number, SyncRunEntry>();
  /** The latest sample of each host, by host id (history stays in the cache). */
  readonly samples = new Map<number, SampleEntry>();
  readonly tampered: TamperedRowError[] = [];
  /** Bumped on every applied batch: a cheap memo key for derived views. */
  version = 0;

  /**
   * The synced view of VMs that have manual data (`vms` holds the view with it applied). For
   * the others, most of 100,000, `vms` holds the synced view itself. Fresh views from rows wait
   * here until rebuildVm() puts them where they belong.
   */
  private synced = new Map<number, VmView>();
  private intern = interner();
  private manual = new Map<number, { doc: ManualDoc; tech: number | null; bus: number | null }>();
  // Per-VM rows of the small manual tables, by VM id then row id; rowVm finds a row's VM on delete.
  private tags = new Map<number, Map<number, string>>();
  private ips = new Map<number, Map<number, ManualIp>>();
  private fields = new Map<number, Map<number, { key: string; value: string }>>();
  private rowVm = new Map<string, number>();
  private lastSeq = 0;
  /** changeMinutes counts rows up to this seq from a query; later ones as they are applied. */
  private countedSeq = -1;
  /** Tables left for after the first frame, read as of the first load's seq. */
  private rest: { upTo: number; steps: Table[][] } | null = null;
  private keyStale = false;
  private dataVersion = -1;
  private timer: NodeJS.Timeout | null = null;

  private readonly changesKept: number;
  private readonly eventsKept: number;

  constructor(private readonly store: Store, kept: { changes?: number; events?: number } = {}) {
    super();
    this.changesKept = kept.changes ?? CHANGES_KEPT;
    this.eventsKept = kept.events ?? EVENTS_KEPT;
  }

  /** Reads everything once. */
  load(): void {
    this.apply(0, this.store.currentSeq());
  }

  /**
   * Reads everything once. VMs come from the snapshot when there is one (only rows that changed
   * since are opened); otherwise a second thread opens VM rows too: both take chunks of VM rows
   * from one shared counter until none are left. Small caches, or a thread that cannot start,
   * are read here alone.
   */
  async loadParallel(opts: LoadOptions = {}): Promise<void> {
    const { minVms = PARALLEL_MIN_VMS, loader, chunk = LOAD_CHUNK, snapshot = true, deferRest = false } = opts;
    // A load thread read the rows' seqs and the sealed snapshot while the key was being derived;
    // everything here is then read as of the same seq.
    const pre = loader ? await loader.ready() : null;
    const upTo = pre?.seqAt ?? this.store.currentSeq();
    const rows = snapshot && pre?.snapshot && pre.ids && pre.seqs ? new RowSeqs(pre.ids, pre.seqs) : null;
    // The thread opens the snapshot part by part; each part is taken as it arrives (the
    // callbacks run once this thread waits below, after the tables VM views are made of).
    const seen = new Set<number>();
    const touched = new Set<number>();
    const opened = rows ? loader!.openSnapshot(new Uint8Array(this.store.key.exportRaw()), (part, bytes) => {
      seen.add(part);
      if (!bytes) this.report([new TamperedRowError('vm_snapshot', part)]);
      else this.takePart(bytes, rows);
    }, (m) => {
      // The rows that changed since the snapshot, opened by the thread too.
      for (const v of unpackSynced(m.packed, (id) => this.sources.get(id) ?? '?', this.intern)) {
        rows.take(v.id, v.seq);
        this.synced.set(v.id, v);
        touched.add(v.id);
      }
      for (const [, key] of m.tampered) rows.take(Number(key), rows.get(Number(key)));
      this.report(m.tampered.map(([table, key]) => new TamperedRowError(table, key)));
    }) : null;
    // Names, owners and manual data first; the other tables now or, deferred, in steps.
    this.apply(0, upTo, 0, 0, deferRest ? VM_PARTS : NOT_VMS);
    if (deferRest) this.rest = { upTo, steps: REST_STEPS.slice() };
    const owners = new Set<number>();
    const put = (row: Cols & { id: number; doc: unknown }) => this.put('vms', row.id, row.doc, row, touched, owners);
    let rest: number[] | null = null;
    if (opened && rows) {
      if (!(await opened)) {
        // The thread failed on the way: the parts it did not send are opened here.
        this.takeSealed(rows, (part) => !seen.has(part));
      }
      rest = rows.rest();
    } else if (!pre && snapshot) rest = this.snapshotHere(upTo);
    if (rest) {
      loader?.cancel();
      this.readVms(rest, upTo, put);
    } else await this.readAllVms(upTo, minVms, loader, chunk, touched, put);
    for (const id of touched) this.rebuildVm(id);
    this.version++;
  }

  /**
   * Reads one step of the tables a loadParallel({ deferRest }) left for after the first frame;
   * true while more is left.
   */
  loadRestStep(): boolean {
    const r = this.rest;
    if (!r) return false;
    const tables = r.steps.shift();
    if (!r.steps.length) this.rest = null;
    if (tables) {
      const last = this.lastSeq;
      this.apply(0, r.upTo, 0, 0, tables);
      this.lastSeq = last;
    }
    return this.rest !== null;
  }

  /** Reads whatever the first load left for later (before anything newer is applied). */
  finishLoad(): void {
    while (this.loadRestStep());
  }

  private hasManual(id: number): boolean {
    return this.manual.has(id) || this.tags.has(id) || this.ips.has(id) || this.fields.has(id);
  }

  /** Reads the snapshot on this thread; returns the ids of the rows to open, or null when it is not worth it. */
  private snapshotHere(upTo: number): number[] | null {
    const r = readRowSeqs(this.store, upTo);
    if (!snapshotWorth(this.store, r)) return null;
    const rows = new RowSeqs(r.ids, r.seqs);
    this.takeSealed(rows, () => true);
    return rows.rest();
  }

  /** Opens the snapshot parts `want` accepts, here, and takes their VMs. */
  private takeSealed(rows: RowSeqs, want: (part: number) => boolean): void {
    const { parts, tampered } = openSnapshotRows(this.store, sealedSnapshot(this.store).filter(([part]) => want(part)));
    this.report(tampered);
    for (const p of parts) this.takePart(p.bytes, rows);
  }

  /**
   * Takes the VMs of one opened snapshot part whose rows still have the seq it recorded, and
   * marks them in `rows` (the rows left unmarked are opened instead).
   */
  private takePart(bytes: Uint8Array, rows: RowSeqs): void {
    const packed = decodePacked(bytes);
    if (!packed) return; // its VMs are read from their rows
    const ids = packed.num[PACKED_ID]!, sq = packed.num[PACKED_SEQ]!;
    const keep = (i: number) => rows.take(ids[i]!, sq[i]!);
    for (const v of unpackSynced(packed, (id) => this.sources.get(id) ?? '?', this.intern, keep)) {
      // Most VMs have no manual data: their view is the synced one. (In the part's order, which
      // is the name order: the first sort of the list then merges sorted runs.)
      if (this.hasManual(v.id)) {
        this.synced.set(v.id, v);
        this.rebuildVm(v.id);
      } else this.vms.set(v.id, v);
    }
  }

  /** Opens the given VM rows (ascending ids). */
  private readVms(ids: number[], upTo: number, put: (row: Cols & { id: number; doc: unknown }) => void): void {
    this.report(eachVmRow<Cols>(this.store, ids, upTo, put));
  }

  /** Opens every VM row, with the help of a load thread from minVms rows on. */
  private async readAllVms(upTo: number, minVms: number, loader: VmLoader | undefined, chunk: number, touched: Set<number>,
    put: (row: Cols & { id: number; doc: unknown }) => void): Promise<void> {
    const { n, lo, hi } = this.store.db.prepare('SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM vms').get() as { n: number; lo: number; hi: number };
    if (n === 0) return void loader?.cancel();
    // Chunks by id range: VM ids are mostly dense, and a range with no rows costs one query.
    const bounds: number[] = [];
    for (let id = lo; id <= hi; id += chunk) bounds.push(id);
    bounds.push(hi + 1);
    const chunks = bounds.length - 1;
    const readChunk = (k: number) => this.report(this.store.each<unknown, Cols>('vms', 'WHERE id >= ? AND id < ? AND seq <= ? ORDER BY id', [bounds[k], bounds[k + 1], upTo], 'id', put).tampered);
    if (n < minVms) {
      loader?.cancel();
      for (let k = 0; k < chunks; k++) readChunk(k);
      return;
    }
    const next = new Int32Array(new SharedArrayBuffer(4));
    const l = loader ?? new VmLoader(this.store.file);
    l.start({ key: new Uint8Array(this.store.key.exportRaw()), bounds: Float64Array.from(bounds), upTo, next, sources: [...this.sources] });
    for (let k = Atomics.add(next, 0, 1); k < chunks; k = Atomics.add(next, 0, 1)) readChunk(k);
    const received = await l.results();
    if (!received) {
      // The thread failed: whatever it took is read here again.
      for (let k = 0; k < chunks; k++) readChunk(k);
      return;
    }
    for (const m of received) {
      if (m.type !== 'vms') continue;
      for (const v of unpackSynced(m.packed, (id) => this.sources.get(id) ?? '?', this.intern)) {
        this.synced.set(v.id, v);
        touched.add(v.id);
      }
      this.report(m.tampered.map(([table, key]) => new TamperedRowError(table, key)));
    }
  }

  private report(tampered: TamperedRowError[]): void {
    if (!tampered.length) return;
    this.tampered.push(...tampered);
    this.emit('tampered', tampered);
  }

  private historyReported = new Set<string>();

  /** Picks up rows committed since the last call; returns whether anything changed. */
  poll(force = false): boolean {
    // Rows newer than the first load must not be applied before the older ones it left for later.
    this.finishLoad();
    const dv = this.store.db.pragma('data_version', { simple: true }) as number;
    if (!force && dv === this.dataVersion) return false;
    this.dataVersion = dv;
    // After a re-key by another process new rows are sealed with a key this process lacks:
    // reading them would only report them as tampered. Say so once; the screen asks to unlock.
    if (!this.store.keyIsCurrent()) {
      if (!this.keyStale) this.emit('key-changed');
      this.keyStale = true;
      return false;
    }
    this.keyStale = false;
    const seq = this.store.currentSeq();
    if (seq === this.lastSeq) return false;
    const applied = this.apply(this.lastSeq);
    const now = Date.now();
    if (now - this.prunedAt >= 60_000) {
      this.prunedAt = now;
      this.pruneHistory(now);
    }
    return applied;
  }

  private prunedAt = 0;

  /**
   * Drops changes and events that left the history window (polls do, once a minute): a screen
   * left open for weeks keeps 8 days of them, not everything since it was opened.
   */
  pruneHistory(now = Date.now()): void {
    const since = now - HISTORY_MS;
    let dropped = 0;
    // Both arrive in about time order: stop at the first entry still inside the window.
    for (const [id, c] of this.changes) {
      if (c.time >= since) break;
      this.changes.delete(id);
      dropped++;
    }
    for (const [id, e] of this.events) {
      if ((e.cols.created_at as number) >= since) break;
      this.events.delete(id);
      dropped++;
    }
    const first = Math.floor(since / MINUTE);
    for (const m of this.changeMinutes.keys()) {
      if (m >= first) continue;
      this.changeMinutes.delete(m);
      dropped++;
    }
    if (dropped) {
      this.version++;
      this.emit('change', { tables: new Set(['changes', 'events']), vms: 0 });
    }
  }

  /** Polls on a timer (the worker's "committed" messages call poll() directly as well). */
  start(intervalMs = 1000): void {
    this.timer ??= setInterval(() => this.poll(), intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Applies rows with after < seq <= upTo; on a first load only VMs with vmFrom <= id < vmBelow. */
  private apply(after: number, upTo = this.store.currentSeq(), vmBelow = Number.MAX_SAFE_INTEGER, vmFrom = Number.MIN_SAFE_INTEGER,
    tables: readonly Table[] = TABLES): boolean {
    const touched = new Set<Table>();
    const touchedVms = new Set<number>();
    const ownersTouched = new Set<number>();
    const since = Date.now() - HISTORY_MS;
    for (const table of tables) {
      const idCol = ID_COL[table] ?? 'id';
      let where = 'seq > ? AND seq <= ?';
      const params: unknown[] = [after, upTo];
      if (after === 0 && table === 'changes') {
        where += ' AND changed_at >= ? AND id >= ?';
        params.push(since, this.newestFrom('changes', 'changed_at', since, this.changesKept));
        this.countChanges(since, upTo);
      }
      if (after === 0 && table === 'events') {
        where += ' AND created_at >= ? AND id >= ?';
        params.push(since, this.newestFrom('events', 'created_at', since, this.eventsKept));
      }
      if (after === 0 && table === 'host_samples') {
        // Only each host's newest sample of the last day: backfilled history (a week per host
        // shown) stays in the cache for hostSamples().
        where += ' AND id IN (SELECT id FROM (SELECT id, max(sampled_at) FROM host_samples WHERE sampled_at >= ? AND seq <= ? GROUP BY host_id))';
        params.push(Date.now() - 24 * 3600 * 1000, upTo);
      }
      const put = (row: Cols & { id: number; doc: unknown }) => {
        touched.add(table);
        this.put(table, row.id, row.doc, row, touchedVms, ownersTouched);
      };
      const report = (tampered: TamperedRowError[]) => {
        if (!tampered.length) return;
        this.tampered.push(...tampered);
        this.emit('tampered', tampered);
      };
      if (after > 0) {
        // In chunks too: a resync after an hour away changes tens of thousands of VMs at once.
        for (let from = after; ;) {
          const r = this.store.each<unknown, Cols>(table, `WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ${LOAD_CHUNK}`, [from, upTo], idCol, put);
          report(r.tampered);
          if (r.seen < LOAD_CHUNK) break;
          // The chunk's last seq, tampered rows included (they reach no callback).
          from = (this.store.db.prepare(`SELECT max(seq) AS s FROM (SELECT seq FROM ${table} WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ${LOAD_CHUNK})`).get(from, upTo) as { s: number }).s;
        }
        continue;
      }
      // First load: in key order and in chunks, each row reduced as soon as it is opened, so that
      // 100,000 sealed rows and their documents are never all in memory at once.
      const below = table === 'vms' ? vmBelow : Number.MAX_SAFE_INTEGER;
      for (let last = table === 'vms' ? vmFrom - 1 : Number.MIN_SAFE_INTEGER; ;) {
        const r = this.store.each<unknown, Cols>(table, `WHERE ${idCol} > ? AND ${idCol} < ? AND ${where} ORDER BY ${idCol} LIMIT ${LOAD_CHUNK}`, [last, below, ...params], idCol, put);
        report(r.tampered);
        if (r.seen < LOAD_CHUNK) break;
        last = r.lastId;
      }
    }
    // Hard deletes (tags, custom fields) arrive as tombstones.
    for (const t of this.store.db.prepare('SELECT tbl, row_id FROM tombstones WHERE seq > ? AND seq <= ?').all(after, upTo) as { tbl: Table; row_id: number }[]) {
      touched.add(t.tbl);
      this.remove(t.tbl, t.row_id, touchedVms);
    }
    this.lastSeq = upTo;
    if (touched.has('changes')) trimOldest(this.changes, this.changesKept);
    if (touched.has('events')) trimOldest(this.events, this.eventsKept);
    if (touched.size === 0) return false;
    // A renamed source changes every VM of it; an edited owner only the VMs that owner has.
    if (touched.has('sources')) for (const id of this.vms.keys()) touchedVms.add(id);
    else if (ownersTouched.size) {
      for (const [vmId, m] of this.manual) {
        if ((m.tech !== null && ownersTouched.has(m.tech)) || (m.bus !== null && ownersTouched.has(m.bus))) touchedVms.add(vmId);
      }
    }
    for (const id of touchedVms) this.rebuildVm(id);
    this.version++;
    this.emit('change', { tables: touched, vms: touchedVms.size });
    return true;
  }

  private obj<T>(id: number, doc: unknown, cols: Cols): Obj<T> {
    const sourceId = (cols.source_id as number) ?? 0;
    return { id, seq: cols.seq as number, sourceId, source: this.sources.get(sourceId) ?? '?', deletedAt: (cols.deleted_at as number | null) ?? null, doc: doc as T, cols };
  }

  private put(table: Table, id: number, doc: any, cols: Cols, touchedVms: Set<number>, ownersTouched: Set<number>): void {
    switch (table) {
      case 'sources': this.sources.set(id, doc.name); break;
      case 'owners': this.owners.set(id, { ...doc, id }); ownersTouched.add(id); break;
      case 'vms':
        // The document is reduced to what lists, filters and search read, then dropped.
        // cols is the opened row itself (its doc included).
        this.synced.set(id, viewOfRow(cols as Opened<VmDoc, Cols>, (sid) => this.sources.get(sid) ?? '?', this.intern));
        touchedVms.add(id);
        break;
      case 'vm_manual':
        this.manual.set(id, { doc, tech: cols.technical_owner_id as number | null, bus: cols.business_owner_id as number | null });
        touchedVms.add(id);
        break;
      case 'vm_tags': this.putChild(this.tags, table, id, cols.vm_id as number, doc.tag, touchedVms); break;
      case 'vm_manual_ips': this.putChild(this.ips, table, id, cols.vm_id as number, doc, touchedVms); break;
      case 'vm_custom_fields': this.putChild(this.fields, table, id, cols.vm_id as number, { key: doc.key, value: doc.value }, touchedVms); break;
      case 'datacenters': this.datacenters.set(id, this.obj(id, doc, cols)); break;
      case 'clusters': this.clusters.set(id, this.obj(id, doc, cols)); break;
      case 'hosts': this.hosts.set(id, this.obj(id, doc, cols)); break;
      case 'datastore_clusters': this.datastoreClusters.set(id, this.obj(id, doc, cols)); break;
      case 'datastores': this.datastores.set(id, this.obj(id, doc, cols)); break;
      case 'switches': this.switches.set(id, this.obj(id, doc, cols)); break;
      case 'networks': this.networks.set(id, this.obj(id, doc, cols)); break;
      case 'vmkernel_adapters': this.vmkernels.set(id, this.obj(id, doc, cols)); break;
      case 'alarms': this.alarms.set(id, this.obj(id, doc, cols)); break;
      case 'events': this.events.set(id, this.obj(id, doc, cols)); break;
      case 'changes': {
        const c = this.changeEntry(id, doc, cols);
        this.changes.set(id, c);
        if ((cols.seq as number) > this.countedSeq) {
          const m = Math.floor(c.time / MINUTE);
          this.changeMinutes.set(m, (this.changeMinutes.get(m) ?? 0) + 1);
        }
        break;
      }
      case 'sync_runs':
        this.syncRuns.set(id, { id, sourceId: cols.source_id as number, startedAt: cols.started_at as number, finishedAt: (cols.finished_at as number | null) ?? null, ...doc });
        break;
      case 'host_samples': {
        const hostId = cols.host_id as number;
        const time = cols.sampled_at as number;
        if ((this.samples.get(hostId)?.time ?? -Infinity) <= time) this.samples.set(hostId, { hostId, time, cpuPct: doc.cpuPct, memPct: doc.memPct });
        break;
      }
    }
  }

  private putChild<T>(m: Map<number, Map<number, T>>, table: string, id: number, vmId: number, value: T, touchedVms: Set<number>): void {
    let rows = m.get(vmId);
    if (!rows) m.set(vmId, (rows = new Map()));
    rows.set(id, value);
    this.rowVm.set(`${table}:${id}`, vmId);
    touchedVms.add(vmId);
  }

  private remove(table: Table, id: number, touchedVms: Set<number>): void {
    const m = table === 'vm_tags' ? this.tags : table === 'vm_manual_ips' ? this.ips : table === 'vm_custom_fields' ? this.fields : null;
    const vmId = this.rowVm.get(`${table}:${id}`);
    if (!m || vmId === undefined) return;
    (m as Map<number, Map<number, unknown>>).get(vmId)?.delete(id);
    this.rowVm.delete(`${table}:${id}`);
    touchedVms.add(vmId);
  }

  private rebuildVm(id: number): void {
    let base = this.synced.get(id) ?? this.vms.get(id);
    if (!base) return;
    const source = this.sources.get(base.sourceId) ?? '?';
    if (base.source !== source) base = { ...base, source };
    const m = this.manual.get(id);
    const tagRows = this.tags.get(id);
    const ipRows = this.ips.get(id);
    const fieldRows = this.fields.get(id);
    if (!m && !tagRows?.size && !ipRows?.size && !fieldRows?.size) {
      this.synced.delete(id);
      this.vms.set(id, base);
      return;
    }
    this.synced.set(id, base);
    const ref = (oid: number | null | undefined): OwnerRef | undefined => {
      const o = oid ? this.owners.get(oid) : undefined;
      return o ? { id: o.id, name: o.fullName, email: o.email } : undefined;
    };
    const customFields: Record<string, string> = {};
    for (const f of fieldRows?.values() ?? []) customFields[f.key] = f.value;
    this.vms.set(id, withManual(base, {
      manual: m?.doc, technicalOwner: ref(m?.tech), businessOwner: ref(m?.bus),
      tags: [...(tagRows?.values() ?? [])], manualIps: [...(ipRows?.values() ?? [])], customFields,
    }));
  }

  private changeEntry(id: number, doc: any, cols: Cols): ChangeEntry {
    return {
      id, sourceId: cols.source_id as number, source: this.sources.get(cols.source_id as number) ?? '?', runId: (cols.sync_run_id as number | null) ?? null,
      table: cols.object_table as string, objectId: cols.object_id as number, time: cols.changed_at as number, ...doc,
    };
  }

  /** The smallest id among the newest `keep` rows since `since` (0 when there are fewer). */
  private newestFrom(table: 'changes' | 'events', timeCol: string, since: number, keep: number): number {
    const r = this.store.db.prepare(`SELECT id FROM ${table} WHERE ${timeCol} >= ? ORDER BY id DESC LIMIT 1 OFFSET ?`).get(since, keep - 1) as { id: number } | undefined;
    return r?.id ?? 0;
  }

  /** Counts the window's changes per minute from the plain time column (nothing to open). */
  private countChanges(since: number, upTo: number): void {
    this.changeMinutes.clear();
    const rows = this.store.db.prepare('SELECT changed_at / 60000 AS m, count(*) AS n FROM changes WHERE changed_at >= ? AND seq <= ? GROUP BY m').all(since, upTo) as { m: number; n: number }[];
    for (const r of rows) this.changeMinutes.set(r.m, r.n);
    this.countedSeq = upTo;
  }

  /** Changes in the history window (the change table holds the newest CHANGES_KEPT of them). */
  get changesInWindow(): number {
    let n = 0;
    for (const c of this.changeMinutes.values()) n += c;
    return n;
  }

  /** A VM's changes, newest first, read from the cache (the model holds only the newest of all). */
  vmHistory(vmId: number, limit = 500): ChangeEntry[] {
    return this.objectHistory('vms', vmId, limit);
  }

  /** An object's whole change history (hosts, datastores...), newest first, read from the cache. */
  objectHistory(table: string, id: number, limit = 500): ChangeEntry[] {
    const out: ChangeEntry[] = [];
    const { tampered } = this.store.each<unknown, Cols>('changes', 'WHERE object_table = ? AND object_id = ? ORDER BY id DESC LIMIT ?', [table, id, limit], 'id',
      (row) => out.push(this.changeEntry(row.id, row.doc, row)));
    // The detail reads it again on every update: each bad row is reported once.
    this.report(tampered.filter((t) => {
      const k = String(t.rowKey);
      if (this.historyReported.has(k)) return false;
      this.historyReported.add(k);
      return true;
    }));
    return out;
  }

  /**
   * A host's samples since `sinceMs`, oldest first, read from the cache: only that host's rows
   * in the window are opened (index host_samples(host_id, sampled_at)).
   */
  hostSamples(hostId: number, sinceMs: number): { time: number; cpuPct: number; memPct: number }[] {
    const out: { time: number; cpuPct: number; memPct: number }[] = [];
    const { tampered } = this.store.each<{ cpuPct: number; memPct: number }, Cols>('host_samples', 'WHERE host_id = ? AND sampled_at >= ? ORDER BY sampled_at, id',
      [hostId, sinceMs], 'id', (row) => out.push({ time: row.sampled_at as number, cpuPct: row.doc.cpuPct, memPct: row.doc.memPct }));
    this.report(tampered.filter((t) => {
      const k = `host_samples:${String(t.rowKey)}`;
      if (this.historyReported.has(k)) return false;
      this.historyReported.add(k);
      return true;
    }));
    return out;
  }

  /** A VM's whole synced document (NICs, disks, annotation...), read from the cache on demand. */
  vmDoc(id: number): VmDoc | undefined {
    return this.store.readOne<VmDoc>('vms', id)?.doc;
  }
}

/** Drops the oldest entries (first in the map) beyond `keep`. */
function trimOldest(m: Map<number, unknown>, keep: number): void {
  for (const id of m.keys()) {
    if (m.size <= keep) break;
    m.delete(id);
  }
}

export interface ChangedTables {
  tables: Set<string>;
  vms: number;
}
