import type { Statement } from 'better-sqlite3';
import { DataKey, TamperedRowError } from '../crypto/keys.js';
import { VmiError } from '../errors.js';
import { type DB, dbError } from './db.js';
import { NATURAL_KEYS } from './nkeys.js';

// Tables whose natural key can change with an edit (an owner's e-mail); inventory refs cannot.
const MUTABLE_NKEY = new Set(['owners', 'sources', 'settings']);

export type Row = Record<string, unknown> & { id: number; seq: number; doc: Buffer };

/** A decrypted row: its plaintext columns plus the opened document. */
export type Opened<T, C = Record<string, unknown>> = C & { id: number; seq: number; doc: T };

export interface ReadResult<T, C> {
  rows: Opened<T, C>[];
  tampered: TamperedRowError[];
}

/**
 * A write transaction. seq and row ids are handed out here, so every sealed row gets its final
 * id (part of its associated data) before it is sealed, and all rows of one commit share a
 * contiguous seq range.
 */
export class WriteTx {
  private seq: number;
  private readonly startSeq: number;
  private nextIds = new Map<string, number>();

  constructor(private readonly store: Store, readonly now: number) {
    this.seq = Number((store.db.prepare("SELECT value FROM meta WHERE name = 'seq'").get() as { value: string }).value);
    this.startSeq = this.seq;
  }

  get key(): DataKey {
    return this.store.key;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  nextId(table: string): number {
    let n = this.nextIds.get(table);
    if (n === undefined) {
      n = ((this.store.db.prepare(`SELECT max(id) AS m FROM ${table}`).get() as { m: number | null }).m ?? 0) + 1;
    }
    this.nextIds.set(table, n + 1);
    return n;
  }

  /** Insert a sealed row; `cols` are the plaintext columns. Returns the new id. */
  insert(table: string, cols: Record<string, unknown>, doc: unknown): number {
    const id = typeof cols.id === 'number' ? cols.id : this.nextId(table);
    const nk = NATURAL_KEYS[table];
    const names = Object.keys(cols).filter((k) => k !== 'id');
    const withNkey = nk !== undefined && cols.nkey === undefined;
    // Positional parameters: binding by name costs more than the row itself in bulk writes.
    const stmt = this.store.stmt(`INSERT:${table}:${names.join(',')}:${withNkey}`, () => {
      const all = [...names, 'id', 'seq', 'doc', ...(withNkey ? ['nkey'] : [])];
      return `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})`;
    });
    const values: unknown[] = names.map((k) => cols[k]);
    values.push(id, this.nextSeq(), this.key.seal(table, id, doc));
    if (withNkey) values.push(this.key.blindIndex(table, nk({ ...cols, id }, doc as Record<string, unknown>)));
    stmt.run(values);
    return id;
  }

  /** Re-seal a row's document and set plaintext columns; bumps its seq. */
  update(table: string, id: number, cols: Record<string, unknown>, doc?: unknown): void {
    const all: Record<string, unknown> = { ...cols, seq: this.nextSeq() };
    if (doc !== undefined) {
      all.doc = this.key.seal(table, id, doc);
      const nk = NATURAL_KEYS[table];
      if (nk && MUTABLE_NKEY.has(table) && all.nkey === undefined) {
        const row = this.store.db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Record<string, unknown>;
        all.nkey = this.key.blindIndex(table, nk({ ...row, ...cols }, doc as Record<string, unknown>));
      }
    }
    const keys = Object.keys(all);
    this.store.stmt(`UPDATE:${table}:${keys.join(',')}`,
      () => `UPDATE ${table} SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`)
      .run({ ...all, id });
  }

  /** Upsert by primary key for tables keyed by another row's id (vm_manual, vm_raw). */
  put(table: string, idCol: string, id: number, cols: Record<string, unknown>, doc: unknown): void {
    const all = { ...cols, [idCol]: id, seq: this.nextSeq(), doc: this.key.seal(table, id, doc) };
    const keys = Object.keys(all);
    this.store.stmt(`PUT:${table}:${keys.join(',')}`,
      () => `INSERT INTO ${table} (${keys.join(', ')}) VALUES (${keys.map((k) => '@' + k).join(', ')})
             ON CONFLICT(${idCol}) DO UPDATE SET ${keys.filter((k) => k !== idCol).map((k) => `${k} = excluded.${k}`).join(', ')}`)
      .run(all);
  }

  delete(table: string, id: number, idCol = 'id'): void {
    const r = this.store.db.prepare(`DELETE FROM ${table} WHERE ${idCol} = ?`).run(id);
    if (r.changes > 0) {
      this.store.db.prepare('INSERT INTO tombstones(seq, tbl, row_id, deleted_at) VALUES (?, ?, ?, ?)').run(this.nextSeq(), table, id, this.now);
    }
  }

  /** Stores the advanced counter; called once at commit. */
  finish(): void {
    if (this.seq !== this.startSeq) {
      this.store.db.prepare("UPDATE meta SET value = ? WHERE name = 'seq'").run(String(this.seq));
    }
  }
}

const EMPTY_ROW: unknown[] = [];

/** The open cache: the database plus, once unlocked, the data key. */
export class Store {
  private statements = new Map<string, Statement>();
  private builders = new Map<string, { fn: (a: unknown[]) => Row; idAt: number; docAt: number }>();
  private dataKey: DataKey | null = null;

