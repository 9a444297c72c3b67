import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, unlinkSync } from 'node:fs';
import { z } from 'zod';
import { VmiError } from './errors.js';

export const PLATFORMS = ['vsphere', 'nutanix', 'demo', 'ingest'] as const;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function urlOk(s: string, platform: string): boolean {
  // An ingest source is fed by "vmi ingest"; its URL only says where the documents come from.
  if (platform === 'ingest') return true;
  try {
    const u = new URL(s);
    if (platform === 'demo') return u.protocol === 'demo:';
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** A SHA-256 certificate thumbprint in any common spelling: colons or not, any case. */
export function normalizeThumbprint(t: string): string | null {
  const hex = t.replace(/[:\s-]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

const thumbprint = z.string().refine((s) => normalizeThumbprint(s) !== null, {
  message: 'must be a SHA-256 thumbprint (64 hex digits, colons optional)',
});

// Loose objects keep keys this vmi does not know, so an older vmi never drops a newer one's settings.
export const SourceSchema = z.looseObject({
  name: z.string().regex(NAME_RE, 'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit'),
  platform: z.enum(PLATFORMS),
  url: z.string().default(''),
  user: z.string().min(1).optional(),
  thumbprint: thumbprint.optional(),
  insecure: z.boolean().optional(),
  refreshSeconds: z.number().int().min(15).default(120),
  enabled: z.boolean().default(true),
}).superRefine((src, ctx) => {
  if (!urlOk(src.url, src.platform)) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: src.platform === 'demo' ? 'must be a demo URL such as demo://ams?vms=1000' : 'must be an http(s) URL such as https://vcenter.example.com' });
  }
});

export const ConfigSchema = z.looseObject({
  sources: z.array(SourceSchema).default([]).superRefine((sources, ctx) => {
    const seen = new Set<string>();
    sources.forEach((s, i) => {
      const k = s.name.toLowerCase();
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate source name "${s.name}"` });
      seen.add(k);
    });
  }),
  ui: z.looseObject({
    theme: z.enum(['dark', 'light']).default('dark'),
    accent: z.string().regex(/^(#[0-9a-fA-F]{6}|[a-z]+)$/, 'must be a colour name or #rrggbb').default('cyan'),
    /** Datastore use (%) drawn as a warning, and as critical. */
    storageWarnPct: z.number().min(1).max(100).default(80),
    storageCritPct: z.number().min(1).max(100).default(90),
  }).refine((u) => u.storageWarnPct <= u.storageCritPct, { message: 'storageWarnPct must not be above storageCritPct', path: ['storageWarnPct'] })
    .default({ theme: 'dark', accent: 'cyan', storageWarnPct: 80, storageCritPct: 90 }),
  security: z.looseObject({
    sessionTimeoutMinutes: z.number().int().min(0).default(15),
  }).default({ sessionTimeoutMinutes: 15 }),
  logging: z.looseObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    maxFiles: z.number().int().min(1).max(100).default(5),
    maxSizeMB: z.number().min(1).max(1024).default(10),
  }).default({ level: 'info', maxFiles: 5, maxSizeMB: 10 }),
  reports: z.looseObject({
    // vHealth reports a datastore whose used space is above this share of its capacity.
    datastoreUsedPct: z.number().min(1).max(100).default(90),
  }).default({ datastoreUsedPct: 90 }),
});

export type SourceConfig = z.infer<typeof SourceSchema>;
export type Config = z.infer<typeof ConfigSchema>;

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || '(top level)';
}

export function validateConfig(raw: unknown, file: string): Config {
  const r = ConfigSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    // Name the source for issues inside sources[], which is what a user looks for in the file.
    let where = formatPath(issue.path);
    if (issue.path[0] === 'sources' && typeof issue.path[1] === 'number') {
      const name = (raw as { sources?: { name?: unknown }[] })?.sources?.[issue.path[1]]?.name;
      if (typeof name === 'string') where += ` (source "${name}")`;
    }
    const more = r.error.issues.length > 1 ? ` (+${r.error.issues.length - 1} more)` : '';
    throw new VmiError('config-invalid', `${file}: ${where}: ${issue.message}${more}`);
  }
  return r.data;
}

export function readRawConfig(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new VmiError('not-initialised', `no configuration at ${file}; run "vmi init" first (or pass --home DIR)`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new VmiError('config-invalid', `${file}: cannot read (${(e as NodeJS.ErrnoException).code})`);
  }
  try {
    const v = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('the top level must be an object');
    return v;
  } catch (e) {
    throw new VmiError('config-invalid', `${file}: invalid JSON: ${(e as Error).message}`);
  }
}

export function loadConfig(file: string): Config {
  return validateConfig(readRawConfig(file), file);
}

/** Writes to a temporary file beside the target, flushes it, then renames over the target. */
export function writeFileAtomic(file: string, text: string, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
}

/**
 * Edits the raw JSON (so unknown keys survive), validates the result and writes it atomically.
 * An edit that would make the file invalid is refused and the file stays as it was.
 */
export function editConfig(file: string, edit: (raw: Record<string, unknown>) => void): Config {
  const raw = readRawConfig(file);
  edit(raw);
  const cfg = validateConfig(raw, file);
  writeFileAtomic(file, JSON.stringify(raw, null, 2) + '\n');
  return cfg;
}

export function defaultConfig(): Record<string, unknown> {
  return {
    sources: [],
    ui: { theme: 'dark', accent: 'cyan', storageWarnPct: 80, storageCritPct: 90 },
    security: { sessionTimeoutMinutes: 15 },
    logging: { level: 'info', maxFiles: 5, maxSizeMB: 10 },
  };
}
