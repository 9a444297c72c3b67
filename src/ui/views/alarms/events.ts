// Events: what the sources logged, newest first (the second tab of the alarms view).
import type { LiveModel, Obj } from '../../../model/live.js';
import type { EventRecord } from '../../../model/records.js';
import { SEV_ORDER, timeOf, type ObjectModel } from '../../data/objects.js';
import type { ObjColumn, ObjRow, RowKind } from '../../widgets/table/objindex.js';
import { fieldFilter } from '../../widgets/table/state.js';
import { localTime } from '../../widgets/text.js';
import type { Tone } from '../../widgets/theme.js';

export const EVENT_COLUMNS: ObjColumn[] = [
  { id: 'time', title: 'TIME', min: 19, pref: 19, priority: 0 },
  { id: 'severity', title: 'SEV', min: 4, pref: 8, priority: 1 },
  { id: 'type', title: 'TYPE', min: 8, pref: 20, max: 32, priority: 3, flex: 1 },
  { id: 'message', title: 'MESSAGE', min: 10, pref: 40, priority: 0, flex: 4 },
  { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 2 },
];

// Over 100,000 rows at scale: text, cells and sort keys are made when read.
class EventRow implements ObjRow {
  readonly id: number;
  readonly tone: Tone | undefined;

  constructor(readonly e: Obj<EventRecord>) {
    this.id = e.id;
    const s = e.doc.severity;
    this.tone = s === 'info' ? undefined : s === 'critical' ? 'bad' : s === 'warning' ? 'warn' : 'info';
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

export const EVENT_ROWS: RowKind<ObjectModel, Obj<EventRecord>> = {
  objects: (m) => m.events,
  row: (_m, e) => new EventRow(e),
  filter: (src) => {
    const test = fieldFilter(src, {
      sev: (r) => (r as EventRow).e.doc.severity, severity: (r) => (r as EventRow).e.doc.severity,
      vcenter: (r) => (r as EventRow).e.source, source: (r) => (r as EventRow).e.source,
      type: (r) => (r as EventRow).e.doc.type, entity: (r) => (r as EventRow).e.doc.entity, user: (r) => (r as EventRow).e.doc.user,
    });
    // Critical and warning events unless the filter asks for a severity (sev:info shows the rest).
    if (/(^|\s)-?(sev|severity)[:=]/i.test(src)) return test;
    return (r) => (r as EventRow).e.doc.severity !== 'info' && (!test || test(r));
  },
};

export const EVENTS_SPEC = {
  id: 'events', title: 'Events', colon: [], colonHelp: 'events', filterHelp: 'critical and warning; sev:info for the rest, vcenter: type: entity: user:',
  columns: EVENT_COLUMNS, sort: { col: 'time', desc: true }, rows: EVENT_ROWS as RowKind<LiveModel>,
};
