import { createHash } from 'node:crypto';
// Writes what a source yielded into the cache: new, changed, deleted and reappeared objects, one
// change row per changed field, one sync run per retrieval. Unchanged objects are not written at
// all, so a second sync of an unchanged estate touches no inventory row.
import { emptyInventory, type AlarmRecord, type EventRecord, type HostRecord, type HostSampleRecord, type Inventory, type Platform, type VmRecord } from '../model/records.js';
import type { Store, WriteTx } from '../store/store.js';
import { ensureSource } from '../store/inventory.js';
import { readSourceInfo, type SourceInfoDoc } from '../store/sourceinfo.js';
import { newSamples } from '../model/history.js';
import { diffFlat, flattenDatastore, flattenHost, flattenPortgroup, flattenVm, type ChangeType, type FieldChange } from './diff.js';

export interface SourceRef {
  name: string;
  platform: Platform;
  url?: string;
}

interface Known {
  id: number;
  /** SHA-1 of the sealed document's JSON ('' when the row could not be opened): keeping a digest
   * rather than the JSON saves ~1 KB per VM; the old document is read back only when it changed. */
  digest: string;
  deleted: boolean;
  ref: string;
}

type Rec = { ref: string; name?: string } & Record<string, unknown>;
type Flat = ReturnType<typeof flattenVm>;
interface Spec { table: TableName; key: keyof Inventory; flatten?: (r: any) => Flat }

function digestOf(json: string): string {
  return createHash('sha1').update(json).digest('base64');
}

function mapOf(m: Map<string, Map<string, number>>, k: string): Map<string, number> {
  let x = m.get(k);
  if (!x) m.set(k, (x = new Map()));
  return x;
}

function emptyResult(runId: number, firstSync: boolean): ApplyResult {
  return { runId, counts: {}, changes: 0, alarms: { active: 0, cleared: 0 }, events: 0, samples: 0, firstSync };
}

/** Inventory tables written by a sync, in dependency order, with what they compare. */
type TableName = 'datacenters' | 'clusters' | 'hosts' | 'datastore_clusters' | 'datastores' | 'switches' | 'networks' | 'vmkernel_adapters' | 'vms';

const OBJECT_TABLES: Spec[] = [
  { table: 'datacenters', key: 'datacenters' },
  { table: 'clusters', key: 'clusters' },
  { table: 'hosts', key: 'hosts', flatten: flattenHost },
  { table: 'datastore_clusters', key: 'datastoreClusters' },
  { table: 'datastores', key: 'datastores', flatten: flattenDatastore },
  { table: 'switches', key: 'switches' },
  { table: 'networks', key: 'portgroups', flatten: flattenPortgroup },
  { table: 'vmkernel_adapters', key: 'vmkernels' },
  { table: 'vms', key: 'vms', flatten: flattenVm },
];

export interface TableCounts {
  added: number;
  changed: number;
  deleted: number;
  reappeared: number;
  unchanged: number;
}

export interface ApplyResult {
  runId: number;
  counts: Record<string, TableCounts>;
  changes: number;
  alarms: { active: number; cleared: number };
  events: number;
  samples: number;
  firstSync: boolean;
}

/** Host samples are kept a day longer than the longest trend window (a week), so it is always full. */
export const SAMPLE_RETENTION_MS = 8 * 24 * 3600 * 1000;

/**
 * Keeps, per source, the sealed state last written (by blind key), so repeated syncs compare
 * against memory instead of decrypting the whole source again.
 */
export class SourceWriter {
  readonly sourceId: number;
  private known = new Map<TableName, Map<string, Known>>();
  private loaded = false;
  // Row ids by record ref and by name, per table, from the last writes: foreign keys of later records.
  private refs = new Map<string, Map<string, number>>();
  private names = new Map<string, Map<string, number>>();

  constructor(private readonly store: Store, readonly source: SourceRef) {
    this.sourceId = store.write((tx) => ensureSource(store, tx, source));
  }

