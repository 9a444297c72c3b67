import { argument } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../../cli/context.js';
import { Run } from '../../cli/run.js';
import { resetUser } from '../../store/vault.js';

export const description = "Give a user a new one-time passphrase, re-enabling a disabled user (admin only)";
export const args = z.tuple([z.string().describe(argument({ name: 'name', description: 'user name' }))]);
export const options = z.object({ ...unlockOptions });

export default function UserReset({ args: [name], options: o }: { args: z.infer<typeof args>; options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      const temp = resetUser(s.store, s.actor, name);
      io.out(`New one-time passphrase for "${name}" (shown once, must be changed at first unlock):\n  ${temp}\n`);
    }} />
  );
}
