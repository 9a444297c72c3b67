// What the detail views show of any object: its triggered alarms and its recent events.
import type { Obj } from '../../model/live.js';
import type { AlarmRecord, EventRecord } from '../../model/records.js';
import type { DetailBuilder } from '../widgets/detail.js';
import { localTime } from '../widgets/text.js';
import { timeOf } from './objects.js';

const tone = (s: string) => (s === 'critical' ? 'bad' : s === 'warning' ? 'warn' : undefined);

/** Appends the "Triggered alarms" and "Recent events" sections of the object named `entity` in a source. */
export function alarmAndEventLines(b: DetailBuilder, m: { alarms: Map<number, Obj<AlarmRecord>>; events: Map<number, Obj<EventRecord>> }, sourceId: number, entity: string, maxEvents = 20): void {
  const alarms = [...m.alarms.values()].filter((a) => a.deletedAt === null && a.sourceId === sourceId && a.doc.entity === entity);
  b.head(`Triggered alarms (${alarms.length})`);
  for (const a of alarms) b.line(`  ${a.doc.status.padEnd(9)}${a.doc.alarm}  since ${localTime(timeOf(a.doc.time))}`, tone(a.doc.status));
  const events = [...m.events.values()].filter((e) => e.sourceId === sourceId && e.doc.entity === entity).sort((x, y) => timeOf(y.doc.time) - timeOf(x.doc.time)).slice(0, maxEvents);
  b.head(`Recent events (${events.length})`);
  for (const e of events) b.line(`  ${localTime(timeOf(e.doc.time))}  ${e.doc.message}`, tone(e.doc.severity));
}
