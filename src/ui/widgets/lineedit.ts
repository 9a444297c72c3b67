// A one-line text editor as a pure function: (line, key) -> line, or null when the key is not an
// editing key (enter, esc, arrows up/down, tab are left to the caller).
import type { Key } from 'ink';

export interface Line {
  text: string;
  pos: number;
}

export const EMPTY: Line = { text: '', pos: 0 };

export function line(text: string): Line {
  return { text, pos: [...text].length };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;

export function editLine(l: Line, input: string, key: Partial<Key>): Line | null {
  const chars = [...l.text];
  const pos = Math.min(Math.max(0, l.pos), chars.length);
  const at = (text: string[], p: number): Line => ({ text: text.join(''), pos: p });
  if (key.leftArrow) return at(chars, Math.max(0, pos - 1));
  if (key.rightArrow) return at(chars, Math.min(chars.length, pos + 1));
  if (key.home) return at(chars, 0);
  if (key.end) return at(chars, chars.length);
  if (key.backspace || key.delete) {
    if (pos === 0) return at(chars, 0);
    chars.splice(pos - 1, 1);
    return at(chars, pos - 1);
  }
  if (key.ctrl) {
    switch (input) {
      case 'a': return at(chars, 0);
      case 'e': return at(chars, chars.length);
      case 'u': return at(chars.slice(pos), 0);
      case 'k': return at(chars.slice(0, pos), pos);
      case 'w': {
        let i = pos;
        while (i > 0 && chars[i - 1] === ' ') i--;
        while (i > 0 && chars[i - 1] !== ' ') i--;
        chars.splice(i, pos - i);
        return at(chars, i);
      }
      default: return null;
    }
  }
  if (key.return || key.escape || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown || key.meta) return null;
  if (!input) return null;
  const add = [...input.replace(/\r?\n/g, ' ').replace(CONTROL, '')];
  if (add.length === 0) return null;
  chars.splice(pos, 0, ...add);
  return at(chars, pos + add.length);
}

/** The text split at the caret, for drawing it. */
export function splitAtCaret(l: Line): { before: string; at: string; after: string } {
  const chars = [...l.text];
  const p = Math.min(l.pos, chars.length);
  return { before: chars.slice(0, p).join(''), at: chars[p] ?? ' ', after: chars.slice(p + 1).join('') };
}
