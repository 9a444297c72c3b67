// vmi's own sheets after the RVTools ones: Owners, Changes, Alarms, Events and (admins only) Audit.
// Changes, events and audit entries are read and opened row by row, newest first.
import type { AlarmRecord, EventRecord } from '../model/records.js';
import type { AuditDoc } from '../store/audit.js';
import { type Cell, type Column, DATE, INT } from './cells.js';
import type { OwnerLine, ReportData, ReportVm } from './data.js';

const col = (header: string, fmt?: string, width?: number): Column => ({ header, ...(fmt ? { fmt } : {}), ...(width ? { width } : {}) });
const SDK = [col('VI SDK Server', undefined, 24), col('VI SDK UUID', undefined, 38)];

export const OWNERS_COLUMNS = [
  col('VM', undefined, 30), col('VM ID'), col('VM UUID', undefined, 38), col('Technical owner', undefined, 24), col('Technical owner e-mail', undefined, 30),
  col('Business owner', undefined, 24), col('Business owner e-mail', undefined, 30), col('Project', undefined, 20), col('Environment', undefined, 14), col('Tags', undefined, 24), ...SDK,
];
export const CHANGES_COLUMNS = [
  col('Time', DATE), col('Object', undefined, 12), col('Name', undefined, 30), col('Change type', undefined, 12), col('Field', undefined, 24),
  col('Old value', undefined, 30), col('New value', undefined, 30), ...SDK,
];
export const ALARMS_COLUMNS = [
  col('Time', DATE), col('Status'), col('Entity', undefined, 30), col('Entity type', undefined, 16), col('Alarm', undefined, 40), col('Acknowledged', undefined, 14), ...SDK,
];
export const EVENTS_COLUMNS = [
  col('Time', DATE), col('Severity'), col('Type', undefined, 30), col('Entity', undefined, 30), col('Message', undefined, 60), col('User', undefined, 20), ...SDK,
];
export const AUDIT_COLUMNS = [
  col('ID', INT), col('Time', DATE), col('User', undefined, 16), col('Action', undefined, 20), col('Object type', undefined, 12), col('Object', undefined, 24), col('Details', undefined, 60),
];

const KIND: Record<string, string> = { vms: 'VM', hosts: 'Host', datastores: 'Datastore', networks: 'Portgroup' };

/** The Owners row of one VM, with its line of hand-set data. */
export function ownersRow(v: ReportVm, o: OwnerLine): Cell[] {
  return [
    v.doc.name, v.doc.ref, v.doc.instanceUuid, o.technical?.name, o.technical?.email, o.business?.name, o.business?.email,
    o.project, o.environment, o.tags.length ? o.tags.join(', ') : undefined, v.src.server, v.src.uuid,
  ];
}

export function* ownersRows(data: ReportData): Generator<Cell[]> {
  let i = 0;
  const lines = data.owners;
  for (const v of data.vms()) yield ownersRow(v, lines[i++]!);
}

/** Opens rows one at a time (a month of changes can be millions of rows). */
function* opened<T>(data: ReportData, table: string, sql: string, params: unknown[]): Generator<{ id: number; t: number; sourceId: number; extra: Record<string, unknown>; doc: T }> {
  const rows = data.store.db.prepare(sql).iterate(...params) as IterableIterator<{ id: number; t: number; source_id: number; doc: Buffer } & Record<string, unknown>>;
  for (const r of rows) {
    let doc: T;
    try {
      doc = data.store.key.open<T>(table, r.id, r.doc);
    } catch {
      continue; // reported by "vmi audit verify" / the views; a report skips it
    }
    yield { id: r.id, t: r.t, sourceId: r.source_id, extra: r, doc };
  }
}

interface ChangeDoc { type: string; field: string; old: string | null; new: string | null; name?: string }

export function* changesRows(data: ReportData, sinceMs: number): Generator<Cell[]> {
  for (const c of opened<ChangeDoc>(data, 'changes', 'SELECT id, changed_at AS t, source_id, object_table, doc FROM changes WHERE changed_at >= ? ORDER BY changed_at DESC, id DESC', [sinceMs])) {
    const src = data.source(c.sourceId);
    if (!src) continue;
    const d = c.doc;
    yield [new Date(c.t), KIND[String(c.extra.object_table)] ?? String(c.extra.object_table), d.name, d.type, d.field, d.old ?? undefined, d.new ?? undefined, src.server, src.uuid];
  }
}

export function* alarmsRows(data: ReportData): Generator<Cell[]> {
  for (const a of opened<AlarmRecord>(data, 'alarms', 'SELECT id, triggered_at AS t, source_id, doc FROM alarms WHERE cleared_at IS NULL ORDER BY triggered_at DESC, id DESC', [])) {
    const src = data.source(a.sourceId);
    if (!src) continue;
    const d = a.doc;
    yield [new Date(a.t), d.status, d.entity, d.entityType, d.alarm, d.acknowledged === undefined ? undefined : d.acknowledged ? 'True' : 'False', src.server, src.uuid];
  }
}

export function* eventsRows(data: ReportData, sinceMs: number): Generator<Cell[]> {
  for (const e of opened<EventRecord>(data, 'events', 'SELECT id, created_at AS t, source_id, doc FROM events WHERE created_at >= ? ORDER BY created_at DESC, id DESC', [sinceMs])) {
    const src = data.source(e.sourceId);
    if (!src || (e.doc.severity !== 'critical' && e.doc.severity !== 'warning')) continue;
    const d = e.doc;
    yield [new Date(e.t), d.severity, d.type, d.entity, d.message, d.user, src.server, src.uuid];
  }
}

export function* auditRows(data: ReportData, sinceMs: number): Generator<Cell[]> {
  for (const a of opened<AuditDoc>(data, 'audit_log', 'SELECT id, created_at AS t, NULL AS source_id, doc FROM audit_log WHERE created_at >= ? ORDER BY id DESC', [sinceMs])) {
    const d = a.doc;
    yield [a.id, new Date(a.t), d.username, d.action, d.resourceType, d.resourceId, d.details ? JSON.stringify(d.details) : undefined];
  }
}
