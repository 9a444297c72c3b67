// The VMs view's working set: every VM sorted by the chosen column, then filtered. Lists hold
// column slots (a VM keeps its slot for its lifetime, see vmcolumns.ts), not VM objects, so a
// VM the worker updates without moving it changes no list at all. A model batch that adds,
// removes or moves a few VMs patches the lists in place (binary-search inserts into reused
// buffers): a NOC screen left on this view for weeks, with updates every second, allocates
// nothing in proportion to 100,000 VMs per update. A name-sorted list is always kept, so sorting
// by another column is a numeric sort of positions (ties stay in name order).
import { parseFilter, type ParsedFilter } from '../../model/filter.js';
import type { VmView } from '../../model/vm.js';
import { runFilter, VmColumns } from './vmcolumns.js';
import { VM_COLUMN_BY_ID, type VmColumnId } from './vmrows.js';

export interface VmSource {
  readonly vms: Map<number, VmView>;
  readonly version: number;
}

/** Rows read by position: an array, or the VMs view's rows. */
export interface RowList<T = VmView> {
  readonly length: number;
  at(i: number): T | undefined;
}

/** What the VMs view shows. */
export type VmRows = RowList & Iterable<VmView>;

type Key = number | string;

function cmp(a: Key, b: Key): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Dec {
  k: Key;
  n: string;
  id: number;
}

function comparator(col: VmColumnId, desc: boolean): { dec: (v: VmView) => Dec; compare: (a: Dec, b: Dec) => number } {
  const key = VM_COLUMN_BY_ID.get(col)!.sortKey;
  const dir = desc ? -1 : 1;
  return {
    dec: (v) => ({ k: key(v), n: col === 'name' ? '' : v.name.toLowerCase(), id: v.id }),
    compare: (a, b) => dir * (cmp(a.k, b.k) || cmp(a.n, b.n) || a.id - b.id),
  };
}

/** Sorts VMs by a column (ties: name, then id), descending when asked. Pure. */
export function sortVms(vms: VmView[], col: VmColumnId, desc: boolean): VmView[] {
  const { dec, compare } = comparator(col, desc);
  const d = vms.map((v) => ({ d: dec(v), v }));
  d.sort((a, b) => compare(a.d, b.d));
  return d.map((x) => x.v);
}

/**
 * Sorts a name-ordered list by another column: keys become numbers (strings by the rank of
 * their distinct values) and positions break ties, so the comparison is numeric only.
 */
