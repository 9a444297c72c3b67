// What the object tables read of the live model (a plain object in tests).
import type { ChangeEntry, Obj } from '../../model/live.js';
import type { AlarmRecord, DatastoreRecord, EventRecord, HostRecord, PortgroupRecord } from '../../model/records.js';
import type { VmView } from '../../model/vm.js';

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
