import type { TamperedRowError } from '../crypto/keys.js';
import type { Platform, VmRecord } from '../model/records.js';
import { buildVmView, type ManualDoc, type ManualIp, type OwnerDoc, type OwnerRef, type VmDoc, type VmView } from '../model/vm.js';
import type { Store, WriteTx } from './store.js';

export interface SourceDoc {
  name: string;
  platform: Platform;
  url?: string;
}

/** The cache's row for a source, created on first use. */
export function ensureSource(store: Store, tx: WriteTx, doc: SourceDoc): number {
  const nkey = store.nkey('sources', {}, doc as unknown as Record<string, unknown>);
  const row = store.db.prepare('SELECT id FROM sources WHERE nkey = ?').get(nkey) as { id: number } | undefined;
  if (row) return row.id;
  return tx.insert('sources', { nkey, created_at: tx.now, updated_at: tx.now }, doc);
}

/** Stores one VM record as a new or updated row (used by tests now, by the sync pipeline later). */
export function putVm(store: Store, tx: WriteTx, sourceId: number, platform: Platform, rec: VmRecord): number {
  const doc: VmDoc = { ...rec, platform };
  const nkey = store.nkey('vms', { source_id: sourceId }, doc as unknown as Record<string, unknown>);
  const row = store.db.prepare('SELECT id FROM vms WHERE nkey = ?').get(nkey) as { id: number } | undefined;
  if (row) {
    tx.update('vms', row.id, { last_seen_at: tx.now, fact_updated_at: tx.now, deleted_at: null }, doc);
    return row.id;
  }
  return tx.insert('vms', { source_id: sourceId, nkey, first_seen_at: tx.now, last_seen_at: tx.now, fact_updated_at: tx.now }, doc);
}

/** A VM view with its synced document (NICs, disks...), as the CLI prints it. */
export type VmWithDoc = VmView & { doc: VmDoc };

export interface LoadedVms {
  views: VmWithDoc[];
  owners: Map<number, OwnerRef>;
  tampered: TamperedRowError[];
}

/** Reads and opens every VM with its manual data, owners, tags, IPs and custom fields. */
export function loadVmViews(store: Store): LoadedVms {
  const tampered: TamperedRowError[] = [];
  const take = <T, C>(r: { rows: T[]; tampered: TamperedRowError[] }) => {
    tampered.push(...r.tampered);
    return r.rows;
  };
  const sources = new Map(take(store.read<{ name: string }>('sources')).map((s) => [s.id, s.doc.name]));
  const owners = new Map<number, OwnerRef>(take(store.read<OwnerDoc>('owners')).map((o) => [o.id, { id: o.id, name: o.doc.fullName, email: o.doc.email }]));
  const manual = new Map(take(store.read<ManualDoc, { business_owner_id: number | null; technical_owner_id: number | null }>('vm_manual', '', [], 'vm_id')).map((m) => [m.id, m]));
  const tags = groupBy(take(store.read<{ tag: string }, { vm_id: number }>('vm_tags', 'ORDER BY id')), (t) => t.vm_id, (t) => t.doc.tag);
  const ips = groupBy(take(store.read<ManualIp, { vm_id: number }>('vm_manual_ips', 'ORDER BY id')), (t) => t.vm_id, (t) => t.doc);
  const fields = groupBy(take(store.read<{ key: string; value: string }, { vm_id: number }>('vm_custom_fields', 'ORDER BY id')), (t) => t.vm_id, (t) => t.doc);
  const vms = take(store.read<VmDoc, { source_id: number; deleted_at: number | null; first_seen_at: number; last_seen_at: number }>('vms'));
  const views = vms.map((v) => {
    const m = manual.get(v.id);
    const view = buildVmView({
      id: v.id,
      sourceId: v.source_id,
      sourceName: sources.get(v.source_id) ?? '?',
      doc: v.doc,
      deletedAt: v.deleted_at,
      firstSeenAt: v.first_seen_at,
      lastSeenAt: v.last_seen_at,
      manual: m?.doc,
      technicalOwner: m?.technical_owner_id ? owners.get(m.technical_owner_id) : undefined,
      businessOwner: m?.business_owner_id ? owners.get(m.business_owner_id) : undefined,
      tags: tags.get(v.id) ?? [],
      manualIps: ips.get(v.id) ?? [],
      customFields: Object.fromEntries((fields.get(v.id) ?? []).map((f) => [f.key, f.value])),
    });
    return { ...view, doc: v.doc };
  });
  views.sort((a, b) => a.name.localeCompare(b.name) || a.source.localeCompare(b.source));
  return { views, owners, tampered };
}

function groupBy<T, V>(rows: T[], key: (r: T) => number, val: (r: T) => V): Map<number, V[]> {
  const m = new Map<number, V[]>();
  for (const r of rows) {
    const k = key(r);
    let a = m.get(k);
    if (!a) m.set(k, (a = []));
    a.push(val(r));
  }
  return m;
}

export interface ObjectRow<T> {
  id: number;
  source: string;
  deletedAt: number | null;
  doc: T;
  cols: Record<string, unknown>;
}

/** Opens every row of an inventory table with its source name; deleted ones only when asked. */
export function loadObjects<T>(store: Store, table: string, opts: { deleted?: boolean; where?: string; params?: unknown[] } = {}): { rows: ObjectRow<T>[]; tampered: TamperedRowError[] } {
  const sources = new Map(store.read<{ name: string }>('sources').rows.map((s) => [s.id, s.doc.name]));
  const hasDeleted = ['vms', 'hosts', 'datastores', 'networks', 'switches', 'clusters', 'datacenters', 'datastore_clusters', 'vmkernel_adapters'].includes(table);
  const conds = [opts.where, hasDeleted && !opts.deleted ? 'deleted_at IS NULL' : ''].filter(Boolean);
  const r = store.read<T, Record<string, unknown>>(table, conds.length ? `WHERE ${conds.join(' AND ')}` : '', opts.params ?? []);
  return {
    rows: r.rows.map((x) => ({ id: x.id, source: sources.get(x.source_id as number) ?? '?', deletedAt: (x.deleted_at as number | null) ?? null, doc: x.doc, cols: x })),
    tampered: r.tampered,
  };
}

/** Counts of live VMs per row of a foreign-key column (host_id, cluster_id). */
export function vmCountsBy(store: Store, col: 'host_id' | 'cluster_id'): Map<number, number> {
  return new Map((store.db.prepare(`SELECT ${col} AS id, count(*) AS n FROM vms WHERE deleted_at IS NULL AND ${col} IS NOT NULL GROUP BY ${col}`).all() as { id: number; n: number }[]).map((r) => [r.id, r.n]));
}
