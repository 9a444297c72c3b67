// Timing rules of the worker, kept pure so that they are tested without waiting.

export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_CAP_MS = 10 * 60_000;

/** Next full sync: refreshSeconds with +-10 % jitter, so many sources do not fire together. */
export function nextRunDelay(refreshSeconds: number, rand = Math.random()): number {
  const base = refreshSeconds * 1000;
  return Math.round(base * (0.9 + 0.2 * rand));
}

/** Exponential backoff after consecutive failures, capped, with jitter. */
export function backoffDelay(failures: number, rand = Math.random()): number {
  const exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(exp * (0.8 + 0.4 * rand));
}

/** A sleep that ends early when the signal aborts or wake() is called. */
export class Waker {
  private wakeFns = new Set<() => void>();

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(t);
        this.wakeFns.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, Math.max(0, ms));
      this.wakeFns.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  wake(): void {
    for (const f of [...this.wakeFns]) f();
  }
}

/** VMs whose full retrievals may hold their inventories in memory at the same time. */
export const FULL_SYNC_VM_BUDGET = 50_000;

/**
 * Admits full syncs so that the inventories held at once stay within a budget of VMs: many
 * small vCenters sync together, big ones one after another (three demo vCenters of 40,000,
 * 35,000 and 25,000 VMs would otherwise hold all 100,000 at once). One sync is always admitted,
 * however big. First come, first served.
 */
export class FullSyncGate {
  private inFlight = 0;
  private running = 0;
  private queue: { vms: number; go: () => void }[] = [];

  constructor(private readonly budget = FULL_SYNC_VM_BUDGET, private readonly between: (admit: () => void) => void = (admit) => admit()) {}

  /**
   * Waits for a turn; resolves to the release function, or to null when the signal aborts first.
   * `onWait` is called when the turn does not come at once.
   */
  enter(vms: number, signal: AbortSignal, onWait?: () => void): Promise<(() => void) | null> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(null);
      const entry = {
        vms,
        go: () => {
          signal.removeEventListener('abort', onAbort);
          this.running++;
          this.inFlight += vms;
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.running--;
            this.inFlight -= vms;
            if (this.queue.length) this.between(() => this.admit());
          });
        },
      };
      const onAbort = () => {
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
        resolve(null);
        this.admit();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(entry);
      this.admit();
      if (this.queue.includes(entry)) onWait?.();
    });
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Whether a full sync runs or waits. */
  get busy(): boolean {
    return this.running > 0 || this.queue.length > 0;
  }

  private admit(): void {
    while (this.queue.length && (this.running === 0 || this.inFlight + this.queue[0]!.vms <= this.budget)) this.queue.shift()!.go();
  }
}
