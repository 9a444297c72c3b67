// Model -> rows for the simple object tables (hosts, datastores, networks, changes, alarms,
// events). Pure; the topology views of the next issue replace these with richer screens.
import type { ChangeEntry, Obj } from '../model/live.js';
import type { AlarmRecord, DatastoreRecord, EventRecord, HostRecord, PortgroupRecord } from '../model/records.js';
import type { VmView } from '../model/vm.js';
import type { ColumnSpec } from './layout.js';
import type { Tone } from './theme.js';
import { bytesText, localTime, memText } from './text.js';

export type ObjectKind = 'hosts' | 'datastores' | 'networks' | 'changes' | 'alarms' | 'events';

export interface ObjRow {
  id: number;
  /** Lower-cased text the "f" filter matches against. */
  text: string;
  cells: Record<string, string>;
  sort: Record<string, number | string>;
  tone?: Tone;
  /** Where enter goes: a VM filter, or a VM's detail. */
  open?: { filter: string } | { vm: number };
}

export interface ObjColumn extends ColumnSpec {
  id: string;
}

export interface ObjectModel {
  readonly vms: Map<number, VmView>;
  readonly hosts: Map<number, Obj<HostRecord>>;
  readonly datastores: Map<number, Obj<DatastoreRecord>>;
  readonly networks: Map<number, Obj<PortgroupRecord>>;
  readonly alarms: Map<number, Obj<AlarmRecord>>;
  readonly events: Map<number, Obj<EventRecord>>;
  readonly changes: Map<number, ChangeEntry>;
}