  private load(): void {
    if (this.loaded) return;
    for (const { table } of OBJECT_TABLES) {
      const m = new Map<string, Known>();
      // Row by row: a source's 40,000 sealed documents are never all in memory at once.
      const rows = this.store.db.prepare(`SELECT id, nkey, deleted_at, doc FROM ${table} WHERE source_id = ?`).iterate(this.sourceId) as
        IterableIterator<{ id: number; nkey: Buffer; deleted_at: number | null; doc: Buffer }>;
      for (const r of rows) {
        let digest = '';
        let ref = '';
        try {
          const doc = this.store.key.open<{ ref: string }>(table, r.id, r.doc);
          digest = digestOf(JSON.stringify(doc));
          ref = doc.ref;
        } catch {
          // A tampered row: left as is; the next sync of its object rewrites it.
        }
        m.set(r.nkey.toString('hex'), { id: r.id, digest, deleted: r.deleted_at !== null, ref });
      }
      this.known.set(table, m);
    }
    this.loaded = true;
  }

  /** Forget the in-memory state (after a re-key, or when another process wrote this source). */
  reset(): void {
    this.infoDigest = undefined;
    this.known.clear();
    this.loaded = false;
  }

  private succeeded = false;

  /** Whether this source ever finished a sync: the first one records no "created" changes. */
  private hadSuccessfulRun(): boolean {
    if (this.succeeded) return true;
    const rows = this.store.db.prepare('SELECT id, doc FROM sync_runs WHERE source_id = ? AND finished_at IS NOT NULL ORDER BY id DESC').iterate(this.sourceId) as IterableIterator<{ id: number; doc: Buffer }>;
    for (const x of rows) {
      if (this.store.key.open<{ status: string }>('sync_runs', x.id, x.doc).status === 'ok') {
        this.succeeded = true;
        break;
      }
    }
    return this.succeeded;
  }

  /** VMs seen by this source's last successful full sync (0: none yet). */
  lastVmCount(): number {
    const rows = this.store.db.prepare('SELECT id, doc FROM sync_runs WHERE source_id = ? AND finished_at IS NOT NULL ORDER BY id DESC').iterate(this.sourceId) as IterableIterator<{ id: number; doc: Buffer }>;
    for (const x of rows) {
      const run = this.store.key.open<{ kind?: string; status: string; vmCountSeen?: number }>('sync_runs', x.id, x.doc);
      if (run.kind === 'full' && run.status === 'ok') return run.vmCountSeen ?? 0;
    }
    return 0;
  }

  /** When this source's last successful run finished (ms), or null. */
  lastRunAt(): number | null {
    const rows = this.store.db.prepare('SELECT id, finished_at, doc FROM sync_runs WHERE source_id = ? AND finished_at IS NOT NULL ORDER BY id DESC').iterate(this.sourceId) as IterableIterator<{ id: number; finished_at: number; doc: Buffer }>;
    for (const x of rows) {
      if (this.store.key.open<{ status: string }>('sync_runs', x.id, x.doc).status === 'ok') return x.finished_at;
    }
    return null;
  }

  startRun(kind: 'full' | 'live' | 'ingest' = 'full'): number {
    return this.store.write((tx) => tx.insert('sync_runs', { source_id: this.sourceId, started_at: tx.now },
      { platform: this.source.platform, source: this.source.name, kind, status: 'running' }));
  }

  failRun(runId: number, reason: string, message: string): void {
    this.store.write((tx) => tx.update('sync_runs', runId, { finished_at: tx.now },
      { platform: this.source.platform, source: this.source.name, status: 'failed', reason, error: message }));
  }

