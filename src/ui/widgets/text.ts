// Width-aware text for the terminal: every cell of every line is counted with string-width, so
// CJK and emoji (two columns) never push a column out of line. Pure functions, tested table-driven.
import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// C0/C1 control characters (ESC, tabs, newlines...) would move the cursor or inject escapes.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Replaces control characters (an ESC in a VM name must not reach the terminal). */
export function clean(s: string): string {
  return PRINTABLE_ASCII.test(s) ? s : s.replace(CONTROLS, ' ');
}

/** Columns a string takes on screen (after clean()). */
export function width(s: string): number {
  return PRINTABLE_ASCII.test(s) ? s.length : stringWidth(s);
}

/**
 * Exactly `w` columns: truncated with `ellipsis` when too wide (a wide character that would
 * straddle the edge is replaced by spaces), padded with spaces when too narrow.
 */
export function fit(s: string, w: number, opts: { align?: 'left' | 'right'; ellipsis?: string } = {}): string {
  if (w <= 0) return '';
  const text = clean(s);
  const ell = opts.ellipsis ?? '…';
  if (PRINTABLE_ASCII.test(text)) {
    if (text.length <= w) return opts.align === 'right' ? text.padStart(w) : text.padEnd(w);
    const ellW = width(ell);
    if (w <= ellW) return text.slice(0, w);
    return text.slice(0, w - ellW) + ell;
  }
  const sw = stringWidth(text);
  if (sw <= w) {
    const pad = ' '.repeat(w - sw);
    return opts.align === 'right' ? pad + text : text + pad;
  }
  const ellW = width(ell);
  const room = w > ellW ? w - ellW : w;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const gw = stringWidth(segment);
    if (used + gw > room) break;
    out += segment;
    used += gw;
  }
  if (w > ellW) {
    out += ell;
    used += ellW;
  }
  return out + ' '.repeat(Math.max(0, w - used));
}

/** Cuts to at most `w` columns without padding. */
export function truncate(s: string, w: number, ellipsis = '…'): string {
  const text = clean(s);
  if (width(text) <= w) return text;
  return fit(text, w, { ellipsis }).trimEnd();
}

/** Left and right parts on one line of exactly `w` columns; the right part wins when short of room. */
export function spread(left: string, right: string, w: number, ellipsis = '…'): string {
  const rw = Math.min(width(right), w);
  const r = fit(right, rw, { ellipsis });
  const lw = Math.max(0, w - rw - (rw > 0 ? 1 : 0));
  return fit(left, lw, { ellipsis }) + (rw > 0 ? ' ' : '') + r;
}

/** Centers `s` in `w` columns. */
export function center(s: string, w: number): string {
  const t = truncate(s, w);
  const left = Math.floor((w - width(t)) / 2);
  return ' '.repeat(left) + t + ' '.repeat(Math.max(0, w - left - width(t)));
}

export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** "4 GB", "512 MB". */
export function memText(mb: number): string {
  if (mb >= 1024 * 1024) return `${trimNum(mb / 1024 / 1024)} TB`;
  if (mb >= 1024) return `${trimNum(mb / 1024)} GB`;
  return `${mb} MB`;
}

export function gbText(gb: number): string {
  if (gb >= 1024) return `${trimNum(gb / 1024)} TB`;
  return `${trimNum(gb)} GB`;
}

export function bytesText(b: number): string {
  const gb = b / 1024 ** 3;
  if (gb >= 1024) return `${trimNum(gb / 1024)} TB`;
  if (gb >= 1) return `${trimNum(gb)} GB`;
  return `${Math.round(b / 1024 ** 2)} MB`;
}

function trimNum(n: number): string {
  return n >= 100 ? String(Math.round(n)) : n.toFixed(1).replace(/\.0$/, '');
}

/** "1:05", "12:30", "2h05" for countdowns. */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "5s ago", "3m ago", "2h ago", "4d ago". */
export function ago(ms: number, now: number): string {
  const d = Math.max(0, now - ms);
  if (d < 60_000) return `${Math.floor(d / 1000)}s ago`;
  if (d < 3_600_000) return `${Math.floor(d / 60_000)}m ago`;
  if (d < 86_400_000) return `${Math.floor(d / 3_600_000)}h ago`;
  return `${Math.floor(d / 86_400_000)}d ago`;
}

/** Local "2026-11-02 14:05:09" (the operator's clock, not UTC). */
export function localTime(ms: number | null | undefined): string {
  if (!ms) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
