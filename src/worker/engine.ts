// The worker's body, independent of how it is hosted (a worker thread, or tests in-process).
import type { SourceConfig } from '../config.js';
import { wipe } from '../crypto/sodium.js';
import { isVmiError, oneLine } from '../errors.js';
import { collectGarbage } from '../gc.js';
import type { Logger } from '../log.js';
import { refreshSnapshot } from '../model/snapshot.js';
import { createCollector, credentialsFor, type CredentialSet } from '../sources/collector.js';
import type { Store } from '../store/store.js';
import { holderId, releaseAll } from './lease.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { SourceRunner } from './runner.js';
import { FullSyncGate } from './schedule.js';

/** How long after a commit the VM snapshot is brought up to date (commits often come in runs). */
export const SNAPSHOT_DELAY_MS = 5000;

export class Engine {
  private runners = new Map<string, SourceRunner>();
  private creds: CredentialSet = {};
  readonly holder = holderId();
  private snapshotTimer: NodeJS.Timeout | null = null;
  private snapshotRun: Promise<void> | null = null;
  private stopped = false;
  private snapshotChecked = false;
  private fullSyncs = 0;
  private gcTimer: NodeJS.Timeout | null = null;
  // The inventory of a full sync is dead once written: collected before the next one builds its own.
  private readonly gate = new FullSyncGate(undefined, (admit) => setImmediate(() => {
    if (!this.stopped) collectGarbage();
    admit();
  }));

  constructor(private readonly store: Store, private readonly log: Logger, private readonly post: (m: FromWorker) => void,
    private readonly collectorFactory = createCollector, private readonly snapshotDelayMs = SNAPSHOT_DELAY_MS) {
    // A cache written by an older vmi, or by a process that ended before its snapshot was done.
    this.scheduleSnapshot();
  }

  /**
   * Brings the VM snapshot up to date a little after a commit, one part per turn of the event
   * loop. Not pushed back by later commits: live updates commit every few seconds.
   */
  private scheduleSnapshot(): void {
    if (this.stopped || this.snapshotTimer) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      // Not while a full sync holds an inventory or waits for its turn: their peaks would add up.
      if (this.snapshotRun || this.gate.busy) return this.scheduleSnapshot();
      // The first check reads every row's seq; later ones only the rows changed since.
      const quick = this.snapshotChecked;
      this.snapshotChecked = true;
      this.snapshotRun = refreshSnapshot(this.store, {
        quick,
        between: () => new Promise((r) => setImmediate(r)),
        stop: () => this.stopped,
      }).then((r) => {
        if (r.written || r.dropped) this.log.debug({ written: r.written, dropped: r.dropped }, 'vm snapshot refreshed');
        // Full syncs and snapshot parts leave hundreds of MB of dead objects; give them back now,
        // and once more when live updates have settled in (a source's inventory can outlive
        // its commit by a few turns of the event loop).
        if ((r.written || this.fullSyncs) && !this.stopped) {
          collectGarbage();
          this.gcTimer ??= setTimeout(() => {
            this.gcTimer = null;
            if (!this.stopped) collectGarbage();
          }, 10_000);
          this.gcTimer.unref?.();
        }
        this.fullSyncs = 0;
      }, (e) => this.log.warn({ reason: isVmiError(e) ? e.reason : 'internal' }, 'vm snapshot not refreshed'))
        .finally(() => (this.snapshotRun = null));
    }, this.snapshotDelayMs);
    this.snapshotTimer.unref?.();
  }

  setSources(sources: SourceConfig[]): void {
    const keep = new Set(sources.map((s) => s.name));
    for (const [name, r] of this.runners) {
      if (!keep.has(name)) {
        this.runners.delete(name);
        void r.stop();
      }
    }
    for (const src of sources) {
      const r = this.runners.get(src.name);
      if (r) {
        r.update(src);
        continue;
      }
      const runner = new SourceRunner(src, {
        store: this.store, holder: this.holder, log: this.log,
        credentials: (src) => credentialsFor(src, this.creds),
        createCollector: this.collectorFactory,
        gate: (vms, signal, onWait) => this.gate.enter(vms, signal, onWait),
        onStatus: (status) => this.post({ type: 'status', status }),
        onCommitted: (source, full) => {
          this.post({ type: 'committed', seq: this.store.currentSeq(), source });
          if (full) this.fullSyncs++;
          this.scheduleSnapshot();
        },
      });
      this.runners.set(src.name, runner);
      runner.start();
    }
  }

  async handle(m: ToWorker): Promise<boolean> {
    switch (m.type) {
      case 'credentials': {
        const slot = m.platform === 'nutanix' ? 'nutanix' : 'default';
        if (this.creds[slot]) wipe(this.creds[slot]!.password);
        this.creds[slot] = { username: m.username, password: Buffer.from(m.password) };
        wipe(m.password);
        // Only the sources that log in with these credentials reconnect.
        for (const r of this.runners.values()) if (slot === 'default' || r.platform === 'nutanix') r.credentialsChanged();
        return true;
      }
      case 'forget-credentials':
        this.forget();
        for (const r of this.runners.values()) r.credentialsChanged();
        return true;
      case 'refresh':
        for (const r of this.runners.values()) if (!m.source || r.name === m.source) r.refresh();
        return true;
      case 'sources':
        this.setSources(m.sources);
        return true;
      case 'backfill':
        // Not awaited: other messages (stop included) are handled while vCenter answers.
        void this.backfill(m);
        return true;
      case 'stop':
        await this.stop();
        return false;
    }
  }

  private async backfill(m: Extract<ToWorker, { type: 'backfill' }>): Promise<void> {
    const answer = { type: 'backfilled' as const, source: m.source, host: m.host, window: m.window };
    const runner = this.runners.get(m.source);
    if (!runner) {
      this.post({ ...answer, samples: 0, error: { reason: 'not-found', message: `no source named ${JSON.stringify(m.source)}` } });
      return;
    }
    try {
      const samples = await runner.backfill(m.host, m.window);
      this.post({ ...answer, samples });
    } catch (e) {
      const reason = isVmiError(e) ? e.reason : 'internal';
      if (!isVmiError(e)) this.log.warn({ source: m.source, err: oneLine(e) }, 'backfill failed');
      this.post({ ...answer, samples: 0, error: { reason, message: oneLine(e) } });
    }
  }

  private forget(): void {
    for (const c of [this.creds.default, this.creds.nutanix]) if (c) wipe(c.password);
    this.creds = {};
  }

  /** Stops every source (vCenter sessions logged out), releases the leases, wipes credentials. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    if (this.gcTimer) clearTimeout(this.gcTimer);
    await this.snapshotRun;
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    this.runners.clear();
    releaseAll(this.store.db, this.holder);
    this.forget();
  }
}
