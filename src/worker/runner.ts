// One loop per source: lease, full sync, live updates until the next full sync, backoff after
// failures. Never two runs of one source at once (one loop, one lease).
import type { SourceConfig } from '../config.js';
import { isVmiError, oneLine, VmiError } from '../errors.js';
import type { Logger } from '../log.js';
import { isHistoryWindow, needsBackfill, WINDOW_SPEC, type HistoryWindow } from '../model/history.js';
import type { Collector, VsphereCredentials } from '../sources/collector.js';
import { needsCredentials, recordedPlatform } from '../sources/collector.js';
import type { Store } from '../store/store.js';
import { SourceWriter } from '../sync/apply.js';
import { acquireLease, HEARTBEAT_MS, releaseLease } from './lease.js';
import type { SourceStatus } from './protocol.js';
import { backoffDelay, nextRunDelay, Waker } from './schedule.js';

export interface RunnerDeps {
  store: Store;
  holder: string;
  log: Logger;
  /** The credentials this source logs in with (null: none in memory). */
  credentials: (src: SourceConfig) => VsphereCredentials | null;
  createCollector: (src: SourceConfig, creds: VsphereCredentials | null) => Collector;
  onStatus: (s: SourceStatus) => void;
  /** Rows were committed (full: by a full sync). */
  onCommitted: (source: string, full?: boolean) => void;
  /** Waits for a turn to hold a full inventory of about `vms` VMs (see FullSyncGate); null: aborted. */
  gate?: (vms: number, signal: AbortSignal, onWait: () => void) => Promise<(() => void) | null>;
}

export class SourceRunner {
  private status: SourceStatus;
  private readonly waker = new Waker();
  private stopCtl = new AbortController();
  private cycleCtl: AbortController | null = null;
  private collector: Collector | null = null;
  private writer: SourceWriter | null = null;
  private failures = 0;
  // A refused login is not retried with the same password (that locks accounts); new credentials clear it.
  private loginRefused = false;
  private done: Promise<void> | null = null;
  // One backfill per host and window at a time: a chart asking twice waits for the first.
  private backfills = new Map<string, Promise<number>>();

  constructor(private src: SourceConfig, private readonly deps: RunnerDeps) {
    this.status = { source: src.name, platform: src.platform, state: 'offline' };
  }

  get name(): string {
    return this.src.name;
  }

  get platform(): SourceConfig['platform'] {
    return this.src.platform;
  }

  start(): void {
    this.done ??= this.loop().catch((e) => this.deps.log.error({ err: e, source: this.src.name }, 'source loop ended unexpectedly'));
  }

  /** Config edits (URL, refresh, enabled) take effect at once: the current cycle restarts. */
  update(src: SourceConfig): void {
    const reconnect = src.url !== this.src.url || src.thumbprint !== this.src.thumbprint || src.insecure !== this.src.insecure || src.user !== this.src.user;
    this.src = src;
    if (reconnect) void this.dropCollector();
    this.interrupt();
  }

  /** "Refresh now": end live mode or a backoff wait and run a full sync. */
  refresh(): void {
    this.interrupt();
  }

  /** New or forgotten credentials: reconnect with them. */
  credentialsChanged(): void {
    void this.dropCollector();
    this.failures = 0;
    this.loginRefused = false;
    this.interrupt();
  }

  /**
   * Fills a host's trend window from the source's history when the cache holds less of it
   * (see needsBackfill); resolves to the samples stored, after their commit. Throws a VmiError:
   * offline without a session, unsupported without history, not-found for an unknown host.
   */
  backfill(hostRef: string, window: HistoryWindow): Promise<number> {
    const key = `${window}|${hostRef}`;
    let p = this.backfills.get(key);
    if (!p) {
      p = this.runBackfill(hostRef, window).finally(() => this.backfills.delete(key));
      this.backfills.set(key, p);
    }
    return p;
  }

