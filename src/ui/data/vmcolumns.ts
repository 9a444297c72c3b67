// Filtering 100,000 VMs per keystroke. Testing every VM object in turn is slow for a reason
// that has nothing to do with the tests: the objects and their strings lie scattered over the
// heap, and fetching them costs more than comparing. So the index keeps, per field a filter asks
// about, the values of every VM in one string per block of VMs ("\n" between VMs, "\t" between
// the items of a list field), and answers a term with indexOf or one regular expression over
// those strings. A row found that way whose value had to be altered to fit the column (a newline
// in notes) is confirmed with the term's own test on that VM; regular expressions always are.
// Terms the columns cannot answer (owners, booleans, regular expressions on lists) are tested
// per VM, on the rows the other terms left.
//
// VMs keep a slot for their lifetime. A model update rebuilds no column: the rows of changed
// VMs are marked stale in the columns built so far and tested VM by VM, until a column has too
// many of them and is dropped (and built again between frames). Number columns are updated in
// place. So a screen that follows live updates for weeks does not rebuild megabytes of text
// per update. The slots changed since the VMs view last looked are kept for it (takeChanges()).
import { fieldGetter, type ColumnQuery, type ParsedFilter } from '../../model/filter.js';
import type { VmView } from '../../model/vm.js';

interface TextColumn {
  /** "\n" + value0 + "\n" + value1 + ... + "\n". */
  text: string;
  /** Where each row's value starts; starts[rows] is one past the last separator. */
  starts: Int32Array;
  /** Rows whose value held a newline or tab that had to become a space (null: none). */
  altered: Uint8Array | null;
  /** Rows whose VM changed since the column was built: their text is stale (null: none). */
  stale: Set<number> | null;
}

/** VMs per block of columns. */
export const BLOCK = 2048;

/** Stale rows a text column may have before it is dropped and built again. */
const STALE_MAX = 64;

/** Changed slots remembered for the VMs view before it has to start over. */
const JOURNAL_MAX = 5000;

/** The columns most filters read, built between frames (see warm()). */
const WARM: [field: string, lower: boolean][] = [
  ['name', true], ['name', false], ['ip', false], ['ip', true], ['hostname', true], ['power', false],
  ['cluster', true], ['host', true], ['os', true], ['vcenter', true], ['tag', true], ['search', true],
];

const SEP = /[\n\t]/g;

/** What global search (/) looks in, one item per field, so that a term never spans two fields. */
export function searchFields(v: VmView): string[] {
  return [
    v.name, v.ips.join(' '), v.hostname ?? '', v.instanceUuid ?? '', v.biosUuid ?? '', v.tags.join(' '),
    v.technicalOwner ? `${v.technicalOwner.name} ${v.technicalOwner.email}` : '',
    v.businessOwner ? `${v.businessOwner.name} ${v.businessOwner.email}` : '',
    v.notes ?? '',
  ];
}

/** Columns that are not filter fields. */
const EXTRA: Record<string, (v: VmView) => unknown> = { search: searchFields };
const getters = new Map<string, (v: VmView) => unknown>();
const getterOf = (field: string) => {
  let g = getters.get(field);
  if (!g) getters.set(field, (g = EXTRA[field] ?? fieldGetter(field)));
  return g;
};

function numberOf(field: string, v: VmView | null): number {
  const x = v ? getterOf(field)(v) : undefined;
  return typeof x === 'number' ? x : Number.NaN;
}

class Block {
  texts = new Map<string, TextColumn>();
  numbers = new Map<string, Float64Array>();
  warm = false;

  /** A VM of this block changed (row: its place in the block). */
  changed(row: number, v: VmView | null): void {
    for (const [key, c] of this.texts) {
      const stale = (c.stale ??= new Set());
      stale.add(row);
      if (row >= c.starts.length - 1 || stale.size > STALE_MAX) {
        this.texts.delete(key);
        this.warm = false;
      }
    }
    for (const [field, c] of this.numbers) {
      if (row < c.length) c[row] = numberOf(field, v);
      else this.numbers.delete(field);
    }
  }
}

