// Reading exports back for the report tests: the reference file's sheets and headings, and an
// exceljs reader that returns each sheet as rows of cell values.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/test -> test/reference (the markdown ships with the sources, not the build). */
export const REFERENCE = join(here, '..', '..', 'test', 'reference', 'rvtools-workbook.md');

/** Sheets and headings as the reference file lists them, parsed from its markdown. */
export function referenceSheets(): Array<{ name: string; headings: string[] }> {
  const md = readFileSync(REFERENCE, 'utf8');
  const order = /in this order:\n([\s\S]*?)\.\n/.exec(md)![1]!.replace(/\s+/g, ' ').split(',').map((s) => s.trim());
  return order.map((name) => {
    const m = new RegExp(`### ${name} \\((\\d+) columns\\)\\n(.*)\\n`).exec(md);
    if (!m) throw new Error(`no headings for ${name} in the reference`);
    const headings = m[2]!.split(', ').map((h) => h.trim());
    if (headings.length !== Number(m[1])) throw new Error(`${name}: ${headings.length} headings, the title says ${m[1]}`);
    return { name, headings };
  });
}

export interface ReadSheet {
  name: string;
  header: string[];
  rows: ExcelJS.Row[];
  ws: ExcelJS.Worksheet;
}

export async function readWorkbook(file: string): Promise<{ wb: ExcelJS.Workbook; sheets: ReadSheet[]; get(name: string): ReadSheet }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const sheets = wb.worksheets.map((ws) => {
    const header = (ws.getRow(1).values as unknown[]).slice(1).map((v) => String(v ?? ''));
    const rows: ExcelJS.Row[] = [];
    for (let i = 2; i <= ws.rowCount; i++) rows.push(ws.getRow(i));
    return { name: ws.name, header, rows, ws };
  });
  return { wb, sheets, get: (name) => sheets.find((s) => s.name === name)! };
}

/** The cell of a row under a heading. */
export function cell(s: ReadSheet, row: ExcelJS.Row, heading: string): ExcelJS.Cell {
  const i = s.header.indexOf(heading);
  if (i < 0) throw new Error(`${s.name} has no column "${heading}"`);
  return row.getCell(i + 1);
}
