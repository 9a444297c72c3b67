// Host trend windows (hour, day, week) and when the cache holds too little of one.

export type HistoryWindow = 'hour' | 'day' | 'week';

export const HISTORY_WINDOWS: readonly HistoryWindow[] = ['hour', 'day', 'week'];

/**
 * Each window's span and the sample interval vCenter keeps for it: 20-second realtime samples
 * for an hour, 5-minute rollups for a day, 30-minute rollups for a week (PerformanceManager
 * intervalIds 20, 300 and 1800).
 */
export const WINDOW_SPEC: Readonly<Record<HistoryWindow, { spanMs: number; intervalS: number }>> = {
  hour: { spanMs: 3600_000, intervalS: 20 },
  day: { spanMs: 86_400_000, intervalS: 300 },
  week: { spanMs: 7 * 86_400_000, intervalS: 1800 },
};

export function isHistoryWindow(w: unknown): w is HistoryWindow {
  return w === 'hour' || w === 'day' || w === 'week';
}

/**
 * Whether samples at `times` (ms, ascending) leave a hole in [since, now] that a backfill should
 * fill: a gap wider than two intervals plus a minute, at either end or in between. The extra
 * minute lets the demo's and vmi's own once-a-minute samples count as covering the hour.
 */
export function needsBackfill(times: readonly number[], since: number, now: number, intervalS: number): boolean {
  const tolerance = 2 * intervalS * 1000 + 60_000;
  let prev = since;
  for (const t of times) {
    if (t < since) continue;
    if (t - prev > tolerance) return true;
    prev = t;
  }
  return now - prev > tolerance;
}

/**
 * The samples of `incoming` that add something: none closer than half an interval to a time
 * already stored (or to one taken earlier from `incoming`). Sorted by time.
 */
export function newSamples<T extends { time: number }>(stored: readonly number[], incoming: readonly T[], intervalS: number): T[] {
  const half = (intervalS * 1000) / 2;
  const have = [...stored].sort((a, b) => a - b);
  const out: T[] = [];
  for (const s of [...incoming].sort((a, b) => a.time - b.time)) {
    if (!Number.isFinite(s.time)) continue;
    const i = lowerBound(have, s.time - half + 1);
    if (i < have.length && have[i]! < s.time + half) continue;
    have.splice(i, 0, s.time);
    out.push(s);
  }
  return out;
}

/** The first index of sorted `a` whose value is not below `x`. */
export function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
