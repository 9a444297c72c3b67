// The rows of an object table (hosts, datastores, networks, changes, alarms, events), following
// the model by patches. Rows are kept per object and rebuilt only for objects the model replaced;
// the sorted and filtered lists are patched in place. The change and event tables hold over
// 100,000 rows at scale, and the worker commits every second or two: rebuilding and sorting them
// all per commit made a screen left on them allocate gigabytes.
import type { ColumnSpec } from '../layout.js';
import type { Tone } from '../theme.js';
import { rowFilter } from './state.js';

export interface ObjRow {
  id: number;
  /** Lower-cased text the "f" filter matches against. */
  text: string;
  cells: Record<string, string>;
  sort: Record<string, number | string>;
  tone?: Tone;
  /** Where enter goes: a VM filter, a VM's detail, or another view's object. */
  open?: { filter: string } | { vm: number } | { view: string; id: number };
}

export interface ObjColumn extends ColumnSpec {
  id: string;
}

/** How one kind of object becomes rows: the objects, and the row of one (null: not shown). */
export interface RowKind<M, O = object> {
  objects(m: M): Map<number, O>;
  /** `ctx` holds lookups built once per batch when a row first needs them. */
  row(m: M, obj: O, ctx: Record<string, unknown>): ObjRow | null;
  /** Rows depend on other objects too (host rows count VMs): every batch rebuilds them all. */
  dependsOnAll?: boolean;
  /** A filter language of its own (throws a VmiError when `src` does not parse); default: words. */
  filter?(src: string, now: number): ((r: ObjRow) => boolean) | null;
}

/** Every row of a kind, in the model's order. Pure. */
export function objectRows<M, O>(kind: RowKind<M, O>, m: M): ObjRow[] {
  const ctx = {};
  const out: ObjRow[] = [];
  for (const o of kind.objects(m).values()) {
    const r = kind.row(m, o, ctx);
    if (r) out.push(r);
  }
  return out;
}

function rowOrder(col: string, desc: boolean): (a: ObjRow, b: ObjRow) => number {
  const dir = desc ? -1 : 1;
  return (a, b) => {
    const x = a.sort[col];
    const y = b.sort[col];
    return dir * (x < y ? -1 : x > y ? 1 : 0) || a.id - b.id;
  };
}

/** Sorts rows by a column key (ties by id). Pure. */
export function sortRows(rows: ObjRow[], col: string, desc: boolean): ObjRow[] {
  return rows.slice().sort(rowOrder(col, desc));
}

/** A row with the key of the current sort, read once when it joins the list. */
type Keyed = ObjRow & { k?: number | string };

function keyedOrder(desc: boolean): (a: Keyed, b: Keyed) => number {
  const dir = desc ? -1 : 1;
  return (a, b) => dir * (a.k! < b.k! ? -1 : a.k! > b.k! ? 1 : 0) || a.id - b.id;
}

/** Sorted rows `into` gets `add` (sorted the same way) merged in place, from the end. */
function mergeInto(into: ObjRow[], add: ObjRow[], order: (a: ObjRow, b: ObjRow) => number): void {
  let i = into.length - 1;
  let j = add.length - 1;
  let w = into.length + add.length - 1;
  into.length = w + 1;
  while (j >= 0) into[w--] = i >= 0 && order(into[i]!, add[j]!) > 0 ? into[i--]! : add[j--]!;
}

function dropRows(rows: ObjRow[], gone: Set<ObjRow>): void {
  let w = 0;
  for (let i = 0; i < rows.length; i++) if (!gone.has(rows[i]!)) rows[w++] = rows[i]!;
  rows.length = w;
}

/** Above this many new, changed or gone rows in one batch, sorting again is cheaper than patching. */
const PATCH_LIMIT = 2000;

export class ObjIndex<M, O extends object = object> {
  private byId = new Map<number, { src: O; row: ObjRow | null }>();
  private sorted: ObjRow[] = [];
  private filtered: ObjRow[] = [];
  private version = -1;
  private sortedBy = '';
  private filteredBy = '';
  private col = '';
  private order = keyedOrder(false);
  private test: ((r: ObjRow) => boolean) | null = null;
  fullSorts = 0;

  constructor(private readonly kind: RowKind<M, O>) {}

  /** Rows shown (not deleted), before the filter. */
  get total(): number {
    return this.sorted.length;
  }

  view(m: M, version: number, col: string, desc: boolean, filter: string): ObjRow[] {
    const sortKey = `${col}|${desc}`;
    let resort = sortKey !== this.sortedBy;
    let refilter = resort || filter !== this.filteredBy;
    if (version !== this.version) {
      this.version = version;
      const patched = this.sync(m, !resort);
      resort ||= !patched;
      refilter ||= !patched;
    }
    if (resort) {
      this.col = col;
      this.order = keyedOrder(desc);
      this.sorted = [];
      for (const c of this.byId.values()) {
        if (!c.row) continue;
        (c.row as Keyed).k = c.row.sort[col];
        this.sorted.push(c.row);
      }
      this.sorted.sort(this.order);
      this.sortedBy = sortKey;
      this.fullSorts++;
    }
    if (refilter) {
      this.test = this.kind.filter ? this.kind.filter(filter, Date.now()) : rowFilter(filter);
      this.filtered = this.test ? this.sorted.filter(this.test) : this.sorted.slice();
      this.filteredBy = filter;
    }
    return this.filtered;
  }

  /** Brings the rows up to the model; patches the lists when `patch` and few rows changed (true: patched). */
  private sync(m: M, patch: boolean): boolean {
    const src = this.kind.objects(m);
    const ctx = {};
    if (this.test && this.kind.filter) this.test = this.kind.filter(this.filteredBy, Date.now());
    const all = !!this.kind.dependsOnAll;
    const added: ObjRow[] = [];
    const gone = new Set<ObjRow>();
    for (const [id, o] of src) {
      const c = this.byId.get(id);
      if (c && c.src === o && !all) continue;
      const row = this.kind.row(m, o, ctx);
      if (c?.row) gone.add(c.row);
      if (row) {
        if (this.col) (row as Keyed).k = row.sort[this.col];
        added.push(row);
      }
      this.byId.set(id, { src: o, row });
    }
    if (this.byId.size !== src.size) {
      for (const [id, c] of this.byId) {
        if (src.has(id)) continue;
        if (c.row) gone.add(c.row);
        this.byId.delete(id);
      }
    }
    if (!patch || all || added.length + gone.size > PATCH_LIMIT) return false;
    if (gone.size) {
      dropRows(this.sorted, gone);
      dropRows(this.filtered, gone);
    }
    if (added.length) {
      added.sort(this.order);
      mergeInto(this.sorted, added, this.order);
      mergeInto(this.filtered, this.test ? added.filter(this.test) : added, this.order);
    }
    return true;
  }
}