export function sortFromNameOrder(byName: VmView[], col: VmColumnId, desc: boolean): VmView[] {
  const idx = namePositions(byName, col, desc);
  const out = new Array<VmView>(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = byName[idx[i]];
  return out;
}

/** The order of sortFromNameOrder() as positions in the name-ordered list. */
export function namePositions(byName: RowList, col: VmColumnId, desc: boolean): Uint32Array {
  const key = VM_COLUMN_BY_ID.get(col)!.sortKey;
  const n = byName.length;
  const keys = new Float64Array(n);
  const raw: Key[] = new Array(n);
  const distinct = new Set<string>();
  for (let i = 0; i < n; i++) {
    const k = key(byName.at(i)!);
    raw[i] = k;
    if (typeof k === 'string') distinct.add(k);
  }
  // Strings sort after numbers (a column has one kind; this only makes mixed keys deterministic).
  const rank = new Map([...distinct].sort(cmp).map((s, i) => [s, Number.MAX_SAFE_INTEGER / 2 + i]));
  for (let i = 0; i < n; i++) {
    const k = raw[i];
    keys[i] = typeof k === 'string' ? rank.get(k)! : k;
  }
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const dir = desc ? -1 : 1;
  // Ties by name (position in byName) and id, reversed too when descending, like sortVms.
  idx.sort((a, b) => dir * (keys[a] - keys[b] || a - b));
  return idx;
}

/** The rows of the VMs view: slots in display order, each read through the columns. */
export class VmRowList implements RowList, Iterable<VmView> {
  constructor(private readonly cols: VmColumns, readonly slots: Int32Array) {}

  get length(): number {
    return this.slots.length;
  }

  at(i: number): VmView | undefined {
    return i >= 0 && i < this.slots.length ? this.cols.view(this.slots[i]!) ?? undefined : undefined;
  }

  *[Symbol.iterator](): Iterator<VmView> {
    for (let i = 0; i < this.slots.length; i++) yield this.cols.view(this.slots[i]!)!;
  }
}

/** Above this many changed VMs in one batch, sorting and filtering again is cheaper than patching. */
const PATCH_LIMIT = 5000;

/** A list of slots in one order, patched in place; `spare` is the buffer the next merge writes. */
class SlotList {
  buf: Int32Array = new Int32Array(0);
  len = 0;
  private spare: Int32Array = new Int32Array(0);
  private readonly c: ReturnType<typeof comparator>;

  constructor(readonly col: VmColumnId, readonly desc: boolean, private readonly cols: VmColumns) {
    this.c = comparator(col, desc);
  }

  get slots(): Int32Array {
    return this.buf.subarray(0, this.len);
  }

  set(slots: Int32Array): void {
    this.buf = slots;
    this.len = slots.length;
  }

  /** Drops the slots marked in `gone` (indexed by slot), keeping the order. */
  remove(gone: Uint8Array): void {
    const b = this.buf;
    let w = 0;
    for (let i = 0; i < this.len; i++) {
      const s = b[i]!;
      if (!gone[s]) b[w++] = s;
    }
    this.len = w;
  }

  /** Inserts slots where their VMs belong (the list must not hold them). */
  insert(slots: number[]): void {
    if (slots.length === 0) return;
    const { dec, compare } = this.c;
    const view = (s: number) => this.cols.view(s)!;
    const ins = slots.map((s) => ({ s, d: dec(view(s)) })).sort((a, b) => compare(a.d, b.d));
    const need = this.len + ins.length;
    if (this.spare.length < need) this.spare = new Int32Array(Math.max(need + (need >> 3), 1024));
    const src = this.buf;
    const dst = this.spare;
    let from = 0;
    let at = 0;
    for (const x of ins) {
      let lo = from;
      let hi = this.len;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compare(dec(view(src[mid]!)), x.d) < 0) lo = mid + 1;
        else hi = mid;
      }
      dst.set(src.subarray(from, lo), at);
      at += lo - from;
      dst[at++] = x.s;
      from = lo;
    }
    dst.set(src.subarray(from, this.len), at);
    at += this.len - from;
    this.spare = src;
    this.buf = dst;
    this.len = at;
  }
}

export class VmIndex {
  private readonly columns = new VmColumns();
  private byName = new SlotList('name', false, this.columns);
  private current: SlotList = this.byName;
  private filtered = new SlotList('name', false, this.columns);
  private filter: ParsedFilter = parseFilter('');
  private filteredFor = '';
  private version = -1;
  private rows: VmRowList | null = null;
  /** Scratch marks by slot, reused by every patch. */
  private marks = new Uint8Array(0);
  private fullSorts = 0;
  private patches = 0;

  constructor(private readonly model: VmSource) {}

  /** Full sorts and patches done (for tests and measurements). */
  get stats(): { fullSorts: number; patches: number } {
    return { fullSorts: this.fullSorts, patches: this.patches };
  }

  /** Sets the filter; throws the parser's VmiError and keeps the previous one when it does not parse. */
  setFilter(src: string): void {
    this.filter = parseFilter(src);
  }

  get filterSource(): string {
    return this.filter.source;
  }

