import type { SourceConfig } from '../config.js';
import { VmiError, isVmiError, oneLine } from '../errors.js';
import { log } from '../log.js';
import { createCollector, recordedPlatform, type SourceDetail, type VsphereCredentials } from '../sources/collector.js';
import type { Store } from '../store/store.js';
import { acquireLease, releaseLease } from '../worker/lease.js';
import { SourceWriter, type ApplyResult } from './apply.js';

export interface SyncOutcome {
  source: string;
  ok: boolean;
  result?: ApplyResult;
  error?: VmiError;
  leasedBy?: string;
  ms: number;
  /** What the collector reported besides the inventory (the API in use...). */
  detail?: SourceDetail;
}

/**
 * One full retrieval of one source into the cache, under its lease. A failure is recorded as a
 * failed run and nothing of it is applied.
 */
export async function syncOnce(store: Store, src: SourceConfig, creds: VsphereCredentials | null, holder: string, signal?: AbortSignal): Promise<SyncOutcome> {
  const t0 = performance.now();
  const writer = new SourceWriter(store, { name: src.name, platform: recordedPlatform(src), url: src.url });
  const lease = acquireLease(store.db, writer.sourceId, holder);
  if (!lease.ok) return { source: src.name, ok: true, leasedBy: lease.holder, ms: 0 };
  const runId = writer.startRun();
  const startedAt = Date.now();
  let collector;
  try {
    collector = createCollector(src, creds);
    const inv = await collector.full({ signal: signal ?? new AbortController().signal, sinceEventTime: writer.lastEventTime() });
    const result = writer.applyFull(inv, runId, startedAt);
    log().info({ source: src.name, vms: inv.vms.length, changes: result.changes, ms: Math.round(performance.now() - t0) }, 'sync finished');
    return { source: src.name, ok: true, result, ms: performance.now() - t0, detail: collector.detail?.() };
  } catch (e) {
    const err = isVmiError(e) ? e : new VmiError('internal', `${src.name}: ${oneLine(e)}`, { cause: e });
    writer.failRun(runId, err.reason, err.message);
    log().warn({ source: src.name, reason: err.reason }, 'sync failed');
    return { source: src.name, ok: false, error: err, ms: performance.now() - t0 };
  } finally {
    await collector?.close().catch(() => undefined);
    releaseLease(store.db, writer.sourceId, holder);
  }
}