const q = (s: string) => (/[\s"]/.test(s) ? `"${s.replace(/"/g, '')}"` : s);
const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}%` : '');
const sevTone = (s: string): Tone => (s === 'critical' ? 'bad' : s === 'warning' ? 'warn' : 'info');
const SEV_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };

export const OBJECT_TITLES: Record<ObjectKind, string> = {
  hosts: 'Hosts', datastores: 'Datastores', networks: 'Networks', changes: 'Changes', alarms: 'Alarms', events: 'Events',
};

export const OBJECT_COLUMNS: Record<ObjectKind, ObjColumn[]> = {
  hosts: [
    { id: 'name', title: 'NAME', min: 12, pref: 24, max: 48, priority: 0, flex: 3 },
    { id: 'cluster', title: 'CLUSTER', min: 8, pref: 14, max: 28, priority: 2, flex: 1 },
    { id: 'state', title: 'STATE', min: 6, pref: 11, priority: 1 },
    { id: 'cpu', title: 'CPU', min: 4, pref: 5, priority: 0, align: 'right' },
    { id: 'mem', title: 'MEM', min: 4, pref: 5, priority: 0, align: 'right' },
    { id: 'ram', title: 'RAM', min: 6, pref: 7, priority: 4, align: 'right' },
    { id: 'vms', title: 'VMS', min: 4, pref: 5, priority: 1, align: 'right' },
    { id: 'version', title: 'VERSION', min: 6, pref: 14, priority: 5, flex: 1, max: 24 },
    { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 3 },
  ],
  datastores: [
    { id: 'name', title: 'NAME', min: 12, pref: 22, max: 48, priority: 0, flex: 3 },
    { id: 'type', title: 'TYPE', min: 4, pref: 6, priority: 2 },
    { id: 'capacity', title: 'CAPACITY', min: 7, pref: 9, priority: 1, align: 'right' },
    { id: 'free', title: 'FREE', min: 7, pref: 9, priority: 1, align: 'right' },
    { id: 'used', title: 'USED', min: 4, pref: 5, priority: 0, align: 'right' },
    { id: 'shared', title: 'SHARED', min: 6, pref: 6, priority: 3 },
    { id: 'hosts', title: 'HOSTS', min: 5, pref: 5, priority: 4, align: 'right' },
    { id: 'vms', title: 'VMS', min: 4, pref: 5, priority: 2, align: 'right' },
    { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 3 },
  ],
  networks: [
    { id: 'name', title: 'NAME', min: 12, pref: 24, max: 48, priority: 0, flex: 3 },
    { id: 'vlan', title: 'VLAN', min: 4, pref: 10, priority: 0 },
    { id: 'switch', title: 'SWITCH', min: 8, pref: 16, max: 32, priority: 2, flex: 1 },
    { id: 'kind', title: 'KIND', min: 8, pref: 11, priority: 4 },
    { id: 'hosts', title: 'HOSTS', min: 5, pref: 5, priority: 3, align: 'right' },
    { id: 'vms', title: 'VMS', min: 4, pref: 5, priority: 1, align: 'right' },
    { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 2 },
  ],
  changes: [
    { id: 'time', title: 'TIME', min: 19, pref: 19, priority: 0 },
    { id: 'object', title: 'OBJECT', min: 10, pref: 20, max: 40, priority: 0, flex: 2 },
    { id: 'field', title: 'FIELD', min: 6, pref: 12, max: 24, priority: 0, flex: 1 },
    { id: 'change', title: 'CHANGE', min: 10, pref: 24, priority: 0, flex: 4 },
    { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 2 },
  ],
  alarms: [
    { id: 'severity', title: 'SEVERITY', min: 8, pref: 8, priority: 0 },
    { id: 'entity', title: 'OBJECT', min: 10, pref: 22, max: 40, priority: 0, flex: 2 },
    { id: 'alarm', title: 'ALARM', min: 10, pref: 28, priority: 0, flex: 3 },
    { id: 'time', title: 'SINCE', min: 19, pref: 19, priority: 2 },
    { id: 'ack', title: 'ACK', min: 3, pref: 3, priority: 3 },
    { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 1 },
  ],
  events: [
    { id: 'time', title: 'TIME', min: 19, pref: 19, priority: 0 },
    { id: 'severity', title: 'SEV', min: 4, pref: 8, priority: 1 },
    { id: 'type', title: 'TYPE', min: 8, pref: 20, max: 32, priority: 3, flex: 1 },
    { id: 'message', title: 'MESSAGE', min: 10, pref: 40, priority: 0, flex: 4 },
    { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 2 },
  ],
};

/** The sort columns each table offers, first = default. */
export const OBJECT_DEFAULT_SORT: Record<ObjectKind, { col: string; desc: boolean }> = {
  hosts: { col: 'name', desc: false }, datastores: { col: 'name', desc: false }, networks: { col: 'name', desc: false },
  changes: { col: 'time', desc: true }, alarms: { col: 'severity', desc: false }, events: { col: 'time', desc: true },
};

function timeOf(iso: string | undefined): number {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(t) ? t : 0;
}

/** Lookups some kinds of rows need, built once per rebuild when first needed. */
interface RowContext {
  vmCount?: Map<number, Map<string, number>>;
  vmByName?: Map<string, VmView>;
}

/** The row of one object of a kind (null: not shown, e.g. deleted). */
export function objectRow(kind: ObjectKind, m: ObjectModel, obj: object, ctx: RowContext = {}): ObjRow | null {
  switch (kind) {
    case 'hosts': {
      const h = obj as Obj<HostRecord>;
      if (h.deletedAt !== null) return null;
      if (!ctx.vmCount) {
        // By source, then host name: no string per VM (this runs on every model update).
        const vmCount = (ctx.vmCount = new Map<number, Map<string, number>>());
        for (const v of m.vms.values()) {
          if (v.deletedAt !== null || !v.host) continue;
          let hosts = vmCount.get(v.sourceId);
          if (!hosts) vmCount.set(v.sourceId, (hosts = new Map()));
          hosts.set(v.host, (hosts.get(v.host) ?? 0) + 1);
        }
      }
      const d = h.doc;
      const cap = (d.cpuMhz ?? 0) * (d.cpuCores ?? 0);
      const cpu = cap > 0 && d.cpuUsageMhz !== undefined ? (d.cpuUsageMhz / cap) * 100 : Number.NaN;
      const mem = d.memoryMB && d.memoryUsageMB !== undefined ? (d.memoryUsageMB / d.memoryMB) * 100 : Number.NaN;
      const state = d.maintenance ? 'maintenance' : d.connectionState && d.connectionState !== 'connected' ? d.connectionState : d.powerState && d.powerState !== 'poweredOn' ? d.powerState : 'connected';
      const vms = ctx.vmCount.get(h.sourceId)?.get(d.name) ?? 0;
      return {
        id: h.id, text: `${d.name} ${d.cluster ?? ''} ${d.managementIp ?? ''} ${h.source} ${d.version ?? ''}`.toLowerCase(),
        cells: { name: d.name, cluster: d.cluster ?? '', state, cpu: pct(cpu), mem: pct(mem), ram: d.memoryMB ? memText(d.memoryMB) : '', vms: String(vms), version: [d.version, d.build].filter(Boolean).join(' '), source: h.source },
        sort: { name: d.name.toLowerCase(), cluster: (d.cluster ?? '').toLowerCase(), state, cpu: Number.isFinite(cpu) ? cpu : -1, mem: Number.isFinite(mem) ? mem : -1, ram: d.memoryMB ?? 0, vms, version: d.version ?? '', source: h.source },
        tone: state === 'connected' ? undefined : 'warn',
        open: { filter: `host=${q(d.name)} vcenter=${q(h.source)}` },
      };
    }
    case 'datastores': {
      const o = obj as Obj<DatastoreRecord>;
      if (o.deletedAt !== null) return null;
      const d = o.doc;
      const used = d.capacityBytes > 0 ? ((d.capacityBytes - d.freeBytes) / d.capacityBytes) * 100 : Number.NaN;
      return {
        id: o.id, text: `${d.name} ${d.type ?? ''} ${o.source}`.toLowerCase(),
        cells: { name: d.name, type: d.type ?? '', capacity: bytesText(d.capacityBytes), free: bytesText(d.freeBytes), used: pct(used), shared: d.shared ? 'shared' : 'local', hosts: String(d.hosts.length), vms: String(d.vms ?? 0), source: o.source },
        sort: { name: d.name.toLowerCase(), type: d.type ?? '', capacity: d.capacityBytes, free: d.freeBytes, used: Number.isFinite(used) ? used : -1, shared: d.shared ? 0 : 1, hosts: d.hosts.length, vms: d.vms ?? 0, source: o.source },
        tone: used >= 90 ? 'bad' : used >= 80 ? 'warn' : undefined,
        open: { filter: `ds=${q(d.name)} vcenter=${q(o.source)}` },
      };
    }
    case 'networks': {
      const o = obj as Obj<PortgroupRecord>;
      if (o.deletedAt !== null) return null;
      const d = o.doc;
      const vlan = d.vlanTrunk ? `trunk ${d.vlanTrunk}` : d.pvlan !== undefined ? `pvlan ${d.pvlan}` : d.vlan !== undefined ? String(d.vlan) : '';
      return {
        id: o.id, text: `${d.name} ${vlan}${d.vlan !== undefined ? ` vlan${d.vlan}` : ''} ${d.switch ?? ''} ${o.source}`.toLowerCase(),
        cells: { name: d.name, vlan, switch: d.switch ?? '', kind: d.kind, hosts: String(d.hosts.length), vms: String(d.vms ?? 0), source: o.source },
        sort: { name: d.name.toLowerCase(), vlan: d.vlan ?? -1, switch: (d.switch ?? '').toLowerCase(), kind: d.kind, hosts: d.hosts.length, vms: d.vms ?? 0, source: o.source },
        tone: (d.vms ?? 0) === 0 ? 'muted' : undefined,
        open: { filter: `net=${q(d.name)} vcenter=${q(o.source)}` },
      };
    }
    case 'changes': {
      const c = obj as ChangeEntry;
      const vm = c.table === 'vms' ? m.vms.get(c.objectId) : undefined;
      return new ChangeRow(c, c.name ?? vm?.name ?? `${c.table}#${c.objectId}`, vm?.id);
    }
    case 'alarms': {
      const a = obj as Obj<AlarmRecord>;
      if (a.deletedAt !== null) return null;
      const d = a.doc;
      if (d.entityType === 'VirtualMachine' && !ctx.vmByName) {
        const byName = (ctx.vmByName = new Map<string, VmView>());
        for (const v of m.vms.values()) if (v.deletedAt === null) byName.set(`${v.sourceId}|${v.name}`, v);
      }
      const vm = d.entityType === 'VirtualMachine' ? ctx.vmByName!.get(`${a.sourceId}|${d.entity}`) : undefined;
      return {
        id: a.id, text: `${d.status} ${d.entity} ${d.alarm} ${a.source}`.toLowerCase(),
        cells: { severity: d.status, entity: d.entity, alarm: d.alarm, time: localTime(timeOf(d.time)), ack: d.acknowledged ? 'yes' : '', source: a.source },
        sort: { severity: SEV_ORDER[d.status] ?? 9, entity: d.entity.toLowerCase(), alarm: d.alarm.toLowerCase(), time: timeOf(d.time), ack: d.acknowledged ? 1 : 0, source: a.source },
        tone: sevTone(d.status),
        open: vm ? { vm: vm.id } : d.entityType === 'HostSystem' ? { filter: `host=${q(d.entity)}` } : undefined,
      };
    }
    case 'events': return new EventRow(obj as Obj<EventRecord>);
  }
}

// The change and event tables hold over 100,000 rows at scale. Their rows keep the entry and
// make text, cells and sort keys when read: by the filter, for the rows on screen, once per sort.

class ChangeRow implements ObjRow {
  readonly id: number;
  readonly tone: Tone | undefined;
  readonly open: { vm: number } | undefined;

  constructor(private readonly c: ChangeEntry, private readonly object: string, vmId: number | undefined) {
    this.id = c.id;
    this.tone = c.type === 'deleted' ? 'bad' : this.life ? 'good' : undefined;
    this.open = vmId !== undefined ? { vm: vmId } : undefined;
  }

  private get life(): boolean {
    const t = this.c.type;
    return t === 'created' || t === 'deleted' || t === 'reappeared';
  }

  private get change(): string {
    const c = this.c;
    return this.life ? c.type : `${c.old || '(none)'} -> ${c.new || '(none)'}`;
  }

  get text(): string {
    const c = this.c;
    return `${this.object} ${c.field} ${c.old ?? ''} ${c.new ?? ''} ${c.source} ${c.type}`.toLowerCase();
  }

  get cells(): Record<string, string> {
    const c = this.c;
    return { time: localTime(c.time), object: this.object, field: this.life ? c.table.replace(/s$/, '') : c.field, change: this.change, source: c.source };
  }

  get sort(): Record<string, number | string> {
    const c = this.c;
    return { time: c.time, object: this.object.toLowerCase(), field: c.field, change: this.change, source: c.source };
  }
}

class EventRow implements ObjRow {
  readonly id: number;
  readonly tone: Tone | undefined;

  constructor(private readonly e: Obj<EventRecord>) {
    this.id = e.id;
    this.tone = e.doc.severity === 'info' ? undefined : sevTone(e.doc.severity);
  }

  get text(): string {
    const d = this.e.doc;
    return `${d.severity} ${d.type} ${d.message} ${d.entity ?? ''} ${d.user ?? ''} ${this.e.source}`.toLowerCase();
  }

  get cells(): Record<string, string> {
    const d = this.e.doc;
    return { time: localTime(timeOf(d.time)), severity: d.severity, type: d.type, message: d.message, source: this.e.source };
  }

  get sort(): Record<string, number | string> {
    const d = this.e.doc;
    return { time: timeOf(d.time), severity: SEV_ORDER[d.severity] ?? 9, type: d.type, message: d.message.toLowerCase(), source: this.e.source };
  }
}

/** Every row of a kind, in the model's order. Pure. */
export function objectRows(kind: ObjectKind, m: ObjectModel): ObjRow[] {
  const ctx: RowContext = {};
  const out: ObjRow[] = [];
  for (const o of m[kind].values()) {
    const r = objectRow(kind, m, o, ctx);
    if (r) out.push(r);
  }
  return out;
}

function rowOrder(col: string, desc: boolean): (a: ObjRow, b: ObjRow) => number {
  const dir = desc ? -1 : 1;
  return (a, b) => {
    const x = a.sort[col];
    const y = b.sort[col];
    return dir * (x < y ? -1 : x > y ? 1 : 0) || a.id - b.id;
  };
}

/** Sorts rows by a column key (ties by id). Pure. */
export function sortRows(rows: ObjRow[], col: string, desc: boolean): ObjRow[] {
  return rows.slice().sort(rowOrder(col, desc));
}

function rowFilter(filter: string): ((r: { text: string }) => boolean) | null {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return terms.length ? (r) => terms.every((t) => r.text.includes(t)) : null;
}

/** Every term must occur in the row's text. */
export function filterRows<T extends { text: string }>(rows: T[], filter: string): T[] {
  const test = rowFilter(filter);
  return test ? rows.filter(test) : rows;
}

/** A row with the key of the current sort, read once when it joins the list. */
type Keyed = ObjRow & { k?: number | string };

function keyedOrder(desc: boolean): (a: Keyed, b: Keyed) => number {
  const dir = desc ? -1 : 1;
  return (a, b) => dir * (a.k! < b.k! ? -1 : a.k! > b.k! ? 1 : 0) || a.id - b.id;
}

/** Sorted rows `into` gets `add` (sorted the same way) merged in place, from the end. */
function mergeInto(into: ObjRow[], add: ObjRow[], order: (a: ObjRow, b: ObjRow) => number): void {
  let i = into.length - 1;
  let j = add.length - 1;
  let w = into.length + add.length - 1;
  into.length = w + 1;
  while (j >= 0) into[w--] = i >= 0 && order(into[i]!, add[j]!) > 0 ? into[i--]! : add[j--]!;
}

function dropRows(rows: ObjRow[], gone: Set<ObjRow>): void {
  let w = 0;
  for (let i = 0; i < rows.length; i++) if (!gone.has(rows[i]!)) rows[w++] = rows[i]!;
  rows.length = w;
}

/** Above this many new, changed or gone rows in one batch, sorting again is cheaper than patching. */
const PATCH_LIMIT = 2000;

/**
 * The rows of one object table, following the model. Rows are kept per object and rebuilt only
 * for objects the model replaced; the sorted and filtered lists are patched in place. The change
 * and event tables hold over 100,000 rows at scale, and the worker commits every second or two:
 * rebuilding and sorting them all per commit made a screen left on them allocate gigabytes.
 */
export class ObjIndex {
  private byId = new Map<number, { src: object; row: ObjRow | null }>();
  private sorted: ObjRow[] = [];
  private filtered: ObjRow[] = [];
  private version = -1;
  private sortedBy = '';
  private filteredBy = '';
  private col = '';
  private order = keyedOrder(false);
  private test: ((r: ObjRow) => boolean) | null = null;
  fullSorts = 0;

  constructor(readonly kind: ObjectKind) {}

  /** Rows shown (not deleted), before the filter. */
  get total(): number {
    return this.sorted.length;
  }

  view(m: ObjectModel, version: number, col: string, desc: boolean, filter: string): ObjRow[] {
    const sortKey = `${col}|${desc}`;
    let resort = sortKey !== this.sortedBy;
    let refilter = resort || filter !== this.filteredBy;
    if (version !== this.version) {
      this.version = version;
      const patched = this.sync(m, !resort);
      resort ||= !patched;
      refilter ||= !patched;
    }
    if (resort) {
      this.col = col;
      this.order = keyedOrder(desc);
      this.sorted = [];
      for (const c of this.byId.values()) {
        if (!c.row) continue;
        (c.row as Keyed).k = c.row.sort[col];
        this.sorted.push(c.row);
      }
      this.sorted.sort(this.order);
      this.sortedBy = sortKey;
      this.fullSorts++;
    }
    if (refilter) {
      this.test = rowFilter(filter);
      this.filtered = this.test ? this.sorted.filter(this.test) : this.sorted.slice();
      this.filteredBy = filter;
    }
    return this.filtered;
  }

  /** Brings the rows up to the model; patches the lists when `patch` and few rows changed (true: patched). */
  private sync(m: ObjectModel, patch: boolean): boolean {
    const src: Map<number, object> = m[this.kind];
    const ctx: RowContext = {};
    // Host rows count the VMs on each host: any VM batch may change them (a few thousand rows).
    const all = this.kind === 'hosts';
    const added: ObjRow[] = [];
    const gone = new Set<ObjRow>();
    for (const [id, o] of src) {
      const c = this.byId.get(id);
      if (c && c.src === o && !all) continue;
      const row = objectRow(this.kind, m, o, ctx);
      if (c?.row) gone.add(c.row);
      if (row) {
        if (this.col) (row as Keyed).k = row.sort[this.col];
        added.push(row);
      }
      this.byId.set(id, { src: o, row });
    }
    if (this.byId.size !== src.size) {
      for (const [id, c] of this.byId) {
        if (src.has(id)) continue;
        if (c.row) gone.add(c.row);
        this.byId.delete(id);
      }
    }
    if (!patch || all || added.length + gone.size > PATCH_LIMIT) return false;
    if (gone.size) {
      dropRows(this.sorted, gone);
      dropRows(this.filtered, gone);
    }
    if (added.length) {
      added.sort(this.order);
      mergeInto(this.sorted, added, this.order);
      mergeInto(this.filtered, this.test ? added.filter(this.test) : added, this.order);
    }
    return true;
  }
}
