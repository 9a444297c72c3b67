import { argument, option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, sourceEditOptions } from '../../cli/context.js';
import { Run } from '../../cli/run.js';
import { editSources, findSourceIndex, thumbprintOrThrow } from '../../cli/sources.js';
import { VmiError } from '../../errors.js';

export const description = 'Change a source in config.json (admin only); unknown keys in the file are kept';
export const args = z.tuple([z.string().describe(argument({ name: 'name', description: 'source name' }))]);
export const options = z.object({
  ...sourceEditOptions,
  url: z.string().optional().describe(option({ description: 'new URL' })),
  user: z.string().optional().describe(option({ description: 'vCenter account to log in with' })),
  thumbprint: z.string().optional().describe(option({ description: 'pin this SHA-256 thumbprint ("none" removes the pin)' })),
  insecure: z.boolean().optional().describe(option({ description: 'skip certificate verification' })),
  secure: z.boolean().optional().describe(option({ description: 'verify certificates again (undo --insecure)' })),
  refresh: z.number().int().optional().describe(option({ description: 'seconds between full syncs (minimum 15)' })),
  enable: z.boolean().optional().describe(option({ description: 'enable the source' })),
  disable: z.boolean().optional().describe(option({ description: 'disable the source' })),
  rename: z.string().optional().describe(option({ description: 'new name' })),
});

export default function SourceSet({ args: [name], options: o }: { args: z.infer<typeof args>; options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      if (o.enable && o.disable) throw new VmiError('usage', '--enable and --disable contradict each other');
      if (o.insecure && o.secure) throw new VmiError('usage', '--insecure and --secure contradict each other');
      const thumbprint = o.thumbprint && o.thumbprint !== 'none' ? thumbprintOrThrow(o.thumbprint) : o.thumbprint;
      const s = await openSession(io, { ...o, user: o.vmiUser }, onCleanup);
      const changed: string[] = [];
      editSources(s, 'config.source.set', name, { fields: changed }, (sources) => {
        const src = sources[findSourceIndex(sources, name)];
        const set = (k: string, v: unknown) => { if (v === undefined) delete src[k]; else src[k] = v; changed.push(k); };
        if (o.url !== undefined) set('url', o.url);
        if (o.user !== undefined) set('user', o.user);
        if (thumbprint !== undefined) set('thumbprint', thumbprint === 'none' ? undefined : thumbprint);
        if (o.insecure) set('insecure', true);
        if (o.secure) set('insecure', undefined);
        if (o.refresh !== undefined) set('refreshSeconds', o.refresh);
        if (o.enable) set('enabled', true);
        if (o.disable) set('enabled', false);
        if (o.rename !== undefined) set('name', o.rename);
        if (changed.length === 0) throw new VmiError('usage', 'nothing to change: give at least one option (see --help)');
      });
      io.out(`Updated source ${name}: ${changed.join(', ')}\n`);
    }} />
  );
}
