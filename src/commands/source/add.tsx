import { argument, option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, sourceEditOptions } from '../../cli/context.js';
import { Run } from '../../cli/run.js';
import { editSources, thumbprintOrThrow } from '../../cli/sources.js';
import { VmiError } from '../../errors.js';

export const description = 'Add a vCenter or Prism Central source to config.json (admin only; no password is stored)';
export const args = z.tuple([z.string().describe(argument({ name: 'name', description: 'a short name, e.g. vc-prod' }))]);
export const options = z.object({
  ...sourceEditOptions,
  platform: z.enum(['vsphere', 'nutanix', 'demo']).describe(option({ description: 'platform' })),
  url: z.string().describe(option({ description: 'https://vcenter.example.com' })),
  user: z.string().optional().describe(option({ description: 'vCenter account to log in with (read-only is enough; never its password)' })),
  thumbprint: z.string().optional().describe(option({ description: 'pin the SHA-256 certificate thumbprint' })),
  insecure: z.boolean().optional().describe(option({ description: 'skip certificate verification (not recommended)' })),
  refresh: z.number().int().optional().describe(option({ description: 'seconds between full syncs (default 120, minimum 15)' })),
  disabled: z.boolean().optional().describe(option({ description: 'add it disabled' })),
});

export default function SourceAdd({ args: [name], options: o }: { args: z.infer<typeof args>; options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const thumbprint = o.thumbprint ? thumbprintOrThrow(o.thumbprint) : undefined;
      const s = await openSession(io, { ...o, user: o.vmiUser }, onCleanup);
      const entry: Record<string, unknown> = {
        name, platform: o.platform, url: o.url,
        ...(o.user ? { user: o.user } : {}),
        ...(thumbprint ? { thumbprint } : {}),
        ...(o.insecure ? { insecure: true } : {}),
        refreshSeconds: o.refresh ?? 120,
        enabled: !o.disabled,
      };
      editSources(s, 'config.source.add', name, { platform: o.platform, url: o.url }, (sources) => {
        if (sources.some((x) => typeof x.name === 'string' && x.name.toLowerCase() === name.toLowerCase())) {
          throw new VmiError('conflict', `a source named "${name}" already exists`);
        }
        sources.push(entry);
      });
      io.out(`Added source ${name} (${o.platform}) ${o.url}\n`);
      if (o.insecure) io.err('vmi: warning: certificate verification is off for this source; pin its thumbprint instead (vmi source trust)\n');
    }} />
  );
}
