// VMs: every VM of every source, filtered with the filter language and sorted by any column;
// marks for acting on many VMs at once (owners, tags, edits).
import React, { useMemo, useRef } from 'react';
import { parseFilter } from '../../../model/filter.js';
import type { VmView } from '../../../model/vm.js';
import { vmActions } from '../../actions/vm.js';
import type { AppContext, GoParams, Message } from '../../context.js';
import type { VmRows } from '../../data/vmindex.js';
import { fitToData, RowCache, SORTABLE, VM_COLUMN_BY_ID, VM_COLUMNS, type VmColumnId } from '../../data/vmrows.js';
import { C } from '../../keys.js';
import type { TableData, ViewDef, ViewInstance } from '../../view.js';
import type { PlacedColumn } from '../../widgets/layout.js';
import { useTheme } from '../../widgets/primitives.js';
import { FilterBox, ListCursor } from '../../widgets/table/state.js';
import { tableRows, TablePanel } from '../../widgets/table/table.js';
import { thousands } from '../../widgets/text.js';
import type { Tone } from '../../widgets/theme.js';

export class VmsState implements ViewInstance {
  readonly list = new ListCursor();
  readonly filter: FilterBox;
  sortCol: VmColumnId = 'name';
  sortDesc = false;
  readonly marked = new Set<number>();
  private warming = false;

  constructor(readonly ctx: AppContext) {
    this.filter = new FilterBox((src) => ctx.vmIndex?.setFilter(src), (src) => parseFilter(src));
    Object.assign(this.commands, vmActions(ctx, () => this.targets()));
  }

  readonly commands: Record<string, () => void> = {
    'vms.open': () => {
      const v = this.selected();
      if (v) this.ctx.go('vm', { id: v.id });
    },
    'table.filter': () => this.filter.start(),
    'table.sort': () => {
      this.sortCol = SORTABLE[(SORTABLE.indexOf(this.sortCol) + 1) % SORTABLE.length];
      this.sortDesc = false;
      this.ctx.flash(`sorted by ${VM_COLUMN_BY_ID.get(this.sortCol)!.title.toLowerCase()}`, 'muted');
    },
    'table.reverse': () => {
      this.sortDesc = !this.sortDesc;
    },
    'vms.mark': () => {
      const v = this.selected();
      if (!v) return;
      if (this.marked.has(v.id)) this.marked.delete(v.id);
      else this.marked.add(v.id);
      this.move(1);
    },
    'vms.markAll': () => {
      const rows = this.rows();
      let all = rows.length > 0;
      for (const v of rows) {
        if (this.marked.has(v.id)) continue;
        all = false;
        break;
      }
      for (const v of rows) if (all) this.marked.delete(v.id); else this.marked.add(v.id);
      this.ctx.flash(all ? `unmarked ${rows.length} VMs` : `${this.marked.size} VMs marked`, 'muted');
    },
    'vms.unmark': () => this.marked.clear(),
  };

  scopes(): string[] {
    return ['vms', 'table', 'sortable', 'list', 'global'];
  }

  /** The rows: filtered and sorted; the cursor follows the selected VM. */
  rows(): VmRows {
    const index = this.ctx.vmIndex;
    if (!index) return [] as unknown as VmRows;
    const rows = index.view(this.sortCol, this.sortDesc);
    if (index.wantsWarm && !this.warming) {
      // Filter columns for this order, built between frames.
      this.warming = true;
      const step = () => {
        if (this.ctx.vmIndex === index && index.warm()) setImmediate(step);
        else this.warming = false;
      };
      setImmediate(step);
    }
    this.list.follow(rows.length, (i) => rows.at(i)?.id, (id) => index.indexOf(id));
    this.list.selectedId = rows.at(this.list.cursor)?.id;
    return rows;
  }

  get total(): number {
    return this.ctx.vmIndex?.total ?? 0;
  }

  selected(): VmView | undefined {
    return this.rows().at(this.list.cursor);
  }

  /** What owner/tag/edit actions apply to: the marked VMs, else the selected one. */
  targets(): VmView[] {
    if (this.marked.size) {
      const out: VmView[] = [];
      for (const id of this.marked) {
        const v = this.ctx.model?.vms.get(id);
        if (v) out.push(v);
      }
      return out;
    }
    const v = this.selected();
    return v ? [v] : [];
  }

