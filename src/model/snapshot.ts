// The VM snapshot (migrations/003): the list views of all VMs, packed and sealed in parts of
// 4,096 VM ids, so that unlock opens ~25 rows instead of 100,000. It is derived data kept by
// whoever writes the cache (the worker after its commits, `vmi sync --once`); readers trust an
// entry only while its VM row still has the seq the entry was built from.
import { TamperedRowError } from '../crypto/keys.js';
import type { Opened, Store } from '../store/store.js';
import { inNameOrder, PACKED_ID, PACKED_SEQ, PACKED_SHAPE, packSynced, syncedVmView, type Intern, type PackedText, type PackedVms, type VmDoc, type VmView } from './vm.js';

const PART_BITS = 12;
export const PART_SIZE = 1 << PART_BITS;
const TABLE = 'vm_snapshot';
const MAGIC = 0x31534d56; // "VMS1", the layout below
/** The layout this build writes (bump it with any change to PackedVms or the encoding). */
export const SNAPSHOT_FORMAT = 1;
/**
 * A part is rewritten once this many of its VMs changed (or went) since it was written: until
 * then unlock opens those few rows itself, which is cheaper than rewriting the part each time.
 */
export const STALE_MIN = 64;

const enc = new TextEncoder();
const dec = new TextDecoder();
const align8 = (n: number) => (n + 7) & ~7;
const HEADER = 32;

/** Lays a packed batch out in one buffer: a header, then sections of 8-byte-aligned bytes. */
export function encodePacked(p: PackedVms): Uint8Array {
  const sections: Uint8Array[] = [];
  const bytes = (a: ArrayBufferView) => sections.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const text = (t: PackedText) => {
    bytes(t.len);
    sections.push(enc.encode(t.text));
  };
  for (const a of p.num) bytes(a);
  bytes(p.template);
  for (const t of p.str) text(t);
  for (const d of p.dict) {
    text(d.values);
    bytes(d.code);
  }
  for (const l of p.list) {
    text(l.items);
    bytes(l.count);
  }
  for (const d of p.dictList) {
    text(d.values);
    bytes(d.count);
    bytes(d.code);
  }
  let size = HEADER;
  for (const s of sections) size += 8 + align8(s.byteLength);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, p.count, true);
  [p.num.length, p.str.length, p.dict.length, p.list.length, p.dictList.length].forEach((k, i) => dv.setUint32(8 + 4 * i, k, true));
  let at = HEADER;
  for (const s of sections) {
    dv.setUint32(at, s.byteLength, true);
    out.set(s, at + 8);
    at += 8 + align8(s.byteLength);
  }
  return out;
}

/** Just the ids and row seqs of an encoded batch (its first sections), without decoding the text. */
export function packedIdsSeqs(buf: Uint8Array): { ids: Float64Array; seqs: Float64Array } | null {
  if (buf.byteOffset % 8 !== 0 || buf.byteLength < HEADER) return null;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint32(0, true) !== MAGIC || dv.getUint32(8, true) !== PACKED_SHAPE[0]) return null;
  const count = dv.getUint32(4, true);
  const num = (k: number) => {
    const at = HEADER + k * (8 + align8(count * 8));
    if (at + 8 + count * 8 > buf.byteLength || dv.getUint32(at, true) !== count * 8) return null;
    return new Float64Array(buf.buffer, buf.byteOffset + at + 8, count);
  };
  const ids = num(PACKED_ID), seqs = num(PACKED_SEQ);
  return ids && seqs ? { ids, seqs } : null;
}