  constructor(readonly db: DB, readonly file: string) {}

  get key(): DataKey {
    if (!this.dataKey) throw new VmiError('internal', 'the cache is locked');
    return this.dataKey;
  }

  get unlocked(): boolean {
    return this.dataKey !== null;
  }

  /** Sets the data key; the previous one is wiped unless the caller still needs it (re-key). */
  setKey(key: DataKey | null, wipePrevious = true): void {
    if (wipePrevious && this.dataKey && this.dataKey !== key) this.dataKey.wipe();
    this.dataKey = key;
  }

  /** The blind index of a natural key, for lookups. */
  nkey(table: string, cols: Record<string, unknown>, doc: Record<string, unknown>): Buffer {
    return this.key.blindIndex(table, NATURAL_KEYS[table]!(cols, doc));
  }

  stmt(id: string, sql: () => string): Statement {
    let s = this.statements.get(id);
    if (!s) {
      s = this.db.prepare(sql());
      this.statements.set(id, s);
    }
    return s;
  }

  /** Runs fn in one IMMEDIATE transaction (waits for other writers up to the busy timeout). */
  write<T>(fn: (tx: WriteTx) => T): T {
    const run = this.db.transaction(() => {
      // Another process may have re-keyed the cache: never seal rows with a retired key.
      const fp = this.stmt('key_fp', () => "SELECT value FROM meta WHERE name = 'key_fp'").get() as { value: string } | undefined;
      if (fp && fp.value !== this.key.fingerprint()) {
        throw new VmiError('key-changed', 'the cache was re-keyed by another vmi process; unlock again');
      }
      const tx = new WriteTx(this, Date.now());
      const out = fn(tx);
      tx.finish();
      return out;
    });
    try {
      return run.immediate();
    } catch (e) {
      throw dbError(e, this.file);
    }
  }

  /** Reads and opens rows; a row that fails authentication is reported by key and skipped. */
  read<T, C = Record<string, unknown>>(table: string, where = '', params: unknown[] = [], idCol = 'id'): ReadResult<T, C> {
    const rows: Opened<T, C>[] = [];
    const { tampered } = this.each<T, C>(table, where, params, idCol, (r) => rows.push(r));
    return { rows, tampered };
  }

