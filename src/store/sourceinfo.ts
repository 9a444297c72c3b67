// Per-source report data (source_info): what a source says about itself, its licenses and its
// resource pools. One sealed document per source; a full sync rewrites it when it changed.
import type { LicenseRecord, ResourcePoolRecord, SourceAbout } from '../model/records.js';
import type { Store } from './store.js';

export interface SourceInfoDoc {
  about: SourceAbout;
  licenses: LicenseRecord[];
  resourcePools: ResourcePoolRecord[];
}

/** The stored document of one source, or undefined when no sync recorded one (or it fails to open). */
export function readSourceInfo(store: Store, sourceId: number): SourceInfoDoc | undefined {
  const r = store.db.prepare('SELECT doc FROM source_info WHERE source_id = ?').get(sourceId) as { doc: Buffer } | undefined;
  if (!r) return undefined;
  try {
    return store.key.open<SourceInfoDoc>('source_info', sourceId, r.doc);
  } catch {
    return undefined;
  }
}
