// Alarms: triggered alarms by severity; enter opens the VM (or the host's VMs).
import type { LiveModel, Obj } from '../../../model/live.js';
import type { AlarmRecord } from '../../../model/records.js';
import type { VmView } from '../../../model/vm.js';
import { quoteValue as q, SEV_ORDER, timeOf, type ObjectModel } from '../../data/objects.js';
import type { ObjColumn, ObjRow, RowKind } from '../../widgets/table/objindex.js';
import { objectView } from '../../widgets/table/objectview.js';
import { localTime } from '../../widgets/text.js';
import type { Tone } from '../../widgets/theme.js';

export const sevTone = (s: string): Tone => (s === 'critical' ? 'bad' : s === 'warning' ? 'warn' : 'info');

export const ALARM_COLUMNS: ObjColumn[] = [
  { id: 'severity', title: 'SEVERITY', min: 8, pref: 8, priority: 0 },
  { id: 'entity', title: 'OBJECT', min: 10, pref: 22, max: 40, priority: 0, flex: 2 },
  { id: 'alarm', title: 'ALARM', min: 10, pref: 28, priority: 0, flex: 3 },
  { id: 'time', title: 'SINCE', min: 19, pref: 19, priority: 2 },
  { id: 'ack', title: 'ACK', min: 3, pref: 3, priority: 3 },
  { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 1 },
];

export const ALARM_ROWS: RowKind<ObjectModel, Obj<AlarmRecord>> = {
  objects: (m) => m.alarms,
  row(m, a, ctx): ObjRow | null {
    if (a.deletedAt !== null) return null;
    const d = a.doc;
    let byName = ctx.vmByName as Map<string, VmView> | undefined;
    if (d.entityType === 'VirtualMachine' && !byName) {
      byName = ctx.vmByName = new Map<string, VmView>();
      for (const v of m.vms.values()) if (v.deletedAt === null) byName.set(`${v.sourceId}|${v.name}`, v);
    }
    const vm = d.entityType === 'VirtualMachine' ? byName!.get(`${a.sourceId}|${d.entity}`) : undefined;
    return {
      id: a.id, text: `${d.status} ${d.entity} ${d.alarm} ${a.source}`.toLowerCase(),
      cells: { severity: d.status, entity: d.entity, alarm: d.alarm, time: localTime(timeOf(d.time)), ack: d.acknowledged ? 'yes' : '', source: a.source },
      sort: { severity: SEV_ORDER[d.status] ?? 9, entity: d.entity.toLowerCase(), alarm: d.alarm.toLowerCase(), time: timeOf(d.time), ack: d.acknowledged ? 1 : 0, source: a.source },
      tone: sevTone(d.status),
      open: vm ? { vm: vm.id } : d.entityType === 'HostSystem' ? { filter: `host=${q(d.entity)}` } : undefined,
    };
  },
};

export const alarmsView = objectView({
  id: 'alarms', title: 'Alarms', digit: '7', menu: 'alarms', colon: ['alarms', 'alarm'], colonHelp: 'alarms',
  columns: ALARM_COLUMNS, sort: { col: 'severity', desc: false }, rows: ALARM_ROWS as RowKind<LiveModel>,
});
