import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VmiError } from '../errors.js';

export type DB = Database.Database;

const here = dirname(fileURLToPath(import.meta.url));
// dist/src/store -> project root; migrations ship beside src.
export const MIGRATIONS_DIR = join(here, '..', '..', '..', 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .map((f) => ({ version: Number.parseInt(f, 10), name: f, sql: readFileSync(join(dir, f), 'utf8') }))
    .sort((a, b) => a.version - b.version);
}

export const BUSY_TIMEOUT_MS = 10_000;

function sqliteCode(e: unknown): string {
  return (e as { code?: string })?.code ?? '';
}

/** Translate SQLite's failures into the one-line errors users see. */
export function dbError(e: unknown, file: string, waitedMs = BUSY_TIMEOUT_MS): unknown {
  const code = sqliteCode(e);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new VmiError('db-corrupt', `the cache ${file} is damaged (${code}); it was left untouched — restore a backup or move it aside and sync again`, { cause: e });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new VmiError('db-locked', `the cache ${file} is locked by another vmi process (waited ${waitedMs / 1000} s); try again when it is done`, { cause: e });
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return new VmiError('home-not-writable', `cannot open the cache ${file} for writing (${code})`, { cause: e });
  }
  return e;
}

export interface OpenOptions {
  /** How long a write waits for another process's transaction (default BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
  migrations?: Migration[];
  /** Called with the backup's path when an existing file was copied aside before migrating. */
  onBackup?: (path: string) => void;
}

/**
 * Opens the cache: WAL, foreign keys, busy timeout, then applies pending migrations in one
 * transaction. A file written by a newer vmi is refused; an existing file is copied aside first.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): DB {
  const existed = existsSync(file);
  let db: DB;
  try {
    db = new Database(file, { fileMustExist: false, timeout: opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
  } catch (e) {
    throw dbError(e, file);
  }
  try {
    // Owner-only: SQLite gives the WAL and shm files the database file's mode.
    if (!existed) {
      chmodSync(file, 0o600);
      // Rows are ~1 KB sealed documents: 16 KiB pages cut bulk write and scan time by a third.
      db.pragma('page_size = 16384');
    }
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db, file, existed, opts);
    return db;
  } catch (e) {
    db.close();
    throw dbError(e, file, opts.busyTimeoutMs);
  }
}

function migrate(db: DB, file: string, existed: boolean, opts: OpenOptions): void {
  const migrations = opts.migrations ?? loadMigrations();
  const latest = migrations.at(-1)?.version ?? 0;
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`);
  const current = (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  if (current > latest) {
    throw new VmiError('db-too-new', `the cache ${file} was written by a newer vmi (schema ${current}, this vmi knows ${latest}); update vmi (./update.sh) — the file was not changed`);
  }
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;
  if (existed && current > 0) {
    // Keep the pre-migration state: a checkpoint folds the WAL in, then the file is copied.
    db.pragma('wal_checkpoint(TRUNCATE)');
    const backup = `${file}.v${current}.${Date.now()}.bak`;
    copyFileSync(file, backup);
    opts.onBackup?.(backup);
  }
  const apply = db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    }
  });
  apply.immediate();
}

export function schemaVersion(db: DB): number {
  return (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
}
