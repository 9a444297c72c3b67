// The <row> XML of a streamed worksheet, written directly instead of through exceljs' Row, Cell
// and xform objects (about a dozen objects and a style lookup per cell, most of a workbook's
// time). The text is the one exceljs writes for the same values and style objects, byte for
// byte: the tests compare both on every sheet of a report.
import type { Cell } from './cells.js';

// exceljs' xmlEncode: the five XML entities, and the control characters XML 1.0 forbids dropped.
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;

export function xmlText(text: string): string {
  const m = XML_SPECIAL.exec(text);
  if (!m) return text;
  let out = '';
  let last = 0;
  let i = m.index;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let esc: string;
    switch (c) {
      case 34: esc = '&quot;'; break;
      case 38: esc = '&amp;'; break;
      case 39: esc = '&apos;'; break;
      case 60: esc = '&lt;'; break;
      case 62: esc = '&gt;'; break;
      case 127: esc = ''; break;
      default:
        if (c <= 31 && (c <= 8 || (c >= 11 && c !== 13))) {
          esc = '';
          break;
        }
        continue;
    }
    if (last !== i) out += text.substring(last, i);
    last = i + 1;
    out += esc;
  }
  return last !== i ? out + text.substring(last, i) : out;
}

/** Column letters: 1 -> A, 27 -> AA. */
export function columnLetters(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

const DAY_MS = 86_400_000;

/**
 * A date cell's serial number, as exceljs writes the local wall-clock time stored as UTC (see
 * excelDate): 25569 is 1970-01-01 in Excel's 1900 date system.
 */
export function excelSerial(d: Date): number {
  const t = d.getTime();
  return 25569 + (t - d.getTimezoneOffset() * 60_000) / DAY_MS;
}

/**
 * Style ids of one sheet's cells, as exceljs gives them: `style(i)` for a number or date in
 * column i, `text` for a string. `register` is exceljs' styles.addStyleModel; it is asked once
 * per style object, in the order exceljs would first meet it, so ids are numbered the same.
 */
export interface RowStyles {
  number: (col: number, kind: 'number' | 'date') => number;
  text: () => number;
}

/**
 * Renders one data row: `row` in column order (undefined, null and non-finite numbers are no
 * cell), `r` the 1-based row number. Dates are Date objects; strings are written inline
 * (t="str"), as exceljs does without shared strings.
 */
export function rowXml(row: readonly Cell[], width: number, r: number, letters: readonly string[], st: RowStyles): string {
  // exceljs counts the first column as a cell even when empty, so spans starts at 1.
  let max = 1;
  let cells = '';
  for (let i = 0; i < width; i++) {
    const v = row[i];
    if (v === undefined || v === null) continue;
    let body: string;
    let s: number;
    if (typeof v === 'string') {
      s = st.text();
      body = ` t="str"><v>${xmlText(v)}</v></c>`;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) continue;
      s = st.number(i, 'number');
      body = `><v>${v}</v></c>`;
    } else {
      s = st.number(i, 'date');
      body = `><v>${excelSerial(v)}</v></c>`;
    }
    max = i + 1;
    cells += s ? `<c r="${letters[i]}${r}" s="${s}"${body}` : `<c r="${letters[i]}${r}"${body}`;
  }
  // A row without a value is not written at all (its number is still used).
  if (!cells) return '';
  return `<row r="${r}" spans="1:${max}" x14ac:dyDescent="0.25">${cells}</row>`;
}