  private async runBackfill(hostRef: string, window: HistoryWindow): Promise<number> {
    if (!isHistoryWindow(window)) throw new VmiError('usage', `unknown trend window ${JSON.stringify(String(window)).slice(0, 40)}`);
    const collector = this.collector;
    if (this.stopped) throw new VmiError('cancelled', `${this.src.name}: stopping`);
    if (!collector || !this.writer) {
      const why = this.status.state === 'leased' ? 'another vmi process polls it' : this.status.state === 'disabled' ? 'it is disabled' : 'not connected';
      throw new VmiError('offline', `${this.src.name}: no history while offline (${why})`);
    }
    if (!collector.history) throw new VmiError('unsupported', `${this.src.name}: ${this.src.platform} sources keep no host history vmi can read`);
    const spec = WINDOW_SPEC[window];
    const now = Date.now();
    const since = now - spec.spanMs;
    const times = this.writer.hostSampleTimes(hostRef, since);
    if (!times) throw new VmiError('not-found', `${this.src.name}: no host ${JSON.stringify(hostRef)} in the cache`);
    if (!needsBackfill(times, since, now, spec.intervalS)) return 0;
    const samples = await collector.history(hostRef, window, this.stopCtl.signal);
    const stored = this.writer.storeHistory(hostRef, samples, spec.intervalS);
    this.deps.log.debug({ source: this.src.name, window, received: samples.length, stored }, 'host history backfilled');
    if (stored) this.deps.onCommitted(this.src.name);
    return stored;
  }

  private interrupt(): void {
    this.cycleCtl?.abort();
    this.waker.wake();
  }

  async stop(): Promise<void> {
    this.stopCtl.abort();
    this.interrupt();
    await this.done;
    await this.dropCollector();
    if (this.writer) releaseLease(this.deps.store.db, this.writer.sourceId, this.deps.holder);
  }

  private async dropCollector(): Promise<void> {
    const c = this.collector;
    this.collector = null;
    await c?.close().catch(() => undefined);
  }

  private set(patch: Partial<SourceStatus>): void {
    this.status = { ...this.status, ...patch, source: this.src.name, platform: this.src.platform };
    this.deps.onStatus(this.status);
  }

  private get stopped(): boolean {
    return this.stopCtl.signal.aborted;
  }

  private async loop(): Promise<void> {
    this.writer = new SourceWriter(this.deps.store, { name: this.src.name, platform: recordedPlatform(this.src), url: this.src.url });
    while (!this.stopped) {
      this.cycleCtl = new AbortController();
      const signal = AbortSignal.any([this.stopCtl.signal, this.cycleCtl.signal]);
      if (!this.src.enabled) {
        this.set({ state: 'disabled', nextRunAt: undefined, retryAt: undefined });
        await this.waker.sleep(3_600_000, signal);
        continue;
      }
      if (this.src.platform === 'ingest') {
        // Fed by "vmi ingest" (another process); its status says when the last document came.
        const at = this.writer.lastRunAt();
        this.set({ state: 'live', nextRunAt: undefined, retryAt: undefined, lastSuccessAt: at ?? undefined, detail: at ? { lastIngestAt: at } : {} });
        await this.waker.sleep(30_000, signal);
        continue;
      }
      const creds = this.deps.credentials(this.src);
      if (needsCredentials(this.src) && (!creds || this.loginRefused)) {
        this.set({ state: 'offline', nextRunAt: undefined, retryAt: undefined });
        await this.waker.sleep(3_600_000, signal);
        continue;
      }
      const lease = acquireLease(this.deps.store.db, this.writer.sourceId, this.deps.holder);
      if (!lease.ok) {
        // Another process polls this source; its writes reach us through the cache.
        this.set({ state: 'leased', holder: lease.holder, retryAt: lease.expiresAt });
        await this.waker.sleep(Math.min(HEARTBEAT_MS, Math.max(500, lease.expiresAt - Date.now())), signal);
        continue;
      }
      if (this.status.state === 'leased') this.writer.reset(); // the other holder wrote this source
      const ok = await this.fullSync(creds, signal);
      if (this.stopped) break;
      if (!ok && this.loginRefused) continue; // back to "offline" until new credentials arrive
      if (!ok) {
        const wait = backoffDelay(this.failures);
        this.set({ state: 'backoff', retryAt: Date.now() + wait, failures: this.failures, nextRunAt: undefined });
        await this.withHeartbeat(() => this.waker.sleep(wait, signal));
        continue;
      }
      const nextRunAt = Date.now() + nextRunDelay(this.src.refreshSeconds);
      this.set({ state: 'live', nextRunAt, retryAt: undefined, progress: undefined });
      await this.withHeartbeat(() => this.liveUntil(nextRunAt, signal));
    }
  }

