// Networks: portgroups with their VLANs and switches; enter shows the VMs on one.
import type { LiveModel, Obj } from '../../../model/live.js';
import type { PortgroupRecord } from '../../../model/records.js';
import { vmCounts, type VmCounts } from '../../../model/counts.js';
import { quoteValue as q, type ObjectModel } from '../../data/objects.js';
import type { ObjColumn, ObjRow, RowKind } from '../../widgets/table/objindex.js';
import { objectView } from '../../widgets/table/objectview.js';

export const NETWORK_COLUMNS: ObjColumn[] = [
  { id: 'name', title: 'NAME', min: 12, pref: 24, max: 48, priority: 0, flex: 3 },
  { id: 'vlan', title: 'VLAN', min: 4, pref: 10, priority: 0 },
  { id: 'switch', title: 'SWITCH', min: 8, pref: 16, max: 32, priority: 2, flex: 1 },
  { id: 'kind', title: 'KIND', min: 8, pref: 11, priority: 4 },
  { id: 'hosts', title: 'HOSTS', min: 5, pref: 5, priority: 3, align: 'right' },
  { id: 'vms', title: 'VMS', min: 4, pref: 5, priority: 1, align: 'right' },
  { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 2 },
];

export const NETWORK_ROWS: RowKind<ObjectModel, Obj<PortgroupRecord>> = {
  objects: (m) => m.networks,
  // VM counts come from the VMs: any VM batch may change them.
  dependsOnAll: true,
  row(m, o, ctx): ObjRow | null {
    if (o.deletedAt !== null) return null;
    const d = o.doc;
    const counts = (ctx.counts ??= vmCounts(m.vms.values())) as Map<number, VmCounts>;
    const vms = counts.get(o.sourceId)?.networks.get(d.name) ?? 0;
    const vlan = d.vlanTrunk ? `trunk ${d.vlanTrunk}` : d.pvlan !== undefined ? `pvlan ${d.pvlan}` : d.vlan !== undefined ? String(d.vlan) : '';
    return {
      id: o.id, text: `${d.name} ${vlan}${d.vlan !== undefined ? ` vlan${d.vlan}` : ''} ${d.switch ?? ''} ${o.source}`.toLowerCase(),
      cells: { name: d.name, vlan, switch: d.switch ?? '', kind: d.kind, hosts: String(d.hosts.length), vms: String(vms), source: o.source },
      sort: { name: d.name.toLowerCase(), vlan: d.vlan ?? -1, switch: (d.switch ?? '').toLowerCase(), kind: d.kind, hosts: d.hosts.length, vms, source: o.source },
      tone: vms === 0 ? 'muted' : undefined,
      open: { filter: `net=${q(d.name)} vcenter=${q(o.source)}` },
    };
  },
};

export const networksView = objectView({
  id: 'networks', title: 'Networks', digit: '5', menu: 'networks', colon: ['networks', 'net', 'network', 'portgroups'], colonHelp: 'networks',
  columns: NETWORK_COLUMNS, sort: { col: 'name', desc: false }, rows: NETWORK_ROWS as RowKind<LiveModel>,
});
