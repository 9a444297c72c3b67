import type { SourceConfig } from '../config.js';
import { VmiError } from '../errors.js';
import { needsCredentials, type CredentialSet, type SourceCredentials } from '../sources/collector.js';
import type { IO } from './run.js';
import { nextStdinSecret, stdinIsTty } from './secrets.js';

export interface CredentialOptions {
  vcUser?: string;
  vcPasswordStdin?: boolean;
  ntxUser?: string;
  ntxPasswordStdin?: boolean;
}

async function password(io: IO, label: string, user: string, fromStdin: boolean | undefined, env: string, required: boolean): Promise<Buffer | null> {
  if (fromStdin) return nextStdinSecret(`the ${label} password`);
  if (process.env[env]) return Buffer.from(process.env[env]!, 'utf8');
  if (stdinIsTty()) return io.promptSecret(`${label} password for ${user}:`);
  if (!required) return null;
  const flag = label === 'Prism Central' ? '--ntx-password-stdin' : '--vc-password-stdin';
  throw new VmiError('usage', `no ${label} password: use ${flag} or ${env} (automation only)`);
}

/**
 * Credentials for the sources that log in: vCenters with --vc-user (or the config's user) and
 * the password from stdin, VMI_VC_PASSWORD or the terminal. Prism Central uses the same, unless it
 * has its own: --ntx-password-stdin or VMI_NTX_PASSWORD, or (at a terminal) a second prompt when
 * its configured user is not the vCenters'.
 */
export async function sourceCredentials(io: IO, sources: SourceConfig[], opts: CredentialOptions, required: boolean): Promise<CredentialSet> {
  const out: CredentialSet = {};
  const vsphere = sources.filter((s) => s.platform === 'vsphere');
  const nutanix = sources.filter((s) => s.platform === 'nutanix' && needsCredentials(s));
  if (!vsphere.length && !nutanix.length) return out;
  const vcUser = opts.vcUser ?? vsphere.find((x) => x.user)?.user;
  const ntxUser = opts.ntxUser ?? nutanix.find((x) => x.user)?.user ?? vcUser;
  const ownPassword = nutanix.length > 0 && (opts.ntxPasswordStdin || !!process.env.VMI_NTX_PASSWORD
    || (vsphere.length > 0 && stdinIsTty() && !process.env.VMI_VC_PASSWORD && !opts.vcPasswordStdin && ntxUser !== vcUser));
  if (vsphere.length || !ownPassword) {
    const user = vsphere.length ? vcUser : ntxUser;
    const label = vsphere.length ? 'vCenter' : 'Prism Central';
    if (!user) {
      if (!required) return out;
      throw new VmiError('usage', `no ${label} user: pass --vc-user or set "user" on the source (vmi source set NAME --user U)`);
    }
    const pw = await password(io, label, user, opts.vcPasswordStdin, 'VMI_VC_PASSWORD', required);
    if (!pw) return out;
    out.default = { username: user, password: pw };
  }
  if (ownPassword) {
    if (!ntxUser) {
      if (!required) return out;
      throw new VmiError('usage', 'no Prism Central user: pass --ntx-user or set "user" on the source (vmi source set NAME --user U)');
    }
    const pw = await password(io, 'Prism Central', ntxUser, opts.ntxPasswordStdin, 'VMI_NTX_PASSWORD', required);
    if (pw) out.nutanix = { username: ntxUser, password: pw } satisfies SourceCredentials;
  } else if (nutanix.length && out.default && ntxUser && ntxUser !== out.default.username) {
    // Another account name, the same password.
    out.nutanix = { username: ntxUser, password: Buffer.from(out.default.password) };
  }
  return out;
}
