// Exports from the app: `x` writes the table in front (every row of the current filter and
// sort, every column, the ones dropped for width too) to a CSV file in the current folder, and
// `W` writes the RVTools-compatible workbook of every source (the VMs view's filter limits its VM
// sheets). Both write to a temp file and rename it, are audited, and leave the keys answering.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { oneLine } from '../../errors.js';
import { defaultExportFile, exportTable } from '../../report/table.js';
import { runReport } from '../../report/workbook.js';
import type { AppContext } from '../context.js';
import { C, type KeyCommand } from '../keys.js';
import type { ViewInstance } from '../view.js';

export const EXPORT_KEYS: KeyCommand[] = [
  C('table.export', ['x'], 'export the table to CSV (all rows of the filter and sort shown, every column)', ['table'], 'Everywhere', { footer: 50, short: 'export' }),
  C('report.workbook', ['W'], 'RVTools workbook of every source (.xlsx; the VMs filter limits its VM sheets)', ['vms', 'dashboard'], 'Everywhere', { footer: 51, short: 'workbook' }),
];

let running = false;

/** One export at a time: a second x while one writes says so. */
function once(ctx: AppContext, what: string, work: () => Promise<string>): void {
  if (running) return ctx.flash('an export is already being written', 'warn');
  running = true;
  ctx.flash(`writing ${what}...`, 'busy');
  work().then((msg) => ctx.flash(msg, 'good'), (e) => ctx.flash(`${what} not written: ${oneLine(e)}`, 'bad')).finally(() => {
    running = false;
  });
}

export function exportView(ctx: AppContext, id: string, v: ViewInstance, dir = process.cwd()): void {
  const t = v.table?.();
  if (!t) return ctx.flash('this view has no table to export', 'muted');
  const file = resolve(dir, defaultExportFile(id, 'csv'));
  once(ctx, `${t.count.toLocaleString('en')} rows to ${file}`, async () => {
    const r = await exportTable(ctx.store, ctx.actor!, { what: id, filter: v.filter?.applied || undefined }, {
      file, format: 'csv', columns: t.columns.map((c) => ({ header: c.title })), rows: t.rows(),
    });
    return `${r.rows.toLocaleString('en')} rows written to ${r.file}`;
  });
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0';
  }
}

export function exportWorkbook(ctx: AppContext, filter: string | undefined, dir = process.cwd()): void {
  const file = resolve(dir, defaultExportFile('rvtools', 'xlsx'));
  once(ctx, `the workbook ${file}`, async () => {
    const r = await runReport(ctx.store, ctx.actor!, {
      out: file, format: 'xlsx', filter: filter || undefined, sinceMs: ctx.now() - 30 * 86_400_000, version: version(),
      datastoreUsedPct: (ctx.config as { reports?: { datastoreUsedPct?: number } }).reports?.datastoreUsedPct,
    });
    return `${r.sheets.length} sheets, ${r.vms.toLocaleString('en')} VMs written to ${r.target}`;
  });
}