  /** The filtered, sorted VMs for this sort; cheap when nothing changed since the last call. */
  view(col: VmColumnId, desc: boolean): VmRowList {
    const { vms, version } = this.model;
    let refilter = false;
    if (version !== this.version) {
      this.version = version;
      this.columns.sync(vms, version);
      const changes = this.columns.takeChanges();
      if (changes === 'all' || changes.size > PATCH_LIMIT || this.byName.len === 0) {
        this.sortAll();
        this.current = this.byName;
        refilter = true;
      } else if (changes.size) this.patch(changes);
    }
    if (this.current.col !== col || this.current.desc !== desc) {
      this.current = col === 'name' && !desc ? this.byName : this.sortedFromName(col, desc);
      refilter = true;
    }
    const fsig = `${col}:${desc}|${this.filter.source}`;
    if (refilter || fsig !== this.filteredFor) {
      const f = new SlotList(col, desc, this.columns);
      f.set(runFilter(this.columns, this.filter, this.current.slots));
      this.filtered = f;
      this.filteredFor = fsig;
      this.rows = null;
    }
    this.rows ??= new VmRowList(this.columns, this.filtered.slots);
    return this.rows;
  }

  /** Every VM the columns hold, sorted by name. */
  private sortAll(): void {
    const { dec, compare } = comparator('name', false);
    const d: { s: number; d: Dec }[] = [];
    for (let s = 0; s < this.columns.slots; s++) {
      const v = this.columns.view(s);
      if (v) d.push({ s, d: dec(v) });
    }
    d.sort((a, b) => compare(a.d, b.d));
    this.byName.set(Int32Array.from(d, (x) => x.s));
    this.fullSorts++;
  }

  private sortedFromName(col: VmColumnId, desc: boolean): SlotList {
    const names = this.byName.slots;
    const idx = namePositions(new VmRowList(this.columns, names), col, desc);
    const out = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = names[idx[i]!]!;
    const l = new SlotList(col, desc, this.columns);
    l.set(out);
    return l;
  }

  /**
   * Applies changed slots (with the VM each held before) to the sorted lists and the filtered
   * rows: a VM whose sort key is unchanged stays where it is; the others are taken out and
   * inserted again.
   */
  private patch(changes: Map<number, VmView | null>): void {
    const n = this.columns.slots;
    if (this.marks.length < n) this.marks = new Uint8Array(Math.max(n + (n >> 3), 1024));
    const marks = this.marks;
    const lists = this.current === this.byName ? [this.byName] : [this.byName, this.current];
    for (const l of lists) {
      const key = VM_COLUMN_BY_ID.get(l.col)!.sortKey;
      const moved: number[] = [];
      let out = 0;
      for (const [s, prev] of changes) {
        const v = this.columns.view(s);
        if (prev && v && prev.id === v.id && prev.name === v.name && key(prev) === key(v)) continue;
        if (prev) {
          marks[s] = 1;
          out++;
        }
        if (v) moved.push(s);
      }
      if (out) l.remove(marks);
      for (const s of changes.keys()) marks[s] = 0;
      l.insert(moved);
    }
    // The filtered rows: every changed VM is tested again (any field may decide the filter).
    const back: number[] = [];
    for (const s of changes.keys()) {
      marks[s] = 1;
      const v = this.columns.view(s);
      if (v && this.filter.test(v)) back.push(s);
    }
    this.filtered.remove(marks);
    for (const s of changes.keys()) marks[s] = 0;
    this.filtered.insert(back);
    this.rows = null;
    this.patches++;
  }

  /** The filter and search columns, up to date with the model. */
  syncedColumns(): VmColumns {
    this.columns.sync(this.model.vms, this.model.version);
    return this.columns;
  }

  /** Whether filter columns still need building (see warm()). */
  get wantsWarm(): boolean {
    this.columns.sync(this.model.vms, this.model.version);
    return this.columns.cold;
  }

  /**
   * Builds the usual filter columns of a few blocks of VMs, so that the first keystroke of a
   * filter finds them ready; true while more is left.
   */
  warm(): boolean {
    this.columns.sync(this.model.vms, this.model.version);
    return this.columns.warm();
  }

  /** Where a VM is among the last view()'s rows (-1: not there). */
  indexOf(id: number): number {
    const slot = this.columns.slot(id);
    return slot < 0 ? -1 : this.filtered.slots.indexOf(slot);
  }

  /** VMs that are not deleted (the "y" of "x of y VMs"). */
  get total(): number {
    return this.columns.liveCount;
  }
}
