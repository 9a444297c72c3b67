// Keys of the overlays: typing, search and pickers, forms, confirmations, help.
import { C, type KeyCommand } from '../keys.js';

export const OVERLAY_KEYS: KeyCommand[] = [
  // Text input (filter, command line)
  C('input.submit', ['enter'], 'apply', ['input'], 'Typing', { footer: 1, short: 'apply' }),
  C('input.cancel', ['esc'], 'cancel', ['input'], 'Typing', { footer: 2, short: 'cancel' }),
  C('input.clear', ['ctrl+u'], 'clear the line', ['input', 'search', 'picker', 'tags', 'form'], 'Typing', { footer: 3, short: 'clear' }),
  C('input.complete', ['tab'], 'complete the command', ['input'], 'Typing'),

  // Search
  C('search.up', ['up', 'ctrl+p', 'ctrl+k'], 'previous result', ['search', 'picker', 'tags'], 'Search and pickers'),
  C('search.down', ['down', 'ctrl+n', 'ctrl+j'], 'next result', ['search', 'tags'], 'Search and pickers'),
  C('search.jump', ['enter'], 'go to the result', ['search'], 'Search and pickers', { footer: 1, short: 'go' }),
  C('search.close', ['esc'], 'close', ['search', 'tags', 'picker', 'notice'], 'Search and pickers', { footer: 9, short: 'close' }),
  C('picker.down', ['down', 'ctrl+j'], 'next owner', ['picker'], 'Search and pickers'),
  C('picker.assign', ['enter'], 'assign to the marked (or selected) VMs', ['picker'], 'Search and pickers', { adminOnly: true, footer: 1, short: 'assign' }),
  C('picker.new', ['ctrl+n'], 'new owner (also the last row of the list)', ['picker'], 'Search and pickers', { adminOnly: true, footer: 2, short: 'new owner' }),
  C('tags.toggle', ['enter'], 'add the tag to every target VM (or remove it when all have it); +tag adds, -tag removes', ['tags'], 'Search and pickers', { adminOnly: true, footer: 1, short: 'add/remove' }),

  // Forms and confirmations
  C('form.next', ['tab', 'down'], 'next field', ['form'], 'Forms', { footer: 2, short: 'next field' }),
  C('form.prev', ['shift+tab', 'up'], 'previous field', ['form'], 'Forms'),
  C('form.enter', ['enter'], 'next field; on the last one: save', ['form'], 'Forms', { footer: 1, short: 'next/save' }),
  C('form.submit', ['ctrl+s'], 'save', ['form'], 'Forms', { footer: 3, short: 'save' }),
  C('form.cancel', ['esc'], 'cancel', ['form'], 'Forms', { footer: 4, short: 'cancel' }),
  C('confirm.yes', ['y'], 'yes, do it', ['confirm'], 'Forms', { footer: 1, short: 'yes' }),
  C('confirm.no', ['n', 'esc'], 'no', ['confirm'], 'Forms', { footer: 2, short: 'no' }),
  C('help.scrollUp', ['k', 'up', 'pgup'], 'scroll', ['help', 'notice'], 'Help'),
  C('help.scrollDown', ['j', 'down', 'pgdn'], 'scroll', ['help', 'notice'], 'Help', { footer: 1, short: 'scroll' }),
  C('help.close', ['esc', '?', 'q'], 'close the help', ['help'], 'Help', { footer: 2, short: 'close' }),
];
