import type { SourceConfig } from '../config.js';
import { VmiError, isVmiError, oneLine } from '../errors.js';
import { log } from '../log.js';
import { collectInventory, VsphereClient } from '../sources/vsphere/index.js';
import type { Store } from '../store/store.js';
import { SourceWriter, type ApplyResult } from './apply.js';

export interface Credentials {
  username: string;
  password: Buffer;
}

export interface SyncOutcome {
  source: string;
  ok: boolean;
  result?: ApplyResult;
  error?: VmiError;
  ms: number;
}

/** One full retrieval of one vSphere source into the cache; a failure is recorded, nothing half-applied. */
export async function syncVsphereOnce(store: Store, src: SourceConfig, creds: Credentials, opts: { signal?: AbortSignal; onProgress?: (vms: number) => void } = {}): Promise<SyncOutcome> {
  const t0 = performance.now();
  const writer = new SourceWriter(store, { name: src.name, platform: 'vsphere', url: src.url });
  const runId = writer.startRun();
  const startedAt = Date.now();
  const client = new VsphereClient({
    url: src.url, name: src.name, username: creds.username, password: creds.password,
    thumbprint: src.thumbprint, insecure: src.insecure,
  });
  try {
    await client.login({ signal: opts.signal });
    const last = writer.lastEventTime();
    const inv = await collectInventory(client, {
      signal: opts.signal,
      events: last ? { sinceTime: new Date(last) } : { windowHours: 24 },
      onProgress: (p) => opts.onProgress?.(p.vms),
    });
    const result = writer.applyFull(inv, runId, startedAt);
    log().info({ source: src.name, vms: inv.vms.length, changes: result.changes, ms: Math.round(performance.now() - t0) }, 'sync finished');
    return { source: src.name, ok: true, result, ms: performance.now() - t0 };
  } catch (e) {
    const err = isVmiError(e) ? e : new VmiError('internal', `${src.name}: ${oneLine(e)}`, { cause: e });
    writer.failRun(runId, err.reason, err.message);
    log().warn({ source: src.name, reason: err.reason }, 'sync failed');
    return { source: src.name, ok: false, error: err, ms: performance.now() - t0 };
  } finally {
    await client.logout().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}