/** The inverse of encodePacked; null for another layout or inconsistent lengths. */
export function decodePacked(buf: Uint8Array): PackedVms | null {
  // Typed arrays over the buffer need aligned offsets; a copy gives offset 0.
  if (buf.byteOffset % 8 !== 0) buf = buf.slice();
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.byteLength < HEADER || dv.getUint32(0, true) !== MAGIC) return null;
  const count = dv.getUint32(4, true);
  if (PACKED_SHAPE.some((k, i) => dv.getUint32(8 + 4 * i, true) !== k)) return null;
  const [nNum, nStr, nDict, nList, nDList] = PACKED_SHAPE;
  let at = HEADER;
  class Bad extends Error {}
  const section = (unit: number, expect?: number): Uint8Array => {
    if (at + 8 > buf.byteLength) throw new Bad();
    const len = dv.getUint32(at, true);
    if (len % unit !== 0 || at + 8 + len > buf.byteLength || (expect !== undefined && len !== expect * unit)) throw new Bad();
    const s = buf.subarray(at + 8, at + 8 + len);
    at += 8 + align8(len);
    return s;
  };
  const f64 = (n: number) => {
    const s = section(8, n);
    return new Float64Array(s.buffer, s.byteOffset, s.byteLength / 8);
  };
  const i32 = (n?: number) => {
    const s = section(4, n);
    return new Int32Array(s.buffer, s.byteOffset, s.byteLength / 4);
  };
  const text = (n?: number): PackedText => {
    const len = i32(n);
    const t = dec.decode(section(1));
    let total = 0;
    for (const l of len) if (l > 0) total += l;
    if (total !== t.length) throw new Bad();
    return { text: t, len };
  };
  const sum = (a: Int32Array) => {
    let s = 0;
    for (const x of a) {
      if (x < 0) throw new Bad();
      s += x;
    }
    return s;
  };
  const codes = (a: Int32Array, values: number, absent: boolean) => {
    for (const c of a) if (c >= values || c < (absent ? -1 : 0)) throw new Bad();
    return a;
  };
  try {
    const num = Array.from({ length: nNum }, () => f64(count));
    const template = section(1, count);
    const str = Array.from({ length: nStr }, () => text(count));
    const dict = Array.from({ length: nDict }, () => {
      const values = text();
      return { values, code: codes(i32(count), values.len.length, true) };
    });
    const list = Array.from({ length: nList }, () => {
      const items = text();
      const c = i32(count);
      if (sum(c) !== items.len.length) throw new Bad();
      return { items, count: c };
    });
    const dictList = Array.from({ length: nDList }, () => {
      const values = text();
      const c = i32(count);
      const code = codes(i32(), values.len.length, false);
      if (sum(c) !== code.length) throw new Bad();
      return { values, count: c, code };
    });
    if (at !== buf.byteLength) return null; // the layout accounts for every byte
    return { count, num, template, str, dict, list, dictList };
  } catch (e) {
    if (e instanceof Bad) return null;
    throw e;
  }
}

/** The sealed parts in the layout this build reads (no key needed). */
export function sealedSnapshot(store: Store): [number, Buffer][] {
  return store.db.prepare(`SELECT part, doc FROM ${TABLE} WHERE format = ? ORDER BY part`).raw(true).all(SNAPSHOT_FORMAT) as [number, Buffer][];
}

/** Opens sealed parts; one that fails authentication is reported and left out. */
export function openSnapshotRows(store: Store, sealed: [number, Buffer][]): { parts: { part: number; bytes: Uint8Array }[]; tampered: TamperedRowError[] } {
  const parts: { part: number; bytes: Uint8Array }[] = [];
  const tampered: TamperedRowError[] = [];
  const key = store.key;
  for (const [part, blob] of sealed) {
    try {
      parts.push({ part, bytes: key.openBytes(TABLE, part, blob) });
    } catch (e) {
      if (e instanceof TamperedRowError) tampered.push(e);
      else throw e;
    }
  }
  return { parts, tampered };
}

/** Below this share of the VM rows still current in the snapshot, unlock opens every row instead. */
export const SNAPSHOT_MIN_COVER = 0.5;

/**
 * Whether the snapshot is worth reading: enough of the rows have not changed since their part
 * was written. Decided from plaintext (the parts' upto_seq), so before the key is known.
 */
export function snapshotWorth(store: Store, rows: { ids: Float64Array; seqs: Float64Array }): boolean {
  const upto = new Map<number, number>();
  for (const [part, seq] of store.db.prepare(`SELECT part, upto_seq FROM ${TABLE} WHERE format = ?`).raw(true).all(SNAPSHOT_FORMAT) as [number, number][]) {
    upto.set(part, seq);
  }
  if (upto.size === 0) return false;
  let current = 0;
  for (let i = 0; i < rows.ids.length; i++) {
    const u = upto.get(Math.floor(rows.ids[i]! / PART_SIZE));
    if (u !== undefined && rows.seqs[i]! <= u) current++;
  }
  return current >= rows.ids.length * SNAPSHOT_MIN_COVER;
}

