import React from 'react';
import { z } from 'zod';
import { homeOptions, jsonOption } from '../../cli/context.js';
import { formatTable } from '../../cli/io.js';
import { Run } from '../../cli/run.js';
import { loadConfig } from '../../config.js';
import { resolveHome } from '../../home.js';

export const isDefault = true;
export const description = 'List the sources in config.json';
export const options = z.object({ ...homeOptions, ...jsonOption });

export default function SourceList({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io) => {
      const cfg = loadConfig(resolveHome(o.home).configFile);
      if (o.json) io.out(JSON.stringify(cfg.sources, null, 2) + '\n');
      else io.out(formatTable(['NAME', 'PLATFORM', 'URL', 'USER', 'TLS', 'REFRESH', 'ENABLED'], cfg.sources.map((s) => [
        s.name, s.platform, s.url, s.user ?? '', s.insecure ? 'INSECURE' : s.thumbprint ? `pinned ${s.thumbprint.slice(0, 11)}…` : 'verified', `${s.refreshSeconds}s`, s.enabled ? 'yes' : 'no',
      ])));
    }} />
  );
}
