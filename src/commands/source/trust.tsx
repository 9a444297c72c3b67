import { argument, option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, sourceEditOptions } from '../../cli/context.js';
import { Run } from '../../cli/run.js';
import { editSources, findSourceIndex } from '../../cli/sources.js';
import { stdinIsTty } from '../../cli/secrets.js';
import { loadConfig } from '../../config.js';
import { VmiError } from '../../errors.js';
import { resolveHome } from '../../home.js';
import { fetchCertificate } from '../../sources/tls.js';

export const description = "Connect to a source, show its certificate and pin its SHA-256 thumbprint (trust on first use; admin only)";
export const args = z.tuple([z.string().describe(argument({ name: 'name', description: 'source name' }))]);
export const options = z.object({
  ...sourceEditOptions,
  yes: z.boolean().optional().describe(option({ description: 'pin without asking', alias: 'y' })),
});

export default function SourceTrust({ args: [name], options: o }: { args: z.infer<typeof args>; options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const cfg = loadConfig(resolveHome(o.home).configFile);
      const src = cfg.sources[findSourceIndex(cfg.sources as unknown as Record<string, unknown>[], name)];
      if (src.platform === 'demo' || src.platform === 'ingest' || /^demo:/i.test(src.url)) throw new VmiError('usage', `${src.name} is a ${src.platform} source: it has no certificate`);
      const product = src.platform === 'nutanix' ? 'Prism Central' : 'vCenter';
      const cert = await fetchCertificate(src.url, { name: src.name, product });
      io.out([
        `Source:      ${src.name} (${src.url})`,
        `Subject:     ${cert.subject}`,
        `Issuer:      ${cert.issuer}`,
        `Valid:       ${cert.validFrom.slice(0, 10)} to ${cert.validTo.slice(0, 10)}${Date.parse(cert.validTo) < Date.now() ? '  (EXPIRED)' : ''}`,
        `SHA-256:     ${cert.thumbprint}`,
        `CA-trusted:  ${cert.trusted ? 'yes' : `no (${cert.authorizationError ?? 'not signed by a trusted CA'})`}`,
        src.thumbprint ? `Pinned now:  ${src.thumbprint}${src.thumbprint === cert.thumbprint ? ' (same)' : ' (DIFFERENT)'}` : 'Pinned now:  nothing',
        '',
      ].join('\n'));
      if (src.thumbprint === cert.thumbprint) {
        io.out('This certificate is already pinned; nothing to do.\n');
        return 0;
      }
      if (!o.yes) {
        if (!stdinIsTty()) throw new VmiError('usage', `compare the thumbprint with the one ${product} shows, then run again with --yes`);
        if (!(await io.confirm(`Pin ${cert.thumbprint} for ${src.name}?`))) {
          io.out('Nothing changed.\n');
          return 0;
        }
      }
      const s = await openSession(io, { ...o, user: o.vmiUser }, onCleanup);
      editSources(s, 'config.source.trust', src.name, { thumbprint: cert.thumbprint, previous: src.thumbprint ?? null }, (sources) => {
        const x = sources[findSourceIndex(sources, src.name)];
        x.thumbprint = cert.thumbprint;
        delete x.insecure;
      });
      io.out(`Pinned. vmi now accepts exactly this certificate for ${src.name}.\n`);
    }} />
  );
}
