import React from 'react';
import { z } from 'zod';
import { jsonOption, openSession, unlockOptions } from '../../cli/context.js';
import { formatTable, isoTime } from '../../cli/io.js';
import { Run } from '../../cli/run.js';
import { listUsers } from '../../store/vault.js';

export const isDefault = true;
export const description = 'List vmi users, their roles and state';
export const options = z.object({ ...unlockOptions, ...jsonOption });

export default function UserList({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      const { users, tampered } = listUsers(s.store);
      if (o.json) io.out(JSON.stringify(users, null, 2) + '\n');
      else io.out(formatTable(['USER', 'ROLE', 'STATE', 'LAST UNLOCK', 'CREATED'], users.map((u) => [
        u.username, u.role, u.disabledAt ? 'disabled' : u.mustChange ? 'must change passphrase' : 'active', isoTime(u.lastLoginAt), isoTime(u.createdAt),
      ])));
      for (const t of tampered) io.err(`vmi: ${t.message}\n`);
      return tampered.length ? 1 : 0;
    }} />
  );
}
