// Colours are semantic tokens: views say "good", "warn", "muted", never "green". Three themes
// (dark, light, and none for NO_COLOR) and two glyph sets (Unicode box drawing, ASCII fallback).

export type Tone = 'text' | 'muted' | 'accent' | 'good' | 'warn' | 'bad' | 'info' | 'busy' | 'heading' | 'marked';

export interface Glyphs {
  hline: string;
  vline: string;
  dot: string; // status pill bullet
  mark: string; // marked row
  up: string;
  down: string;
  ellipsis: string;
  /**
   * Truncation mark inside table rows. ASCII on purpose: one non-ASCII character sends a whole
   * 200-column line through Ink's slow Unicode width path twice per frame (~0.1 ms a line).
   */
  cut: string;
  arrow: string; // "old -> new"
  bar: string; // filled bar cell
  barEmpty: string;
  sep: string; // between header parts
  cursor: string; // text input caret
  over: string; // provisioned beyond capacity
  expanded: string; // tree node, open
  collapsed: string; // tree node, closed
}

export interface Theme {
  name: 'dark' | 'light' | 'none';
  /** Ink colour per tone; undefined = the terminal's default colour. */
  colors: Record<Tone, string | undefined>;
  color: boolean;
  glyphs: Glyphs;
}

const UNICODE: Glyphs = {
  hline: '─', vline: '│', dot: '●', mark: '◆', up: '↑', down: '↓', ellipsis: '…', cut: '~', arrow: '→', bar: '█', barEmpty: '░', sep: '│', cursor: '▏', over: '▒', expanded: '▾', collapsed: '▸',
};
const ASCII: Glyphs = {
  hline: '-', vline: '|', dot: '*', mark: '+', up: '^', down: 'v', ellipsis: '~', cut: '~', arrow: '->', bar: '#', barEmpty: '.', sep: '|', cursor: '_', over: '!', expanded: 'v', collapsed: '>',
};

export const ACCENTS = ['cyan', 'blue', 'magenta', 'green', 'yellow', 'red', 'white'] as const;

export interface Caps {
  color: boolean;
  ascii: boolean;
}

/**
 * What the terminal can do: NO_COLOR (any non-empty value) turns colour off; VMI_ASCII=1, or a
 * locale that is not UTF-8, or TERM=dumb/vt100/linux-console style terminals, use ASCII glyphs.
 */
export function detectCaps(env: NodeJS.ProcessEnv = process.env, platform = process.platform): Caps {
  const color = !(env.NO_COLOR !== undefined && env.NO_COLOR !== '') && env.TERM !== 'dumb';
  let ascii: boolean;
  if (env.VMI_ASCII === '1' || env.VMI_ASCII === 'true') ascii = true;
  else if (env.VMI_ASCII === '0' || env.VMI_ASCII === 'false') ascii = false;
  else if (platform === 'win32') ascii = false; // Windows Terminal, conhost and PowerShell draw box glyphs
  else {
    const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
    ascii = !/utf-?8/i.test(locale) || env.TERM === 'dumb' || env.TERM === 'vt100';
  }
  return { color, ascii };
}

export function makeTheme(name: 'dark' | 'light', accent: string, caps: Caps): Theme {
  const glyphs = caps.ascii ? ASCII : UNICODE;
  if (!caps.color) {
    const none = { text: undefined, muted: undefined, accent: undefined, good: undefined, warn: undefined, bad: undefined, info: undefined, busy: undefined, heading: undefined, marked: undefined };
    return { name: 'none', colors: none, color: false, glyphs };
  }
  if (name === 'light') {
    return {
      name, color: true, glyphs,
      colors: {
        text: undefined, muted: 'gray', accent: accent === 'white' || accent === 'yellow' ? 'blue' : accent, good: '#007a1f', warn: '#9a5b00', bad: '#c4001a',
        info: '#0055aa', busy: '#8a008a', heading: 'blue', marked: '#9a5b00',
      },
    };
  }
  return {
    name, color: true, glyphs,
    colors: { text: undefined, muted: 'gray', accent, good: 'green', warn: 'yellow', bad: 'red', info: 'cyan', busy: 'magenta', heading: accent, marked: 'yellow' },
  };
}
