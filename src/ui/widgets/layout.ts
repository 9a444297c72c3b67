// Column layout: which columns fit the terminal and how wide each one is. Columns drop by
// priority (highest number first) until the preferred widths fit; the room left goes to the
// flexible columns. Pure, tested table-driven.
import { fit, truncate, width } from './text.js';

export interface ColumnSpec {
  id: string;
  title: string;
  /** Narrowest useful width. */
  min: number;
  /** Width it gets before any flexible column grows. */
  pref: number;
  /** Upper bound when growing (default: unlimited for flexible columns, pref otherwise). */
  max?: number;
  /** 0 = never dropped; higher numbers drop first. */
  priority: number;
  align?: 'left' | 'right';
  /** Share of the spare room (0 = fixed). */
  flex?: number;
}

export interface PlacedColumn {
  spec: ColumnSpec;
  width: number;
}

/** Lays out columns in `total` columns of screen, `gap` spaces between columns. */
export function layoutColumns(specs: ColumnSpec[], total: number, gap = 1): PlacedColumn[] {
  let cols = specs.slice();
  const need = (cs: ColumnSpec[], w: (c: ColumnSpec) => number) => cs.reduce((a, c) => a + w(c), 0) + Math.max(0, cs.length - 1) * gap;
  // Drop the least important columns (rightmost first among equals) until the preferred widths fit.
  while (cols.length > 1 && need(cols, (c) => c.pref) > total) {
    let drop = -1;
    for (let i = cols.length - 1; i >= 0; i--) {
      if (cols[i].priority === 0) continue;
      if (drop < 0 || cols[i].priority > cols[drop].priority) drop = i;
    }
    if (drop < 0) break;
    cols = cols.filter((_, i) => i !== drop);
  }
  // Dropped columns come back, narrower, when the room left is enough for them (most important
  // first): a column that missed by one character is better shown a little cut than not at all.
  const dropped = specs.filter((c) => !cols.includes(c)).sort((a, b) => a.priority - b.priority || specs.indexOf(a) - specs.indexOf(b));
  const prefOf = new Map(cols.map((c) => [c, c.pref]));
  let room = total - need(cols, (c) => c.pref);
  for (const c of dropped) {
    if (room < Math.max(c.min, Math.ceil(c.pref * 0.85)) + gap) continue;
    const w = Math.min(c.pref, room - gap);
    prefOf.set(c, w);
    room -= w + gap;
    cols = specs.filter((s) => prefOf.has(s));
  }
  const widths = cols.map((c) => prefOf.get(c)!);
  // Still too wide (only never-dropped columns left): shrink the flexible ones, then all, to min.
  let over = widths.reduce((a, b) => a + b, 0) + Math.max(0, cols.length - 1) * gap - total;
  for (const pass of [true, false]) {
    for (let i = cols.length - 1; i >= 0 && over > 0; i--) {
      if (pass && !cols[i].flex) continue;
      const give = Math.min(over, widths[i] - cols[i].min);
      widths[i] -= give;
      over -= give;
    }
  }
  // Spare room: to flexible columns by their share, each up to its max.
  let spare = total - (widths.reduce((a, b) => a + b, 0) + Math.max(0, cols.length - 1) * gap);
  for (let guard = 0; spare > 0 && guard < 8; guard++) {
    const growable = cols.map((c, i) => ({ c, i })).filter(({ c, i }) => (c.flex ?? 0) > 0 && widths[i] < (c.max ?? Infinity));
    if (growable.length === 0) break;
    const shares = growable.reduce((a, x) => a + (x.c.flex ?? 0), 0);
    let given = 0;
    for (const { c, i } of growable) {
      const want = Math.max(1, Math.floor((spare * (c.flex ?? 0)) / shares));
      const add = Math.min(want, (c.max ?? Infinity) - widths[i], spare - given);
      widths[i] += add;
      given += add;
    }
    spare -= given;
    if (given === 0) break;
  }
  return cols.map((spec, i) => ({ spec, width: Math.max(0, widths[i]) }));
}

/** The header line of a table. */
export function headerLine(cols: PlacedColumn[], gap = 1, marker?: { id: string; glyph: string }, ellipsis = '…'): string {
  return cols.map((c) => {
    if (marker && marker.id === c.spec.id) {
      // The sort arrow always shows: the title gives way when the column is narrow.
      const gw = width(marker.glyph);
      const title = width(c.spec.title) + gw > c.width ? truncate(c.spec.title, Math.max(0, c.width - gw), '') : c.spec.title;
      return fit(`${title}${marker.glyph}`, c.width, { align: c.spec.align, ellipsis });
    }
    return fit(c.spec.title, c.width, { align: c.spec.align, ellipsis });
  }).join(' '.repeat(gap));
}

/** One row from cell texts, each fitted to its column. */
export function rowLine(cols: PlacedColumn[], cells: string[], gap = 1, ellipsis = '…'): string {
  let out = '';
  for (let i = 0; i < cols.length; i++) {
    if (i) out += ' '.repeat(gap);
    out += fit(cells[i] ?? '', cols[i].width, { align: cols[i].spec.align, ellipsis });
  }
  return out;
}

/** A stable key for a layout, to memoize rows per layout. */
export function layoutKey(cols: PlacedColumn[]): string {
  return cols.map((c) => `${c.spec.id}:${c.width}`).join(',');
}
