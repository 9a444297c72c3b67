import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createKeyslot, DataKey, generatePassphrase, openKeyslot, resealDataKey, rewrapKeyslot, TamperedRowError } from '../src/crypto/keys.js';
import { initSodium } from '../src/crypto/sodium.js';
import { FAST_KDF } from './helpers.js';

before(async () => { await initSodium(); });

describe('sealed rows', () => {
  it('round-trips a document and never repeats a nonce', () => {
    const k = DataKey.generate();
    const a = k.seal('vms', 1, { name: 'web-01', ips: ['10.0.0.1'] });
    const b = k.seal('vms', 1, { name: 'web-01', ips: ['10.0.0.1'] });
    assert.notDeepEqual(a, b);
    assert.deepEqual(k.open('vms', 1, a), { name: 'web-01', ips: ['10.0.0.1'] });
    assert.ok(!a.toString('latin1').includes('web-01'));
  });

  it('refuses a ciphertext moved to another row or table', () => {
    const k = DataKey.generate();
    const blob = k.seal('vms', 1, { name: 'x' });
    assert.throws(() => k.open('vms', 2, blob), TamperedRowError);
    assert.throws(() => k.open('hosts', 1, blob), TamperedRowError);
  });

  it('refuses a flipped bit and names the row', () => {
    const k = DataKey.generate();
    const blob = k.seal('owners', 7, { email: 'a@b.c' });
    blob[blob.length - 3] ^= 1;
    assert.throws(() => k.open('owners', 7, blob), /owners:7/);
  });

  it('blind indexes are deterministic per key and differ across keys', () => {
    const k1 = DataKey.generate();
    const k2 = DataKey.generate();
    assert.deepEqual(k1.blindIndex('owners', 'a@b.c'), k1.blindIndex('owners', 'a@b.c'));
    assert.notDeepEqual(k1.blindIndex('owners', 'a@b.c'), k2.blindIndex('owners', 'a@b.c'));
    assert.notDeepEqual(k1.blindIndex('owners', 'a@b.c'), k1.blindIndex('sources', 'a@b.c'));
  });
});

describe('keyslots', () => {
  it('unlock with the right passphrase only', () => {
    const k = DataKey.generate();
    const slot = createKeyslot(Buffer.from('right passphrase'), k, FAST_KDF);
    assert.equal(openKeyslot(slot, Buffer.from('right passphrase')).fingerprint(), k.fingerprint());
    assert.throws(() => openKeyslot(slot, Buffer.from('wrong passphrase')), (e: any) => e.reason === 'wrong-passphrase');
  });

  it('a passphrase change keeps the data key; the old passphrase stops working', () => {
    const k = DataKey.generate();
    const slot = createKeyslot(Buffer.from('old passphrase'), k, FAST_KDF);
    const next = rewrapKeyslot(slot, Buffer.from('old passphrase'), Buffer.from('new passphrase'), FAST_KDF);
    assert.equal(openKeyslot(next, Buffer.from('new passphrase')).fingerprint(), k.fingerprint());
    assert.throws(() => openKeyslot(next, Buffer.from('old passphrase')));
  });

  it('a new data key can be given to a slot without its passphrase (re-key)', () => {
    const k1 = DataKey.generate();
    const k2 = DataKey.generate();
    const slot = resealDataKey(createKeyslot(Buffer.from('pass phrase'), k1, FAST_KDF), k2);
    assert.equal(openKeyslot(slot, Buffer.from('pass phrase')).fingerprint(), k2.fingerprint());
  });

  it('one-time passphrases are long and random', () => {
    const a = generatePassphrase();
    assert.match(a, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    assert.notEqual(a, generatePassphrase());
  });
});

describe('interoperability', () => {
  it('rows sealed by vmi open with libsodium\'s own XChaCha20-Poly1305, and the other way round', async () => {
    const { sodium } = await import('../src/crypto/sodium.js');
    const s = sodium();
    const raw = s.randombytes_buf(32);
    const k = new DataKey(new Uint8Array(raw));
    const blob = k.seal('vms', 42, { name: 'ünï 🚀', n: 1 });
    const pt = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, blob.subarray(24), new TextEncoder().encode('vms:42'), blob.subarray(0, 24), raw, 'text');
    assert.deepEqual(JSON.parse(pt), { name: 'ünï 🚀', n: 1 });
    const nonce = s.randombytes_buf(24);
    const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(JSON.stringify({ back: true }), 'hosts:7', null, nonce, raw);
    assert.deepEqual(k.open('hosts', 7, Buffer.concat([nonce, ct])), { back: true });
    const idx = k.blindIndex('owners', 'a@b.c');
    const sub = s.crypto_kdf_derive_from_key(32, 1, 'vmi-idx_', raw);
    assert.deepEqual(idx, Buffer.from(s.crypto_generichash(16, new TextEncoder().encode('owners\u0000a@b.c'), sub)));
  });

  it('large documents (beyond the scratch size) round-trip', () => {
    const k = DataKey.generate();
    const big = { pad: 'x'.repeat(500_000), emoji: '🚀'.repeat(1000) };
    assert.deepEqual(k.open('vm_raw', 1, k.seal('vm_raw', 1, big)), big);
  });
});
