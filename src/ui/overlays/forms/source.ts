// The source form: add a source or edit one (config.json, audited). No password is stored.
import { editSources, findSourceIndex } from '../../../cli/sources.js';
import { normalizeThumbprint, PLATFORMS, type SourceConfig } from '../../../config.js';
import { VmiError } from '../../../errors.js';
import type { AppContext } from '../../context.js';
import { line } from '../../widgets/lineedit.js';
import type { FormField, Overlay } from '../types.js';

/** Edits one source of config.json (audited), then reloads the config. */
export function editSource(ctx: AppContext, action: string, name: string, details: Record<string, unknown>, edit: (src: Record<string, unknown>, all: Record<string, unknown>[], i: number) => void): void {
  editSources({ home: ctx.home, config: ctx.config, store: ctx.store, actor: ctx.actor! }, action, name, details, (sources) => {
    const i = findSourceIndex(sources, name);
    edit(sources[i], sources, i);
  });
  ctx.reloadConfig();
}

export function sourceForm(ctx: AppContext, existing: SourceConfig | null): Overlay {
  const f = (id: string, label: string, value: string, hint?: string): FormField => ({ id, label, value: line(value), hint });
  return {
    kind: 'form', form: {
      title: existing ? `Edit source ${existing.name}` : 'Add a source', focus: 0, error: null,
      note: 'No password is stored: vCenter credentials are asked for after unlocking (c).',
      fields: [
        f('name', 'Name', existing?.name ?? '', 'short name, e.g. vc-prod'),
        { ...f('platform', 'Platform', existing?.platform ?? 'vsphere'), choices: [...PLATFORMS] },
        f('url', 'URL', existing?.url ?? 'https://', 'https://vcenter.example.com'),
        f('user', 'vCenter user', existing?.user ?? '', 'read-only is enough'),
        f('thumbprint', 'Thumbprint', existing?.thumbprint ?? '', 'SHA-256 to pin (self-signed certificates); empty = normal verification'),
        f('refresh', 'Refresh (s)', String(existing?.refreshSeconds ?? 120), 'seconds between full syncs, minimum 15'),
        { ...f('insecure', 'Insecure', existing?.insecure ? 'yes' : 'no', 'yes skips certificate checks (not recommended)'), choices: ['no', 'yes'] },
      ],
      submit: (v) => {
        const name = v.name.trim();
        const refresh = Number(v.refresh.trim());
        if (!Number.isInteger(refresh)) throw new VmiError('usage', 'refresh: a whole number of seconds');
        const tp = v.thumbprint.trim();
        const thumb = tp ? normalizeThumbprint(tp) : undefined;
        if (tp && !thumb) throw new VmiError('usage', 'thumbprint: 64 hex digits, colons optional');
        const insecure = /^(y|yes|true|1)$/i.test(v.insecure.trim());
        const entry: Record<string, unknown> = { name, platform: v.platform.trim(), url: v.url.trim(), refreshSeconds: refresh };
        if (v.user.trim()) entry.user = v.user.trim();
        if (thumb) entry.thumbprint = thumb;
        if (existing) {
          editSource(ctx, 'config.source.set', existing.name, { fields: Object.keys(entry) }, (src) => {
            for (const k of ['user', 'thumbprint', 'insecure']) delete src[k];
            Object.assign(src, entry);
            if (insecure) src.insecure = true;
          });
          ctx.flash(`source ${name} saved`, 'good');
        } else {
          editSources({ home: ctx.home, config: ctx.config, store: ctx.store, actor: ctx.actor! }, 'config.source.add', name, { platform: entry.platform, url: entry.url }, (sources) => {
            if (sources.some((x) => typeof x.name === 'string' && x.name.toLowerCase() === name.toLowerCase())) throw new VmiError('conflict', `a source named "${name}" already exists`);
            sources.push({ ...entry, ...(insecure ? { insecure: true } : {}), enabled: true });
          });
          ctx.reloadConfig();
          ctx.flash(`source ${name} added${entry.platform === 'vsphere' || entry.platform === 'nutanix' ? '; press c to enter its credentials' : ''}`, 'good');
        }
        if (insecure) ctx.flash(`${name}: certificate verification is OFF; pin its thumbprint instead`, 'warn');
      },
    },
  };
}
