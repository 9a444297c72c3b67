// Bars drawn with the theme's glyphs: load bars and capacity bars with overcommit.
import type { Glyphs } from './theme.js';
import type { Tone } from './theme.js';

/** "#####....." capacity/load bar. */
export function bar(pct: number, width: number, full: string, empty: string): string {
  const p = Math.max(0, Math.min(100, pct));
  const n = Math.round((p / 100) * width);
  return full.repeat(n) + empty.repeat(Math.max(0, width - n));
}

export interface Thresholds {
  warn: number;
  crit: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { warn: 80, crit: 90 };

/** The tone of a used percentage against warning and critical thresholds. */
export function usageTone(pct: number, t: Thresholds = DEFAULT_THRESHOLDS): Tone {
  if (!Number.isFinite(pct)) return 'muted';
  return pct >= t.crit ? 'bad' : pct >= t.warn ? 'warn' : 'good';
}

/**
 * A capacity bar as segments: used, free, and what is provisioned beyond the capacity drawn past
 * the end with the overcommit glyph (up to `width` more cells, so 200 % doubles the bar at most).
 */
export function capacityBar(capacity: number, used: number, provisioned: number, width: number, g: Pick<Glyphs, 'bar' | 'barEmpty' | 'over'>): { used: string; free: string; over: string } {
  if (!(capacity > 0) || width <= 0) return { used: '', free: g.barEmpty.repeat(Math.max(0, width)), over: '' };
  const u = Math.max(0, Math.min(width, Math.round((Math.max(0, used) / capacity) * width)));
  const beyond = provisioned > capacity ? Math.min(width, Math.max(1, Math.round(((provisioned - capacity) / capacity) * width))) : 0;
  return { used: g.bar.repeat(u), free: g.barEmpty.repeat(width - u), over: g.over.repeat(beyond) };
}
