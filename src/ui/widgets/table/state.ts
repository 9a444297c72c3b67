// A table's state: where the cursor is, what is filtered (being typed or applied), how it is
// sorted. The same for every table view.
import type { Key } from 'ink';
import { oneLine, VmiError } from '../../../errors.js';
import { editLine, EMPTY, line, type Line } from '../lineedit.js';

export function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

/** The cursor and scroll position of a list. */
export class ListCursor {
  cursor = 0;
  top = 0;
  /** The selected row's id, which the cursor follows when rows move. */
  selectedId?: number;

  /** Adjusts `top` so that the cursor is visible in `height` rows of `count`. */
  window(count: number, height: number): { top: number; cursor: number } {
    this.cursor = clamp(this.cursor, 0, Math.max(0, count - 1));
    if (this.cursor < this.top) this.top = this.cursor;
    if (this.cursor >= this.top + height) this.top = this.cursor - height + 1;
    this.top = clamp(this.top, 0, Math.max(0, count - height));
    return { top: this.top, cursor: this.cursor };
  }

  /** Moves over `n` rows; the selected id follows when `idAt` is given. */
  move(delta: number, n: number, idAt?: (i: number) => number | undefined): void {
    if (n === 0) return;
    this.cursor = clamp(delta === -Infinity ? 0 : delta === Infinity ? n - 1 : this.cursor + delta, 0, n - 1);
    if (idAt) this.selectedId = idAt(this.cursor);
  }

  /** Scroll-only views move the window, not a cursor. */
  scroll(delta: number, max: number): void {
    this.top = clamp(delta === -Infinity ? 0 : delta === Infinity ? max : this.top + delta, 0, max);
  }

  /** After the rows changed: the cursor goes back to the selected row. */
  follow(count: number, idAt: (i: number) => number | undefined, indexOf: (id: number) => number): void {
    if (this.selectedId !== undefined && idAt(this.cursor) !== this.selectedId) {
      const i = indexOf(this.selectedId);
      if (i >= 0) this.cursor = i;
    }
    this.cursor = clamp(this.cursor, 0, Math.max(0, count - 1));
  }
}

/**
 * The filter of a table: applied as typed (a draft that does not parse leaves the previous
 * results on screen), enter keeps it, esc goes back to what was there before.
 */
export class FilterBox {
  applied = '';
  draft: Line = EMPTY;
  editing = false;
  error: string | null = null;
  private before = '';
  private pending: string | null = null;

  /**
   * `apply` sets the filter (throws, changing nothing, when it does not parse); `check` only
   * parses, so the error shows with the key press and the pass over the rows comes later.
   */
  constructor(private readonly apply: (src: string) => void = () => {}, private readonly check: (src: string) => void = () => {}) {}

  start(): void {
    this.editing = true;
    this.before = this.applied;
    this.draft = line(this.applied);
    this.error = null;
  }

  /** Applies a filter; throws (and changes nothing) when it does not parse. */
  set(src: string): void {
    this.apply(src);
    this.applied = src;
    if (!this.editing) this.draft = line(src);
    this.error = null;
  }

  /** A key while typing; `later` runs the filter after the frame that echoes the key. */
  key(input: string, key: Partial<Key>, name: string, later: (fn: () => void) => void): void {
    if (name === 'enter') {
      if (this.error) return; // stays open with its message; the previous results are still shown
      this.flush();
      this.editing = false;
      return;
    }
    if (name === 'esc') {
      this.pending = null;
      this.editing = false;
      this.error = null;
      this.set(this.before);
      return;
    }
    if (name === 'ctrl+u') this.draft = EMPTY;
    else {
      const next = editLine(this.draft, input, key);
      if (!next) return;
      this.draft = next;
    }
    const src = this.draft.text;
    try {
      this.check(src);
      this.error = null;
    } catch (e) {
      this.error = oneLine(e);
      this.pending = null;
      return;
    }
    // Only the latest draft is applied when keys come fast.
    this.pending = src;
    later(() => this.flush());
  }

  private flush(): void {
    const src = this.pending;
    this.pending = null;
    if (src === null) return;
    try {
      this.set(src);
    } catch (e) {
      this.error = oneLine(e);
    }
  }
}

/** The sort of a table: a column id and a direction. */
export class SortState {
  constructor(public col: string, public desc = false) {}

  /** The next of `cols` (from the first after the end); returns its id. */
  next(cols: readonly string[]): string {
    this.col = cols[(cols.indexOf(this.col) + 1) % cols.length];
    this.desc = false;
    return this.col;
  }

  reverse(): void {
    this.desc = !this.desc;
  }
}

/** Every term must occur in the row's text. */
export function rowFilter(filter: string): ((r: { text: string }) => boolean) | null {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return terms.length ? (r) => terms.every((t) => r.text.includes(t)) : null;
}

/** Every term must occur in the row's text. Pure. */
export function filterRows<T extends { text: string }>(rows: T[], filter: string): T[] {
  const test = rowFilter(filter);
  return test ? rows.filter(test) : rows;
}

/** A table of `rows` as data, cells by `cells` in the order of `columns`. */
export function tableRowsOf<T>(columns: { id: string; title: string }[], rows: T[], cells: (r: T) => string[]): { columns: { id: string; title: string }[]; count: number; rows(): Iterable<string[]> } {
  return { columns: columns.map((c) => ({ id: c.id, title: c.title })), count: rows.length, rows: () => rows.map(cells) };
}

/**
 * A filter of `name:value` terms (each name reads a field of the row; the value is contained,
 * case-insensitively) and plain words matched against the row's text; -term negates. An unknown
 * name is a usage error that names the known ones.
 */
export function fieldFilter<R extends { text: string }>(src: string, fields: Record<string, (r: R) => string | undefined>): ((r: R) => boolean) | null {
  const tests: ((r: R) => boolean)[] = [];
  for (const raw of src.split(/\s+/).filter(Boolean)) {
    const neg = raw.startsWith('-') && raw.length > 1;
    const t = neg ? raw.slice(1) : raw;
    const m = /^([a-z]+)[:=](.*)$/i.exec(t);
    let f: (r: R) => boolean;
    if (m) {
      const get = fields[m[1].toLowerCase()];
      if (!get) throw new VmiError('usage', `unknown filter "${m[1]}:": use ${Object.keys(fields).map((k) => `${k}:`).join(' ')} or words`);
      const v = m[2].toLowerCase();
      f = (r) => (get(r) ?? '').toLowerCase().includes(v);
    } else {
      const w = t.toLowerCase();
      f = (r) => r.text.includes(w);
    }
    tests.push(neg ? (r) => !f(r) : f);
  }
  return tests.length ? (r) => tests.every((f) => f(r)) : null;
}
