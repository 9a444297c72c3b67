// The one key map: every command the app knows, its keys, where it applies, who may use it and
// whether it needs a confirmation. The shell's own commands are here; views and overlays
// contribute theirs. The key handler, the footer and the "?" help are all generated from this
// table, so they cannot disagree.
import type { Role } from '../store/vault.js';
import { C, keyLabel, type KeyCommand, type Scope } from './keys.js';
import { OVERLAY_KEYS } from './overlays/keys.js';
import { VIEWS } from './views/index.js';
import { EXPORT_KEYS } from './actions/export.js';
import { VM_ACTION_KEYS } from './actions/vm.js';
import { TABLE_KEYS } from './widgets/table/keys.js';

export { keyLabel, keyName, splitInput, type KeyCommand, type Scope } from './keys.js';

const GLOBAL: KeyCommand[] = [
  C('help', ['?'], 'help: every key', ['global'], 'Everywhere', { footer: 90, short: 'help' }),
  C('search', ['/'], 'search VMs, hosts, datastores, networks', ['global'], 'Everywhere', { footer: 20, short: 'search' }),
  C('command', [':'], 'command line (:vms :hosts :owners :audit ...)', ['global'], 'Everywhere', { footer: 30, short: 'cmd' }),
  C('back', ['esc'], 'back / close', ['global'], 'Everywhere', { footer: 15, short: 'back' }),
  C('quit', ['q', 'ctrl+c'], 'quit (Ctrl-C works everywhere)', ['global'], 'Everywhere', { footer: 95, short: 'quit' }),
  C('refresh', ['r'], 'refresh every source now', ['global'], 'Everywhere', { footer: 60, short: 'refresh' }),
  C('lock', ['L'], 'lock the screen', ['global'], 'Everywhere', { footer: 80, short: 'lock' }),
  C('connect', ['c'], 'connect: enter vCenter credentials', ['global'], 'Everywhere', { footer: 70, short: 'connect' }),
];

/** "1" to "0": the views that have a digit, in digit order. */
const DIGIT_ORDER = '1234567890';
const GO_KEYS: KeyCommand[] = VIEWS.filter((v) => v.digit)
  .sort((a, b) => DIGIT_ORDER.indexOf(a.digit!) - DIGIT_ORDER.indexOf(b.digit!))
  .map((v) => C(`view.${v.id}`, [v.digit!], v.menu ?? v.title, ['global'], 'Views'));

const LIST: KeyCommand[] = [
  C('up', ['k', 'up'], 'up', ['list'], 'Moving around'),
  C('down', ['j', 'down'], 'down', ['list'], 'Moving around'),
  C('pageUp', ['pgup', 'ctrl+b'], 'page up', ['list'], 'Moving around'),
  C('pageDown', ['pgdn', 'ctrl+f'], 'page down', ['list'], 'Moving around'),
  C('top', ['g', 'home'], 'first row', ['list'], 'Moving around'),
  C('bottom', ['G', 'end'], 'last row', ['list'], 'Moving around'),
];

/** Commands shared by several views (the object tables' enter) are listed once. */
function once(list: KeyCommand[]): KeyCommand[] {
  const seen = new Set<string>();
  return list.filter((c) => !seen.has(c.id) && seen.add(c.id));
}

export const KEYMAP: KeyCommand[] = once([
  ...GLOBAL, ...GO_KEYS, ...LIST, ...TABLE_KEYS, ...VIEWS.flatMap((v) => v.keys), ...VM_ACTION_KEYS, ...EXPORT_KEYS, ...OVERLAY_KEYS,
]);

const byId = new Map(KEYMAP.map((c) => [c.id, c]));

export function command(id: string): KeyCommand {
  const c = byId.get(id);
  if (!c) throw new Error(`no command ${id}`);
  return c;
}

/** The first command of the first scope that binds this key. */
export function resolveKey(scopes: Scope[], name: string): KeyCommand | undefined {
  for (const s of scopes) {
    for (const c of KEYMAP) if (c.scopes.includes(s) && c.keys.includes(name)) return c;
  }
  return undefined;
}

export interface FooterItem {
  key: string;
  label: string;
}

/**
 * Footer entries for the active scopes: the commands with a footer rank, in rank order, the
 * view's own keys (every scope before 'list' or 'global') first. Admin-only commands are left
 * out for viewers (they still get "admin only" when they press one).
 */
export function footerItems(scopes: Scope[], role: Role, ascii = false): FooterItem[] {
  const seen = new Set<string>();
  const out: { item: FooterItem; rank: number }[] = [];
  const shared = scopes.findIndex((s) => s === 'list' || s === 'global');
  scopes.forEach((s, si) => {
    const level = shared < 0 || si < shared ? 0 : si;
    for (const c of KEYMAP) {
      if (c.footer === undefined || !c.scopes.includes(s) || seen.has(c.id)) continue;
      if (c.adminOnly && role !== 'admin') continue;
      // A key already taken by an earlier scope belongs to that scope's command.
      if (resolveKey(scopes, c.keys[0])?.id !== c.id) continue;
      seen.add(c.id);
      out.push({ item: { key: keyLabel(c.keys[0], ascii), label: c.short ?? c.description }, rank: level * 1000 + c.footer });
    }
  });
  return out.sort((a, b) => a.rank - b.rank).map((x) => x.item);
}

export interface HelpRow {
  keys: string;
  description: string;
  note: string;
}

/** The help overlay's rows, by group, from the same table. */
export function helpSections(role: Role, ascii = false): { group: string; rows: HelpRow[] }[] {
  const groups = new Map<string, HelpRow[]>();
  for (const c of KEYMAP) {
    if (c.group === 'Help') continue;
    const notes: string[] = [];
    if (c.adminOnly) notes.push(role === 'admin' ? 'admin' : 'admin only');
    if (c.dangerous) notes.push('asks first');
    let rows = groups.get(c.group);
    if (!rows) groups.set(c.group, (rows = []));
    rows.push({ keys: c.keys.map((k) => keyLabel(k, ascii)).join(' '), description: c.description, note: notes.join(', ') });
  }
  return [...groups].map(([group, rows]) => ({ group, rows }));
}
