import { argument, option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../../cli/context.js';
import { Run } from '../../cli/run.js';
import { addUser } from '../../store/vault.js';

export const description = 'Add a vmi user (admin only); prints a one-time passphrase to change at first unlock';
export const args = z.tuple([z.string().describe(argument({ name: 'name', description: 'user name' }))]);
export const options = z.object({
  ...unlockOptions,
  role: z.enum(['admin', 'viewer']).default('viewer').describe(option({ description: 'role of the new user' })),
  fullName: z.string().optional().describe(option({ description: 'full name' })),
  email: z.string().optional().describe(option({ description: 'e-mail address' })),
});

export default function UserAdd({ args: [name], options: o }: { args: z.infer<typeof args>; options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      const temp = addUser(s.store, s.actor, name, o.role, { ...(o.fullName ? { fullName: o.fullName } : {}), ...(o.email ? { email: o.email } : {}) });
      io.out(`Added ${o.role} "${name}". One-time passphrase (shown once, must be changed at first unlock):\n  ${temp}\n`);
    }} />
  );
}
