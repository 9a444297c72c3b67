// The settings view's keys, per section.
import { C, type KeyCommand } from '../../keys.js';

export const SETTINGS_KEYS: KeyCommand[] = [
  C('settings.next', ['tab', 'right'], 'next section', ['settings'], 'Settings', { footer: 900, short: 'section' }),
  C('settings.prev', ['shift+tab', 'left'], 'previous section', ['settings'], 'Settings'),
  C('source.add', ['a'], 'add a source', ['settings.sources'], 'Settings', { adminOnly: true, footer: 2, short: 'add' }),
  C('source.edit', ['enter', 'e'], 'edit the source', ['settings.sources'], 'Settings', { adminOnly: true, footer: 3, short: 'edit' }),
  C('source.toggle', ['space'], 'enable / disable the source', ['settings.sources'], 'Settings', { adminOnly: true, footer: 4, short: 'on/off' }),
  C('source.refresh', ['r'], 'refresh this source now', ['settings.sources'], 'Settings', { footer: 5, short: 'refresh' }),
  C('source.trust', ['T'], 'trust the certificate thumbprint the source reported', ['settings.sources'], 'Settings', { adminOnly: true, dangerous: true, footer: 6, short: 'trust cert' }),
  C('source.remove', ['x'], 'remove the source from config.json', ['settings.sources'], 'Settings', { adminOnly: true, dangerous: true, footer: 7, short: 'remove' }),
  C('ui.change', ['enter', 'space'], 'change the setting', ['settings.ui'], 'Settings', { footer: 2, short: 'change' }),
  C('user.add', ['a'], 'add a user (one-time passphrase)', ['settings.users'], 'Settings', { adminOnly: true, footer: 2, short: 'add' }),
  C('user.role', ['R'], 'switch the user between admin and viewer', ['settings.users'], 'Settings', { adminOnly: true, dangerous: true, footer: 3, short: 'role' }),
  C('user.reset', ['P'], 'new one-time passphrase for the user', ['settings.users'], 'Settings', { adminOnly: true, dangerous: true, footer: 4, short: 'reset pass' }),
  C('user.disable', ['D'], 'disable the user', ['settings.users'], 'Settings', { adminOnly: true, dangerous: true, footer: 5, short: 'disable' }),
];
