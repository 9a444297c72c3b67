// The UI thread's handle on a load thread (loadthread.ts): started early, given the key and
// its share of the VM rows once the cache is unlocked, then done with.
import { Worker } from 'node:worker_threads';
import type { LoadMessage, LoadRange } from './loadthread.js';

export class VmLoader {
  private worker: Worker | null = null;
  private readonly received: LoadMessage[] = [];
  private settle!: (ok: boolean) => void;
  private readonly finished = new Promise<boolean>((r) => (this.settle = r));
  private isReady!: () => void;
  private readonly readyP = new Promise<void>((r) => (this.isReady = r));
  private started = false;

  /** Starts the thread (it opens the cache and waits for its share). */
  constructor(dbFile: string) {
    try {
      this.worker = new Worker(new URL('./loadthread.js', import.meta.url), {
        workerData: { dbFile },
        // A larger young generation: most of what the thread allocates dies at once.
        resourceLimits: { maxYoungGenerationSizeMb: 64 },
      });
      this.worker.on('message', (m: LoadMessage) => {
        if (m.type === 'ready') this.isReady();
        else if (m.type === 'vms') this.received.push(m);
        else this.settle(m.type === 'done');
      });
      this.worker.on('error', () => this.settle(false));
      this.worker.on('exit', () => this.settle(false));
      // Waiting for its share, it must not keep the process alive; reading, it must.
      this.worker.unref();
    } catch {
      this.settle(false);
    }
    void this.finished.then(() => this.isReady());
  }

  /** Resolves once the thread has opened the cache and waits for its share (or has failed). */
  async ready(): Promise<void> {
    this.worker?.ref(); // waited for, it keeps the process alive
    await this.readyP;
    if (!this.started) this.worker?.unref();
  }

  /** Hands over the key (the caller's copy is wiped) and the rows to read. */
  start(range: LoadRange): void {
    try {
      this.started = true;
      if (this.worker) {
        this.worker.ref();
        this.worker.postMessage(range, [range.key.buffer as ArrayBuffer]);
      }
      else range.key.fill(0);
    } catch {
      range.key.fill(0);
      this.settle(false);
    }
  }

  /** The packed batches, or null when the thread failed (the caller reads its share itself). */
  async results(): Promise<LoadMessage[] | null> {
    const ok = await this.finished;
    this.cancel();
    return ok ? this.received : null;
  }

  cancel(): void {
    void this.worker?.terminate();
    this.worker = null;
    this.settle(false);
  }
}
