// A full garbage collection on demand, for the moments a long-lived thread knows it has just let
// go of a lot (the worker after full syncs of 100,000 VMs): V8 otherwise keeps the heap it grew
// to, a few hundred MB of resident memory, for as long as the process runs. Node has no API for
// it, so the V8 flag below exposes gc() to a fresh context (Node keeps V8's flags writable after
// start, for v8.setFlagsFromString).
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/** Runs a full collection; false where it is not available. */
export function collectGarbage(): boolean {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const fn: unknown = vm.runInNewContext('typeof gc === "function" ? gc : null');
      gc = typeof fn === 'function' ? (fn as () => void) : null;
    } catch {
      gc = null;
    }
  }
  gc?.();
  return !!gc;
}

/**
 * Gives memory back while nobody is typing. A screen that follows live updates never stops
 * allocating, so V8's own reducer (it waits for allocation to stop) never runs and the heap
 * stays grown well past what is live. Once the heap has grown by `growth` bytes over the least
 * it was seen holding, an idle moment gets a full collection (100-200 ms at 100,000 VMs, on a
 * screen nobody is typing into).
 */
export class IdleTrim {
  private base: number;

  constructor(
    private readonly growth = 64 * 1024 * 1024,
    private readonly used = () => v8.getHeapStatistics().used_heap_size,
    private readonly collect: () => unknown = collectGarbage,
  ) {
    this.base = used();
  }

  /** Called every few seconds; collects when idle and grown. True when it collected. */
  tick(idle: boolean): boolean {
    const u = this.used();
    if (u < this.base) this.base = u;
    if (!idle || u - this.base < this.growth) return false;
    this.collect();
    this.base = this.used();
    return true;
  }
}
