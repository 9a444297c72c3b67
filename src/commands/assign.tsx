import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../cli/context.js';
import { Run } from '../cli/run.js';
import { selectVms } from '../cli/vms.js';
import { findOwnerByEmail, assignOwners } from '../store/manual.js';

export const description = 'Set the technical and/or business owner of the VMs a filter selects (admin only)';
export const options = z.object({
  ...unlockOptions,
  filter: z.string().describe(option({ description: 'which VMs, e.g. "name~^web- owner:none"', alias: 'f' })),
  technical: z.string().optional().describe(option({ description: 'technical owner e-mail ("none" clears it)' })),
  business: z.string().optional().describe(option({ description: 'business owner e-mail ("none" clears it)' })),
});

export default function Assign({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      const resolve = (e?: string) => (e === undefined ? undefined : e.toLowerCase() === 'none' ? null : findOwnerByEmail(s.store, e).id);
      const owners = { technical: resolve(o.technical), business: resolve(o.business) };
      const { vms } = selectVms(s.store, io, o.filter);
      if (vms.length === 0) {
        io.err('No VM matches that filter; nothing changed.\n');
        return 0;
      }
      const n = assignOwners(s.store, s.actor, vms, owners);
      io.out(`${n} of ${vms.length} matching VMs changed\n`);
    }} />
  );
}
