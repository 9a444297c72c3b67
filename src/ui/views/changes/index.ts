// Changes: the live feed of every change the worker recorded, newest first; enter opens the VM.
import { HISTORY_MS, type ChangeEntry, type LiveModel } from '../../../model/live.js';
import type { ObjectModel } from '../../data/objects.js';
import type { ObjColumn, ObjRow, RowKind } from '../../widgets/table/objindex.js';
import { objectView } from '../../widgets/table/objectview.js';
import { parseSince } from '../../../cli/io.js';
import { VmiError } from '../../../errors.js';
import { columnChart } from '../../widgets/chart.js';
import { localTime, thousands } from '../../widgets/text.js';
import type { Tone } from '../../widgets/theme.js';

export const CHANGE_COLUMNS: ObjColumn[] = [
  { id: 'time', title: 'TIME', min: 19, pref: 19, priority: 0 },
  { id: 'object', title: 'OBJECT', min: 10, pref: 20, max: 40, priority: 0, flex: 2 },
  { id: 'field', title: 'FIELD', min: 6, pref: 12, max: 24, priority: 0, flex: 1 },
  { id: 'change', title: 'CHANGE', min: 10, pref: 24, priority: 0, flex: 4 },
  { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 2 },
];

// The change table holds over 100,000 rows at scale. Its rows keep the entry and make text,
// cells and sort keys when read: by the filter, for the rows on screen, once per sort.
export class ChangeRow implements ObjRow {
  readonly id: number;
  readonly tone: Tone | undefined;
  readonly open: ObjRow['open'];

  constructor(readonly c: ChangeEntry, readonly object: string, open: ObjRow['open'], readonly owners: string) {
    this.id = c.id;
    this.tone = c.type === 'deleted' ? 'bad' : this.life ? 'good' : undefined;
    this.open = open;
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

/** Where enter goes from a change: the VM, host or datastore with its whole history. */
const OPEN_VIEW: Record<string, string> = { hosts: 'host', datastores: 'datastore', networks: 'portgroup' };

export const CHANGE_ROWS: RowKind<ObjectModel, ChangeEntry> = {
  objects: (m) => m.changes,
  row(m, c) {
    const vm = c.table === 'vms' ? m.vms.get(c.objectId) : undefined;
    const view = OPEN_VIEW[c.table];
    const other = view ? (m as unknown as Record<string, Map<number, unknown>>)[c.table]?.get(c.objectId) : undefined;
    const open: ObjRow['open'] = vm ? { vm: vm.id } : view && other ? { view, id: c.objectId } : undefined;
    const owners = vm ? [vm.technicalOwner?.name, vm.technicalOwner?.email, vm.businessOwner?.name, vm.businessOwner?.email].filter(Boolean).join(' ').toLowerCase() : '';
    return new ChangeRow(c, c.name ?? vm?.name ?? `${c.table}#${c.objectId}`, open, owners);
  },
  filter: (src, now) => changeFilter(src, now),
};

/**
 * The change table's filter: `field:power` `type:created` `vcenter:vc-ams` (or source:)
 * `vm:web` (or object:) `owner:alice` `table:hosts` `since:24h`, and words anywhere; -term negates.
 */
export function changeFilter(src: string, now = Date.now()): ((r: ObjRow) => boolean) | null {
  const tests: ((r: ChangeRow) => boolean)[] = [];
  for (const raw of src.split(/\s+/).filter(Boolean)) {
    const neg = raw.startsWith('-') && raw.length > 1;
    const t = neg ? raw.slice(1) : raw;
    const m = /^([a-z]+)[:=](.*)$/i.exec(t);
    let f: (r: ChangeRow) => boolean;
    const v = (m?.[2] ?? '').toLowerCase();
    switch (m?.[1].toLowerCase()) {
      case 'field': f = (r) => r.c.field.toLowerCase().includes(v); break;
      case 'type': f = (r) => r.c.type.toLowerCase() === v; break;
      case 'source': case 'vcenter': f = (r) => r.c.source.toLowerCase().includes(v); break;
      case 'vm': case 'object': case 'name': f = (r) => r.object.toLowerCase().includes(v); break;
      case 'owner': f = (r) => r.owners.includes(v); break;
      case 'table': case 'kind': f = (r) => r.c.table.toLowerCase().startsWith(v); break;
      case 'since': {
        const from = parseSince(m![2], now);
        f = (r) => r.c.time >= from;
        break;
      }
      case undefined: {
        const w = t.toLowerCase();
        f = (r) => r.text.includes(w);
        break;
      }
      default: throw new VmiError('usage', `unknown filter "${m![1]}:": use field: type: vcenter: vm: owner: table: since: or words`);
    }
    tests.push(neg ? (r) => !f(r) : f);
  }
  return tests.length ? (r) => tests.every((f) => f(r as ChangeRow)) : null;
}

const DAY = 86_400_000;

/** Changes per day over the history window, oldest first, from the per-minute counts. */
export function changesPerDay(minutes: Map<number, number>, now: number, days = HISTORY_MS / DAY): { day: number; n: number }[] {
  const today = Math.floor(now / DAY);
  const out = Array.from({ length: days }, (_, i) => ({ day: today - days + 1 + i, n: 0 }));
  for (const [minute, n] of minutes) {
    const i = Math.floor((minute * 60_000) / DAY) - (today - days + 1);
    if (i >= 0 && i < days) out[i].n += n;
  }
  return out;
}

export const changesView = objectView({
  id: 'changes', title: 'Changes', digit: '6', menu: 'changes', colon: ['changes', 'ch'], colonHelp: 'changes',
  columns: CHANGE_COLUMNS, sort: { col: 'time', desc: true }, rows: CHANGE_ROWS as unknown as RowKind<LiveModel>,
  // The table holds the newest changes only: how many the history window has in all.
  filterHelp: 'field:power type:created vcenter: vm: owner: since:24h',
  // Per day over the window, above the table (every change of the window, not only those held).
  above: (ctx, cols) => {
    const m = ctx.model;
    if (!m || ctx.bodyRows() < 16) return [];
    const days = changesPerDay(m.changeMinutes, ctx.now());
    const lines = columnChart(days.map((d) => d.n), days.map((d) => `${new Date(d.day * DAY).toISOString().slice(5, 10)} ${thousands(d.n)}`), Math.min(cols - 2, 160), 3, ctx.theme.glyphs.bar);
    return [...lines.slice(0, -1).map((text) => ({ text: ` ${text}`, tone: 'accent' as const })), { text: ` ${lines.at(-1)}`, tone: 'muted' as const }];
  },
  countNote: (ctx, total) => {
    const inWindow = ctx.model?.changesInWindow ?? 0;
    return inWindow > total ? ` (the newest; ${thousands(inWindow)} in ${HISTORY_MS / 86_400_000} days)` : '';
  },
});
