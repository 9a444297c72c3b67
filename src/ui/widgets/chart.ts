// Line charts with asciichart, in the theme's glyph set.
import asciichart from 'asciichart';

/** Sums a series into `n` buckets (the chart is as wide as the screen allows). */
export function resample(series: number[], n: number): number[] {
  if (n <= 0) return [];
  if (series.length <= n) return series.slice();
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < series.length; i++) out[Math.min(n - 1, Math.floor((i * n) / series.length))] += series[i];
  return out;
}

const ASCII_SYMBOLS = ['+', '|', '-', '-', '-', '\'', '.', '.', '\'', '|'];

/** The chart's lines: `height` rows plus the axis labels' padding of 7 columns. */
export function chartLines(series: number[], opts: { height: number; ascii: boolean; min?: number; max?: number; label?: (x: number) => string }): string[] {
  if (series.length < 2) return [];
  const chart = asciichart.plot(series, {
    height: Math.max(1, opts.height), min: opts.min ?? 0, ...(opts.max !== undefined ? { max: opts.max } : {}), padding: '       ',
    format: (x: number) => (opts.label ? opts.label(x) : `${Math.round(x)}`).padStart(7),
    ...(opts.ascii ? { symbols: ASCII_SYMBOLS } : {}),
  });
  return chart.split('\n');
}

/**
 * Vertical bars, one column group per value, `height` rows high, with the labels under them:
 * per-day counts above the change table. Pure.
 */
export function columnChart(values: number[], labels: string[], width: number, height: number, glyph: string): string[] {
  if (!values.length || width <= 0 || height <= 0) return [];
  const max = Math.max(1, ...values);
  const cw = Math.max(3, Math.floor(width / values.length));
  const bar = Math.max(1, cw - 1);
  const rows: string[] = [];
  for (let r = height; r >= 1; r--) {
    rows.push(values.map((v) => (v > 0 && Math.ceil((v / max) * height) >= r ? glyph.repeat(bar) : ' '.repeat(bar)).padEnd(cw)).join(''));
  }
  rows.push(labels.map((l) => l.slice(0, cw - 1).padEnd(cw)).join(''));
  return rows;
}
