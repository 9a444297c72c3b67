// The worker's view of a Prism Central: one full retrieval per scheduled sync. Prism Central has
// no change feed vmi can follow, so between full syncs there is nothing to stream: live() waits
// for the next scheduled sync (or a refresh) and reports no updates.
import type { SourceConfig } from '../../config.js';
import type { Inventory } from '../../model/records.js';
import type { Collector, LiveUpdate, SourceCredentials, SourceDetail } from '../collector.js';
import { collectPrism, type PrismApi } from './collect.js';
import { PrismClient, type PrismClientOptions } from './http.js';

export class PrismCollector implements Collector {
  private client: PrismClient | null = null;
  private api: PrismApi | undefined;

  constructor(private readonly src: SourceConfig, private readonly creds: SourceCredentials,
    private readonly extra: Partial<PrismClientOptions> = {}) {}

  async full(opts: { signal: AbortSignal; onProgress?: (vms: number) => void }): Promise<Inventory> {
    try {
      this.client ??= new PrismClient({
        url: this.src.url, name: this.src.name, username: this.src.user ?? this.creds.username, password: this.creds.password,
        thumbprint: this.src.thumbprint, insecure: this.src.insecure, ...this.extra,
      });
      const r = await collectPrism(this.client, { signal: opts.signal, onProgress: opts.onProgress });
      this.api = r.api;
      return r.inventory;
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  live(_onUpdate: (u: LiveUpdate) => void, signal: AbortSignal): Promise<'aborted' | 'resync'> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve('aborted');
      signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
  }

  detail(): SourceDetail | undefined {
    if (!this.api) return { polling: true };
    return { polling: true, api: this.api, ...(this.api === 'v3' ? { apiFallback: true } : {}) };
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    await c?.close().catch(() => undefined);
  }
}
