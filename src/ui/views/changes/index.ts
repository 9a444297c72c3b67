// Changes: the live feed of every change the worker recorded, newest first; enter opens the VM.
import { HISTORY_MS, type ChangeEntry, type LiveModel } from '../../../model/live.js';
import type { ObjectModel } from '../../data/objects.js';
import type { ObjColumn, ObjRow, RowKind } from '../../widgets/table/objindex.js';
import { objectView } from '../../widgets/table/objectview.js';
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
class ChangeRow implements ObjRow {
  readonly id: number;
  readonly tone: Tone | undefined;
  readonly open: { vm: number } | undefined;

  constructor(private readonly c: ChangeEntry, private readonly object: string, vmId: number | undefined) {
    this.id = c.id;
    this.tone = c.type === 'deleted' ? 'bad' : this.life ? 'good' : undefined;
    this.open = vmId !== undefined ? { vm: vmId } : undefined;
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

export const CHANGE_ROWS: RowKind<ObjectModel, ChangeEntry> = {
  objects: (m) => m.changes,
  row(m, c) {
    const vm = c.table === 'vms' ? m.vms.get(c.objectId) : undefined;
    return new ChangeRow(c, c.name ?? vm?.name ?? `${c.table}#${c.objectId}`, vm?.id);
  },
};

export const changesView = objectView({
  id: 'changes', title: 'Changes', digit: '6', menu: 'changes', colon: ['changes', 'ch'], colonHelp: 'changes',
  columns: CHANGE_COLUMNS, sort: { col: 'time', desc: true }, rows: CHANGE_ROWS as unknown as RowKind<LiveModel>,
  // The table holds the newest changes only: how many the history window has in all.
  countNote: (ctx, total) => {
    const inWindow = ctx.model?.changesInWindow ?? 0;
    return inWindow > total ? ` (the newest; ${thousands(inWindow)} in ${HISTORY_MS / 86_400_000} days)` : '';
  },
});
