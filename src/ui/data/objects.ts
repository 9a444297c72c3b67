// What the object tables read of the live model (a plain object in tests).
import type { ChangeEntry, Obj } from '../../model/live.js';
import type { AlarmRecord, DatastoreRecord, EventRecord, HostRecord, PortgroupRecord } from '../../model/records.js';
import type { VmView } from '../../model/vm.js';
import { vmCounts, type VmCounts } from '../../model/counts.js';

export interface ObjectModel {
  readonly vms: Map<number, VmView>;
  readonly hosts: Map<number, Obj<HostRecord>>;
  readonly datastores: Map<number, Obj<DatastoreRecord>>;
  readonly networks: Map<number, Obj<PortgroupRecord>>;
  readonly alarms: Map<number, Obj<AlarmRecord>>;
  readonly events: Map<number, Obj<EventRecord>>;
  readonly changes: Map<number, ChangeEntry>;
}

/** Quotes a filter value when it has spaces or quotes. */
export function quoteValue(s: string): string {
  return /[\s"']/.test(s) ? `"${s.replace(/"/g, '')}"` : s;
}

export const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}%` : '');
export const SEV_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };

export function timeOf(iso: string | undefined): number {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(t) ? t : 0;
}

const counted = new WeakMap<object, { version: number; counts: Map<number, VmCounts> }>();

/** VMs per host, datastore and network of the model (see model/counts.ts), once per model version for every view. */
export function modelVmCounts(m: { vms: Map<number, VmView>; version?: number }): Map<number, VmCounts> {
  const version = m.version ?? -1;
  const hit = counted.get(m);
  if (hit && hit.version === version && version !== -1) return hit.counts;
  const counts = vmCounts(m.vms.values());
  counted.set(m, { version, counts });
  return counts;
}

/** Per source id, the live objects of a map by name (alarms name their objects). */
export function byNameIndex<T extends { deletedAt: number | null; sourceId: number }>(items: Iterable<T>, name: (x: T) => string): Map<number, Map<string, T>> {
  const out = new Map<number, Map<string, T>>();
  for (const x of items) {
    if (x.deletedAt !== null) continue;
    let m = out.get(x.sourceId);
    if (!m) out.set(x.sourceId, (m = new Map()));
    m.set(name(x), x);
  }
  return out;
}
