// Alarms and events: triggered alarms (by severity, then time) and critical and warning events
// (newest first) as two tabs of one view. Filters by severity, source, entity type and entity;
// enter goes to the object's detail.
import React from 'react';
import type { LiveModel, Obj } from '../../../model/live.js';
import type { AlarmRecord } from '../../../model/records.js';
import type { VmView } from '../../../model/vm.js';
import type { AppContext, GoParams } from '../../context.js';
import { byNameIndex, quoteValue as q, SEV_ORDER, timeOf, type ObjectModel } from '../../data/objects.js';
import { C } from '../../keys.js';
import type { TableData, ViewDef, ViewInstance } from '../../view.js';
import { Panel, Segs } from '../../widgets/primitives.js';
import type { ObjColumn, ObjRow, RowKind } from '../../widgets/table/objindex.js';
import { ObjectTable, OBJECT_OPEN, type ObjectViewSpec } from '../../widgets/table/objectview.js';
import { fieldFilter, type FilterBox } from '../../widgets/table/state.js';
import { localTime } from '../../widgets/text.js';
import type { Tone } from '../../widgets/theme.js';
import { EVENTS_SPEC } from './events.js';

export const sevTone = (s: string): Tone => (s === 'critical' ? 'bad' : s === 'warning' ? 'warn' : 'info');

export const ALARM_COLUMNS: ObjColumn[] = [
  { id: 'severity', title: 'SEVERITY', min: 8, pref: 8, priority: 0 },
  { id: 'entity', title: 'OBJECT', min: 10, pref: 22, max: 40, priority: 0, flex: 2 },
  { id: 'type', title: 'TYPE', min: 6, pref: 14, priority: 4 },
  { id: 'alarm', title: 'ALARM', min: 10, pref: 28, priority: 0, flex: 3 },
  { id: 'time', title: 'SINCE', min: 19, pref: 19, priority: 2 },
  { id: 'ack', title: 'ACK', min: 3, pref: 3, priority: 3 },
  { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 1 },
];

const ENTITY_WORD: Record<string, string> = { VirtualMachine: 'VM', HostSystem: 'host', Datastore: 'datastore', ClusterComputeResource: 'cluster', Network: 'network', DistributedVirtualPortgroup: 'portgroup' };

type AlarmRow = ObjRow & { a: Obj<AlarmRecord> };

export const ALARM_ROWS: RowKind<ObjectModel, Obj<AlarmRecord>> = {
  objects: (m) => m.alarms,
  row(m, a, ctx): ObjRow | null {
    if (a.deletedAt !== null) return null;
    const d = a.doc;
    // Lookups by name, built once per batch when a row first needs one (no string per VM).
    const index = <T extends { deletedAt: number | null; sourceId: number }>(key: string, src: Iterable<T>, name: (x: T) => string) =>
      ((ctx[key] ??= byNameIndex(src, name)) as Map<number, Map<string, T>>).get(a.sourceId)?.get(d.entity);
    let open: ObjRow['open'];
    if (d.entityType === 'VirtualMachine') {
      const vm = index<VmView>('vms', m.vms.values(), (v) => v.name);
      if (vm) open = { vm: vm.id };
    } else if (d.entityType === 'HostSystem') {
      const h = index('hosts', m.hosts.values(), (x) => x.doc.name);
      open = h ? { view: 'host', id: h.id } : { filter: `host=${q(d.entity)}` };
    } else if (d.entityType === 'Datastore') {
      const ds = index('datastores', m.datastores.values(), (x) => x.doc.name);
      if (ds) open = { view: 'datastore', id: ds.id };
    }
    const row: AlarmRow = {
      a, id: a.id, text: `${d.status} ${d.entity} ${d.alarm} ${a.source}`.toLowerCase(),
      cells: { severity: d.status, entity: d.entity, type: ENTITY_WORD[d.entityType ?? ''] ?? d.entityType ?? '', alarm: d.alarm, time: localTime(timeOf(d.time)), ack: d.acknowledged ? 'yes' : '', source: a.source },
      // By severity, then the newest first.
      sort: { severity: (SEV_ORDER[d.status] ?? 9) * 1e14 - timeOf(d.time), entity: d.entity.toLowerCase(), type: d.entityType ?? '', alarm: d.alarm.toLowerCase(), time: timeOf(d.time), ack: d.acknowledged ? 1 : 0, source: a.source },
      tone: sevTone(d.status),
      open,
    };
    return row;
  },
  filter: (src) => fieldFilter(src, {
    sev: (r) => (r as AlarmRow).a.doc.status, severity: (r) => (r as AlarmRow).a.doc.status,
    vcenter: (r) => (r as AlarmRow).a.source, source: (r) => (r as AlarmRow).a.source,
    type: (r) => `${(r as AlarmRow).a.doc.entityType ?? ''} ${ENTITY_WORD[(r as AlarmRow).a.doc.entityType ?? ''] ?? ''}`,
    entity: (r) => (r as AlarmRow).a.doc.entity, alarm: (r) => (r as AlarmRow).a.doc.alarm,
  }),
};

