// The one key map: every command the app knows, its keys, where it applies, who may use it and
// whether it needs a confirmation. The key handler, the footer and the "?" help are all
// generated from this table, so they cannot disagree.
import type { Key } from 'ink';
import type { Role } from '../store/vault.js';

export type Scope =
  | 'global' | 'list' | 'vms' | 'vm' | 'owners' | 'audit' | 'objects' | 'dashboard'
  | 'settings' | 'settings.sources' | 'settings.ui' | 'settings.users'
  | 'input' | 'search' | 'picker' | 'tags' | 'form' | 'confirm' | 'help' | 'notice';

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
}

const C = (id: string, keys: string[], description: string, scopes: Scope[], group: string, extra: Partial<KeyCommand> = {}): KeyCommand =>
  ({ id, keys, description, scopes, group, ...extra });

export const KEYMAP: KeyCommand[] = [
  // Everywhere
  C('help', ['?'], 'help: every key', ['global'], 'Everywhere', { footer: 90 }),
  C('search', ['/'], 'search VMs, hosts, datastores, networks', ['global'], 'Everywhere', { footer: 20 }),
  C('command', [':'], 'command line (:vms :hosts :owners :audit ...)', ['global'], 'Everywhere', { footer: 30 }),
  C('back', ['esc'], 'back / close', ['global'], 'Everywhere', { footer: 15 }),
  C('quit', ['q', 'ctrl+c'], 'quit (Ctrl-C works everywhere)', ['global'], 'Everywhere', { footer: 95 }),
  C('refresh', ['r'], 'refresh every source now', ['global'], 'Everywhere', { footer: 60 }),
  C('lock', ['L'], 'lock the screen', ['global'], 'Everywhere', { footer: 80 }),
  C('connect', ['c'], 'connect: enter vCenter credentials', ['global'], 'Everywhere', { footer: 70 }),
  C('view.dashboard', ['1'], 'dashboard', ['global'], 'Views'),
  C('view.vms', ['2'], 'VMs', ['global'], 'Views'),
  C('view.hosts', ['3'], 'hosts', ['global'], 'Views'),
  C('view.datastores', ['4'], 'datastores', ['global'], 'Views'),
  C('view.networks', ['5'], 'networks', ['global'], 'Views'),
  C('view.changes', ['6'], 'changes', ['global'], 'Views'),
  C('view.alarms', ['7'], 'alarms', ['global'], 'Views'),
  C('view.owners', ['8'], 'owners', ['global'], 'Views'),
  C('view.audit', ['9'], 'audit trail', ['global'], 'Views'),
  C('view.settings', ['0'], 'settings', ['global'], 'Views'),

  // Lists
  C('up', ['k', 'up'], 'up', ['list'], 'Moving around'),
  C('down', ['j', 'down'], 'down', ['list'], 'Moving around'),
  C('pageUp', ['pgup', 'ctrl+b'], 'page up', ['list'], 'Moving around'),
  C('pageDown', ['pgdn', 'ctrl+f'], 'page down', ['list'], 'Moving around'),
  C('top', ['g', 'home'], 'first row', ['list'], 'Moving around'),
  C('bottom', ['G', 'end'], 'last row', ['list'], 'Moving around'),

  // VMs
  C('vms.open', ['enter'], 'VM detail', ['vms'], 'VMs', { footer: 1 }),
  C('vms.filter', ['f'], 'filter (power:off owner:none ip:10.1. ...)', ['vms', 'owners', 'audit', 'objects'], 'VMs', { footer: 2 }),
  C('vms.sort', ['s'], 'sort by the next column', ['vms', 'objects'], 'VMs', { footer: 3 }),
  C('vms.reverse', ['S'], 'reverse the sort', ['vms', 'objects'], 'VMs'),
  C('vms.mark', ['space'], 'mark / unmark the VM', ['vms'], 'VMs', { footer: 4 }),
  C('vms.markAll', ['*'], 'mark every filtered VM (again: unmark them)', ['vms'], 'VMs', { footer: 5 }),
  C('vms.unmark', ['u'], 'clear the marks', ['vms'], 'VMs'),
  C('vm.owner.technical', ['o'], 'technical owner of the marked (or selected) VMs', ['vms', 'vm'], 'VMs', { adminOnly: true, footer: 6 }),
  C('vm.owner.business', ['b'], 'business owner of the marked (or selected) VMs', ['vms', 'vm'], 'VMs', { adminOnly: true, footer: 7 }),
  C('vm.tags', ['t'], 'add / remove tags', ['vms', 'vm'], 'VMs', { adminOnly: true, footer: 8 }),
  C('vm.edit', ['e'], 'edit project, environment, notes, fields, IPs, overrides', ['vms', 'vm'], 'VMs', { adminOnly: true, footer: 9 }),

  // Other views
  C('owners.vms', ['enter'], 'the owner\'s VMs', ['owners'], 'Owners', { footer: 1 }),
  C('owners.unowned', ['u'], 'VMs without an owner', ['owners'], 'Owners', { footer: 3 }),
  C('owners.add', ['n'], 'new owner', ['owners'], 'Owners', { adminOnly: true, footer: 4 }),
  C('owners.edit', ['e'], 'edit the owner', ['owners'], 'Owners', { adminOnly: true, footer: 5 }),
  C('audit.details', ['enter'], 'entry details', ['audit'], 'Audit', { footer: 1 }),
  C('objects.open', ['enter'], 'VMs on it / open', ['objects'], 'Hosts, storage, networks, changes, alarms', { footer: 1 }),

  // Settings
  C('settings.next', ['tab', 'right'], 'next section', ['settings'], 'Settings', { footer: 1 }),
  C('settings.prev', ['shift+tab', 'left'], 'previous section', ['settings'], 'Settings'),
  C('source.add', ['a'], 'add a source', ['settings.sources'], 'Settings', { adminOnly: true, footer: 2 }),
  C('source.edit', ['enter', 'e'], 'edit the source', ['settings.sources'], 'Settings', { adminOnly: true, footer: 3 }),
  C('source.toggle', ['space'], 'enable / disable the source', ['settings.sources'], 'Settings', { adminOnly: true, footer: 4 }),
  C('source.refresh', ['r'], 'refresh this source now', ['settings.sources'], 'Settings', { footer: 5 }),
  C('source.trust', ['T'], 'trust the certificate thumbprint the source reported', ['settings.sources'], 'Settings', { adminOnly: true, dangerous: true, footer: 6 }),
  C('source.remove', ['x'], 'remove the source from config.json', ['settings.sources'], 'Settings', { adminOnly: true, dangerous: true, footer: 7 }),
  C('ui.change', ['enter', 'space'], 'change the setting', ['settings.ui'], 'Settings', { footer: 2 }),
  C('user.add', ['a'], 'add a user (one-time passphrase)', ['settings.users'], 'Settings', { adminOnly: true, footer: 2 }),
  C('user.role', ['R'], 'switch the user between admin and viewer', ['settings.users'], 'Settings', { adminOnly: true, dangerous: true, footer: 3 }),
  C('user.reset', ['P'], 'new one-time passphrase for the user', ['settings.users'], 'Settings', { adminOnly: true, dangerous: true, footer: 4 }),
  C('user.disable', ['D'], 'disable the user', ['settings.users'], 'Settings', { adminOnly: true, dangerous: true, footer: 5 }),

  // Text input (filter, command line)
  C('input.submit', ['enter'], 'apply', ['input'], 'Typing', { footer: 1 }),
  C('input.cancel', ['esc'], 'cancel', ['input'], 'Typing', { footer: 2 }),
  C('input.clear', ['ctrl+u'], 'clear the line', ['input', 'search', 'picker', 'tags', 'form'], 'Typing', { footer: 3 }),
  C('input.complete', ['tab'], 'complete the command', ['input'], 'Typing'),

  // Search
  C('search.up', ['up', 'ctrl+p', 'ctrl+k'], 'previous result', ['search', 'picker', 'tags'], 'Search and pickers'),
  C('search.down', ['down', 'ctrl+n', 'ctrl+j'], 'next result', ['search', 'tags'], 'Search and pickers'),
  C('search.jump', ['enter'], 'go to the result', ['search'], 'Search and pickers', { footer: 1 }),
  C('search.close', ['esc'], 'close', ['search', 'tags', 'picker', 'notice'], 'Search and pickers', { footer: 9 }),
  C('picker.down', ['down', 'ctrl+j'], 'next owner', ['picker'], 'Search and pickers'),
  C('picker.assign', ['enter'], 'assign to the marked (or selected) VMs', ['picker'], 'Search and pickers', { adminOnly: true, footer: 1 }),
  C('picker.new', ['ctrl+n'], 'new owner (also the last row of the list)', ['picker'], 'Search and pickers', { adminOnly: true, footer: 2 }),
  C('tags.toggle', ['enter'], 'add the tag to every target VM (or remove it when all have it); +tag adds, -tag removes', ['tags'], 'Search and pickers', { adminOnly: true, footer: 1 }),

  // Forms and confirmations
  C('form.next', ['tab', 'down'], 'next field', ['form'], 'Forms', { footer: 2 }),
  C('form.prev', ['shift+tab', 'up'], 'previous field', ['form'], 'Forms'),
  C('form.enter', ['enter'], 'next field; on the last one: save', ['form'], 'Forms', { footer: 1 }),
  C('form.submit', ['ctrl+s'], 'save', ['form'], 'Forms', { footer: 3 }),
  C('form.cancel', ['esc'], 'cancel', ['form'], 'Forms', { footer: 4 }),
  C('confirm.yes', ['y'], 'yes, do it', ['confirm'], 'Forms', { footer: 1 }),
  C('confirm.no', ['n', 'esc'], 'no', ['confirm'], 'Forms', { footer: 2 }),
  C('help.scrollUp', ['k', 'up', 'pgup'], 'scroll', ['help', 'notice'], 'Help'),
  C('help.scrollDown', ['j', 'down', 'pgdn'], 'scroll', ['help', 'notice'], 'Help', { footer: 1 }),
  C('help.close', ['esc', '?', 'q'], 'close the help', ['help'], 'Help', { footer: 2 }),
];