/** Every VM row's id and seq up to upTo, from the seq index (no document page is read). */
export function readRowSeqs(store: Store, upTo: number, after = 0): { ids: Float64Array; seqs: Float64Array } {
  // One string rather than 100,000 row arrays: a third of the time, and nothing for the GC.
  const s = (store.db.prepare("SELECT group_concat(id || ',' || seq, ';') FROM vms INDEXED BY vms_seq WHERE seq > ? AND seq <= ?").pluck().get(after, upTo) as string | null) ?? '';
  let n = s ? 1 : 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 59) n++;
  const ids = new Float64Array(n), seqs = new Float64Array(n);
  let k = 0, x = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 59;
    if (c === 44) {
      ids[k] = x;
      x = 0;
    } else if (c === 59) {
      if (k < n) seqs[k++] = x;
      x = 0;
    } else x = x * 10 + (c - 48);
  }
  return { ids, seqs };
}

/** Opens the given VM rows (ids ascending, seq <= upTo); returns the rows that failed authentication. */
export function eachVmRow<C>(store: Store, ids: number[], upTo: number, fn: (row: Opened<VmDoc, C>) => void): TamperedRowError[] {
  const N = 256;
  const where = `WHERE id IN (${new Array(N).fill('?').join(', ')}) AND seq <= ? ORDER BY id`;
  const tampered: TamperedRowError[] = [];
  for (let i = 0; i < ids.length; i += N) {
    const batch: number[] = ids.slice(i, i + N);
    while (batch.length < N) batch.push(-1); // one statement for every batch
    batch.push(upTo);
    tampered.push(...store.each<VmDoc, C>('vms', where, batch, 'id', fn).tampered);
  }
  return tampered;
}

/** Looks up VM rows' seqs by id, and marks the rows whose snapshot entry was taken. */
export class RowSeqs {
  private dense: Float64Array | null = null;
  private lo = 0;
  private map: Map<number, number> | null = null;

  constructor(readonly ids: Float64Array, seqs: Float64Array) {
    let lo = Infinity, hi = -Infinity;
    for (const id of ids) {
      if (id < lo) lo = id;
      if (id > hi) hi = id;
    }
    if (ids.length && hi - lo < 4 * ids.length + 65_536) {
      this.lo = lo;
      this.dense = new Float64Array(hi - lo + 1);
      for (let i = 0; i < ids.length; i++) this.dense[ids[i]! - lo] = seqs[i]!;
    } else {
      this.map = new Map();
      for (let i = 0; i < ids.length; i++) this.map.set(ids[i]!, seqs[i]!);
    }
  }

  get size(): number {
    return this.ids.length;
  }

  /** The row's seq (0: no such row, -1: taken). */
  get(id: number): number {
    if (this.dense) {
      const i = id - this.lo;
      return i >= 0 && i < this.dense.length ? this.dense[i]! : 0;
    }
    return this.map!.get(id) ?? 0;
  }

  /** Marks the row taken when it still has this seq. */
  take(id: number, seq: number): boolean {
    if (seq <= 0 || this.get(id) !== seq) return false;
    if (this.dense) this.dense[id - this.lo] = -1;
    else this.map!.set(id, -1);
    return true;
  }

  /** The rows not taken, ascending. */
  rest(): number[] {
    const out: number[] = [];
    for (const id of this.ids) if (this.get(id) > 0) out.push(id);
    return out.sort((a, b) => a - b);
  }
}

/** Builds part k from the VM rows (read in one statement, so one consistent state of them). */
function buildPart(store: Store, part: number, sources: Map<number, string>): { doc: Buffer; upto: number; count: number } | null {
  const views: VmView[] = [];
  let upto = 0;
  const r = store.each<VmDoc, Record<string, unknown>>(
    'vms', 'WHERE id >= ? AND id < ? ORDER BY id', [part * PART_SIZE, (part + 1) * PART_SIZE], 'id',
    (row) => {
      if (row.seq > upto) upto = row.seq;
      views.push(viewOfRow(row, (id) => sources.get(id) ?? '?'));
    },
  );
  if (r.seen === 0) return null;
  // A row that does not open is left out: readers open it themselves and report it.
  return { doc: store.key.sealBytes(TABLE, part, encodePacked(packSynced(inNameOrder(views)))), upto, count: views.length };
}

/**
 * Which parts to rewrite: missing ones, ones with STALE_MIN or more VMs changed or gone since,
 * and ones whose VMs are all gone (deleted). Reads only the seq index, not the VM documents.
 * `quick` looks only at rows changed since the oldest part was written (what a worker does after
 * each burst of commits): it does not notice hard-deleted rows or a part gone missing.
 */
