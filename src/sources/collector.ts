// One interface over every platform, so the worker runs them all the same way.
import type { SourceConfig } from '../config.js';
import { VmiError } from '../errors.js';
import type { EventRecord, HostRecord, HostSampleRecord, Inventory, Platform, VmRecord } from '../model/records.js';
import { DemoVcenter, parseDemoUrl } from './demo/index.js';
import { WINDOW_SPEC, type HistoryWindow } from '../model/history.js';
import { PrismCollector } from './nutanix/collector.js';
import { DemoPrismCollector } from './nutanix/demo.js';
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
  /** What the source's status shows besides its state (the API in use...), after a full(). */
  detail?(): SourceDetail | undefined;
}

function windowDates(window: HistoryWindow, now = Date.now()): { start: Date; end: Date; intervalS: number } {
  const w = WINDOW_SPEC[window];
  return { start: new Date(now - w.spanMs), end: new Date(now), intervalS: w.intervalS };
}

/** Source facts for its status line and pill. */
export interface SourceDetail {
  /** The API version in use, e.g. "v4.0", or "v3" for a Prism Central older than pc.2024.3. */
  api?: string;
  /** The preferred API answered 404 and an older one is used. */
  apiFallback?: boolean;
  /** Nothing is streamed between full syncs: the data is as of the last one. */
  polling?: boolean;
  /** An ingest source: when the last document was applied (ms since the epoch). */
  lastIngestAt?: number;
}

export interface SourceCredentials {
  username: string;
  password: Buffer;
}
/** The name the worker and CLI have always used for them. */
export type VsphereCredentials = SourceCredentials;

/** Credentials by platform: vCenters use `default`; Prism Central uses `nutanix` when given, else `default`. */
export interface CredentialSet {
  default?: SourceCredentials;
  nutanix?: SourceCredentials;
}

export function needsCredentials(src: SourceConfig): boolean {
  return src.platform === 'vsphere' || src.platform === 'nutanix';
}

/** A demo source that generates a Prism Central (demo://site?...&platform=nutanix). */
function isDemoPrism(src: SourceConfig): boolean {
  if (src.platform !== 'demo') return false;
  try {
    return parseDemoUrl(src.url).platform === 'nutanix';
  } catch {
    return false;
  }
}

/** The platform a source's objects are recorded with: a demo Prism Central's VMs are nutanix VMs. */
export function recordedPlatform(src: SourceConfig): Platform {
  return isDemoPrism(src) ? 'nutanix' : src.platform;
}

/** The credentials a source logs in with, out of those in memory. */
export function credentialsFor(src: SourceConfig, set: CredentialSet | null): SourceCredentials | null {
  if (!set) return null;
  if (src.platform === 'nutanix') return set.nutanix ?? set.default ?? null;
  return set.default ?? null;
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
      return isDemoPrism(src) ? new DemoPrismCollector(src) : new DemoCollector(src);
    case 'nutanix':
      if (!creds) throw new VmiError('usage', `${src.name}: no Prism Central credentials`);
      return new PrismCollector(src, creds);
    case 'ingest':
      throw new VmiError('usage', `${src.name}: an ingest source is fed by "vmi ingest", not collected`);
  }
}
