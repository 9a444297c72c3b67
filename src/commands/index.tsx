import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { defaultUser, homeOptions, openHome } from '../cli/context.js';
import { Run } from '../cli/run.js';
import { runApp } from '../ui/run.js';

export const description = 'Keyboard-driven terminal dashboard for VM inventory across VMware vCenters and Nutanix Prism Central. Without a command: open the full-screen app (try "vmi demo")';
export const options = z.object({
  ...homeOptions,
  user: z.string().optional().describe(option({ description: 'vmi user to unlock as (default: $VMI_USER or your OS user name)', alias: 'u' })),
});

export default function Index({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (_io, onCleanup) => {
      const ctx = await openHome(o, onCleanup);
      const code = await runApp({ home: ctx.home, config: ctx.config, store: ctx.store, user: defaultUser(o.user) });
      // Anything still holding the event loop (a hung vCenter logout) must not keep the shell waiting.
      setTimeout(() => process.exit(process.exitCode ?? code), 3000).unref();
      return code;
    }} />
  );
}
