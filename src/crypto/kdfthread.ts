// One Argon2id derivation in a thread of its own (see KdfThread): started before it is needed,
// it loads libsodium, waits for the passphrase, derives, hands the key back and ends.
import { parentPort } from 'node:worker_threads';
import { initSodium } from './sodium.js';

export interface KdfRequest {
  passphrase: Uint8Array;
  salt: Uint8Array;
  opslimit: number;
  memlimit: number;
}

export type KdfMessage = { type: 'ready' } | { type: 'key'; key: Uint8Array } | { type: 'failed'; message: string };

const port = parentPort!;
const s = await initSodium();
port.once('message', (r: KdfRequest) => {
  try {
    const key = s.crypto_pwhash(32, r.passphrase, r.salt, r.opslimit, r.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
    port.postMessage({ type: 'key', key } satisfies KdfMessage, [key.buffer as ArrayBuffer]);
  } catch (e) {
    port.postMessage({ type: 'failed', message: (e as Error).message } satisfies KdfMessage);
  } finally {
    s.memzero(r.passphrase);
    port.close();
  }
});
port.postMessage({ type: 'ready' } satisfies KdfMessage);