  /**
   * Applies one complete retrieval. Objects missing from it are marked deleted (never purged);
   * callers only pass a retrieval that finished, so a partial one can never delete anything.
   */
  applyFull(inv: Inventory, runId: number, startedAt: number, opts: { tables?: Set<keyof Inventory> } = {}): ApplyResult {
    this.load();
    const firstSync = !this.hadSuccessfulRun();
    const result = emptyResult(runId, firstSync);
    this.store.write((tx) => {
      this.refs.clear();
      this.names.clear();
      for (const spec of OBJECT_TABLES) {
        // A list the retrieval does not cover (an ingest document without hosts) is left alone.
        if (opts.tables && !opts.tables.has(spec.key)) continue;
        const records = inv[spec.key] as unknown as Rec[];
        const seen = new Set<string>();
        for (const rec of records) this.writeRecord(tx, spec, rec, runId, result, firstSync, seen);
        for (const [hex, k] of this.known.get(spec.table)!) {
          if (!seen.has(hex) && !k.deleted) this.markDeleted(tx, spec, k, runId, result);
        }
      }
      this.applyInfo(tx, inv);
      this.applyAlarms(tx, inv, result);
      this.applyEvents(tx, inv, result);
      this.applySamples(tx, inv, this.refs.get('hosts') ?? new Map(), result);
      tx.update('sync_runs', runId, { finished_at: tx.now }, {
        platform: this.source.platform, source: this.source.name, kind: 'full', status: 'ok', startedAt,
        counts: result.counts, changes: result.changes, vmCountSeen: inv.vms.length,
      });
    });
    this.succeeded = true;
    return result;
  }

  /**
   * Applies live updates between full syncs (WaitForUpdatesEx, demo ticks): changed or new VMs
   * and hosts as whole records, and the refs of VMs that left the source.
   */
  applyLive(update: { vms: VmRecord[]; hosts?: HostRecord[]; removedVms?: string[]; events?: EventRecord[]; samples?: HostSampleRecord[] }, runId: number): ApplyResult {
    this.load();
    const result = emptyResult(runId, false);
    this.store.write((tx) => {
      const hostSpec = OBJECT_TABLES.find((t) => t.table === 'hosts')!;
      const vmSpec = OBJECT_TABLES.find((t) => t.table === 'vms')!;
      for (const h of update.hosts ?? []) this.writeRecord(tx, hostSpec, h as unknown as Rec, runId, result, false, new Set());
      for (const v of update.vms) this.writeRecord(tx, vmSpec, v as unknown as Rec, runId, result, false, new Set());
      const gone = new Set(update.removedVms ?? []);
      if (gone.size) {
        for (const k of this.known.get('vms')!.values()) {
          if (!k.deleted && gone.has(k.ref)) this.markDeleted(tx, vmSpec, k, runId, result);
        }
      }
      const partial = { ...emptyInventory(), events: update.events ?? [], hostSamples: update.samples ?? [] };
      if (partial.events.length) this.applyEvents(tx, partial, result);
      if (partial.hostSamples.length) this.applySamples(tx, partial, this.refs.get('hosts') ?? new Map(), result);
    });
    return result;
  }

  /**
   * Writes the objects given (VMs, hosts, datastores, networks) and deletes nothing: an ingest
   * document marked partial. Closes the run.
   */
  applyPartial(inv: Inventory, runId: number): ApplyResult {
    this.load();
    const result = emptyResult(runId, false);
    this.store.write((tx) => {
      for (const spec of OBJECT_TABLES) {
        const records = inv[spec.key] as unknown as Rec[];
        const seen = new Set<string>();
        for (const rec of records) this.writeRecord(tx, spec, rec, runId, result, false, seen);
      }
      tx.update('sync_runs', runId, { finished_at: tx.now }, {
        platform: this.source.platform, source: this.source.name, kind: 'ingest', status: 'ok', counts: result.counts, changes: result.changes,
      });
    });
    this.succeeded = true;
    return result;
  }

