// vmi report: the 27 RVTools sheets in RVTools' order, then vmi's own sheets, written as one
// streamed xlsx workbook or as RVTools' CSV flavour (one RVTools_tab<Sheet>.csv per sheet).
import type { Store } from '../store/store.js';
import type { Actor } from '../store/vault.js';
import type { Cell, Column } from './cells.js';
import { ReportData, type ReportVm } from './data.js';
import { datastoreHealthRows, vmHealthRows } from './rvtools/health.js';
import { headingsOf, RVTOOLS_SHEETS, type RvSheetName } from './rvtools/headings.js';
import { RowBuilder, rvColumns } from './rvtools/columns.js';
import { infraRows, vMetaData } from './rvtools/infra.js';
import { vmRowsOf, VM_SHEETS } from './rvtools/vmsheets.js';
import { CsvFolderSink, type Draft, type Sink, XlsxSink } from './sinks.js';
import { auditExport } from './table.js';
import {
  ALARMS_COLUMNS, alarmsRows, AUDIT_COLUMNS, auditRows, CHANGES_COLUMNS, changesRows, EVENTS_COLUMNS, eventsRows, OWNERS_COLUMNS, ownersRow,
} from './vmisheets.js';

export interface ReportRequest {
  /** xlsx: the workbook file; csv: the folder for the CSV files. */
  out: string;
  format: 'xlsx' | 'csv';
  /** Source names; default all. */
  sources?: string[];
  /** VMs-view filter expression; limits the VM sheets (vInfo to vTools, vHealth's VM findings, Owners). */
  filter?: string;
  /** Changes, events and audit entries from this time (ms). */
  sinceMs: number;
  /** The Audit sheet (admins only). */
  includeAudit: boolean;
  /** vmi's version, for vMetaData. */
  version: string;
  datastoreUsedPct?: number;
  now?: Date;
  /** Called after each sheet (progress). */
  onSheet?: (name: string, rows: number) => void;
}

export interface ReportResult {
  target: string;
  format: 'xlsx' | 'csv';
  sheets: Array<{ name: string; rows: number }>;
  vms: number;
  cells: number;
  /** Rows that failed authentication and were left out. */
  tampered: number;
}

export const VMI_SHEETS = ['Owners', 'Changes', 'Alarms', 'Events', 'Audit'] as const;

interface Plan {
  name: string;
  columns: readonly Column[];
  rows: () => Iterable<Cell[]>;
  plain?: boolean;
  /** The sheet's rows of one VM, when it has a row per VM (or per disk, NIC, finding...). */
  vm?: (v: ReportVm, index: number) => Iterable<Cell[]>;
  draft?: Draft;
}

const nothing = (): Iterable<Cell[]> => [];

function plan(data: ReportData, req: ReportRequest, now: Date): Plan[] {
  const health = { now, datastoreUsedPct: req.datastoreUsedPct ?? 90 };
  const sheets: Plan[] = RVTOOLS_SHEETS.map(({ name }) => {
    const n = name as RvSheetName;
    const p: Plan = { name, columns: rvColumns(n), rows: () => infraRows(n, data), plain: n === 'vMetaData' };
    if (VM_SHEETS[n]) {
      const rows = vmRowsOf(n);
      return { ...p, rows: nothing, vm: (v) => rows(v) };
    }
    if (n === 'vHealth') {
      const r = new RowBuilder(headingsOf(n));
      return { ...p, rows: () => datastoreHealthRows(data, health, r), vm: (v) => vmHealthRows(v, now, r) };
    }
    if (n === 'vMetaData') return { ...p, rows: () => infraRows(n, data, vMetaData(req.version, now)) };
    return p;
  });
  sheets.push(
    { name: 'Owners', columns: OWNERS_COLUMNS, rows: nothing, vm: (v, i) => [ownersRow(v, data.owners[i]!)] },
    { name: 'Changes', columns: CHANGES_COLUMNS, rows: () => changesRows(data, req.sinceMs) },
    { name: 'Alarms', columns: ALARMS_COLUMNS, rows: () => alarmsRows(data) },
    { name: 'Events', columns: EVENTS_COLUMNS, rows: () => eventsRows(data, req.sinceMs) },
  );
  if (req.includeAudit) sheets.push({ name: 'Audit', columns: AUDIT_COLUMNS, rows: () => auditRows(data, req.sinceMs) });
  return sheets;
}

/**
 * Every sheet with rows per VM is fed from one pass over the VM documents (each is opened and
 * parsed once): the first such sheet is written as the pass goes, the others are drafted (their
 * rows rendered into scratch files) and written in their turn. A sink that cannot draft gets one
 * pass per sheet.
 */
function onePass(data: ReportData, sheets: Plan[], sink: Sink): void {
  const fed = sheets.filter((p) => p.vm);
  if (!sink.draft || fed.length < 2) {
    for (const p of fed) {
      const rows = p.rows;
      const vm = p.vm!;
      p.rows = function* () {
        let i = 0;
        for (const v of data.vms()) yield* vm(v, i++);
        yield* rows();
      };
    }
    return;
  }
  const [first, ...later] = fed as [Plan, ...Plan[]];
  for (const p of later) p.draft = sink.draft({ name: p.name, columns: p.columns, plain: p.plain });
  const firstVm = first.vm!;
  const firstRows = first.rows;
  first.rows = function* () {
    let i = 0;
    for (const v of data.vms()) {
      for (const p of later) for (const row of p.vm!(v, i)) p.draft!.add(row);
      yield* firstVm(v, i++);
    }
    yield* firstRows();
  };
}

/**
 * Writes the report; the workbook (or every CSV file) appears complete, or nothing does. `sink`
 * replaces the writer of `req.format` (tests compare writers on the same sheets).
 */
export async function writeReport(store: Store, req: ReportRequest, sink?: Sink): Promise<ReportResult> {
  const now = req.now ?? new Date();
  // The output is claimed first: a bad folder fails before any work.
  sink ??= req.format === 'xlsx' ? new XlsxSink(req.out) : new CsvFolderSink(req.out);
  try {
    const data = new ReportData(store, { sources: req.sources, filter: req.filter });
    const sheets: ReportResult['sheets'] = [];
    const plans = plan(data, req, now);
    onePass(data, plans, sink);
    for (const p of plans) {
      const rows = await sink.write({ name: p.name, columns: p.columns, rows: p.rows(), plain: p.plain, draft: p.draft });
      sheets.push({ name: p.name, rows });
      req.onSheet?.(p.name, rows);
    }
    await sink.commit();
    return { target: sink.target, format: req.format, sheets, vms: data.vmCount, cells: sink.cells, tampered: data.tampered.length };
  } catch (e) {
    await sink.abort();
    throw e;
  }
}

/** writeReport() for an actor: the Audit sheet for admins only, and the export audited. */
export async function runReport(store: Store, actor: Actor, req: Omit<ReportRequest, 'includeAudit'>): Promise<ReportResult> {
  const r = await writeReport(store, { ...req, includeAudit: actor.role === 'admin' });
  auditExport(store, actor, { what: 'report', filter: req.filter }, {
    file: r.target, format: req.format, rows: r.vms, sheets: r.sheets.length,
  });
  return r;
}
