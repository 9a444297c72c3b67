// Cell values of every export (workbook, CSV, JSON) and how each format writes them safely.

/** One cell: text, a number, a date, or empty. Booleans are turned into text by the caller. */
export type Cell = string | number | Date | null | undefined;

export interface Column {
  header: string;
  /** Excel number format of the column's numbers and dates ('#,##0', 'yyyy/mm/dd hh:mm:ss'). */
  fmt?: string;
  /** Width in characters (default from the header). */
  width?: number;
}

export const INT = '#,##0';
export const DEC2 = '#,##0.00';
export const DEC4 = '#,##0.0000';
export const DATE = 'yyyy/mm/dd hh:mm:ss';

/** RVTools writes booleans as the text True / False. */
export function tf(b: boolean | undefined | null): string | undefined {
  return b === undefined || b === null ? undefined : b ? 'True' : 'False';
}

/** An ISO time or milliseconds as a Date cell (undefined when absent or invalid). */
export function when(t: string | number | undefined | null): Date | undefined {
  if (t === undefined || t === null || t === '') return undefined;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

// Text a spreadsheet could take for a formula (OWASP's list: = + - @ tab carriage return).
const FORMULA_START = /^[=+\-@\t\r]/;

/** CSV text as OWASP recommends: a leading quote makes such a cell plain text. */
export function csvText(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** A date as RVTools writes it: local time, no time zone, "2024/05/01 13:45:00". */
export function localStamp(d: Date): string {
  return `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * A date for an xlsx cell: Excel dates carry no zone, and RVTools writes the local time of the
 * machine it runs on, so the local wall-clock time is stored as if it were UTC.
 */
export function excelDate(d: Date): Date {
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
}

/** A cell as CSV text: numbers plain, dates as RVTools writes them, text protected from formulas. */
export function csvCell(c: Cell): string | number {
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? c : '';
  if (c instanceof Date) return localStamp(c);
  return csvText(c);
}

/** A cell for JSON: dates as ISO text, empty as null. */
export function jsonCell(c: Cell): string | number | null {
  if (c === null || c === undefined) return null;
  if (c instanceof Date) return c.toISOString();
  if (typeof c === 'number' && !Number.isFinite(c)) return null;
  return c;
}