  private writeRecord(tx: WriteTx, spec: Spec, rec: Rec, runId: number, result: ApplyResult, firstSync: boolean, seen: Set<string>): number | undefined {
    const counts = (result.counts[spec.table] ??= { added: 0, changed: 0, deleted: 0, reappeared: 0, unchanged: 0 });
    const known = this.known.get(spec.table)!;
    const nkey = this.store.nkey(spec.table, { source_id: this.sourceId }, rec);
    const hex = nkey.toString('hex');
    if (seen.has(hex)) return undefined; // the same object twice in one retrieval
    seen.add(hex);
    const fk = this.foreignKeys(spec.table, rec);
    const doc = spec.table === 'vms' ? { ...(rec as unknown as VmRecord), platform: this.source.platform } : rec;
    const digest = digestOf(JSON.stringify(doc));
    const prev = known.get(hex);
    let id: number;
    if (!prev) {
      id = tx.insert(spec.table, { source_id: this.sourceId, nkey, first_seen_at: tx.now, last_seen_at: tx.now, ...fk, ...this.extraCols(spec.table, tx, runId) }, doc);
      known.set(hex, { id, digest, deleted: false, ref: rec.ref });
      counts.added++;
      if (!firstSync && spec.flatten) result.changes += this.change(tx, runId, spec.table, id, rec.name, [{ type: 'created', field: 'object', old: null, new: rec.name ?? rec.ref }]);
      if (spec.table === 'datastores') this.writeMounts(tx, id, rec as unknown as { hosts: string[] });
    } else {
      id = prev.id;
      const changed = prev.digest !== digest;
      if (changed || prev.deleted) {
        const fields: FieldChange[] = [];
        if (prev.deleted) fields.push({ type: 'reappeared', field: 'object', old: 'deleted', new: 'present' });
        if (changed && spec.flatten && prev.digest) {
          const old = this.previousDoc(spec.table, id); // read before the update below replaces it
          if (old) fields.push(...diffFlat(spec.flatten(old), spec.flatten(rec)));
        }
        tx.update(spec.table, id, { last_seen_at: tx.now, deleted_at: null, ...fk, ...this.extraCols(spec.table, tx, runId) }, doc);
        if (spec.flatten) result.changes += this.change(tx, runId, spec.table, id, rec.name, fields);
        if (prev.deleted) counts.reappeared++;
        else counts.changed++;
        known.set(hex, { id, digest, deleted: false, ref: rec.ref });
        if (spec.table === 'datastores' && changed) this.writeMounts(tx, id, rec as unknown as { hosts: string[] });
      } else {
        counts.unchanged++;
      }
    }
    mapOf(this.refs, spec.table).set(rec.ref, id);
    if (rec.name) mapOf(this.names, spec.table).set(rec.name, id);
    return id;
  }