export function staleParts(store: Store, min = STALE_MIN, quick = false): { rewrite: number[]; drop: number[] } {
  const have = new Map<number, { upto: number; count: number }>();
  const all = store.db.prepare(`SELECT part, upto_seq, vm_count, format FROM ${TABLE}`).raw(true).all() as [number, number, number, number][];
  let oldest = Number.MAX_SAFE_INTEGER;
  for (const [part, upto, count, format] of all) {
    if (format !== SNAPSHOT_FORMAT) continue;
    have.set(part, { upto, count });
    oldest = Math.min(oldest, upto);
  }
  quick &&= have.size > 0 && have.size === all.length;
  const now = new Map<number, { rows: number; fresh: number }>();
  const { ids, seqs } = readRowSeqs(store, Number.MAX_SAFE_INTEGER, quick ? oldest : 0);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!, seq = seqs[i]!;
    const part = Math.floor(id / PART_SIZE);
    let n = now.get(part);
    if (!n) now.set(part, (n = { rows: 0, fresh: 0 }));
    n.rows++;
    const h = have.get(part);
    if (!h || seq > h.upto) n.fresh++;
  }
  const rewrite: number[] = [];
  const drop: number[] = [];
  for (const [part, n] of now) {
    const h = have.get(part);
    if (!h) {
      rewrite.push(part);
      continue;
    }
    // Entries of the part whose rows are gone or changed: count - (rows - fresh).
    const size = quick ? h.count : n.rows;
    const gone = quick ? 0 : h.count - (n.rows - n.fresh);
    if (n.fresh + gone >= Math.min(min, Math.max(1, Math.ceil(size / 16)))) rewrite.push(part);
  }
  if (!quick) for (const [part] of all) if (!now.has(part)) drop.push(part);
  rewrite.sort((a, b) => a - b);
  return { rewrite, drop };
}

/** The synced view of an opened vms row (its plaintext columns and its document). */
export function viewOfRow(row: Opened<VmDoc, Record<string, unknown>>, sourceName: (id: number) => string, intern?: Intern): VmView {
  const sourceId = row.source_id as number;
  return syncedVmView({
    id: row.id, sourceId, sourceName: sourceName(sourceId), doc: row.doc, deletedAt: (row.deleted_at as number | null) ?? null,
    firstSeenAt: row.first_seen_at as number, lastSeenAt: row.last_seen_at as number, seq: row.seq,
  }, intern);
}

/** Source names by id (the sources table is a handful of rows). */
export function sourceNames(store: Store): Map<number, string> {
  const names = new Map<number, string>();
  store.each<{ name: string }>('sources', '', [], 'id', (r) => names.set(r.id, r.doc.name));
  return names;
}

/**
 * Brings the snapshot up to date, one part at a time; `between` runs after each part (the
 * worker yields to its event loop there). Returns the parts written and dropped.
 */
export async function refreshSnapshot(store: Store, opts: { min?: number; quick?: boolean; between?: () => Promise<void>; stop?: () => boolean } = {}): Promise<{ written: number; dropped: number }> {
  const { rewrite, drop } = staleParts(store, opts.min, opts.quick);
  if (drop.length) {
    store.write(() => {
      const del = store.db.prepare(`DELETE FROM ${TABLE} WHERE part = ?`);
      for (const p of drop) del.run(p);
    });
  }
  let written = 0;
  const sources = sourceNames(store);
  for (const part of rewrite) {
    if (opts.stop?.()) break;
    const built = buildPart(store, part, sources);
    // store.write refuses a key another process has retired (vmi rekey), as for every row.
    store.write((tx) => {
      if (built) {
        store.db.prepare(`INSERT INTO ${TABLE} (part, upto_seq, vm_count, format, written_at, doc) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT(part) DO UPDATE SET upto_seq = excluded.upto_seq, vm_count = excluded.vm_count, format = excluded.format,
            written_at = excluded.written_at, doc = excluded.doc`)
          .run(part, built.upto, built.count, SNAPSHOT_FORMAT, tx.now, built.doc);
      } else store.db.prepare(`DELETE FROM ${TABLE} WHERE part = ?`).run(part);
    });
    written++;
    await opts.between?.();
  }
  return { written, dropped: drop.length };
}