export class VmColumns {
  private slotOf = new Map<number, number>();
  private views: (VmView | null)[] = [];
  private free: number[] = [];
  private blocks: Block[] = [];
  private version = -1;
  private present = 0;
  /** Slots changed since takeChanges(), with the VM each held then (null: all changed). */
  private journal: Map<number, VmView | null> | null = null;
  /** 1 for a slot holding a VM that is not deleted; 2 for a deleted one; 0 for a free slot. */
  state = new Uint8Array(0);
  liveCount = 0;

  get slots(): number {
    return this.views.length;
  }

  /** Follows the model: added, changed and removed VMs drop the columns of their block. */
  sync(vms: Map<number, VmView>, version: number): void {
    if (version === this.version) return;
    this.version = version;
    if (this.views.length === 0) return this.first(vms);
    for (const v of vms.values()) {
      let s = this.slotOf.get(v.id);
      if (s === undefined) {
        s = this.free.pop() ?? this.views.length;
        this.slotOf.set(v.id, s);
        this.present++;
      } else if (this.views[s] === v) continue;
      this.put(s, v);
    }
    if (this.present !== vms.size) {
      for (let s = 0; s < this.views.length; s++) {
        const v = this.views[s];
        if (v && vms.get(v.id) !== v) {
          this.slotOf.delete(v.id);
          this.present--;
          this.free.push(s);
          this.put(s, null);
        }
      }
    }
  }

  /** The first sync (100,000 VMs right after unlock): slots in the model's order, in one pass. */
  private first(vms: Map<number, VmView>): void {
    const n = vms.size;
    this.views = new Array<VmView | null>(n);
    this.state = new Uint8Array(Math.max(1024, n));
    let s = 0;
    let live = 0;
    for (const v of vms.values()) {
      this.slotOf.set(v.id, s);
      this.views[s] = v;
      if (v.deletedAt === null) {
        this.state[s] = 1;
        live++;
      } else this.state[s] = 2;
      s++;
    }
    this.present = n;
    this.liveCount = live;
    this.journal = null;
    while (this.blocks.length * BLOCK < n) this.blocks.push(new Block());
  }

  private put(s: number, v: VmView | null): void {
    if (s >= this.state.length) {
      const grown = new Uint8Array(Math.max(1024, this.state.length * 2, s + 1));
      grown.set(this.state);
      this.state = grown;
    }
    const before = this.state[s]!;
    const after = v ? (v.deletedAt === null ? 1 : 2) : 0;
    this.liveCount += (after === 1 ? 1 : 0) - (before === 1 ? 1 : 0);
    this.state[s] = after;
    const j = this.journal;
    if (j && !j.has(s)) {
      j.set(s, this.views[s] ?? null);
      if (j.size > JOURNAL_MAX) this.journal = null;
    }
    this.views[s] = v;
    const b = Math.floor(s / BLOCK);
    while (this.blocks.length <= b) this.blocks.push(new Block());
    this.blocks[b]!.changed(s - b * BLOCK, v);
  }

  /** The slots changed since the last call, each with the VM it held then; 'all' after too many. */
  takeChanges(): Map<number, VmView | null> | 'all' {
    const j = this.journal;
    this.journal = new Map();
    return j ?? 'all';
  }

  slot(id: number): number {
    return this.slotOf.get(id) ?? -1;
  }

  view(slot: number): VmView | null {
    return this.views[slot] ?? null;
  }

  /** A column of one block, built when first asked for. */
  text(block: number, field: string, lower: boolean): TextColumn {
    const b = this.blocks[block]!;
    const key = `${field}|${lower}`;
    let c = b.texts.get(key);
    if (!c) {
      const t = new TextBuilder(field, lower, this.rowsIn(block));
      const base = block * BLOCK;
      for (let i = 0; i < t.rows; i++) t.put(i, this.views[base + i] ?? null);
      b.texts.set(key, (c = t.done()));
    }
    return c;
  }

  number(block: number, field: string): Float64Array {
    const b = this.blocks[block]!;
    let c = b.numbers.get(field);
    if (!c) {
      c = new Float64Array(this.rowsIn(block));
      const base = block * BLOCK;
      for (let i = 0; i < c.length; i++) c[i] = numberOf(field, this.views[base + i] ?? null);
      b.numbers.set(field, c);
    }
    return c;
  }

  get blockCount(): number {
    return Math.ceil(this.views.length / BLOCK);
  }

  private rowsIn(block: number): number {
    return Math.min(BLOCK, this.views.length - block * BLOCK);
  }