  /** The document as stored now (before this write), for the field diff of a changed object. */
  private previousDoc<T = Record<string, unknown>>(table: string, id: number): T | undefined {
    const r = this.store.db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).get(id) as { doc: Buffer } | undefined;
    if (!r) return undefined;
    try {
      return this.store.key.open<T>(table, id, r.doc);
    } catch {
      return undefined;
    }
  }

  private markDeleted(tx: WriteTx, spec: Spec, k: Known, runId: number, result: ApplyResult): void {
    const counts = (result.counts[spec.table] ??= { added: 0, changed: 0, deleted: 0, reappeared: 0, unchanged: 0 });
    tx.update(spec.table, k.id, { deleted_at: tx.now });
    k.deleted = true;
    counts.deleted++;
    if (spec.flatten) {
      const name = k.digest ? this.previousDoc<{ name?: string }>(spec.table, k.id)?.name : undefined;
      result.changes += this.change(tx, runId, spec.table, k.id, name, [{ type: 'deleted', field: 'object', old: 'present', new: 'deleted' }]);
    }
  }

  private extraCols(table: string, tx: WriteTx, runId: number): Record<string, unknown> {
    return table === 'vms' ? { fact_updated_at: tx.now, last_sync_run_id: runId } : {};
  }

  private foreignKeys(table: string, rec: Record<string, unknown>): Record<string, unknown> {
    const name = (t: string, n: unknown) => (typeof n === 'string' ? this.names.get(t)?.get(n) ?? null : null);
    const ref = (t: string, r: unknown) => (typeof r === 'string' ? this.refs.get(t)?.get(r) ?? null : null);
    switch (table) {
      case 'clusters': return { datacenter_id: name('datacenters', rec.datacenter) };
      case 'hosts': return { cluster_id: name('clusters', rec.cluster) };
      case 'datastores': return { datastore_cluster_id: name('datastore_clusters', rec.datastoreCluster) };
      case 'switches': return { host_id: name('hosts', rec.host) };
      case 'networks': return { switch_id: ref('switches', rec.switchRef) ?? name('switches', rec.switch) };
      case 'vmkernel_adapters': return { host_id: name('hosts', rec.host) };
      case 'vms': return { host_id: ref('hosts', rec.hostRef) ?? name('hosts', rec.host), cluster_id: name('clusters', rec.cluster) };
      default: return {};
    }
  }

  private writeMounts(tx: WriteTx, dsId: number, rec: { hosts: string[] }): void {
    const db = this.store.db;
    db.prepare('DELETE FROM datastore_mounts WHERE datastore_id = ?').run(dsId);
    const ins = db.prepare('INSERT OR IGNORE INTO datastore_mounts(datastore_id, host_id, seq) VALUES (?, ?, ?)');
    for (const h of rec.hosts) {
      const hostId = this.names.get('hosts')?.get(h);
      if (hostId) ins.run(dsId, hostId, tx.nextSeq());
    }
  }

  private change(tx: WriteTx, runId: number, table: string, objectId: number, name: string | undefined, fields: FieldChange[]): number {
    for (const f of fields) {
      tx.insert('changes', { source_id: this.sourceId, sync_run_id: runId, object_table: table, object_id: objectId, changed_at: tx.now },
        { type: f.type satisfies ChangeType, field: f.field, old: f.old, new: f.new, name });
    }
    return fields.length;
  }

  /** The source's identity, licenses and resource pools: rewritten only when they changed. */
  private applyInfo(tx: WriteTx, inv: Inventory): void {
    if (!inv.about && !inv.licenses && !inv.resourcePools) return;
    const doc: SourceInfoDoc = { about: inv.about ?? {}, licenses: inv.licenses ?? [], resourcePools: inv.resourcePools ?? [] };
    const digest = digestOf(JSON.stringify(doc));
    if (this.infoDigest === undefined) {
      const old = readSourceInfo(this.store, this.sourceId);
      this.infoDigest = old ? digestOf(JSON.stringify(old)) : '';
    }
    if (digest === this.infoDigest) return;
    tx.put('source_info', 'source_id', this.sourceId, { updated_at: tx.now }, doc);
    this.infoDigest = digest;
  }

  private infoDigest: string | undefined;

  private applyAlarms(tx: WriteTx, inv: Inventory, result: ApplyResult): void {
    const db = this.store.db;
    const active = new Map((db.prepare('SELECT id, nkey FROM alarms WHERE source_id = ? AND cleared_at IS NULL').all(this.sourceId) as { id: number; nkey: Buffer }[])
      .map((r) => [r.nkey.toString('hex'), r.id]));
    // An alarm that stays triggered can still change severity or be acknowledged.
    const activeDocs = active.size ? new Map(this.store.read<AlarmRecord>('alarms', 'WHERE source_id = ? AND cleared_at IS NULL', [this.sourceId]).rows.map((r) => [r.id, r.doc])) : new Map<number, AlarmRecord>();
    const seen = new Set<string>();
    for (const a of inv.alarms) {
      const nkey = this.store.nkey('alarms', { source_id: this.sourceId }, a as unknown as Record<string, unknown>);
      const hex = nkey.toString('hex');
      seen.add(hex);
      result.alarms.active++;
      const id = active.get(hex);
      if (id !== undefined) {
        const was = activeDocs.get(id);
        if (was && (was.status !== a.status || !!was.acknowledged !== !!a.acknowledged || was.alarm !== a.alarm)) tx.update('alarms', id, {}, a);
        continue;
      }
      const existing = db.prepare('SELECT id FROM alarms WHERE nkey = ?').get(nkey) as { id: number } | undefined;
      const t = Date.parse(a.time) || tx.now;
      if (existing) tx.update('alarms', existing.id, { triggered_at: t, cleared_at: null }, a);
      else tx.insert('alarms', { source_id: this.sourceId, nkey, triggered_at: t }, a);
    }
    for (const [hex, id] of active) {
      if (seen.has(hex)) continue;
      tx.update('alarms', id, { cleared_at: tx.now });
      result.alarms.cleared++;
    }
  }

  private applyEvents(tx: WriteTx, inv: Inventory, result: ApplyResult): void {
    const exists = this.store.db.prepare('SELECT 1 FROM events WHERE nkey = ?');
    for (const e of inv.events) {
      const nkey = this.store.nkey('events', { source_id: this.sourceId }, e as unknown as Record<string, unknown>);
      if (exists.get(nkey)) continue;
      tx.insert('events', { source_id: this.sourceId, nkey, created_at: Date.parse(e.time) || tx.now }, e);
      result.events++;
    }
  }

  private applySamples(tx: WriteTx, inv: Inventory, hostIds: Map<string, number>, result: ApplyResult): void {
    for (const s of inv.hostSamples) {
      const hostId = hostIds.get(s.host);
      if (!hostId) continue;
      tx.insert('host_samples', { host_id: hostId, sampled_at: Date.parse(s.time) || tx.now }, { cpuPct: s.cpuPct, memPct: s.memPct });
      result.samples++;
    }
    this.store.db.prepare('DELETE FROM host_samples WHERE sampled_at < ? AND host_id IN (SELECT id FROM hosts WHERE source_id = ?)').run(tx.now - SAMPLE_RETENTION_MS, this.sourceId);
  }

  /** The times of a host's samples since `since` (ascending), or null for a host not in the cache. */
  hostSampleTimes(hostRef: string, since: number): number[] | null {
    const id = this.hostId(hostRef);
    if (id === undefined) return null;
    return (this.store.db.prepare('SELECT sampled_at AS t FROM host_samples WHERE host_id = ? AND sampled_at >= ? ORDER BY sampled_at').all(id, since) as { t: number }[]).map((r) => r.t);
  }

  private hostId(hostRef: string): number | undefined {
    const nkey = this.store.nkey('hosts', { source_id: this.sourceId }, { ref: hostRef });
    return (this.store.db.prepare('SELECT id FROM hosts WHERE nkey = ? AND deleted_at IS NULL').get(nkey) as { id: number } | undefined)?.id;
  }

  /**
   * Stores a host's history from a backfill: only samples inside the retention window, and none
   * closer than half an interval to one already stored (see newSamples). Returns how many were
   * stored; an unknown or deleted host stores none.
   */
  storeHistory(hostRef: string, samples: HostSampleRecord[], intervalS: number): number {
    const hostId = this.hostId(hostRef);
    if (hostId === undefined || !samples.length) return 0;
    return this.store.write((tx) => {
      const from = tx.now - SAMPLE_RETENTION_MS;
      const incoming = samples.map((s) => ({ s, time: Date.parse(s.time) })).filter((x) => x.time >= from && x.time <= tx.now + 60_000);
      if (!incoming.length) return 0;
      const lo = Math.min(...incoming.map((x) => x.time)) - intervalS * 1000;
      const hi = Math.max(...incoming.map((x) => x.time)) + intervalS * 1000;
      const stored = (this.store.db.prepare('SELECT sampled_at AS t FROM host_samples WHERE host_id = ? AND sampled_at BETWEEN ? AND ?')
        .all(hostId, lo, hi) as { t: number }[]).map((r) => r.t);
      const fresh = newSamples(stored, incoming, intervalS);
      for (const { s, time } of fresh) tx.insert('host_samples', { host_id: hostId, sampled_at: time }, { cpuPct: s.cpuPct, memPct: s.memPct });
      return fresh.length;
    });
  }

  /** The newest event time stored for this source (to ask a vCenter only for newer ones). */
  lastEventTime(): number | null {
    const r = this.store.db.prepare('SELECT max(created_at) AS t FROM events WHERE source_id = ?').get(this.sourceId) as { t: number | null };
    return r.t;
  }
}
