import type { SourceConfig } from '../config.js';
import { VmiError } from '../errors.js';
import type { IO } from './run.js';
import { nextStdinSecret, stdinIsTty } from './secrets.js';

/** vCenter credentials for the vSphere sources: --vc-user or the config's user; password from stdin, env or the terminal. */
export async function vcenterCredentials(io: IO, sources: SourceConfig[], opts: { vcUser?: string; vcPasswordStdin?: boolean }, required: boolean): Promise<{ username: string; password: Buffer } | null> {
  const vsphere = sources.filter((s) => s.platform === 'vsphere');
  if (vsphere.length === 0) return null;
  const username = opts.vcUser ?? vsphere.find((x) => x.user)?.user;
  if (!username) {
    if (!required) return null;
    throw new VmiError('usage', 'no vCenter user: pass --vc-user or set "user" on the source (vmi source set NAME --user U)');
  }
  let password: Buffer;
  if (opts.vcPasswordStdin) password = await nextStdinSecret('the vCenter password');
  else if (process.env.VMI_VC_PASSWORD) password = Buffer.from(process.env.VMI_VC_PASSWORD, 'utf8');
  else if (stdinIsTty()) password = await io.promptSecret(`vCenter password for ${username}:`);
  else if (!required) return null;
  else throw new VmiError('usage', 'no vCenter password: use --vc-password-stdin or VMI_VC_PASSWORD (automation only)');
  return { username, password };
}
