// XChaCha20-Poly1305 (IETF) straight on libsodium's WebAssembly exports. The high-level
// wrappers allocate, copy in, copy out and free on every call; sealing or opening 100,000 rows
// spends more time there than in the cipher. Here one scratch region is reused, plaintext is
// encoded straight into it and decoded straight out of it.
import { sodium } from './sodium.js';

interface Wasm {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  _crypto_aead_xchacha20poly1305_ietf_encrypt(c: number, clenP: number, m: number, mlen: number, mlenHi: number, ad: number, adlen: number, adlenHi: number, nsec: number, npub: number, k: number): number;
  _crypto_generichash(out: number, outlen: number, inp: number, inlen: number, inlenHi: number, key: number, keylen: number): number;
  _crypto_aead_xchacha20poly1305_ietf_decrypt(m: number, mlenP: number, nsec: number, c: number, clen: number, clenHi: number, ad: number, adlen: number, adlenHi: number, npub: number, k: number): number;
}

const NONCE = 24;
const TAG = 16;
const AD_MAX = 256;
const enc = new TextEncoder();
const dec = new TextDecoder();

function wasm(): Wasm {
  return (sodium() as unknown as { libsodium: Wasm }).libsodium;
}

let scratch = 0;
let scratchCap = 0;

function ensure(n: number): number {
  if (n > scratchCap) {
    const w = wasm();
    if (scratch) {
      w.HEAPU8.fill(0, scratch, scratch + scratchCap);
      w._free(scratch);
    }
    scratchCap = Math.max(n, 64 * 1024);
    scratch = w._malloc(scratchCap);
    if (!scratch) throw new Error('libsodium: out of memory');
  }
  return scratch;
}

/** A 32-byte key copied into the WebAssembly heap for the lifetime of a DataKey. */
export class HeapKey {
  private ptr: number;
  constructor(key: Uint8Array) {
    const w = wasm();
    this.ptr = w._malloc(32);
    w.HEAPU8.set(key, this.ptr);
  }
  get address(): number {
    if (!this.ptr) throw new Error('key wiped');
    return this.ptr;
  }
  wipe(): void {
    if (!this.ptr) return;
    const w = wasm();
    w.HEAPU8.fill(0, this.ptr, this.ptr + 32);
    w._free(this.ptr);
    this.ptr = 0;
  }
}

/**
 * Seals UTF-8 text (encoded straight into the heap) or bytes: nonce || ciphertext || tag. The
 * plaintext is wiped from the heap afterwards. One of text and bytes; no callback, as this runs
 * 100,000 times in a row.
 */
function seal(key: HeapKey, ad: string, nonce: Uint8Array, text: string | null, bytes: Uint8Array | null): Buffer {
  const maxIn = text !== null ? text.length * 3 : bytes!.length;
  const base = ensure(NONCE + AD_MAX + maxIn + maxIn + TAG);
  const w = wasm();
  const npub = base;
  const adPtr = base + NONCE;
  const inPtr = adPtr + AD_MAX;
  let heap = w.HEAPU8;
  heap.set(nonce, npub);
  const adLen = enc.encodeInto(ad, heap.subarray(adPtr, adPtr + AD_MAX)).written;
  let mlen: number;
  if (text !== null) mlen = enc.encodeInto(text, heap.subarray(inPtr, inPtr + maxIn)).written;
  else {
    heap.set(bytes!, inPtr);
    mlen = bytes!.length;
  }
  const outPtr = inPtr + mlen;
  const rc = w._crypto_aead_xchacha20poly1305_ietf_encrypt(outPtr, 0, inPtr, mlen, 0, adPtr, adLen, 0, 0, npub, key.address);
  if (rc !== 0) throw new Error('libsodium: encryption failed');
  heap = w.HEAPU8;
  const out = Buffer.allocUnsafe(NONCE + mlen + TAG);
  out.set(nonce, 0);
  out.set(heap.subarray(outPtr, outPtr + mlen + TAG), NONCE);
  w.HEAPU8.fill(0, inPtr, inPtr + mlen);
  return out;
}

/** Opens nonce || ciphertext || tag to UTF-8 text or to a copy of the bytes; null when authentication fails. */
function open(key: HeapKey, blob: Uint8Array, ad: string, asText: boolean): string | Uint8Array | null {
  if (blob.length < NONCE + TAG) return null;
  const clen = blob.length - NONCE;
  const base = ensure(AD_MAX + blob.length + clen);
  const w = wasm();
  const adPtr = base;
  const inPtr = base + AD_MAX; // nonce then ciphertext, as stored
  let heap = w.HEAPU8;
  const adLen = enc.encodeInto(ad, heap.subarray(adPtr, adPtr + AD_MAX)).written;
  heap.set(blob, inPtr);
  const outPtr = inPtr + blob.length;
  const rc = w._crypto_aead_xchacha20poly1305_ietf_decrypt(outPtr, 0, 0, inPtr + NONCE, clen, 0, adPtr, adLen, 0, inPtr, key.address);
  if (rc !== 0) return null;
  heap = w.HEAPU8;
  const plain = heap.subarray(outPtr, outPtr + clen - TAG);
  const out = asText ? dec.decode(plain) : plain.slice();
  plain.fill(0);
  return out;
}

/** Seals UTF-8 text. */
export function sealText(key: HeapKey, text: string, ad: string, nonce: Uint8Array): Buffer {
  return seal(key, ad, nonce, text, null);
}

/** Opens to UTF-8 text, decoded straight out of the heap. */
export function openText(key: HeapKey, blob: Uint8Array, ad: string): string | null {
  return open(key, blob, ad, true) as string | null;
}

/** Seals bytes (the caller's plaintext is left as is). */
export function sealBytes(key: HeapKey, bytes: Uint8Array, ad: string, nonce: Uint8Array): Buffer {
  return seal(key, ad, nonce, null, bytes);
}

/** Opens to a fresh copy of the bytes. */
export function openBytes(key: HeapKey, blob: Uint8Array, ad: string): Uint8Array | null {
  return open(key, blob, ad, false) as Uint8Array | null;
}

/** Keyed BLAKE2b of UTF-8 text (blind indexes), without the wrappers' per-call allocations. */
export function keyedHash(key: HeapKey, text: string, outLen: number): Buffer {
  const maxIn = text.length * 3;
  const base = ensure(outLen + maxIn);
  const w = wasm();
  const inPtr = base + outLen;
  const n = enc.encodeInto(text, w.HEAPU8.subarray(inPtr, inPtr + maxIn)).written;
  if (w._crypto_generichash(base, outLen, inPtr, n, 0, key.address, 32) !== 0) throw new Error('libsodium: hash failed');
  const out = Buffer.from(w.HEAPU8.subarray(base, base + outLen));
  w.HEAPU8.fill(0, inPtr, inPtr + n);
  return out;
}
