// The UI thread's handle on a load thread (loadthread.ts): started early, given the key and a
// task once the cache is unlocked (open the snapshot, and/or a share of the VM rows), then done with.
import { Worker } from 'node:worker_threads';
import type { LoadMessage, LoadRange } from './loadthread.js';

type Ready = Extract<LoadMessage, { type: 'ready' }>;
type Rows = Extract<LoadMessage, { type: 'vms' }>;

export class VmLoader {
  private worker: Worker | null = null;
  private readonly received: LoadMessage[] = [];
  private settle!: (ok: boolean) => void;
  private readonly finished = new Promise<boolean>((r) => (this.settle = r));
  private isReady!: (m: Ready | null) => void;
  private readonly readyP = new Promise<Ready | null>((r) => (this.isReady = r));
  private onPart: ((part: number, bytes: Uint8Array | null) => void) | null = null;
  private onRows: ((m: Rows) => void) | null = null;
  private partsDone: ((ok: boolean) => void) | null = null;
  private started = false;

  /** Starts the thread (it opens the cache, reads what needs no key, and waits for a task). */
  constructor(dbFile: string) {
    try {
      this.worker = new Worker(new URL('./loadthread.js', import.meta.url), {
        workerData: { dbFile },
        // A larger young generation: most of what the thread allocates dies at once.
        resourceLimits: { maxYoungGenerationSizeMb: 64 },
      });
      this.worker.on('message', (m: LoadMessage) => {
        if (m.type === 'ready') this.isReady(m);
        else if (m.type === 'part') this.onPart?.(m.part, m.bytes);
        else if (m.type === 'parts-done') this.partsDone?.(true);
        else if (m.type === 'vms') {
          if (this.onRows) this.onRows(m);
          else this.received.push(m);
        }
        else this.settle(m.type === 'done');
      });
      this.worker.on('error', () => this.settle(false));
      this.worker.on('exit', () => this.settle(false));
      // Waiting for a task, it must not keep the process alive; working, it must.
      this.worker.unref();
    } catch {
      this.settle(false);
    }
    void this.finished.then(() => {
      this.isReady(null);
      this.partsDone?.(false);
    });
  }

  /** What the thread read at start (null when it failed). */
  async ready(): Promise<Ready | null> {
    this.worker?.ref(); // waited for, it keeps the process alive
    const r = await this.readyP;
    if (!this.started) this.worker?.unref();
    return r;
  }

  private send(task: { key: Uint8Array }): boolean {
    try {
      this.started = true;
      if (!this.worker) {
        task.key.fill(0);
        return false;
      }
      this.worker.ref();
      this.worker.postMessage(task, [task.key.buffer as ArrayBuffer]);
      return true;
    } catch {
      task.key.fill(0);
      this.settle(false);
      return false;
    }
  }

  /**
   * Hands over the key (the caller's copy is wiped) and has the snapshot opened: `onPart` gets
   * each part as soon as it is (null bytes: it failed authentication), `onRows` the rows that
   * changed since, opened and packed. Resolves false when the thread failed on the way.
   */
  openSnapshot(key: Uint8Array, onPart: (part: number, bytes: Uint8Array | null) => void, onRows: (m: Rows) => void): Promise<boolean> {
    this.onPart = onPart;
    this.onRows = onRows;
    const p = new Promise<boolean>((r) => (this.partsDone = r));
    if (!this.send({ type: 'snapshot', key } as never)) this.partsDone!(false);
    return p;
  }

  /** Hands over the key (the caller's copy is wiped) and the rows to read. */
  start(range: Omit<LoadRange, 'type'>): void {
    this.onRows = null;
    this.send({ type: 'vms', ...range } as never);
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
