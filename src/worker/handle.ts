// The main thread's side of the worker: start it, talk to it, stop it.
import { EventEmitter } from 'node:events';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { SourceConfig } from '../config.js';
import type { HistoryWindow } from '../model/history.js';
import type { Backfilled, FromWorker, SourceStatus, ToWorker, WorkerInit } from './protocol.js';

export interface WorkerEvents {
  status: [SourceStatus];
  committed: [{ seq: number; source: string }];
  backfilled: [Backfilled];
  fatal: [{ reason: string; message: string }];
}

/**
 * Resource limits of the worker thread (the vSphere bench runs the collector in a thread made
 * with the same). A full retrieval of 10,000 VMs allocates a few hundred MB of short-lived XML
 * nodes: a 96 MB young generation (32 MB semi-spaces instead of V8's 16) halves the scavenges.
 */
export const WORKER_RESOURCE_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 96 };

export class WorkerHandle extends EventEmitter<WorkerEvents> {
  private worker: Worker;
  private stopped: Promise<void> | null = null;
  readonly statuses = new Map<string, SourceStatus>();
  readonly ready: Promise<void>;

  constructor(init: WorkerInit) {
    super();
    this.worker = new Worker(new URL('./thread.js', import.meta.url), { workerData: init, resourceLimits: WORKER_RESOURCE_LIMITS });
    let readyFn!: () => void;
    this.ready = new Promise((r) => (readyFn = r));
    this.worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'ready': readyFn(); break;
        case 'status': this.statuses.set(m.status.source, m.status); this.emit('status', m.status); break;
        case 'committed': this.emit('committed', { seq: m.seq, source: m.source }); break;
        case 'backfilled': {
          const { type: _, ...b } = m;
          this.emit('backfilled', b);
          break;
        }
        case 'fatal': this.emit('fatal', { reason: m.reason, message: m.message }); break;
        case 'stopped': break;
      }
    });
    this.worker.on('error', (e) => this.emit('fatal', { reason: 'internal', message: e.message }));
  }

  send(m: ToWorker, transfer?: ArrayBuffer[]): void {
    this.worker.postMessage(m, transfer as never);
  }

  /**
   * Passes the vCenter password to the worker; the caller's copy is wiped (transferred). With
   * platform 'nutanix' they are Prism Central's own credentials (otherwise it uses these).
   */
  setCredentials(username: string, password: Buffer, platform?: 'nutanix'): void {
    const copy = new Uint8Array(password);
    password.fill(0);
    this.send({ type: 'credentials', username, password: copy, ...(platform ? { platform } : {}) }, [copy.buffer as ArrayBuffer]);
  }

  setSources(sources: SourceConfig[]): void {
    this.send({ type: 'sources', sources });
  }

  refresh(source?: string): void {
    this.send({ type: 'refresh', source });
  }

  /**
   * Asks the worker to fill a host's trend window from the source's history (QueryPerf; the
   * demo generates it). Answered by a 'backfilled' event once the rows are committed, also
   * when nothing was needed (samples: 0) or possible (error: offline, unsupported, not-found).
   */
  backfill(source: string, hostRef: string, window: HistoryWindow): void {
    this.send({ type: 'backfill', source, host: hostRef, window });
  }

  /** Asks the worker to log out of every vCenter and release its leases, then ends it. */
  stop(timeoutMs = 15_000): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      const t = setTimeout(() => void this.worker.terminate().then(() => resolve()), timeoutMs);
      this.worker.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      this.send({ type: 'stop' });
    });
    return this.stopped;
  }
}
