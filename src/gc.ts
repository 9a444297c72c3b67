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
