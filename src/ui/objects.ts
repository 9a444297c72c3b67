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

export function objectRows(kind: ObjectKind, m: ObjectModel): ObjRow[] {
  switch (kind) {
    case 'hosts': {
      const vmCount = new Map<string, number>();
      for (const v of m.vms.values()) if (v.deletedAt === null && v.host) vmCount.set(`${v.sourceId}|${v.host}`, (vmCount.get(`${v.sourceId}|${v.host}`) ?? 0) + 1);
      const out: ObjRow[] = [];
      for (const h of m.hosts.values()) {
        if (h.deletedAt !== null) continue;
        const d = h.doc;
        const cap = (d.cpuMhz ?? 0) * (d.cpuCores ?? 0);
        const cpu = cap > 0 && d.cpuUsageMhz !== undefined ? (d.cpuUsageMhz / cap) * 100 : Number.NaN;
        const mem = d.memoryMB && d.memoryUsageMB !== undefined ? (d.memoryUsageMB / d.memoryMB) * 100 : Number.NaN;
        const state = d.maintenance ? 'maintenance' : d.connectionState && d.connectionState !== 'connected' ? d.connectionState : d.powerState && d.powerState !== 'poweredOn' ? d.powerState : 'connected';
        const vms = vmCount.get(`${h.sourceId}|${d.name}`) ?? 0;
        out.push({
          id: h.id, text: `${d.name} ${d.cluster ?? ''} ${d.managementIp ?? ''} ${h.source} ${d.version ?? ''}`.toLowerCase(),
          cells: { name: d.name, cluster: d.cluster ?? '', state, cpu: pct(cpu), mem: pct(mem), ram: d.memoryMB ? memText(d.memoryMB) : '', vms: String(vms), version: [d.version, d.build].filter(Boolean).join(' '), source: h.source },
          sort: { name: d.name.toLowerCase(), cluster: (d.cluster ?? '').toLowerCase(), state, cpu: Number.isFinite(cpu) ? cpu : -1, mem: Number.isFinite(mem) ? mem : -1, ram: d.memoryMB ?? 0, vms, version: d.version ?? '', source: h.source },
          tone: state === 'connected' ? undefined : 'warn',
          open: { filter: `host=${q(d.name)} vcenter=${q(h.source)}` },
        });
      }
      return out;
    }
    case 'datastores': {
      const out: ObjRow[] = [];
      for (const o of m.datastores.values()) {
        if (o.deletedAt !== null) continue;
        const d = o.doc;
        const used = d.capacityBytes > 0 ? ((d.capacityBytes - d.freeBytes) / d.capacityBytes) * 100 : Number.NaN;
        out.push({
          id: o.id, text: `${d.name} ${d.type ?? ''} ${o.source}`.toLowerCase(),
          cells: { name: d.name, type: d.type ?? '', capacity: bytesText(d.capacityBytes), free: bytesText(d.freeBytes), used: pct(used), shared: d.shared ? 'shared' : 'local', hosts: String(d.hosts.length), vms: String(d.vms ?? 0), source: o.source },
          sort: { name: d.name.toLowerCase(), type: d.type ?? '', capacity: d.capacityBytes, free: d.freeBytes, used: Number.isFinite(used) ? used : -1, shared: d.shared ? 0 : 1, hosts: d.hosts.length, vms: d.vms ?? 0, source: o.source },
          tone: used >= 90 ? 'bad' : used >= 80 ? 'warn' : undefined,
          open: { filter: `ds=${q(d.name)} vcenter=${q(o.source)}` },
        });
      }
      return out;
    }
    case 'networks': {
      const out: ObjRow[] = [];
      for (const o of m.networks.values()) {
        if (o.deletedAt !== null) continue;
        const d = o.doc;
        const vlan = d.vlanTrunk ? `trunk ${d.vlanTrunk}` : d.pvlan !== undefined ? `pvlan ${d.pvlan}` : d.vlan !== undefined ? String(d.vlan) : '';
        out.push({
          id: o.id, text: `${d.name} ${vlan}${d.vlan !== undefined ? ` vlan${d.vlan}` : ''} ${d.switch ?? ''} ${o.source}`.toLowerCase(),
          cells: { name: d.name, vlan, switch: d.switch ?? '', kind: d.kind, hosts: String(d.hosts.length), vms: String(d.vms ?? 0), source: o.source },
          sort: { name: d.name.toLowerCase(), vlan: d.vlan ?? -1, switch: (d.switch ?? '').toLowerCase(), kind: d.kind, hosts: d.hosts.length, vms: d.vms ?? 0, source: o.source },
          tone: (d.vms ?? 0) === 0 ? 'muted' : undefined,
          open: { filter: `net=${q(d.name)} vcenter=${q(o.source)}` },
        });
      }
      return out;
    }
    case 'changes': {
      const out: ObjRow[] = [];
      for (const c of m.changes.values()) {
        const vm = c.table === 'vms' ? m.vms.get(c.objectId) : undefined;
        const object = c.name ?? vm?.name ?? `${c.table}#${c.objectId}`;
        const life = c.type === 'created' || c.type === 'deleted' || c.type === 'reappeared';
        const change = life ? c.type : `${c.old || '(none)'} -> ${c.new || '(none)'}`;
        out.push({
          id: c.id, text: `${object} ${c.field} ${c.old ?? ''} ${c.new ?? ''} ${c.source} ${c.type}`.toLowerCase(),
          cells: { time: localTime(c.time), object, field: life ? c.table.replace(/s$/, '') : c.field, change, source: c.source },
          sort: { time: c.time, object: object.toLowerCase(), field: c.field, change, source: c.source },
          tone: c.type === 'deleted' ? 'bad' : life ? 'good' : undefined,
          open: vm ? { vm: vm.id } : undefined,
        });
      }
      return out;
    }
    case 'alarms': {
      const out: ObjRow[] = [];
      let byName: Map<string, VmView> | null = null;
      for (const a of m.alarms.values()) {
        if (a.deletedAt !== null) continue;
        const d = a.doc;
        if (d.entityType === 'VirtualMachine' && !byName) {
          byName = new Map();
          for (const v of m.vms.values()) if (v.deletedAt === null) byName.set(`${v.sourceId}|${v.name}`, v);
        }
        const vm = d.entityType === 'VirtualMachine' ? byName!.get(`${a.sourceId}|${d.entity}`) : undefined;
        out.push({
          id: a.id, text: `${d.status} ${d.entity} ${d.alarm} ${a.source}`.toLowerCase(),
          cells: { severity: d.status, entity: d.entity, alarm: d.alarm, time: localTime(timeOf(d.time)), ack: d.acknowledged ? 'yes' : '', source: a.source },
          sort: { severity: SEV_ORDER[d.status] ?? 9, entity: d.entity.toLowerCase(), alarm: d.alarm.toLowerCase(), time: timeOf(d.time), ack: d.acknowledged ? 1 : 0, source: a.source },
          tone: sevTone(d.status),
          open: vm ? { vm: vm.id } : d.entityType === 'HostSystem' ? { filter: `host=${q(d.entity)}` } : undefined,
        });
      }
      return out;
    }
    case 'events': {
      const out: ObjRow[] = [];
      for (const e of m.events.values()) {
        const d = e.doc;
        out.push({
          id: e.id, text: `${d.severity} ${d.type} ${d.message} ${d.entity ?? ''} ${d.user ?? ''} ${e.source}`.toLowerCase(),
          cells: { time: localTime(timeOf(d.time)), severity: d.severity, type: d.type, message: d.message, source: e.source },
          sort: { time: timeOf(d.time), severity: SEV_ORDER[d.severity] ?? 9, type: d.type, message: d.message.toLowerCase(), source: e.source },
          tone: d.severity === 'info' ? undefined : sevTone(d.severity),
        });
      }
      return out;
    }
  }
}

/** Sorts rows by a column key (ties by id). Pure. */
export function sortRows(rows: ObjRow[], col: string, desc: boolean): ObjRow[] {
  const dir = desc ? -1 : 1;
  return rows.slice().sort((a, b) => {
    const x = a.sort[col];
    const y = b.sort[col];
    return dir * (x < y ? -1 : x > y ? 1 : 0) || a.id - b.id;
  });
}

/** Every term must occur in the row's text. */
export function filterRows<T extends { text: string }>(rows: T[], filter: string): T[] {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return rows;
  return rows.filter((r) => terms.every((t) => r.text.includes(t)));
}
