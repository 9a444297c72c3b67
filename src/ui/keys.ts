// Key commands as data, and how Ink's key events become key names. The commands themselves are
// contributed by the shell, the views and the overlays; keymap.ts puts them together.
import type { Key } from 'ink';

/** Where a command applies: 'global', 'list', 'table', a view's id, an overlay's kind... */
export type Scope = string;

export interface KeyCommand {
  id: string;
  keys: string[];
  description: string;
  scopes: Scope[];
  adminOnly?: boolean;
  /** Asks "are you sure" before running. */
  dangerous?: boolean;
  /** Shown in the footer, lower first; absent = only in the help overlay. */
  footer?: number;
  /** Help overlay section. */
  group: string;
  /** The footer's word for it (default: the description). */
  short?: string;
}

export const C = (id: string, keys: string[], description: string, scopes: Scope[], group: string, extra: Partial<KeyCommand> = {}): KeyCommand =>
  ({ id, keys, description, scopes, group, ...extra });

/** Ink's key event as one name: "j", "G", "enter", "esc", "ctrl+u", "shift+tab", "space", "pgdn"... */
export function keyName(input: string, k: Partial<Key>): string {
  if (k.upArrow) return 'up';
  if (k.downArrow) return 'down';
  if (k.leftArrow) return 'left';
  if (k.rightArrow) return 'right';
  if (k.pageUp) return 'pgup';
  if (k.pageDown) return 'pgdn';
  if (k.home) return 'home';
  if (k.end) return 'end';
  if (k.return) return 'enter';
  if (k.escape) return 'esc';
  if (k.tab) return k.shift ? 'shift+tab' : 'tab';
  // Ink reports the Backspace key (0x7f) as "delete"; both erase the character before the caret.
  if (k.backspace || k.delete) return 'backspace';
  if (k.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHAR = /[\x00-\x1f\x7f]/;
// eslint-disable-next-line no-control-regex
const TOKENS = /[\x00-\x1f\x7f]|[^\x00-\x1f\x7f]+/g;

/**
 * Ink hands over everything that arrived in one read as one "key" (only escape sequences are
 * split), so "power:off\r" typed fast, pasted, or batched by a slow SSH link would lose its enter.
 * This splits such a chunk into text runs and single control keys.
 */
export function splitInput(input: string, key: Partial<Key>): { input: string; key: Partial<Key> }[] {
  if (input.length <= 1 || !CONTROL_CHAR.test(input) || key.escape || key.meta) return [{ input, key }];
  return (input.match(TOKENS) ?? []).map((t) => {
    if (!CONTROL_CHAR.test(t)) return { input: t, key: {} };
    const code = t.charCodeAt(0);
    if (t === '\r' || t === '\n') return { input: '', key: { return: true } };
    if (t === '\t') return { input: '', key: { tab: true } };
    if (code === 0x7f || code === 0x08) return { input: '', key: { delete: true } };
    if (code === 0x1b) return { input: '', key: { escape: true, meta: true } };
    return { input: String.fromCharCode(code + 96), key: { ctrl: true } };
  });
}

/** How a key is written in the footer and the help. */
export function keyLabel(k: string, ascii = false): string {
  const map: Record<string, string> = ascii
    ? { up: 'up', down: 'down', left: 'left', right: 'right', space: 'space', enter: 'enter', esc: 'esc', pgup: 'PgUp', pgdn: 'PgDn' }
    : { up: '↑', down: '↓', left: '←', right: '→', space: 'space', enter: 'enter', esc: 'esc', pgup: 'PgUp', pgdn: 'PgDn' };
  if (map[k]) return map[k];
  if (k.startsWith('ctrl+')) return `^${k.slice(5).toUpperCase()}`;
  return k;
}

