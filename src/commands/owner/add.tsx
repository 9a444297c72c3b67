import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../../cli/context.js';
import { Run } from '../../cli/run.js';
import { addOwner } from '../../store/manual.js';

export const description = 'Add an owner (a person VMs can be assigned to; admin only)';
export const options = z.object({
  ...unlockOptions,
  name: z.string().describe(option({ description: 'full name' })),
  email: z.string().describe(option({ description: 'e-mail address (unique)' })),
  department: z.string().optional().describe(option({ description: 'department' })),
  designation: z.string().optional().describe(option({ description: 'job title' })),
});

export default function OwnerAdd({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      const id = addOwner(s.store, s.actor, { fullName: o.name, email: o.email, department: o.department, designation: o.designation });
      io.out(`Added owner #${id} ${o.name} <${o.email}>\n`);
    }} />
  );
}
