import { VmiError } from '../errors.js';
import { HeapKey, keyedHash, openBytes, openText, sealBytes, sealText } from './aead.js';
import { randomBytes, sodium, wipe } from './sodium.js';

const NONCE = 24;
const enc = new TextEncoder();
const dec = new TextDecoder();


export class TamperedRowError extends VmiError {
  constructor(readonly table: string, readonly rowKey: string | number | bigint) {
    super('row-tampered', `row ${table}:${rowKey} failed authentication (modified or moved); it was skipped`);
  }
}

/**
 * The random data key that seals every row, plus subkeys derived from it for blind indexes
 * (unique lookups on sealed values such as an owner's e-mail) and for the audit hash chain.
 */
export class DataKey {
  private key: Uint8Array;
  private indexKey: Uint8Array;
  private chainKey: Uint8Array;
  private heapKey: HeapKey;
  private heapIndexKey: HeapKey;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new Error('data key must be 32 bytes');
    const s = sodium();
    this.key = key;
    this.indexKey = s.crypto_kdf_derive_from_key(32, 1, 'vmi-idx_', key);
    this.chainKey = s.crypto_kdf_derive_from_key(32, 2, 'vmi-aud_', key);
    this.heapKey = new HeapKey(key);
    this.heapIndexKey = new HeapKey(this.indexKey);
  }

  static generate(): DataKey {
    return new DataKey(randomBytes(32));
  }

  /** The raw key, for wrapping into keyslots only. */
  exportRaw(): Uint8Array {
    return this.key;
  }

  /** Associated data "table:rowKey" binds a ciphertext to its row, so it cannot be moved elsewhere. */
  seal(table: string, rowKey: string | number | bigint, doc: unknown): Buffer {
    return sealText(this.heapKey, JSON.stringify(doc), `${table}:${rowKey}`, randomBytes(NONCE));
  }

  open<T = unknown>(table: string, rowKey: string | number | bigint, blob: Uint8Array): T {
    const text = blob ? openText(this.heapKey, blob, `${table}:${rowKey}`) : null;
    if (text === null) throw new TamperedRowError(table, rowKey);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new TamperedRowError(table, rowKey);
    }
  }

  /** Like seal(), for a document that is bytes rather than JSON. */
  sealBytes(table: string, rowKey: string | number | bigint, bytes: Uint8Array): Buffer {
    return sealBytes(this.heapKey, bytes, `${table}:${rowKey}`, randomBytes(NONCE));
  }

  openBytes(table: string, rowKey: string | number | bigint, blob: Uint8Array): Uint8Array {
    const out = blob ? openBytes(this.heapKey, blob, `${table}:${rowKey}`) : null;
    if (out === null) throw new TamperedRowError(table, rowKey);
    return out;
  }

  /** Deterministic keyed hash: equal inputs give equal indexes, nothing about the input leaks. */
  blindIndex(kind: string, value: string): Buffer {
    return keyedHash(this.heapIndexKey, `${kind}\u0000${value}`, 16);
  }

  chainHash(prev: Uint8Array, entry: string): Buffer {
    const s = sodium();
    const st = s.crypto_generichash_init(this.chainKey, 32);
    s.crypto_generichash_update(st, prev);
    s.crypto_generichash_update(st, enc.encode(entry));
    return Buffer.from(s.crypto_generichash_final(st, 32));
  }

  /** A short public fingerprint of the key, to notice that another process re-keyed the cache. */
  fingerprint(): string {
    this.fp ??= Buffer.from(sodium().crypto_generichash(8, enc.encode('vmi-key-fingerprint'), this.key)).toString('hex');
    return this.fp;
  }
  private fp?: string;

  wipe(): void {
    wipe(this.key, this.indexKey, this.chainKey);
    this.heapKey.wipe();
    this.heapIndexKey.wipe();
  }
}

export interface KdfParams {
  opslimit: number;
  memlimit: number;
}

// Argon2id cost: ~0.5 s on a 2-core jump host with libsodium's WebAssembly build, well inside
// its heap limit. Stored per slot, so raising it later leaves existing slots readable.
export const DEFAULT_KDF: KdfParams = { opslimit: 3, memlimit: 192 * 1024 * 1024 };

/** What a keyslot row holds. Everything here is safe to store in plaintext. */
export interface KeyslotData {
  kdf: 'argon2id13';
  salt: Buffer;
  opslimit: number;
  memlimit: number;
  publicKey: Buffer; // the user's X25519 public key
  skNonce: Buffer;
  skWrapped: Buffer; // the user's secret key, sealed with the passphrase-derived key
  dkSealed: Buffer; // the data key, sealed to the user's public key
}

