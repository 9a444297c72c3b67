// The user form: a new vmi user with a one-time passphrase (Argon2id in a thread of its own).
import { addUserBy, checkNewUser } from '../../../store/vault.js';
import type { AppContext } from '../../context.js';
import { EMPTY, line } from '../../widgets/lineedit.js';
import type { Overlay } from '../types.js';

export function oneTimeLines(user: string, temp: string): string[] {
  return [
    `One-time passphrase for ${user}:`,
    '',
    `    ${temp}`,
    '',
    'It is shown once and never stored. Give it to them over a safe channel;',
    'they must choose their own passphrase at their first unlock.',
    '',
    'enter or esc closes this.',
  ];
}

/** `added` runs once the user exists (the caller's list of users is stale then). */
export function userForm(ctx: AppContext, added: () => void): Overlay {
  return {
    kind: 'form', form: {
      title: 'Add a vmi user', focus: 0, error: null,
      note: 'They get a one-time passphrase to change at first unlock.',
      fields: [
        { id: 'username', label: 'User name', value: EMPTY },
        { id: 'role', label: 'Role', value: line('viewer'), choices: ['viewer', 'admin'], hint: 'viewers read everything and change nothing' },
      ],
      submit: (v) => {
        const name = v.username.trim();
        const role = v.role.trim() as 'admin' | 'viewer';
        checkNewUser(ctx.store, ctx.actor!, name, role); // said in the form
        ctx.runBusy(`Adding ${name}...`, () => addUserBy(ctx.deriveBy, ctx.store, ctx.actor!, name, role), (temp) => {
          added();
          ctx.reload();
          ctx.open({ kind: 'notice', title: `User ${name} added`, scroll: 0, lines: oneTimeLines(name, temp) });
        });
      },
    },
  };
}
