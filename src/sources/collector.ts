// One interface over every platform, so the worker runs them all the same way.
import type { SourceConfig } from '../config.js';
import { VmiError } from '../errors.js';
import type { EventRecord, HostRecord, HostSampleRecord, Inventory, VmRecord } from '../model/records.js';
import { DemoVcenter, parseDemoUrl } from './demo/index.js';
import { WINDOW_SPEC, type HistoryWindow } from '../model/history.js';
import { collectInventory, queryHostHistory, VsphereClient, watch } from './vsphere/index.js';

export interface LiveUpdate {
  vms: VmRecord[];
  hosts: HostRecord[];
  removedVms: string[];
  events?: EventRecord[];
  samples?: HostSampleRecord[];
}

export interface Collector {
  /** One complete retrieval; throws a VmiError when it cannot finish. */
  full(opts: { signal: AbortSignal; sinceEventTime?: number | null; onProgress?: (vms: number) => void }): Promise<Inventory>;
  /** Live updates until the signal aborts; resolves early when a full retrieval is needed. */
  live(onUpdate: (u: LiveUpdate) => void, signal: AbortSignal): Promise<'aborted' | 'resync'>;
  /**
   * A host's CPU and memory history over the last hour, day or week, at the interval the
   * platform keeps for it (see WINDOW_SPEC), oldest first. Needs a session: throws a VmiError
   * when there is none. Platforms without history leave it out.
   */
  history?(hostRef: string, window: HistoryWindow, signal: AbortSignal): Promise<HostSampleRecord[]>;
  /** Ends the session (vCenter logout); the collector can be used again afterwards. */
  close(): Promise<void>;
}

function windowDates(window: HistoryWindow, now = Date.now()): { start: Date; end: Date; intervalS: number } {
  const w = WINDOW_SPEC[window];
  return { start: new Date(now - w.spanMs), end: new Date(now), intervalS: w.intervalS };
}

export interface VsphereCredentials {
  username: string;
  password: Buffer;
}

export function needsCredentials(src: SourceConfig): boolean {
  return src.platform === 'vsphere' || src.platform === 'nutanix';
}

class VsphereCollector implements Collector {
  private client: VsphereClient | null = null;
  private loggedIn = false;

  constructor(private readonly src: SourceConfig, private readonly creds: VsphereCredentials) {}

  private async session(signal: AbortSignal): Promise<VsphereClient> {
    if (!this.client) {
      this.client = new VsphereClient({
        url: this.src.url, name: this.src.name, username: this.src.user ?? this.creds.username, password: this.creds.password,
        thumbprint: this.src.thumbprint, insecure: this.src.insecure,
      });
    }
    if (!this.loggedIn) {
      await this.client.login({ signal });
      this.loggedIn = true;
    }
    return this.client;
  }

  async full(opts: { signal: AbortSignal; sinceEventTime?: number | null; onProgress?: (vms: number) => void }): Promise<Inventory> {
    try {
      const client = await this.session(opts.signal);
      return await collectInventory(client, {
        signal: opts.signal,
        events: opts.sinceEventTime ? { sinceTime: new Date(opts.sinceEventTime) } : { windowHours: 24 },
        onProgress: (p) => opts.onProgress?.(p.vms),
      });
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  async live(onUpdate: (u: LiveUpdate) => void, signal: AbortSignal): Promise<'aborted' | 'resync'> {
    const client = await this.session(signal);
    await watch(client, (c) => {
      if (c.kind === 'changes') onUpdate({ vms: c.vms, hosts: c.hosts, removedVms: c.removedVms });
    }, signal, { maxWaitSeconds: 20 });
    // watch() returns on abort, or when it needs a full retrieval.
    return signal.aborted ? 'aborted' : 'resync';
  }

  async history(hostRef: string, window: HistoryWindow, signal: AbortSignal): Promise<HostSampleRecord[]> {
    // Only over a session a sync opened: a backfill never logs in by itself.
    if (!this.client || !this.loggedIn) throw new VmiError('offline', `${this.src.name}: not connected; trends need a connected vCenter`);
    return queryHostHistory(this.client, hostRef, windowDates(window), { signal });
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    this.loggedIn = false;
    if (c) {
      await c.logout().catch(() => undefined);
      await c.close().catch(() => undefined);
    }
  }
}

/** The demo estate: generated, but fed through the same worker, diff and sealing path. */
class DemoCollector implements Collector {
  private readonly vc: DemoVcenter;
  private last = new Date();
  private lastSample = 0;

  constructor(src: SourceConfig, private readonly tickMs = 2000) {
    this.vc = new DemoVcenter(parseDemoUrl(src.url));
  }

  async full(opts: { sinceEventTime?: number | null }): Promise<Inventory> {
    const now = new Date();
    this.last = now;
    return this.vc.full(now, { events: opts.sinceEventTime ? { since: new Date(opts.sinceEventTime) } : {} });
  }

  live(onUpdate: (u: LiveUpdate) => void, signal: AbortSignal): Promise<'aborted' | 'resync'> {
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        const now = new Date();
        const c = this.vc.changes(now);
        const events = this.vc.events(this.last, now);
        this.last = now;
        // Host samples once a minute, like a vCenter's 20-second stats rolled up.
        const samples = now.getTime() - this.lastSample >= 60_000 ? this.vc.samples(now) : [];
        if (samples.length) this.lastSample = now.getTime();
        if (c.vms.length || c.removedVms.length || c.hosts.length || events.length || samples.length) {
          onUpdate({ vms: c.vms, hosts: c.hosts, removedVms: c.removedVms, events, samples });
        }
      }, this.tickMs);
      signal.addEventListener('abort', () => {
        clearInterval(timer);
        resolve('aborted');
      }, { once: true });
    });
  }

  async history(hostRef: string, window: HistoryWindow): Promise<HostSampleRecord[]> {
    const w = windowDates(window);
    return this.vc.history(hostRef, w.start, w.end, w.intervalS);
  }

  async close(): Promise<void> {}
}

export function createCollector(src: SourceConfig, creds: VsphereCredentials | null): Collector {
  switch (src.platform) {
    case 'vsphere':
      if (!creds) throw new VmiError('usage', `${src.name}: no vCenter credentials`);
      return new VsphereCollector(src, creds);
    case 'demo':
      return new DemoCollector(src);
    case 'nutanix':
      throw new VmiError('unreachable', `${src.name}: collecting from Nutanix Prism Central is not available in this vmi yet`);
  }
}