  /**
   * Like read(), but hands each opened row to `fn` as soon as it is opened, so that a caller
   * which keeps only part of each document lets the rest die young. Returns the rows seen
   * (tampered ones included) and the largest key among them.
   */
  each<T, C = Record<string, unknown>>(
    table: string, where: string, params: unknown[], idCol: string, fn: (row: Opened<T, C>) => void,
  ): { seen: number; lastId: number; tampered: TamperedRowError[] } {
    let raw: unknown[][];
    let build: (a: unknown[]) => Row;
    let idAt: number;
    let docAt: number;
    try {
      const sql = `SELECT ${this.readColumns(table)} FROM ${table} ${where}`;
      const stmt = this.stmt(`READ:${sql}`, () => sql);
      let b = this.builders.get(sql);
      if (!b) {
        // Arrays from the driver plus one generated constructor per column list: a third faster
        // than the driver building an object per row, which matters at 100,000 rows.
        const cols = stmt.columns().map((c) => c.name);
        b = {
          fn: new Function('a', `return {${cols.map((c, i) => `${JSON.stringify(c)}: a[${i}]`).join(', ')}};`) as (a: unknown[]) => Row,
          idAt: cols.indexOf(idCol),
          docAt: cols.indexOf('doc'),
        };
        this.builders.set(sql, b);
      }
      ({ fn: build, idAt, docAt } = b);
      raw = stmt.raw(true).all(...params) as unknown[][];
    } catch (e) {
      throw dbError(e, this.file);
    }
    const tampered: TamperedRowError[] = [];
    const key = this.key;
    let lastId = Number.MIN_SAFE_INTEGER;
    for (let i = 0; i < raw.length; i++) {
      const a = raw[i]!;
      raw[i] = EMPTY_ROW;
      const id = a[idAt] as number;
      if (id > lastId) lastId = id;
      let r: Row;
      try {
        a[docAt] = key.open<T>(table, id, a[docAt] as Buffer);
        r = build(a);
        r.id = id;
      } catch (e) {
        if (e instanceof TamperedRowError) {
          tampered.push(e);
          continue;
        }
        throw e;
      }
      fn(r as unknown as Opened<T, C>);
    }
    return { seen: raw.length, lastId, tampered };
  }

  private columnLists = new Map<string, string>();

  /** Every column but the blind index: readers never need it, and each is one more Buffer per row. */
  private readColumns(table: string): string {
    let cols = this.columnLists.get(table);
    if (!cols) {
      cols = (this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name).filter((n) => n !== 'nkey').join(', ');
      this.columnLists.set(table, cols);
    }
    return cols;
  }

  readOne<T, C = Record<string, unknown>>(table: string, id: number, idCol = 'id'): Opened<T, C> | undefined {
    const r = this.read<T, C>(table, `WHERE ${idCol} = ?`, [id], idCol);
    if (r.tampered.length) throw r.tampered[0];
    return r.rows[0];
  }

  /** Whether the cache's key is still the one this process holds (false after a re-key elsewhere). */
  keyIsCurrent(): boolean {
    const fp = this.db.prepare("SELECT value FROM meta WHERE name = 'key_fp'").get() as { value: string } | undefined;
    return !fp || fp.value === this.key.fingerprint();
  }

  currentSeq(): number {
    return Number((this.db.prepare("SELECT value FROM meta WHERE name = 'seq'").get() as { value: string }).value);
  }

  close(): void {
    this.setKey(null);
    if (this.db.open) this.db.close();
  }
}

/** The tables whose rows are sealed with the data key, and the column that names each row. */
export const SEALED_TABLES: { table: string; idCol: string }[] = [
  { table: 'vault', idCol: 'id' },
  { table: 'users', idCol: 'id' },
  { table: 'sources', idCol: 'id' },
  { table: 'source_info', idCol: 'source_id' },
  { table: 'sync_runs', idCol: 'id' },
  { table: 'owners', idCol: 'id' },
  { table: 'datacenters', idCol: 'id' },
  { table: 'clusters', idCol: 'id' },
  { table: 'hosts', idCol: 'id' },
  { table: 'datastore_clusters', idCol: 'id' },
  { table: 'datastores', idCol: 'id' },
  { table: 'switches', idCol: 'id' },
  { table: 'networks', idCol: 'id' },
  { table: 'vmkernel_adapters', idCol: 'id' },
  { table: 'vms', idCol: 'id' },
  { table: 'vm_raw', idCol: 'vm_id' },
  { table: 'vm_manual', idCol: 'vm_id' },
  { table: 'vm_tags', idCol: 'id' },
  { table: 'vm_manual_ips', idCol: 'id' },
  { table: 'vm_custom_fields', idCol: 'id' },
  { table: 'alarms', idCol: 'id' },
  { table: 'events', idCol: 'id' },
  { table: 'host_samples', idCol: 'id' },
  { table: 'changes', idCol: 'id' },
  { table: 'audit_log', idCol: 'id' },
  { table: 'settings', idCol: 'id' },
];
