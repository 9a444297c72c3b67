import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../cli/context.js';
import { Run } from '../cli/run.js';
import { VmiError } from '../errors.js';
import { rekey } from '../store/vault.js';
import { stdinIsTty } from '../cli/secrets.js';

export const description = 'New data key: every row re-sealed, every remaining keyslot re-wrapped (admin only)';
export const options = z.object({
  ...unlockOptions,
  yes: z.boolean().optional().describe(option({ description: 'do not ask for confirmation', alias: 'y' })),
});

export default function Rekey({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      if (!o.yes) {
        if (!stdinIsTty()) throw new VmiError('usage', 'vmi rekey needs --yes when not run at a terminal');
        if (!(await io.confirm('Re-key the cache? Other running vmi processes will have to unlock again.'))) {
          io.out('Nothing changed.\n');
          return 0;
        }
      }
      const t = performance.now();
      const r = rekey(s.store, s.actor);
      io.out(`Re-keyed: ${r.rows} rows re-sealed, ${r.slots} keyslots re-wrapped in ${((performance.now() - t) / 1000).toFixed(1)} s.\n`);
    }} />
  );
}
