import { argument } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../../cli/context.js';
import { Run } from '../../cli/run.js';
import { disableUser } from '../../store/vault.js';

export const description = "Disable a user: their keyslot is removed (admin only); follow with \"vmi rekey\"";
export const args = z.tuple([z.string().describe(argument({ name: 'name', description: 'user name' }))]);
export const options = z.object({ ...unlockOptions });

export default function UserDisable({ args: [name], options: o }: { args: z.infer<typeof args>; options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      disableUser(s.store, s.actor, name);
      io.out(`"${name}" is disabled and can no longer unlock. Run "vmi rekey" so that a copy of the old key they may hold opens nothing.\n`);
    }} />
  );
}
