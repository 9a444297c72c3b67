import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { jsonOption, openSession, unlockOptions } from '../../cli/context.js';
import { formatTable, isoTime, parseSince } from '../../cli/io.js';
import { Run } from '../../cli/run.js';
import { listAudit } from '../../store/audit.js';

export const description = 'Show the audit trail (unlocks, user, owner, tag, override and config changes, exports)';
export const options = z.object({
  ...unlockOptions,
  ...jsonOption,
  since: z.string().optional().describe(option({ description: 'only entries newer than this: 30m, 24h, 7d or a date' })),
  action: z.string().optional().describe(option({ description: 'only actions starting with this, e.g. user. or vm.assign' })),
  by: z.string().optional().describe(option({ description: 'only entries by this vmi user' })),
});

export default function Audit({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const since = o.since ? parseSince(o.since) : undefined;
      const s = await openSession(io, o, onCleanup);
      const { entries, tampered } = listAudit(s.store, since);
      const shown = entries.filter((e) => (!o.action || e.action.startsWith(o.action)) && (!o.by || e.username === o.by));
      if (o.json) io.out(JSON.stringify(shown.map((e) => ({ ...e, time: new Date(e.time).toISOString() })), null, 2) + '\n');
      else io.out(formatTable(['ID', 'TIME', 'USER', 'ACTION', 'OBJECT', 'DETAILS'], shown.map((e) => [
        e.id, isoTime(e.time), e.username ?? '', e.action, [e.resourceType, e.resourceId].filter(Boolean).join(' '), e.details ? JSON.stringify(e.details) : '',
      ])));
      for (const t of tampered) io.err(`vmi: ${t}\n`);
      return tampered.length ? 1 : 0;
    }} />
  );
}
