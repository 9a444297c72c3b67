// Hosts: every host of every source, with its load and VM count; enter shows its VMs.
import type { LiveModel, Obj } from '../../../model/live.js';
import type { HostRecord } from '../../../model/records.js';
import type { VmCounts } from '../../../model/counts.js';
import { modelVmCounts, pct, type ObjectModel } from '../../data/objects.js';
import type { ObjColumn, ObjRow, RowKind } from '../../widgets/table/objindex.js';
import { objectView } from '../../widgets/table/objectview.js';
import { memText } from '../../widgets/text.js';

export const HOST_COLUMNS: ObjColumn[] = [
  { id: 'name', title: 'NAME', min: 12, pref: 24, max: 48, priority: 0, flex: 3 },
  { id: 'cluster', title: 'CLUSTER', min: 8, pref: 14, max: 28, priority: 2, flex: 1 },
  { id: 'state', title: 'STATE', min: 6, pref: 11, priority: 1 },
  { id: 'cpu', title: 'CPU', min: 4, pref: 5, priority: 0, align: 'right' },
  { id: 'mem', title: 'MEM', min: 4, pref: 5, priority: 0, align: 'right' },
  { id: 'ram', title: 'RAM', min: 6, pref: 7, priority: 4, align: 'right' },
  { id: 'vms', title: 'VMS', min: 4, pref: 5, priority: 1, align: 'right' },
  { id: 'version', title: 'VERSION', min: 6, pref: 14, priority: 5, flex: 1, max: 24 },
  { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 3 },
];

export const HOST_ROWS: RowKind<ObjectModel, Obj<HostRecord>> = {
  objects: (m) => m.hosts,
  // Host rows count the VMs on each host: any VM batch may change them (a few thousand rows).
  dependsOnAll: true,
  row(m, h, ctx): ObjRow | null {
    if (h.deletedAt !== null) return null;
    // By source, then name: no string per VM (this runs on every model update).
    const counts = (ctx.counts ??= modelVmCounts(m)) as Map<number, VmCounts>;
    const d = h.doc;
    const cap = (d.cpuMhz ?? 0) * (d.cpuCores ?? 0);
    const cpu = cap > 0 && d.cpuUsageMhz !== undefined ? (d.cpuUsageMhz / cap) * 100 : Number.NaN;
    const mem = d.memoryMB && d.memoryUsageMB !== undefined ? (d.memoryUsageMB / d.memoryMB) * 100 : Number.NaN;
    const state = d.maintenance ? 'maintenance' : d.connectionState && d.connectionState !== 'connected' ? d.connectionState : d.powerState && d.powerState !== 'poweredOn' ? d.powerState : 'connected';
    const vms = counts.get(h.sourceId)?.hosts.get(d.name) ?? 0;
    return {
      id: h.id, text: `${d.name} ${d.cluster ?? ''} ${d.managementIp ?? ''} ${h.source} ${d.version ?? ''}`.toLowerCase(),
      cells: { name: d.name, cluster: d.cluster ?? '', state, cpu: pct(cpu), mem: pct(mem), ram: d.memoryMB ? memText(d.memoryMB) : '', vms: String(vms), version: [d.version, d.build].filter(Boolean).join(' '), source: h.source },
      sort: { name: d.name.toLowerCase(), cluster: (d.cluster ?? '').toLowerCase(), state, cpu: Number.isFinite(cpu) ? cpu : -1, mem: Number.isFinite(mem) ? mem : -1, ram: d.memoryMB ?? 0, vms, version: d.version ?? '', source: h.source },
      tone: state === 'connected' ? undefined : 'warn',
      open: { view: 'host', id: h.id },
    };
  },
};

export const hostsView = objectView({
  id: 'hosts', title: 'Hosts', digit: '3', menu: 'hosts', colon: ['hosts', 'host', 'esx'], colonHelp: 'hosts',
  columns: HOST_COLUMNS, sort: { col: 'name', desc: false }, rows: HOST_ROWS as RowKind<LiveModel>,
});