const ALARMS_SPEC: ObjectViewSpec = {
  id: 'alarms', title: 'Alarms', colon: [], colonHelp: 'alarms', filterHelp: 'sev:critical vcenter: type:host entity:',
  columns: ALARM_COLUMNS, sort: { col: 'severity', desc: false }, rows: ALARM_ROWS as RowKind<LiveModel>,
};

type Tab = 'alarms' | 'events';

class AlarmsAndEvents implements ViewInstance {
  tab: Tab = 'alarms';
  readonly tables: Record<Tab, ObjectTable>;

  constructor(readonly ctx: AppContext) {
    this.tables = { alarms: new ObjectTable(ALARMS_SPEC, ctx), events: new ObjectTable(EVENTS_SPEC, ctx) };
  }

  get active(): ObjectTable {
    return this.tables[this.tab];
  }

  get filter(): FilterBox {
    return this.active.filter;
  }

  readonly commands: Record<string, () => void> = new Proxy({}, {
    get: (_t, id: string) => (id === 'alarms.tab' ? () => { this.tab = this.tab === 'alarms' ? 'events' : 'alarms'; } : this.active.commands[id]),
  });

  scopes(): string[] {
    return ['alarms', ...this.active.scopes().slice(1)];
  }

  move(delta: number): void {
    this.active.move(delta);
  }

  pageRows(): number {
    return Math.max(1, this.active.pageRows() - 1);
  }

  enter(p: GoParams): void {
    if (p.section === 'events' || p.section === 'alarms') this.tab = p.section;
    this.active.enter(p);
  }

  leave(): void {
    this.tables.alarms.leave();
    this.tables.events.leave();
  }

  table(): TableData {
    return this.active.table();
  }

  render(cols: number, h: number): React.ReactNode {
    const tab = (id: Tab, text: string) => ({ text: ` ${text} `, tone: (this.tab === id ? 'accent' : 'muted') as Tone, inverse: this.tab === id, bold: this.tab === id });
    return (
      <Panel height={h}>
        <Segs parts={[{ text: ' ' }, tab('alarms', 'Triggered alarms'), { text: ' ' }, tab('events', 'Events'), { text: '  tab switches', tone: 'muted' }]} />
        {this.active.render(cols, h - 1)}
      </Panel>
    );
  }
}

export const alarmsView: ViewDef = {
  id: 'alarms', title: 'Alarms & events', digit: '7', menu: 'alarms and events',
  colon: [
    { names: ['alarms', 'alarm'], help: 'alarms', run: (ctx) => (ctx.go('alarms', { section: 'alarms' }), null) },
    { names: ['events', 'ev'], help: 'events', run: (ctx) => (ctx.go('alarms', { section: 'events' }), null) },
  ],
  keys: [C('alarms.tab', ['tab'], 'alarms / events', ['alarms'], 'Hosts, storage, networks, changes, alarms', { footer: 2, short: 'events' }), OBJECT_OPEN],
  create: (ctx) => new AlarmsAndEvents(ctx),
};
