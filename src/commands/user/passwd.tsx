import React from 'react';
import { z } from 'zod';
import { getNewPassphrase, getPassphrase, defaultUser, openHome, unlockOptions } from '../../cli/context.js';
import { Run } from '../../cli/run.js';
import { wipe } from '../../crypto/sodium.js';
import { changePassphrase, unlock } from '../../store/vault.js';

export const description = 'Change your passphrase (at a terminal: asked for; in scripts: current then new passphrase, one per line on stdin)';
export const options = z.object({ ...unlockOptions });

export default function UserPasswd({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const ctx = await openHome(o, onCleanup);
      const username = defaultUser(o.user);
      const current = await getPassphrase(io, o, `Current passphrase for ${username}:`);
      try {
        const actor = unlock(ctx.store, username, current, { via: 'cli', command: 'user passwd' });
        const next = await getNewPassphrase(io);
        try {
          changePassphrase(ctx.store, actor, current, next);
        } finally {
          wipe(next);
        }
      } finally {
        wipe(current);
      }
      io.out(`Passphrase of "${username}" changed.\n`);
    }} />
  );
}