  move(delta: number): void {
    const rows = this.rows();
    this.list.move(delta, rows.length, (i) => rows.at(i)?.id);
  }

  pageRows(): number {
    return tableRows(this.ctx.bodyRows(), this.filter);
  }

  enter(p: GoParams): void {
    if (p.filter !== undefined) this.filter.set(p.filter);
    if (p.id !== undefined) this.list.selectedId = p.id;
  }

  hint(): Message | null {
    return this.marked.size ? { text: `${thousands(this.marked.size)} marked: o/b set owners, t tags, e edits them; u clears the marks`, tone: 'marked' } : null;
  }

  table(): TableData {
    const rows = this.rows();
    return { columns: VM_COLUMNS.map((c) => ({ id: c.id, title: c.title })), count: rows.length, rows: function* () { for (const v of rows) yield VM_COLUMNS.map((c) => c.cell(v)); } };
  }

  render(cols: number, h: number): React.ReactNode {
    return <VmsTable s={this} cols={cols} h={h} />;
  }
}

function VmsTable({ s, cols, h }: { s: VmsState; cols: number; h: number }) {
  const t = useTheme();
  const rows = s.rows();
  // Column widths follow the data of the row set (sampled), not the rows in view.
  const specs = useMemo(() => fitToData(VM_COLUMNS, rows), [rows]);
  const cache = useRef(new RowCache()).current;
  const laid = useRef<PlacedColumn[] | null>(null);
  const sortTitle = VM_COLUMN_BY_ID.get(s.sortCol)!.title.toLowerCase();
  const arrow = s.sortDesc ? t.glyphs.down : t.glyphs.up;
  const count = `${thousands(rows.length)} of ${thousands(s.total)} VMs${s.marked.size ? ` ${t.glyphs.sep} ${thousands(s.marked.size)} marked` : ''} ${t.glyphs.sep} ${sortTitle}${arrow}`;
  const ctx = s.ctx;
  const empty = s.total > 0 ? 'No VM matches the filter.'
    : ctx.config.sources.length === 0 ? 'No VMs yet: add a source in Settings (0), or try "vmi demo".'
      : 'No VMs in the cache yet: the sources are syncing (watch the pills above).';
  const line = (i: number, layout: PlacedColumn[]) => {
    if (laid.current !== layout) {
      cache.setLayout(layout, t.glyphs.cut);
      laid.current = layout;
    }
    return cache.line(rows.at(i)!, layout);
  };
  const tone = (i: number): Tone | undefined => {
    const v = rows.at(i)!;
    return v.deletedAt !== null ? 'muted' : s.marked.has(v.id) ? 'marked' : undefined;
  };
  return (
    <TablePanel cols={cols} h={h} filter={s.filter} list={s.list} specs={specs} count={rows.length} sort={{ col: s.sortCol, desc: s.sortDesc }}
      countText={count} placeholder="no filter: f filters (power:off owner:none ip:10.1. tag:pci ...)" empty={empty}
      line={line} tone={tone} marked={(i) => s.marked.has(rows.at(i)!.id)} />
  );
}

const filterTo = (ctx: AppContext, arg: string): string | null => {
  ctx.go('vms', { filter: arg });
  return null;
};

export const vmsView: ViewDef = {
  id: 'vms', title: 'VMs', digit: '2', menu: 'VMs',
  colon: [
    { names: ['vms', 'vm'], help: 'VMs (":vms EXPR" filters)', run: (ctx, arg) => (arg ? filterTo(ctx, arg) : (ctx.go('vms'), null)) },
    { names: ['filter', 'f'], help: 'filter VMs', run: filterTo },
  ],
  keys: [
    C('vms.open', ['enter'], 'VM detail', ['vms'], 'VMs', { footer: 1, short: 'detail' }),
    C('vms.mark', ['space'], 'mark / unmark the VM', ['vms'], 'VMs', { footer: 4, short: 'mark' }),
    C('vms.markAll', ['*'], 'mark every filtered VM (again: unmark them)', ['vms'], 'VMs', { footer: 5, short: 'mark all' }),
    C('vms.unmark', ['u'], 'clear the marks', ['vms'], 'VMs'),
  ],
  create: (ctx) => new VmsState(ctx),
};
