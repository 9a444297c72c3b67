// Ink redraws the whole frame into a fresh grid of styled cells on every render: at 200x60 that
// is 12,000 cell objects built, and 60 lines of cells turned back into strings, for a cursor that
// moved one row (about 25 ms a frame). This app draws exactly one text node per screen line, so
// a frame is just those lines. Two patches to Ink's internal Output class, through its file URL:
//  - get(): when every write is whole lines that no other write overlaps and nothing clips
//    horizontally, the frame is assembled from the written lines directly; anything else (borders,
//    overlapping boxes, horizontal clipping) takes Ink's own path, unchanged;
//  - Ink's per-frame tokenizer and width caches live across frames (bounded) for that path.
// When Ink's shape differs, nothing is patched and Ink works as before.

const LIMITS = { styledChars: 4000, widths: 20000, blockWidths: 4000 } as const;
let patched: Promise<boolean> | null = null;
let originalGet: (() => unknown) | null = null;

/** Ink's own Output.get once the patch replaced it (tests compare the two). */
export function inkGet(): (() => unknown) | null {
  return originalGet;
}

type Transformer = (line: string, index: number) => string;
interface Clip { x1?: number; x2?: number; y1?: number; y2?: number }
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };
interface OutputLike {
  width: number;
  height: number;
  operations: Operation[];
}

/**
 * The frame as Ink's get() would produce it, for frames made of non-overlapping whole lines
 * (what this app draws); null when the frame needs Ink's cell grid.
 */
export function linesFrame(o: OutputLike): { output: string; height: number } | null {
  const rows: (string | undefined)[] = new Array(o.height);
  const clips: Clip[] = [];
  for (const op of o.operations) {
    if (op.type === 'clip') {
      clips.push(op.clip);
      continue;
    }
    if (op.type === 'unclip') {
      clips.pop();
      continue;
    }
    if (op.type !== 'write' || !Array.isArray(op.transformers) || op.x < 0 || op.y < 0) return null;
    const clip = clips.at(-1);
    if (clip && typeof clip.x1 === 'number' && typeof clip.x2 === 'number') return null;
    let lines = op.text.split('\n');
    let y = op.y;
    if (clip && typeof clip.y1 === 'number' && typeof clip.y2 === 'number') {
      // Same arithmetic as Ink's vertical clipping.
      if (y + lines.length < clip.y1 || y > clip.y2) continue;
      const from = y < clip.y1 ? clip.y1 - y : 0;
      const to = y + lines.length > clip.y2 ? clip.y2 - y : lines.length;
      lines = lines.slice(from, to);
      if (y < clip.y1) y = clip.y1;
    }
    for (let i = 0; i < lines.length; i++) {
      const row = y + i;
      if (row >= o.height) break;
      if (rows[row] !== undefined) return null;
      let line = lines[i]!;
      for (const t of op.transformers) line = t(line, i);
      rows[row] = op.x > 0 ? ' '.repeat(op.x) + line : line;
    }
  }
  let out = '';
  for (let y = 0; y < o.height; y++) out += (y ? '\n' : '') + (rows[y]?.trimEnd() ?? '');
  return { output: out, height: o.height };
}

export function patchInkCaches(): Promise<boolean> {
  patched ??= (async () => {
    try {
      const url = new URL('./output.js', import.meta.resolve('ink'));
      const mod = (await import(url.href)) as { default?: new (o: { width: number; height: number }) => { caches?: object; operations?: unknown } };
      const Output = mod.default;
      if (typeof Output !== 'function') return false;
      const sample = new Output({ width: 1, height: 1 });
      const caches = sample.caches;
      if (!caches || !Array.isArray(sample.operations)) return false;
      const proto = Object.getPrototypeOf(caches) as Record<string, unknown>;
      const methods = [['getStyledChars', 'styledChars'], ['getStringWidth', 'widths'], ['getWidestLine', 'blockWidths']] as const;
      const outProto = Output.prototype as unknown as { get?: () => unknown };
      if (typeof outProto.get !== 'function') return false;
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
      const origGet = outProto.get;
      originalGet = origGet;
      outProto.get = function (this: OutputLike) {
        return linesFrame(this) ?? origGet.call(this);
      };
      return true;
    } catch {
      return false;
    }
  })();
  return patched;
}
