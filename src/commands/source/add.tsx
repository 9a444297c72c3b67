import { argument, option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, sourceEditOptions } from '../../cli/context.js';
import { Run } from '../../cli/run.js';
import { editSources, thumbprintOrThrow } from '../../cli/sources.js';
import { PLATFORMS } from '../../config.js';
import { VmiError } from '../../errors.js';

export const description = 'Add a vCenter, Prism Central or ingest source to config.json (admin only; no password is stored)';
export const args = z.tuple([z.string().describe(argument({ name: 'name', description: 'a short name, e.g. vc-prod' }))]);
export const options = z.object({
  ...sourceEditOptions,
  platform: z.enum(PLATFORMS).describe(option({ description: 'vsphere, nutanix (Prism Central), ingest (fed by "vmi ingest") or demo' })),
  url: z.string().optional().describe(option({ description: 'https://vcenter.example.com, https://prism-central.example.com:9440 (an ingest source needs none)' })),
  user: z.string().optional().describe(option({ description: 'account to log in with (read-only is enough; never its password)' })),
  thumbprint: z.string().optional().describe(option({ description: 'pin the SHA-256 certificate thumbprint' })),
  insecure: z.boolean().optional().describe(option({ description: 'skip certificate verification (not recommended)' })),
  refresh: z.number().int().optional().describe(option({ description: 'seconds between full syncs (default 120, minimum 15)' })),
  disabled: z.boolean().optional().describe(option({ description: 'add it disabled' })),
});

export default function SourceAdd({ args: [name], options: o }: { args: z.infer<typeof args>; options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const thumbprint = o.thumbprint ? thumbprintOrThrow(o.thumbprint) : undefined;
      if (!o.url && o.platform !== 'ingest') throw new VmiError('usage', `--url is required for a ${o.platform} source`);
      const url = o.url ?? 'ingest:';
      const s = await openSession(io, { ...o, user: o.vmiUser }, onCleanup);
      const entry: Record<string, unknown> = {
        name, platform: o.platform, url,
        ...(o.user ? { user: o.user } : {}),
        ...(thumbprint ? { thumbprint } : {}),
        ...(o.insecure ? { insecure: true } : {}),
        refreshSeconds: o.refresh ?? 120,
        enabled: !o.disabled,
      };
      editSources(s, 'config.source.add', name, { platform: o.platform, url }, (sources) => {
        if (sources.some((x) => typeof x.name === 'string' && x.name.toLowerCase() === name.toLowerCase())) {
          throw new VmiError('conflict', `a source named "${name}" already exists`);
        }
        sources.push(entry);
      });
      io.out(`Added source ${name} (${o.platform})${o.platform === 'ingest' ? '; feed it with "vmi ingest --source ' + name + ' FILE"' : ` ${url}`}\n`);
      if (o.platform === 'nutanix' && !thumbprint && !o.insecure && /^https:/i.test(url)) io.err(`vmi: Prism Central usually has a self-signed certificate: check and pin it with "vmi source trust ${name}"\n`);
      if (o.insecure) io.err('vmi: warning: certificate verification is off for this source; pin its thumbprint instead (vmi source trust)\n');
    }} />
  );
}