  /** Whether some block lacks the usual columns. */
  get cold(): boolean {
    for (let b = 0; b < this.blockCount; b++) if (!this.blocks[b]!.warm) return true;
    return false;
  }

  /**
   * Builds the usual columns of a few blocks, in one pass over their VMs (each VM object is
   * fetched once for all columns). Returns true while blocks are left.
   */
  warm(budget = 3): boolean {
    for (let b = 0; b < this.blockCount; b++) {
      const blk = this.blocks[b]!;
      if (blk.warm) continue;
      if (budget-- <= 0) return true;
      const rows = this.rowsIn(b);
      const builders = WARM.filter(([f, l]) => !blk.texts.has(`${f}|${l}`)).map(([f, l]) => new TextBuilder(f, l, rows));
      const base = b * BLOCK;
      for (let i = 0; i < rows; i++) {
        const v = this.views[base + i] ?? null;
        for (const t of builders) t.put(i, v);
      }
      for (const t of builders) blk.texts.set(t.key, t.done());
      blk.warm = true;
    }
    return false;
  }
}

/** One text column of a block, filled row by row. */
class TextBuilder {
  readonly key: string;
  private readonly get: (v: VmView) => unknown;
  private readonly parts: string[];
  private altered: Uint8Array | null = null;
  private row = 0;

  constructor(field: string, private readonly lower: boolean, readonly rows: number) {
    this.key = `${field}|${lower}`;
    this.get = getterOf(field);
    this.parts = new Array<string>(rows);
  }

  private clean(s: string): string {
    if (s.indexOf('\n') < 0 && s.indexOf('\t') < 0) return s;
    (this.altered ??= new Uint8Array(this.rows))[this.row] = 1;
    return s.replace(SEP, ' ');
  }

  put(i: number, v: VmView | null): void {
    this.row = i;
    const x = v ? this.get(v) : undefined;
    let s: string;
    if (Array.isArray(x)) {
      s = '';
      for (let k = 0; k < x.length; k++) s += (k ? '\t' : '') + this.clean(String(x[k] ?? ''));
    } else s = x === undefined || x === null ? '' : this.clean(String(x));
    this.parts[i] = this.lower ? s.toLowerCase() : s;
  }

  done(): TextColumn {
    const parts = this.parts;
    const n = parts.length;
    const starts = new Int32Array(n + 1);
    let at = 1;
    for (let i = 0; i < n; i++) {
      starts[i] = at;
      at += parts[i]!.length + 1;
    }
    starts[n] = at;
    return { text: `\n${parts.join('\n')}\n`, starts, altered: this.altered, stale: null };
  }
}

/** Sets out[slot] = 1 for the VMs where the query's positive test holds (before any "!="). */
function mark(cols: VmColumns, q: ColumnQuery, out: Uint8Array): void {
  const w = q.needle ?? '';
  if (q.mode !== 'number' && q.mode !== 'regex' && (w === '' || w.indexOf('\n') >= 0 || w.indexOf('\t') >= 0)) {
    // Cannot be looked for in columns whose separators it contains: test each VM.
    for (let s = 0; s < cols.slots; s++) {
      const v = cols.view(s);
      if (v && q.match(v)) out[s] = 1;
    }
    return;
  }
  for (let b = 0; b < cols.blockCount; b++) {
    const base = b * BLOCK;
    if (q.mode === 'number') {
      const vals = cols.number(b, q.field);
      const cmp = q.cmp!;
      for (let i = 0; i < vals.length; i++) if (cmp(vals[i]!)) out[base + i] = 1;
      continue;
    }
    const { text, starts, altered, stale } = cols.text(b, q.field, q.lower);
    const n = starts.length - 1;
    // Stale rows are decided by their VM: what the text says of them is put back afterwards.
    const before = stale ? [...stale].map((row) => out[base + row]!) : null;
    let r = 0;
    const rowOf = (p: number) => {
      while (starts[r + 1]! <= p) r++;
      return r;
    };
    const confirm = (row: number) => {
      const v = cols.view(base + row);
      return !!v && q.match(v);
    };
    if (q.mode === 'regex') {
      const re = q.re!;
      re.lastIndex = 1;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const row = rowOf(m.index);
        if (row >= n) break;
        if (confirm(row)) out[base + row] = 1;
        // Every row is tried from its start: a match that ran into the next row proves nothing.
        r = row + 1;
        if (r >= n) break;
        re.lastIndex = starts[r]!;
      }
    } else {
      const boundary = (c: number) => c === 10 || c === 9; // "\n" or "\t"
      let pos = 1;
      for (;;) {
        const p = text.indexOf(w, pos);
        if (p < 0) break;
        const row = rowOf(p);
        if (row >= n) break;
        // The needle holds no separator, so a match never runs into the next row or item.
        let ok = true;
        if (q.mode !== 'contains') {
          ok = boundary(text.charCodeAt(p - 1));
          if (ok && q.mode === 'equal') ok = boundary(text.charCodeAt(p + w.length));
        }
        if (ok && (!altered?.[row] || confirm(row))) {
          out[base + row] = 1;
          r = row + 1;
          if (r >= n) break;
          pos = starts[r]!;
        } else pos = p + 1;
      }
    }
    if (stale) {
      let k = 0;
      for (const row of stale) out[base + row] = before![k++]! | (confirm(row) ? 1 : 0);
    }
  }
}

