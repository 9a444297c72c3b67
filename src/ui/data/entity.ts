// What the detail views show of any object: its triggered alarms and its recent events.
import type { ChangeEntry, Obj } from '../../model/live.js';
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

/** Appends an object's change history, newest first (read from the cache, not only what the model holds). */
export function historyLines(b: DetailBuilder, m: { objectHistory?(table: string, id: number, limit?: number): ChangeEntry[] }, table: string, id: number, arrow: string, limit = 200): void {
  let history: ChangeEntry[] = [];
  try {
    history = m.objectHistory?.(table, id, limit) ?? [];
  } catch {
    // A row that fails authentication is reported by the model; the rest of the detail stands.
  }
  b.head(`Change history (${history.length}${history.length === limit ? '+' : ''})`);
  for (const c of history) {
    const life = c.type === 'created' || c.type === 'deleted' || c.type === 'reappeared';
    b.line(`  ${localTime(c.time)}  ${life ? c.type : `${c.field}: ${c.old || '(none)'} ${arrow} ${c.new || '(none)'}`}`, c.type === 'deleted' ? 'bad' : life ? 'good' : undefined);
  }
  if (!history.length) b.line('  no changes recorded', 'muted');
}
