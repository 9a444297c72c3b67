import { argument, option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { tagVms } from '../store/manual.js';
import { openSession, unlockOptions } from './context.js';
import { Run } from './run.js';
import { selectVms } from './vms.js';

export const tagArgs = z.tuple([z.string().describe(argument({ name: 'tag', description: 'the tag, e.g. pci' }))]);
export const tagOptions = z.object({
  ...unlockOptions,
  filter: z.string().describe(option({ description: 'which VMs (vmi help filters)', alias: 'f' })),
});

/** Shared body of "vmi tag add" and "vmi tag remove". */
export function TagCommand({ tag, options: o, add }: { tag: string; options: z.infer<typeof tagOptions>; add: boolean }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      const { vms } = selectVms(s.store, io, o.filter);
      if (vms.length === 0) {
        io.err('No VM matches that filter; nothing changed.\n');
        return 0;
      }
      const n = tagVms(s.store, s.actor, vms, tag, add);
      io.out(add ? `Tagged ${n} of ${vms.length} matching VMs with "${tag}"\n` : `Removed "${tag}" from ${n} of ${vms.length} matching VMs\n`);
    }} />
  );
}
