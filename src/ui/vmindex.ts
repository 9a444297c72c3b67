// The VMs view's working set: every VM sorted by the chosen column, then filtered. Rebuilt
// lazily (when the screen asks) and incrementally: a model batch that changes, adds or removes
// a few VMs patches the sorted lists (binary-search inserts) instead of sorting 100,000 VMs
// again. A name-sorted list is always kept, so sorting by another column is a numeric sort of
// positions (ties stay in name order), and reversing a sort is reversing the list.
import { parseFilter, type ParsedFilter } from '../model/filter.js';
import type { VmView } from '../model/vm.js';
import { runFilter, slotsOf, VmColumns } from './vmcolumns.js';
import { VM_COLUMN_BY_ID, type VmColumnId } from './vmrows.js';

export interface VmSource {
  readonly vms: Map<number, VmView>;
  readonly version: number;
}

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
export function namePositions(byName: VmView[], col: VmColumnId, desc: boolean): Uint32Array {
  const key = VM_COLUMN_BY_ID.get(col)!.sortKey;
  const n = byName.length;
  const keys = new Float64Array(n);
  const raw: Key[] = new Array(n);
  const distinct = new Set<string>();
  for (let i = 0; i < n; i++) {
    const k = key(byName[i]);
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

function range(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Above this many moved/added/removed VMs in one batch, a full sort is cheaper than patching. */
const PATCH_LIMIT = 5000;

/** One sorted list that follows the model by patches. */
class SortedList {
  list: VmView[] = [];
  /** Positions of `list` in the name-ordered list `fromNameOf` (until the next patch). */
  fromName: Uint32Array | null = null;
  fromNameOf: VmView[] | null = null;
  /** The VMs `list` holds, by id: built when the first patch needs it (a new sort stays cheap). */
  private seenMap: Map<number, VmView> | null = null;
  private get seen(): Map<number, VmView> {
    if (!this.seenMap) {
      const m = new Map<number, VmView>();
      for (const v of this.list) m.set(v.id, v);
      this.seenMap = m;
    }
    return this.seenMap;
  }
  version = -1;
  fullSorts = 0;
  patches = 0;

  constructor(readonly col: VmColumnId, readonly desc: boolean) {}

  /** Starts from a given order (already sorted by this list's column). */
  seed(list: VmView[], version: number): void {
    this.list = list;
    this.fromName = null;
    this.fromNameOf = null;
    this.seenMap = null;
    this.version = version;
  }

  full(vms: Map<number, VmView>, version: number): void {
    this.seed(sortVms([...vms.values()], this.col, this.desc), version);
    this.fullSorts++;
  }

  /** Brings the list up to the model; returns whether it changed. */
  update(vms: Map<number, VmView>, version: number): boolean {
    if (version === this.version) return false;
    if (this.version < 0) {
      this.full(vms, version);
      return true;
    }
    const key = VM_COLUMN_BY_ID.get(this.col)!.sortKey;
    const inserts: VmView[] = [];
    const drop = new Set<number>();
    const replaced: VmView[] = [];
    for (const v of vms.values()) {
      const prev = this.seen.get(v.id);
      if (prev === v) continue;
      if (!prev) inserts.push(v);
      else if (key(prev) !== key(v) || prev.name !== v.name) {
        inserts.push(v);
        drop.add(v.id);
      } else replaced.push(v);
      if (inserts.length > PATCH_LIMIT) {
        this.full(vms, version);
        return true;
      }
    }
    if (vms.size !== this.seen.size + inserts.length - drop.size) {
      for (const id of this.seen.keys()) if (!vms.has(id)) drop.add(id);
    }
    this.version = version;
    if (inserts.length === 0 && drop.size === 0 && replaced.length === 0) return false;
    // One pass: the newest object of every VM that stays where it is.
    const base: VmView[] = [];
    for (const v of this.list) {
      if (drop.has(v.id)) continue;
      base.push(vms.get(v.id) ?? v);
    }
    let next = base;
    if (inserts.length) {
      const { dec, compare } = comparator(this.col, this.desc);
      const ins = inserts.map((v) => ({ d: dec(v), v })).sort((a, b) => compare(a.d, b.d));
      next = [];
      let from = 0;
      for (const x of ins) {
        let lo = from;
        let hi = base.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (compare(dec(base[mid]), x.d) < 0) lo = mid + 1;
          else hi = mid;
        }
        for (let i = from; i < lo; i++) next.push(base[i]);
        next.push(x.v);
        from = lo;
      }
      for (let i = from; i < base.length; i++) next.push(base[i]);
    }
    this.list = next;
    this.fromName = null;
    for (const id of drop) if (!vms.has(id)) this.seen.delete(id);
    for (const v of inserts) this.seen.set(v.id, v);
    for (const v of replaced) this.seen.set(v.id, v);
    this.patches++;
    return true;
  }
}

export class VmIndex {
  private byName = new SortedList('name', false);
  private current: SortedList = this.byName;
  private sortRev = 0;
  private filtered: VmView[] = [];
  private filteredFor = '';
  private filter: ParsedFilter = parseFilter('');
  private liveTotal = 0;
  private readonly columns = new VmColumns();
  private order: { list: VmView[]; version: number; slots: Int32Array } | null = null;
  private nameSlots: { list: VmView[]; slots: Int32Array } | null = null;

  /**
   * The column slot of each VM of a sorted list. A VM keeps its slot, so the slots of a list
   * stay right as long as the list is the same array; a list sorted from the name order takes
   * them from the name order's, by position.
   */
  private slotsFor(l: SortedList): Int32Array {
    const names = this.byName.list;
    if (this.nameSlots?.list !== names) this.nameSlots = { list: names, slots: slotsOf(this.columns, names) };
    if (l === this.byName) return this.nameSlots.slots;
    if (!l.fromName || l.fromNameOf !== names) return slotsOf(this.columns, l.list);
    const base = this.nameSlots.slots;
    const out = new Int32Array(l.fromName.length);
    for (let i = 0; i < out.length; i++) out[i] = base[l.fromName[i]!]!;
    return out;
  }

  constructor(private readonly model: VmSource) {}

  /** Full sorts and patches done (for tests and measurements). */
  get stats(): { fullSorts: number; patches: number } {
    const lists = this.current === this.byName ? [this.byName] : [this.byName, this.current];
    return { fullSorts: lists.reduce((a, l) => a + l.fullSorts, 0), patches: lists.reduce((a, l) => a + l.patches, 0) };
  }

  /** Sets the filter; throws the parser's VmiError and keeps the previous one when it does not parse. */
  setFilter(src: string): void {
    this.filter = parseFilter(src);
  }

  get filterSource(): string {
    return this.filter.source;
  }

  /** The filtered, sorted VMs for this sort; cheap when nothing changed since the last call. */
  view(col: VmColumnId, desc: boolean): VmView[] {
    const { vms, version } = this.model;
    if (this.byName.update(vms, version)) this.sortRev++;
    if (this.current.col !== col || this.current.desc !== desc) {
      const prev = this.current;
      const next = new SortedList(col, desc);
      const names = this.byName.list;
      const fromPrev = prev === this.byName ? range(names.length) : prev.fromNameOf === names ? prev.fromName : null;
      if (col === prev.col && prev.version === version) {
        next.seed(prev.list.slice().reverse(), version);
        if (fromPrev) next.fromName = fromPrev.slice().reverse();
      } else if (col === 'name' && !desc) next.seed(names, version);
      else {
        const idx = desc && col === 'name' ? range(names.length).reverse() : namePositions(names, col, desc);
        const list = new Array<VmView>(idx.length);
        for (let i = 0; i < idx.length; i++) list[i] = names[idx[i]];
        next.seed(list, version);
        next.fromName = idx;
      }
      if (next.fromName) next.fromNameOf = names;
      this.current = col === 'name' && !desc ? this.byName : next;
      this.sortRev++;
    } else if (this.current !== this.byName && this.current.update(vms, version)) this.sortRev++;
    const fsig = `${col}:${desc}|${this.filter.source}|${this.sortRev}`;
    if (fsig !== this.filteredFor) {
      const list = this.current.list;
      this.columns.sync(vms, version);
      if (this.order?.list !== list) this.order = { list, version, slots: this.slotsFor(this.current) };
      this.filtered = runFilter(this.columns, this.filter, list, this.order.slots);
      this.liveTotal = this.columns.liveCount;
      this.filteredFor = fsig;
    }
    return this.filtered;
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
    const slots = (this.filtered as { slots?: Int32Array }).slots;
    if (!slots) return this.filtered.findIndex((v) => v.id === id);
    const slot = this.columns.slot(id);
    return slot < 0 ? -1 : slots.indexOf(slot);
  }

  /** VMs that are not deleted (the "y" of "x of y VMs"). */
  get total(): number {
    return this.liveTotal;
  }
}
