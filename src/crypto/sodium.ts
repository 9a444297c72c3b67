import sodiumModule from 'libsodium-wrappers-sumo';
import { randomFillSync } from 'node:crypto';

export type Sodium = typeof sodiumModule;
let ready = false;

/** libsodium's WebAssembly must be initialised once per thread before any call. */
export async function initSodium(): Promise<Sodium> {
  if (!ready) {
    await sodiumModule.ready;
    ready = true;
  }
  return sodiumModule;
}

export function sodium(): Sodium {
  if (!ready) throw new Error('libsodium used before initSodium()');
  return sodiumModule;
}

// libsodium.js's randombytes_buf costs ~50 µs a call (one crossing into JS per byte block);
// nonces come from Node's CSPRNG in blocks instead, which is ~100x cheaper per row.
const POOL = 24 * 4096;
let pool = Buffer.alloc(0);
let poolAt = POOL;
export function randomBytes(n: number): Uint8Array {
  if (n > 1024) return randomFillSync(new Uint8Array(n));
  if (poolAt + n > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL));
    poolAt = 0;
  }
  const out = new Uint8Array(n);
  out.set(pool.subarray(poolAt, poolAt + n));
  pool.fill(0, poolAt, poolAt + n);
  poolAt += n;
  return out;
}

/** Overwrite secret bytes in place (passphrases, keys) once they are no longer needed. */
export function wipe(...bufs: (Uint8Array | null | undefined)[]): void {
  for (const b of bufs) if (b) sodium().memzero(b);
}
