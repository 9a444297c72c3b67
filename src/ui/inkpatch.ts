// Ink redraws the whole frame into a fresh character grid on every render, and keeps its
// tokenizer and width caches per frame only: at 200x60 that is 12,000 cells tokenized and
// measured again for a cursor that moved one row. This makes those caches live across frames
// (bounded), so only the lines that changed are tokenized. It touches Ink's internal Output
// class through its file URL; when Ink's shape differs, it does nothing and Ink works as before.

const LIMITS = { styledChars: 4000, widths: 20000, blockWidths: 4000 } as const;
let patched: Promise<boolean> | null = null;

export function patchInkCaches(): Promise<boolean> {
  patched ??= (async () => {
    try {
      const url = new URL('./output.js', import.meta.resolve('ink'));
      const mod = (await import(url.href)) as { default?: new (o: { width: number; height: number }) => { caches?: object } };
      const Output = mod.default;
      if (typeof Output !== 'function') return false;
      const caches = new Output({ width: 1, height: 1 }).caches;
      if (!caches) return false;
      const proto = Object.getPrototypeOf(caches) as Record<string, unknown>;
      const methods = [['getStyledChars', 'styledChars'], ['getStringWidth', 'widths'], ['getWidestLine', 'blockWidths']] as const;
      if (!methods.every(([m, f]) => typeof proto[m] === 'function' && (caches as Record<string, unknown>)[f] instanceof Map)) return false;
      for (const [method, field] of methods) {
        const shared = new Map<unknown, unknown>();
        const orig = proto[method] as (this: Record<string, unknown>, x: unknown) => unknown;
        proto[method] = function (this: Record<string, unknown>, x: unknown) {
          if (this[field] !== shared) {
            if (shared.size > LIMITS[field]) shared.clear();
            this[field] = shared;
          }
          return orig.call(this, x);
        };
      }
      return true;
    } catch {
      return false;
    }
  })();
  return patched;
}
