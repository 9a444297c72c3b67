import { argument } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../../cli/context.js';
import { Run } from '../../cli/run.js';
import { setRole } from '../../store/vault.js';

export const description = "Change a user's role (admin only)";
export const args = z.tuple([
  z.string().describe(argument({ name: 'name', description: 'user name' })),
  z.enum(['admin', 'viewer']).describe(argument({ name: 'role', description: 'admin or viewer' })),
]);
export const options = z.object({ ...unlockOptions });

export default function UserRole({ args: [name, role], options: o }: { args: z.infer<typeof args>; options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      setRole(s.store, s.actor, name, role);
      io.out(`"${name}" is now ${role === 'admin' ? 'an admin' : 'a viewer'}\n`);
    }} />
  );
}
