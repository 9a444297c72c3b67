// vmi report: the 27 RVTools sheets in RVTools' order, then vmi's own sheets, written as one
// streamed xlsx workbook or as RVTools' CSV flavour (one RVTools_tab<Sheet>.csv per sheet).
import type { Store } from '../store/store.js';
import type { Actor } from '../store/vault.js';
import type { Cell, Column } from './cells.js';
import { ReportData } from './data.js';
import { healthRows } from './rvtools/health.js';
import { RVTOOLS_SHEETS, type RvSheetName } from './rvtools/headings.js';
import { rvColumns } from './rvtools/columns.js';
import { infraRows, vMetaData } from './rvtools/infra.js';
import { vmSheetRows, VM_SHEETS } from './rvtools/vmsheets.js';
import { CsvFolderSink, type Sink, XlsxSink } from './sinks.js';
import { auditExport } from './table.js';
import {
  ALARMS_COLUMNS, alarmsRows, AUDIT_COLUMNS, auditRows, CHANGES_COLUMNS, changesRows, EVENTS_COLUMNS, eventsRows, OWNERS_COLUMNS, ownersRows,
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
}

function plan(data: ReportData, req: ReportRequest, now: Date): Plan[] {
  const sheets: Plan[] = RVTOOLS_SHEETS.map(({ name }) => {
    const n = name as RvSheetName;
    const rows = VM_SHEETS[n] ? () => vmSheetRows(n, data)
      : n === 'vHealth' ? () => healthRows(data, { now, datastoreUsedPct: req.datastoreUsedPct ?? 90 })
      : n === 'vMetaData' ? () => infraRows(n, data, vMetaData(req.version, now))
      : () => infraRows(n, data);
    return { name, columns: rvColumns(n), rows, plain: n === 'vMetaData' };
  });
  sheets.push(
    { name: 'Owners', columns: OWNERS_COLUMNS, rows: () => ownersRows(data) },
    { name: 'Changes', columns: CHANGES_COLUMNS, rows: () => changesRows(data, req.sinceMs) },
    { name: 'Alarms', columns: ALARMS_COLUMNS, rows: () => alarmsRows(data) },
    { name: 'Events', columns: EVENTS_COLUMNS, rows: () => eventsRows(data, req.sinceMs) },
  );
  if (req.includeAudit) sheets.push({ name: 'Audit', columns: AUDIT_COLUMNS, rows: () => auditRows(data, req.sinceMs) });
  return sheets;
}

/** Writes the report; the workbook (or every CSV file) appears complete, or nothing does. */
export async function writeReport(store: Store, req: ReportRequest): Promise<ReportResult> {
  const now = req.now ?? new Date();
  // The output is claimed first: a bad folder fails before any work.
  const sink: Sink = req.format === 'xlsx' ? new XlsxSink(req.out) : new CsvFolderSink(req.out);
  try {
    const data = new ReportData(store, { sources: req.sources, filter: req.filter });
    const sheets: ReportResult['sheets'] = [];
    for (const p of plan(data, req, now)) {
      const rows = await sink.write({ name: p.name, columns: p.columns, rows: p.rows(), plain: p.plain });
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
