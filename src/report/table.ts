// Export of one table (any view's rows, or a CLI listing) to CSV, xlsx or JSON: the writer behind
// the app's "x" key and "vmi export". Safe by construction: temp file + rename, formula-like text
// neutralised (xlsx: always a string cell; CSV: OWASP's leading quote), and audited without data.
import { extname } from 'node:path';
import { VmiError } from '../errors.js';
import type { Store } from '../store/store.js';
import { audit, type Actor } from '../store/vault.js';
import type { Column } from './cells.js';
import { SingleFileSink, XlsxSink, type Rows, type Sink } from './sinks.js';

export type ExportFormat = 'csv' | 'xlsx' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'json'];

export interface TableExport {
  /** Target file; its folder must exist. */
  file: string;
  /** Default: from the file's extension (.xlsx, .json), else csv. */
  format?: ExportFormat;
  columns: readonly Column[];
  /** Rows in column order; read once, lazily (a generator keeps memory flat). */
  rows: Rows;
  /** Sheet name in an xlsx file (default "vmi"). */
  sheet?: string;
}

export interface ExportResult {
  file: string;
  format: ExportFormat;
  rows: number;
  cells: number;
}

export function formatOf(file: string, format?: string): ExportFormat {
  if (format !== undefined) {
    if (!EXPORT_FORMATS.includes(format as ExportFormat)) throw new VmiError('usage', `--format "${format}": use csv, xlsx or json`);
    return format as ExportFormat;
  }
  const ext = extname(file).toLowerCase();
  return ext === '.xlsx' ? 'xlsx' : ext === '.json' ? 'json' : 'csv';
}

/** Writes one table; the file appears complete or not at all. */
export async function writeTable(t: TableExport): Promise<ExportResult> {
  const format = formatOf(t.file, t.format);
  const sink: Sink = format === 'xlsx' ? new XlsxSink(t.file) : new SingleFileSink(t.file, format);
  let rows: number;
  try {
    rows = await sink.write({ name: (t.sheet ?? 'vmi').slice(0, 31), columns: t.columns, rows: t.rows });
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
  return { file: sink.target, format, rows, cells: sink.cells };
}

export interface ExportWhat {
  /** What was exported: a view name ("vms", "hosts") or "report". */
  what: string;
  /** The filter expression in force, if any. */
  filter?: string;
}

/** Records an export: what, filter, row count, format and file; never the data. */
export function auditExport(store: Store, actor: Actor, w: ExportWhat, r: Pick<ExportResult, 'file' | 'format' | 'rows'> & { sheets?: number }): void {
  store.write((tx) => audit(store, tx, actor, {
    action: 'export',
    resourceType: 'EXPORT',
    resourceId: w.what,
    details: { what: w.what, format: r.format, filter: w.filter ?? '', rows: r.rows, file: r.file, ...(r.sheets !== undefined ? { sheets: r.sheets } : {}) },
  }));
}

/** writeTable() then auditExport(): what the app's "x" key and "vmi export" call. */
export async function exportTable(store: Store, actor: Actor, w: ExportWhat, t: TableExport): Promise<ExportResult> {
  const r = await writeTable(t);
  auditExport(store, actor, w, r);
  return r;
}

/** A default file name in the current folder: vmi-vms-20250131-154500.csv. */
export function defaultExportFile(what: string, format: ExportFormat, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `vmi-${what.replace(/[^A-Za-z0-9_-]+/g, '-')}-${stamp}.${format}`;
}
