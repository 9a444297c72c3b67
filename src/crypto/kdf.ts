// Argon2id off the long-running thread. libsodium's WebAssembly memory grows to the 192 MiB a
// derivation needs and can never shrink again: derived in the app's own thread, that memory
// would stay resident for the life of the process. A thread that ends gives it back.
import { Worker } from 'node:worker_threads';
import type { KdfParams } from './keys.js';
import type { KdfMessage, KdfRequest } from './kdfthread.js';

export class KdfThread {
  private worker: Worker | null = null;
  private result: Promise<KdfMessage>;

  /** Starts the thread (it loads libsodium and waits: start it while the passphrase is typed). */
  constructor() {
    let settle!: (m: KdfMessage) => void;
    this.result = new Promise((r) => (settle = r));
    try {
      const w = new Worker(new URL('./kdfthread.js', import.meta.url));
      w.on('message', (m: KdfMessage) => {
        if (m.type !== 'ready') settle(m);
      });
      w.on('error', (e) => settle({ type: 'failed', message: e.message }));
      w.on('exit', () => settle({ type: 'failed', message: 'the key derivation thread ended' }));
      w.unref(); // waiting, it must not keep the process alive
      this.worker = w;
    } catch (e) {
      settle({ type: 'failed', message: (e as Error).message });
    }
  }

  /** Derives the 32-byte key from a copy of the passphrase (handed over, then wiped there). One use. */
  async derive(passphrase: Uint8Array, salt: Uint8Array, p: KdfParams): Promise<Uint8Array> {
    const w = this.worker;
    if (!w) throw new Error('the key derivation thread is gone');
    this.worker = null;
    const req: KdfRequest = { passphrase: new Uint8Array(passphrase), salt: new Uint8Array(salt), opslimit: p.opslimit, memlimit: p.memlimit };
    w.ref();
    w.postMessage(req, [req.passphrase.buffer as ArrayBuffer]);
    const m = await this.result;
    void w.terminate();
    if (m.type !== 'key') throw new Error(`key derivation failed: ${m.type === 'failed' ? m.message : m.type}`);
    return m.key;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}
