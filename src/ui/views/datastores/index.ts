// Datastores: capacity, free space and use of every datastore; enter shows its VMs.
import type { LiveModel, Obj } from '../../../model/live.js';
import type { DatastoreRecord } from '../../../model/records.js';
import { vmCounts, type VmCounts } from '../../../model/counts.js';
import { pct, quoteValue as q, type ObjectModel } from '../../data/objects.js';
import type { ObjColumn, ObjRow, RowKind } from '../../widgets/table/objindex.js';
import { objectView } from '../../widgets/table/objectview.js';
import { bytesText } from '../../widgets/text.js';

export const DATASTORE_COLUMNS: ObjColumn[] = [
  { id: 'name', title: 'NAME', min: 12, pref: 22, max: 48, priority: 0, flex: 3 },
  { id: 'type', title: 'TYPE', min: 4, pref: 6, priority: 2 },
  { id: 'capacity', title: 'CAPACITY', min: 7, pref: 9, priority: 1, align: 'right' },
  { id: 'free', title: 'FREE', min: 7, pref: 9, priority: 1, align: 'right' },
  { id: 'used', title: 'USED', min: 4, pref: 5, priority: 0, align: 'right' },
  { id: 'shared', title: 'SHARED', min: 6, pref: 6, priority: 3 },
  { id: 'hosts', title: 'HOSTS', min: 5, pref: 5, priority: 4, align: 'right' },
  { id: 'vms', title: 'VMS', min: 4, pref: 5, priority: 2, align: 'right' },
  { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 3 },
];

export const DATASTORE_ROWS: RowKind<ObjectModel, Obj<DatastoreRecord>> = {
  objects: (m) => m.datastores,
  // VM counts come from the VMs: any VM batch may change them.
  dependsOnAll: true,
  row(m, o, ctx): ObjRow | null {
    if (o.deletedAt !== null) return null;
    const d = o.doc;
    const counts = (ctx.counts ??= vmCounts(m.vms.values())) as Map<number, VmCounts>;
    const vms = counts.get(o.sourceId)?.datastores.get(d.name) ?? 0;
    const used = d.capacityBytes > 0 ? ((d.capacityBytes - d.freeBytes) / d.capacityBytes) * 100 : Number.NaN;
    return {
      id: o.id, text: `${d.name} ${d.type ?? ''} ${o.source}`.toLowerCase(),
      cells: { name: d.name, type: d.type ?? '', capacity: bytesText(d.capacityBytes), free: bytesText(d.freeBytes), used: pct(used), shared: d.shared ? 'shared' : 'local', hosts: String(d.hosts.length), vms: String(vms), source: o.source },
      sort: { name: d.name.toLowerCase(), type: d.type ?? '', capacity: d.capacityBytes, free: d.freeBytes, used: Number.isFinite(used) ? used : -1, shared: d.shared ? 0 : 1, hosts: d.hosts.length, vms, source: o.source },
      tone: used >= 90 ? 'bad' : used >= 80 ? 'warn' : undefined,
      open: { filter: `ds=${q(d.name)} vcenter=${q(o.source)}` },
    };
  },
};

export const datastoresView = objectView({
  id: 'datastores', title: 'Datastores', digit: '4', menu: 'datastores', colon: ['datastores', 'ds', 'storage'], colonHelp: 'datastores',
  columns: DATASTORE_COLUMNS, sort: { col: 'name', desc: false }, rows: DATASTORE_ROWS as RowKind<LiveModel>,
});
