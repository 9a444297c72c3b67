import stringWidth from 'string-width';
import ms from 'ms';
import { VmiError } from '../errors.js';

/** Plain-text table for terminals and pipes; widths count wide characters as two columns. */
export function formatTable(headers: string[], rows: (string | number | undefined | null)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === undefined || c === null ? '' : String(c)).replace(/[\r\n\t]+/g, ' ')));
  const widths = headers.map((h, i) => Math.max(stringWidth(h), ...cells.map((r) => stringWidth(r[i] ?? ''))));
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - stringWidth(s)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]))).join('  ').trimEnd();
  return [line(headers), ...cells.map(line)].join('\n') + '\n';
}

/** "24h", "7d", "30m" -> milliseconds before now. */
export function parseSince(s: string, now = Date.now()): number {
  const t = /^\d+$/.test(s) ? Number.NaN : (ms as unknown as (v: string) => number | undefined)(s);
  if (typeof t === 'number' && Number.isFinite(t) && t > 0) return now - t;
  const d = Date.parse(s);
  if (Number.isFinite(d)) return d;
  throw new VmiError('usage', `--since "${s}": use a duration like 30m, 24h, 7d or a date like 2026-11-01`);
}

export function isoTime(ms: number | null | undefined): string {
  if (!ms) return '';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function mb(n: number): string {
  return n >= 1024 ? `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} GB` : `${n} MB`;
}
