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