const byId = new Map(KEYMAP.map((c) => [c.id, c]));

export function command(id: string): KeyCommand {
  const c = byId.get(id);
  if (!c) throw new Error(`no command ${id}`);
  return c;
}

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

/** The first command of the first scope that binds this key. */
export function resolveKey(scopes: Scope[], name: string): KeyCommand | undefined {
  for (const s of scopes) {
    for (const c of KEYMAP) if (c.scopes.includes(s) && c.keys.includes(name)) return c;
  }
  return undefined;
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

export interface FooterItem {
  key: string;
  label: string;
}

/**
 * Footer entries for the active scopes: the commands with a footer rank, in rank order, the
 * first scope's own keys first. Admin-only commands are left out for viewers (they still get
 * "admin only" when they press one).
 */
export function footerItems(scopes: Scope[], role: Role, ascii = false): FooterItem[] {
  const seen = new Set<string>();
  const out: { item: FooterItem; rank: number }[] = [];
  scopes.forEach((s, si) => {
    for (const c of KEYMAP) {
      if (c.footer === undefined || !c.scopes.includes(s) || seen.has(c.id)) continue;
      if (c.adminOnly && role !== 'admin') continue;
      // A key already taken by an earlier scope belongs to that scope's command.
      if (resolveKey(scopes, c.keys[0])?.id !== c.id) continue;
      seen.add(c.id);
      out.push({ item: { key: keyLabel(c.keys[0], ascii), label: shortLabel(c) }, rank: si * 1000 + c.footer });
    }
  });
  return out.sort((a, b) => a.rank - b.rank).map((x) => x.item);
}

function shortLabel(c: KeyCommand): string {
  const short: Record<string, string> = {
    'vms.open': 'detail', 'vms.filter': 'filter', 'vms.sort': 'sort', 'vms.mark': 'mark', 'vms.markAll': 'mark all',
    'vm.owner.technical': 'tech owner', 'vm.owner.business': 'bus. owner', 'vm.tags': 'tags', 'vm.edit': 'edit',
    search: 'search', command: 'cmd', help: 'help', quit: 'quit', refresh: 'refresh', lock: 'lock', connect: 'connect',
    'owners.vms': 'VMs', 'owners.unowned': 'unowned', 'owners.add': 'new', 'owners.edit': 'edit', 'audit.details': 'details',
    'objects.open': 'open', 'settings.next': 'section', 'source.add': 'add', 'source.edit': 'edit', 'source.toggle': 'on/off',
    'source.refresh': 'refresh', 'source.trust': 'trust cert', 'source.remove': 'remove', 'ui.change': 'change',
    'user.add': 'add', 'user.role': 'role', 'user.reset': 'reset pass', 'user.disable': 'disable',
    'input.submit': 'apply', 'input.cancel': 'cancel', 'input.clear': 'clear', 'search.jump': 'go', 'search.close': 'close',
    'picker.assign': 'assign', 'picker.new': 'new owner', 'tags.toggle': 'add/remove', 'form.next': 'next field',
    'form.enter': 'next/save', 'form.submit': 'save', 'form.cancel': 'cancel', 'confirm.yes': 'yes', 'confirm.no': 'no',
    'help.close': 'close', back: 'back', 'help.scrollDown': 'scroll',
  };
  return short[c.id] ?? c.description;
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