/** Argon2id: the key that wraps a user's secret key (see also KdfThread, which runs it elsewhere). */
export function deriveKek(passphrase: Uint8Array, salt: Uint8Array, p: KdfParams): Uint8Array {
  const s = sodium();
  return s.crypto_pwhash(32, passphrase, salt, p.opslimit, p.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
}

/** Argon2id that may run elsewhere (the app runs it in a short-lived thread, see KdfThread). */
export type Derive = (passphrase: Uint8Array, salt: Uint8Array, p: KdfParams) => Promise<Uint8Array>;

function newSalt(): Uint8Array {
  return randomBytes(sodium().crypto_pwhash_SALTBYTES);
}

/** Seals the user's secret key with a derived key (wiped). */
function wrapSecretKey(sk: Uint8Array, kek: Uint8Array, salt: Uint8Array) {
  const nonce = randomBytes(NONCE);
  const wrapped = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(sk, enc.encode('vmi-keyslot'), null, nonce, kek);
  wipe(kek);
  return { salt: Buffer.from(salt), skNonce: Buffer.from(nonce), skWrapped: Buffer.from(wrapped) };
}

/**
 * A keyslot is two layers: the passphrase (Argon2id) unlocks the user's own X25519 secret key,
 * and the data key is sealed to that user's public key. So an admin can re-key the cache or add
 * a user without knowing anybody else's passphrase, and a passphrase change touches one slot.
 */
export function createKeyslot(passphrase: Uint8Array, dataKey: DataKey, p: KdfParams = DEFAULT_KDF): KeyslotData {
  const salt = newSalt();
  return keyslotWith(deriveKek(passphrase, salt, p), salt, dataKey, p);
}

/** createKeyslot() with Argon2id run by `derive`. */
export async function createKeyslotBy(derive: Derive, passphrase: Uint8Array, dataKey: DataKey, p: KdfParams = DEFAULT_KDF): Promise<KeyslotData> {
  const salt = newSalt();
  return keyslotWith(await derive(passphrase, salt, p), salt, dataKey, p);
}

function keyslotWith(kek: Uint8Array, salt: Uint8Array, dataKey: DataKey, p: KdfParams): KeyslotData {
  const s = sodium();
  const kp = s.crypto_box_keypair();
  const w = wrapSecretKey(kp.privateKey, kek, salt);
  const dkSealed = s.crypto_box_seal(dataKey.exportRaw(), kp.publicKey);
  wipe(kp.privateKey);
  return {
    kdf: 'argon2id13', opslimit: p.opslimit, memlimit: p.memlimit,
    publicKey: Buffer.from(kp.publicKey), dkSealed: Buffer.from(dkSealed), ...w,
  };
}

/** Returns the user's secret key, or throws 'wrong-passphrase'. */
export function openSecretKey(slot: KeyslotData, passphrase: Uint8Array): Uint8Array {
  return openSecretKeyWith(slot, deriveKek(passphrase, slot.salt, slot));
}

/** Like openSecretKey, with the passphrase already derived (the key is wiped). */
function openSecretKeyWith(slot: KeyslotData, kek: Uint8Array): Uint8Array {
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, slot.skWrapped, enc.encode('vmi-keyslot'), slot.skNonce, kek);
  } catch {
    throw new VmiError('wrong-passphrase', 'wrong passphrase');
  } finally {
    wipe(kek);
  }
}

export function openKeyslot(slot: KeyslotData, passphrase: Uint8Array): DataKey {
  return openKeyslotWith(slot, deriveKek(passphrase, slot.salt, slot));
}

/** Like openKeyslot, with the passphrase already derived (the key is wiped). */
export function openKeyslotWith(slot: KeyslotData, kek: Uint8Array): DataKey {
  const sk = openSecretKeyWith(slot, kek);
  try {
    const raw = sodium().crypto_box_seal_open(slot.dkSealed, slot.publicKey, sk);
    return new DataKey(raw);
  } catch {
    throw new VmiError('wrong-passphrase', 'keyslot does not hold this cache\'s key');
  } finally {
    wipe(sk);
  }
}

/** New passphrase for an existing slot: re-wraps the user's secret key only. */
export function rewrapKeyslot(slot: KeyslotData, oldPass: Uint8Array, newPass: Uint8Array, p: KdfParams = DEFAULT_KDF): KeyslotData {
  const sk = openSecretKey(slot, oldPass);
  const salt = newSalt();
  return rewrapWith(slot, sk, deriveKek(newPass, salt, p), salt, p);
}

/** rewrapKeyslot() with Argon2id (both of them) run by `derive`. */
export async function rewrapKeyslotBy(derive: Derive, slot: KeyslotData, oldPass: Uint8Array, newPass: Uint8Array, p: KdfParams = DEFAULT_KDF): Promise<KeyslotData> {
  const sk = openSecretKeyWith(slot, await derive(oldPass, slot.salt, slot));
  try {
    const salt = newSalt();
    return rewrapWith(slot, sk, await derive(newPass, salt, p), salt, p);
  } finally {
    wipe(sk);
  }
}

function rewrapWith(slot: KeyslotData, sk: Uint8Array, kek: Uint8Array, salt: Uint8Array, p: KdfParams): KeyslotData {
  try {
    return { ...slot, ...wrapSecretKey(sk, kek, salt), opslimit: p.opslimit, memlimit: p.memlimit };
  } finally {
    wipe(sk);
  }
}

/** Re-key: seal a new data key to an existing slot's public key. */
export function resealDataKey(slot: KeyslotData, dataKey: DataKey): KeyslotData {
  return { ...slot, dkSealed: Buffer.from(sodium().crypto_box_seal(dataKey.exportRaw(), slot.publicKey)) };
}

/** Anyone can seal to a public key; only an unlocked process holding the secret key can open. */
export function sealToPublicKey(pk: Uint8Array, doc: unknown): Buffer {
  return Buffer.from(sodium().crypto_box_seal(enc.encode(JSON.stringify(doc)), pk));
}

export function openFromPublicKey<T>(pk: Uint8Array, sk: Uint8Array, blob: Uint8Array): T {
  return JSON.parse(dec.decode(sodium().crypto_box_seal_open(blob, pk, sk))) as T;
}

/** A random passphrase for a new user or a reset: 20 characters from an unambiguous alphabet. */
export function generatePassphrase(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789'; // 32 symbols: no modulo bias
  const bytes = randomBytes(20);
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    out += alphabet[bytes[i] % alphabet.length];
    if (i % 5 === 4 && i < bytes.length - 1) out += '-';
  }
  return out;
}
