// The one table every table view draws with: a filter line with the "x of y" count, the filter's
// error, a header with the sort marker, and only the visible rows.
import React, { useMemo } from 'react';
import { headerLine, layoutColumns, rowLine, type ColumnSpec, type PlacedColumn } from '../layout.js';
import { splitAtCaret } from '../lineedit.js';
import { Line, Panel, Segs, useTheme } from '../primitives.js';
import { fit, truncate, width } from '../text.js';
import type { Tone } from '../theme.js';
import type { FilterBox, ListCursor } from './state.js';

/** The filter line: what is applied (or being typed, with a caret) and the "x of y" count. */
export function FilterLine({ cols, label = 'filter', f, count, placeholder }: { cols: number; label?: string; f: FilterBox; count: string; placeholder: string }) {
  const right = ` ${count} `;
  const lw = Math.max(0, cols - width(right));
  if (f.editing) {
    const { before, at, after } = splitAtCaret(f.draft);
    const head = ` ${label}: `;
    const room = Math.max(1, lw - width(head) - 1);
    const b = width(before) > room ? [...before].slice(-room).join('') : before;
    const a = truncate(after, Math.max(0, room - width(b)), '');
    const used = width(head) + width(b) + width(at) + width(a);
    return <Segs parts={[{ text: head, tone: 'accent', bold: true }, { text: b }, { text: at, inverse: true }, { text: a }, { text: ' '.repeat(Math.max(0, lw - used)) }, { text: right, tone: 'heading', bold: true }]} />;
  }
  const text = f.applied ? ` ${label}: ${f.applied}` : ` ${placeholder}`;
  return <Segs parts={[{ text: fit(text, lw), tone: f.applied ? 'accent' : 'muted' }, { text: right, tone: 'heading', bold: true }]} />;
}

export function ErrorLine({ cols, text }: { cols: number; text: string }) {
  return <Line text={fit(`   ${text}`, cols)} tone="bad" />;
}

export interface TableProps {
  cols: number;
  h: number;
  list: ListCursor;
  specs: ColumnSpec[];
  count: number;
  /** Cells in the order of `specs` (the layout may drop some). */
  cell?: (i: number) => string[];
  /** The row's text for the placed columns, when the view draws rows itself (the VMs view's cache). */
  line?: (i: number, layout: PlacedColumn[]) => string;
  tone?: (i: number) => Tone | undefined;
  /** The first column: a marked row's glyph. */
  marked?: (i: number) => boolean;
  sort?: { col: string; desc: boolean };
}

/** Header plus the visible window of rows. */
export function Table({ cols, h, list, specs, count, cell, line, tone, marked, sort }: TableProps) {
  const t = useTheme();
  const inner = Math.max(1, cols - 2);
  const layout = useMemo(() => layoutColumns(specs, inner), [specs, inner]);
  const pick = useMemo(() => layout.map((c) => specs.findIndex((s) => s.id === c.spec.id)), [layout, specs]);
  const tableH = Math.max(0, h - 1);
  const { top, cursor } = list.window(count, tableH);
  const lines: React.ReactNode[] = [];
  for (let i = top; i < Math.min(count, top + tableH); i++) {
    const text = line ? line(i, layout) : rowLine(layout, pick.map((j) => cell!(i)[j] ?? ''), 1, t.glyphs.cut);
    // Without colours (NO_COLOR, TERM=dumb) reverse video may not show: a ">" marks the cursor too.
    const lead = `${marked?.(i) ? t.glyphs.mark : ' '}${i === cursor && !t.color ? '>' : ' '}`;
    lines.push(<Line key={i - top} text={`${lead}${text}`} tone={tone?.(i)} inverse={i === cursor} />);
  }
  return (
    <>
      <Line text={`  ${headerLine(layout, 1, sort ? { id: sort.col, glyph: sort.desc ? t.glyphs.down : t.glyphs.up } : undefined, t.glyphs.ellipsis)}`} tone="heading" bold />
      {lines}
    </>
  );
}

export interface TablePanelProps extends Omit<TableProps, 'h'> {
  h: number;
  filter: FilterBox;
  countText: string;
  placeholder: string;
  /** Said under the header when there are no rows. */
  empty?: string;
}

/** A whole table view's body: filter line, error, table, and what to say when it is empty. */
export function TablePanel(p: TablePanelProps) {
  const f = p.filter;
  return (
    <Panel height={p.h}>
      <FilterLine cols={p.cols} f={f} count={p.countText} placeholder={p.placeholder} />
      {f.error ? <ErrorLine cols={p.cols} text={f.error} /> : null}
      <Table {...p} h={p.h - 1 - (f.error ? 1 : 0)} />
      {p.count === 0 && p.empty ? <Line text={fit(`  ${p.empty}`, p.cols)} tone="muted" /> : null}
    </Panel>
  );
}

/** Rows of a table view below its filter line (and error line). */
export function tableRows(bodyRows: number, f: FilterBox | undefined, extra = 0): number {
  return Math.max(1, bodyRows - 2 - extra - (f?.error ? 1 : 0));
}
