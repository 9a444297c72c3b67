import { editConfig, normalizeThumbprint, type SourceConfig } from '../config.js';
import { VmiError } from '../errors.js';
import type { Session } from './context.js';
import { audit } from '../store/vault.js';

/** Applies a config edit for an admin and records it in the audit trail. */
export function editSources(s: Session, action: string, name: string, details: Record<string, unknown>, edit: (sources: Record<string, unknown>[]) => void): void {
  if (s.actor.role !== 'admin') throw new VmiError('not-admin', `changing sources is for admins only; ${s.actor.username} is a ${s.actor.role}`);
  editConfig(s.home.configFile, (raw) => {
    if (!Array.isArray(raw.sources)) raw.sources = [];
    edit(raw.sources as Record<string, unknown>[]);
  });
  s.store.write((tx) => audit(s.store, tx, s.actor, { action, resourceType: 'SOURCE', resourceId: name, details }));
}

export function findSourceIndex(sources: Record<string, unknown>[], name: string): number {
  const i = sources.findIndex((x) => typeof x.name === 'string' && x.name.toLowerCase() === name.toLowerCase());
  if (i < 0) throw new VmiError('not-found', `no source named "${name}" (see "vmi source list")`);
  return i;
}

export function thumbprintOrThrow(t: string): string {
  const n = normalizeThumbprint(t);
  if (!n) throw new VmiError('usage', `"${t}" is not a SHA-256 thumbprint (64 hex digits, colons optional)`);
  return n;
}

export function describeSource(s: SourceConfig): string {
  return `${s.name} (${s.platform}) ${s.url}`;
}