  private async fullSync(creds: VsphereCredentials | null, signal: AbortSignal): Promise<boolean> {
    const writer = this.writer!;
    const expected = this.status.counts?.vms ?? writer.lastVmCount();
    // The lease is kept while waiting for a turn, as while syncing.
    const heartbeat = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    const release = this.deps.gate
      ? await this.deps.gate(expected, signal, () => this.set({ state: 'waiting', progress: undefined, expected }))
      : () => undefined;
    // Interrupted while waiting (new credentials, a config edit): no collector for this cycle, or
    // one made with the old credentials would outlive the change.
    if (!release || signal.aborted) {
      clearInterval(heartbeat);
      release?.();
      return false;
    }
    this.set({ state: this.collector ? 'syncing' : 'connecting', progress: 0, expected });
    const runId = writer.startRun('full');
    const startedAt = Date.now();
    try {
      this.collector ??= this.deps.createCollector(this.src, creds);
      const inv = await this.collector.full({
        signal,
        sinceEventTime: writer.lastEventTime(),
        onProgress: (vms) => {
          if (this.status.state !== 'syncing' || vms - (this.status.progress ?? 0) >= 200) this.set({ state: 'syncing', progress: vms });
        },
      });
      if (signal.aborted) throw new VmiError('cancelled', `${this.src.name}: sync interrupted`);
      const r = writer.applyFull(inv, runId, startedAt);
      this.failures = 0;
      this.set({
        lastSuccessAt: Date.now(), lastError: undefined, failures: 0,
        counts: { vms: inv.vms.length, hosts: inv.hosts.length, changes: r.changes },
        detail: this.collector.detail?.(),
      });
      this.deps.onCommitted(this.src.name, true);
      this.deps.log.info({ source: this.src.name, vms: inv.vms.length, changes: r.changes, ms: Date.now() - startedAt }, 'full sync done');
      return true;
    } catch (e) {
      const err = isVmiError(e) ? e : new VmiError('internal', `${this.src.name}: ${oneLine(e)}`);
      writer.failRun(runId, err.reason, err.message);
      this.deps.onCommitted(this.src.name);
      if (err.reason === 'cancelled' || this.stopped) return false;
      this.failures++;
      if (err.reason === 'login-refused') this.loginRefused = true;
      this.set({ lastError: { reason: err.reason, message: err.message, at: Date.now() } });
      this.deps.log.warn({ source: this.src.name, reason: err.reason, failures: this.failures }, 'full sync failed');
      await this.dropCollector();
      return false;
    } finally {
      clearInterval(heartbeat);
      release();
    }
  }

  private async liveUntil(until: number, signal: AbortSignal): Promise<void> {
    const liveCtl = new AbortController();
    const timer = setTimeout(() => liveCtl.abort(), Math.max(0, until - Date.now()));
    const liveSignal = AbortSignal.any([signal, liveCtl.signal]);
    let runId: number | null = null;
    try {
      const outcome = await this.collector!.live((u) => {
        runId ??= this.writer!.startRun('live');
        const r = this.writer!.applyLive(u, runId);
        if (r.changes || u.vms.length || u.removedVms.length) this.deps.onCommitted(this.src.name);
      }, liveSignal);
      // A stream that ends by itself (resync) is followed at once by a full sync.
      if (outcome === 'resync' && !liveSignal.aborted) this.deps.log.info({ source: this.src.name }, 'live updates need a full resync');
    } catch (e) {
      if (!liveSignal.aborted) {
        this.deps.log.warn({ source: this.src.name, reason: isVmiError(e) ? e.reason : 'internal' }, 'live updates failed; resyncing');
        await this.dropCollector();
      }
    } finally {
      clearTimeout(timer);
      if (runId !== null) this.closeLiveRun(runId);
    }
  }

  private closeLiveRun(runId: number): void {
    this.deps.store.write((tx) => tx.update('sync_runs', runId, { finished_at: tx.now }, { platform: this.src.platform, source: this.src.name, kind: 'live', status: 'ok' }));
  }

  private heartbeat(): boolean {
    if (!this.writer) return false;
    const r = acquireLease(this.deps.store.db, this.writer.sourceId, this.deps.holder);
    return r.ok;
  }

  /** Keeps the lease alive while waiting; losing it (we were frozen past expiry) ends the wait. */
  private async withHeartbeat(wait: () => Promise<void>): Promise<void> {
    const t = setInterval(() => {
      try {
        if (!this.heartbeat()) this.interrupt();
      } catch (e) {
        this.deps.log.warn({ source: this.src.name, reason: isVmiError(e) ? e.reason : 'internal' }, 'lease heartbeat failed');
      }
    }, HEARTBEAT_MS);
    try {
      await wait();
    } finally {
      clearInterval(t);
    }
  }
}
