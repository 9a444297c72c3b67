// A view made of one object table (hosts, datastores, networks, changes, alarms, events): rows
// from the model by a RowKind, the shared table, filter and sort, and enter to what a row opens.
import { Box } from 'ink';
import React from 'react';
import type { LiveModel } from '../../../model/live.js';
import type { AppContext, GoParams } from '../../context.js';
import { C, type KeyCommand } from '../../keys.js';
import type { ColonCommand, TableData, ViewDef, ViewInstance } from '../../view.js';
import { Line } from '../primitives.js';
import { fit, thousands } from '../text.js';
import type { Tone } from '../theme.js';
import { ObjIndex, type ObjColumn, type ObjRow, type RowKind } from './objindex.js';
import { FilterBox, ListCursor, SortState } from './state.js';
import { tableRows, TablePanel } from './table.js';

export const OBJECT_OPEN: KeyCommand = C('objects.open', ['enter'], 'VMs on it / open', ['objects'], 'Hosts, storage, networks, changes, alarms', { footer: 1, short: 'open' });

export interface ObjectViewSpec {
  id: string;
  title: string;
  digit?: string;
  menu?: string;
  colon: string[];
  colonHelp: string;
  columns: ObjColumn[];
  sort: { col: string; desc: boolean };
  rows: RowKind<LiveModel>;
  /** Said after "x of y" (the change table: how many the window holds). */
  countNote?: (ctx: AppContext, total: number) => string;
  /** Lines above the table (the change table's per-day chart). */
  above?: (ctx: AppContext, cols: number) => { text: string; tone?: Tone }[];
  /** What the placeholder says about filtering. */
  filterHelp?: string;
}

export class ObjectTable implements ViewInstance {
  readonly list = new ListCursor();
  readonly filter: FilterBox;
  private readonly sort: SortState;
  /** Rows are kept while the table (or what it opened) is shown: over 100,000 for changes. */
  private index: ObjIndex<LiveModel> | null = null;

  constructor(private readonly spec: ObjectViewSpec, private readonly ctx: AppContext) {
    this.sort = new SortState(spec.sort.col, spec.sort.desc);
    const parse = spec.rows.filter;
    this.filter = parse ? new FilterBox((src) => parse(src, Date.now()), (src) => parse(src, Date.now())) : new FilterBox();
  }

  readonly commands: Record<string, () => void> = {
    'objects.open': () => {
      const row = this.rows()[this.list.cursor];
      if (!row?.open) return;
      if ('vm' in row.open) this.ctx.go('vm', { id: row.open.vm });
      else if ('view' in row.open) this.ctx.go(row.open.view, { id: row.open.id });
      else this.ctx.go('vms', { filter: row.open.filter });
    },
    'table.filter': () => this.filter.start(),
    'table.sort': () => {
      const next = this.spec.columns.find((c) => c.id === this.sort.next(this.spec.columns.map((c) => c.id)))!;
      this.ctx.flash(`sorted by ${next.title.toLowerCase()}`, 'muted');
    },
    'table.reverse': () => this.sort.reverse(),
  };

  scopes(): string[] {
    return [this.spec.id, 'objects', 'table', 'sortable', 'list', 'global'];
  }

  rows(): ObjRow[] {
    const m = this.ctx.model;
    if (!m) return [];
    this.index ??= new ObjIndex(this.spec.rows);
    const rows = this.index.view(m, m.version, this.sort.col, this.sort.desc, this.filter.applied);
    this.list.follow(rows.length, (i) => rows[i]?.id, (id) => rows.findIndex((r) => r.id === id));
    return rows;
  }

  get total(): number {
    return this.index?.total ?? 0;
  }

  move(delta: number): void {
    const rows = this.rows();
    this.list.move(delta, rows.length, (i) => rows[i]?.id);
  }

  pageRows(): number {
    return tableRows(this.ctx.bodyRows(), this.filter, this.spec.above?.(this.ctx, 80).length ?? 0);
  }

  enter(p: GoParams): void {
    if (p.id !== undefined) {
      // From the search: the object, with no filter hiding it.
      this.filter.set('');
      this.list.selectedId = p.id;
      const i = this.rows().findIndex((r) => r.id === p.id);
      if (i >= 0) this.list.cursor = i;
    } else if (p.filter !== undefined) this.filter.set(p.filter);
  }

  leave(): void {
    this.index = null;
  }

  table(): TableData {
    const rows = this.rows();
    const cols = this.spec.columns;
    return { columns: cols.map((c) => ({ id: c.id, title: c.title })), count: rows.length, rows: () => rows.map((r) => cols.map((c) => r.cells[c.id] ?? '')) };
  }

  render(cols: number, h: number): React.ReactNode {
    const rows = this.rows();
    const spec = this.spec;
    const total = this.total;
    const title = spec.title.toLowerCase();
    const above = spec.above?.(this.ctx, cols) ?? [];
    const table = (
      <TablePanel cols={cols} h={h - above.length} filter={this.filter} list={this.list} specs={spec.columns} count={rows.length} sort={this.sort}
        countText={`${thousands(rows.length)} of ${thousands(total)} ${title}${spec.countNote?.(this.ctx, total) ?? ''}`}
        placeholder={`${spec.title}: f filters${spec.filterHelp ? ` (${spec.filterHelp})` : ''}, s sorts, enter opens`}
        cell={(i) => spec.columns.map((c) => rows[i].cells[c.id] ?? '')} tone={(i) => rows[i].tone}
        empty={total ? 'Nothing matches the filter.' : `No ${title} in the cache yet.`} />
    );
    if (!above.length) return table;
    return (
      <Box flexDirection="column" height={h}>
        {above.map((l, i) => <Line key={i} text={fit(l.text, cols)} tone={l.tone} />)}
        {table}
      </Box>
    );
  }
}

export function objectView(spec: ObjectViewSpec): ViewDef {
  const colon: ColonCommand[] = [{ names: spec.colon, help: spec.colonHelp }];
  return { id: spec.id, title: spec.title, digit: spec.digit, menu: spec.menu, colon, keys: [OBJECT_OPEN], create: (ctx) => new ObjectTable(spec, ctx) };
}