/** The slots of the VMs whose search text holds every term (terms lower-cased). */
export function searchSlots(cols: VmColumns, terms: string[], contains: (v: VmView, term: string) => boolean): Uint8Array {
  const n = cols.slots;
  const keep = new Uint8Array(n);
  for (let s = 0; s < n; s++) keep[s] = cols.state[s] ? 1 : 0;
  for (const t of terms) {
    const hits = new Uint8Array(n);
    mark(cols, { field: 'search', lower: true, mode: 'contains', needle: t, invert: false, match: (v) => contains(v, t) }, hits);
    for (let s = 0; s < n; s++) keep[s] &= hits[s]!;
  }
  return keep;
}

/** Among `among`, the slots whose lower-cased name starts with `term`, and those containing it. */
export function nameSlots(cols: VmColumns, term: string, among: Uint8Array): { starts: Uint8Array; inName: Uint8Array } {
  const n = cols.slots;
  const starts = new Uint8Array(n);
  const inName = new Uint8Array(n);
  const prefix = (v: VmView) => v.name.toLowerCase().startsWith(term);
  const contains = (v: VmView) => v.name.toLowerCase().includes(term);
  mark(cols, { field: 'name', lower: true, mode: 'prefix', needle: term, invert: false, match: prefix }, starts);
  mark(cols, { field: 'name', lower: true, mode: 'contains', needle: term, invert: false, match: contains }, inName);
  for (let s = 0; s < n; s++) {
    starts[s] &= among[s]!;
    inName[s] &= among[s]!;
  }
  return { starts, inName };
}

/** The slots of `order` (in its order) whose VMs the filter keeps. */
export function runFilter(cols: VmColumns, f: ParsedFilter, order: Int32Array): Int32Array {
  const n = cols.slots;
  const keep = new Uint8Array(n);
  const state = cols.state;
  for (let s = 0; s < n; s++) keep[s] = state[s] === 1 || (f.mentionsDeleted && state[s] === 2) ? 1 : 0;
  const perVm: ((v: VmView) => boolean)[] = [];
  for (const term of f.terms) {
    if (!term.alts.every((a) => a.cols)) {
      perVm.push(term.test);
      continue;
    }
    const hits = new Uint8Array(n);
    for (const alt of term.alts) {
      for (const q of alt.cols!) {
        if (!q.invert) {
          mark(cols, q, hits);
          continue;
        }
        const found = new Uint8Array(n);
        mark(cols, q, found);
        for (let s = 0; s < n; s++) if (!found[s]) hits[s] = 1;
      }
    }
    const want = term.negate ? 0 : 1;
    for (let s = 0; s < n; s++) if (hits[s] !== want) keep[s] = 0;
  }
  if (perVm.length) {
    for (let s = 0; s < n; s++) {
      if (!keep[s]) continue;
      const v = cols.view(s)!;
      for (let k = 0; k < perVm.length; k++) {
        if (!perVm[k]!(v)) {
          keep[s] = 0;
          break;
        }
      }
    }
  }
  let count = 0;
  for (let i = 0; i < order.length; i++) if (keep[order[i]!]) count++;
  const out = new Int32Array(count);
  let w = 0;
  for (let i = 0; i < order.length; i++) {
    const s = order[i]!;
    if (keep[s]) out[w++] = s;
  }
  return out;
}
