import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../cli/context.js';
import { nextStdinSecret, stdinIsTty } from '../cli/secrets.js';
import { Run } from '../cli/run.js';
import { wipe } from '../crypto/sodium.js';
import { EXIT, VmiError } from '../errors.js';
import { syncVsphereOnce } from '../sync/vsphere.js';

export const description = 'Collect every enabled vSphere source into the cache (vCenter password asked for, never stored)';
export const options = z.object({
  ...unlockOptions,
  once: z.boolean().optional().describe(option({ description: 'one full sync of each source, then exit' })),
  source: z.string().optional().describe(option({ description: 'only this source' })),
  vcUser: z.string().optional().describe(option({ description: 'vCenter user (default: the source\'s "user" in config.json)' })),
  vcPasswordStdin: z.boolean().optional().describe(option({ description: 'read the vCenter password from standard input (after the passphrase, if that is read too)' })),
});

export default function Sync({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      if (!o.once) throw new VmiError('usage', 'say how to sync: --once (one full sync of every enabled source)');
      const s = await openSession(io, o, onCleanup);
      const sources = s.config.sources.filter((x) => x.platform === 'vsphere' && (o.source ? x.name.toLowerCase() === o.source.toLowerCase() : x.enabled));
      if (o.source && sources.length === 0) throw new VmiError('not-found', `no vSphere source named "${o.source}" (see "vmi source list")`);
      if (sources.length === 0) throw new VmiError('usage', 'no enabled vSphere source in config.json; add one with "vmi source add"');
      const username = o.vcUser ?? sources.find((x) => x.user)?.user;
      if (!username) throw new VmiError('usage', 'no vCenter user: pass --vc-user or set "user" on the source (vmi source set NAME --user U)');
      let password: Buffer;
      if (o.vcPasswordStdin) password = await nextStdinSecret('the vCenter password');
      else if (process.env.VMI_VC_PASSWORD) password = Buffer.from(process.env.VMI_VC_PASSWORD, 'utf8');
      else if (stdinIsTty()) password = await io.promptSecret(`vCenter password for ${username}:`);
      else throw new VmiError('usage', 'no vCenter password: use --vc-password-stdin or VMI_VC_PASSWORD (automation only)');
      onCleanup(() => wipe(password));
      for (const src of sources) if (src.insecure) io.err(`vmi: warning: ${src.name}: certificate verification is OFF (insecure: true); pin its thumbprint with "vmi source trust ${src.name}"\n`);
      // Every source at once: a slow or dead vCenter never holds up the others.
      const outcomes = await Promise.all(sources.map((src) => syncVsphereOnce(s.store, src, { username: o.vcUser ?? src.user ?? username, password })));
      let code: number = EXIT.ok;
      for (const r of outcomes) {
        if (r.ok && r.result) {
          const v = r.result.counts.vms;
          io.out(`${r.source}: ${v.added + v.changed + v.unchanged + v.reappeared} VMs (${v.added} new, ${v.changed} changed, ${v.deleted} deleted), ${r.result.counts.hosts.added + r.result.counts.hosts.changed + r.result.counts.hosts.unchanged} hosts, ${r.result.changes} changes in ${(r.ms / 1000).toFixed(1)} s\n`);
        } else if (r.error) {
          io.err(`vmi: ${r.error.message}\n`);
          code = Math.max(code, r.error.exitCode === EXIT.auth ? EXIT.auth : EXIT.source);
        }
      }
      return code;
    }} />
  );
}
