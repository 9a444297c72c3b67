// Cell formats of the RVTools sheets, by heading (as RVTools writes them): dates, the few
// decimal columns, and whole numbers with "#,##0" everywhere else a number is written.
import { type Cell, type Column, DATE, DEC2, DEC4, INT } from '../cells.js';
import { headingsOf, type RvSheetName } from './headings.js';

const DATES = new Set([
  'PowerOn', 'Suspend time', 'Creation date', 'Date / time', 'Boot time', 'BIOS Date', 'Certificate Start Date',
  'Certificate Expiry Date', 'Created', 'Expiration Date', 'xlsx creation datetime',
]);
const DECIMALS: Partial<Record<RvSheetName, Record<string, string>>> = {
  vHost: { 'VMs per Core': DEC2, 'vCPUs per Core': DEC2 },
  vSnapshot: { 'Size MiB (vmsn)': DEC4, 'Size MiB (total)': DEC4 },
  vMetaData: { 'RVTools major version': '0.0' },
};

export function rvColumns(sheet: RvSheetName): Column[] {
  return headingsOf(sheet).map((header) => ({
    header,
    fmt: DATES.has(header) ? DATE : DECIMALS[sheet]?.[header] ?? INT,
  }));
}

/** Builds one row at a time by heading; a heading the sheet does not have is a programming error. */
export class RowBuilder {
  private readonly index = new Map<string, number>();
  private cur: Cell[];

  constructor(readonly headings: readonly string[]) {
    headings.forEach((h, i) => this.index.set(h, i));
    this.cur = new Array(headings.length);
  }

  set(heading: string, v: Cell): this {
    const i = this.index.get(heading);
    if (i === undefined) throw new Error(`no column "${heading}"`);
    this.cur[i] = v;
    return this;
  }

  /** Sets the column only if the sheet has it (columns shared by some VM sheets only). */
  opt(heading: string, v: Cell): this {
    const i = this.index.get(heading);
    if (i !== undefined) this.cur[i] = v;
    return this;
  }

  take(): Cell[] {
    const r = this.cur;
    this.cur = new Array(this.headings.length);
    return r;
  }
}

export const MIB = 1024 * 1024;
export const mib = (bytes: number | undefined): number | undefined => (bytes === undefined ? undefined : Math.round(bytes / MIB));
export const pct = (part: number | undefined, whole: number | undefined): number | undefined =>
  part === undefined || !whole ? undefined : Math.round((part / whole) * 100);
