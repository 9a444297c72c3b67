// Fuzzy matching for pickers: "asm" finds "Alice Smith", "alice" ranks "alice@..." first.
// Pure and tested table-driven.

const BOUNDARY = /[\s.@_\-/:,()]/;

/** -1 when `query` is not a subsequence of `text`; otherwise higher is better. */
export function fuzzyScore(query: string, text: string): number {
  const q = query.trim().toLowerCase();
  if (!q) return 0;
  const t = text.toLowerCase();
  const at = t.indexOf(q);
  if (at >= 0) {
    // Whole substring: best when at the start or at a word start.
    const wordStart = at === 0 || BOUNDARY.test(t[at - 1]);
    return 1000 + (at === 0 ? 300 : 0) + (wordStart ? 200 : 0) - Math.min(at, 100) - Math.min(t.length, 100) / 10;
  }
  let score = 0;
  let ti = 0;
  let prev = -2;
  for (const ch of q) {
    if (ch === ' ') continue;
    const found = t.indexOf(ch, ti);
    if (found < 0) return -1;
    score += 1;
    if (found === prev + 1) score += 5;
    if (found === 0 || BOUNDARY.test(t[found - 1])) score += 8;
    score -= Math.min(found - ti, 10) * 0.2;
    prev = found;
    ti = found + 1;
  }
  return score;
}

/** Items matching the query, best first (stable for equal scores). */
export function fuzzyFilter<T>(items: T[], query: string, text: (t: T) => string): T[] {
  if (!query.trim()) return items.slice();
  const scored: { t: T; s: number; i: number }[] = [];
  items.forEach((t, i) => {
    const s = fuzzyScore(query, text(t));
    if (s >= 0) scored.push({ t, s, i });
  });
  scored.sort((a, b) => b.s - a.s || a.i - b.i);
  return scored.map((x) => x.t);
}
