import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, truncateSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { initSodium } from '../src/crypto/sodium.js';
import { loadMigrations, openDatabase, schemaVersion } from '../src/store/db.js';
import { listAudit, verifyAudit } from '../src/store/audit.js';
import { loadVmViews } from '../src/store/inventory.js';
import { addOwner, assignOwners, tagVms } from '../src/store/manual.js';
import { Store } from '../src/store/store.js';
import { addUser, changePassphrase, disableUser, initVault, rekey, unlock } from '../src/store/vault.js';
import { FAST_KDF, insertVms, makeHome, openStore, PASS, tempDir, vm, type TestHome } from './helpers.js';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

before(async () => { await initSodium(); });

describe('migrations', () => {
  it('applies every migration to a new file and records them', () => {
    const f = join(tempDir(), 'a.db');
    const db = openDatabase(f);
    assert.equal(schemaVersion(db), loadMigrations().at(-1)!.version);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    db.close();
  });

  it('refuses a file written by a newer vmi and leaves it untouched', () => {
    const f = join(tempDir(), 'a.db');
    openDatabase(f).close();
    const raw = new Database(f);
    raw.prepare('INSERT INTO schema_migrations VALUES (999, ?, 0)').run('999_future.sql');
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = sha(f);
    assert.throws(() => openDatabase(f), (e: any) => e.reason === 'db-too-new' && /newer vmi/.test(e.message));
    assert.equal(sha(f), before);
  });

  it('copies an existing file aside before migrating it', () => {
    const dir = tempDir();
    const f = join(dir, 'a.db');
    const all = loadMigrations();
    openDatabase(f, { migrations: all }).close();
    const extra = { version: all.at(-1)!.version + 1, name: 'x_extra.sql', sql: 'CREATE TABLE extra_probe (id INTEGER PRIMARY KEY);' };
    let backup = '';
    const db = openDatabase(f, { migrations: [...all, extra], onBackup: (p) => (backup = p) });
    assert.equal(schemaVersion(db), extra.version);
    db.close();
    assert.ok(existsSync(backup), 'backup file exists');
    const old = new Database(backup, { readonly: true });
    assert.equal((old.prepare('SELECT max(version) v FROM schema_migrations').get() as any).v, all.at(-1)!.version);
    old.close();
  });

  it('a failing migration leaves the file at its old version', () => {
    const f = join(tempDir(), 'a.db');
    const all = loadMigrations();
    openDatabase(f, { migrations: all }).close();
    const broken = { version: 99, name: '99_broken.sql', sql: 'CREATE TABLE ok_part (id INTEGER); THIS IS NOT SQL;' };
    assert.throws(() => openDatabase(f, { migrations: [...all, broken] }));
    const db = openDatabase(f, { migrations: all });
    assert.equal(schemaVersion(db), all.at(-1)!.version);
    assert.equal((db.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'ok_part'").get() as any).n, 0);
    db.close();
  });

  it('a truncated file is reported as damaged and never overwritten', () => {
    const f = join(tempDir(), 'a.db');
    openDatabase(f).close();
    truncateSync(f, 3000);
    const before = sha(f);
    assert.throws(() => openDatabase(f), (e: any) => e.reason === 'db-corrupt' && /damaged/.test(e.message));
    assert.equal(sha(f), before);
  });

  it('a file that is not a database is reported as damaged', () => {
    const f = join(tempDir(), 'a.db');
    writeFileSync(f, 'this is not sqlite at all, but it is long enough to look like a header'.repeat(100));
    const before = sha(f);
    assert.throws(() => openDatabase(f), (e: any) => e.reason === 'db-corrupt');
    assert.equal(sha(f), before);
  });
});

describe('vault, users and audit', () => {
  let h: TestHome;
  before(async () => { h = await makeHome({ vms: [vm('web-01'), vm('web-02'), vm('db-01')] }); });
  after(() => h.cleanup());

  it('a wrong passphrase is refused and audited at the next unlock', async () => {
    const store = new Store(openDatabase(h.home.dbFile), h.home.dbFile);
    assert.throws(() => unlock(store, 'alice', Buffer.from('not it at all')), (e: any) => e.reason === 'wrong-passphrase' && e.exitCode === 3);
    assert.throws(() => unlock(store, 'mallory', Buffer.from('whatever it is')), (e: any) => e.reason === 'unknown-user');
    unlock(store, 'alice', Buffer.from(PASS));
    const fails = listAudit(store).entries.filter((e) => e.action === 'unlock.failed');
    assert.deepEqual(fails.map((f) => [f.resourceId, f.details?.reason]), [['alice', 'wrong-passphrase'], ['mallory', 'unknown-user']]);
    assert.equal((store.db.prepare('SELECT count(*) n FROM audit_inbox').get() as any).n, 0);
    assert.ok(verifyAudit(store).ok);
    store.close();
  });

  it('users: one-time passphrase, change, viewer limits, disable', async () => {
    const { store, actor } = await openStore(h.home);
    const temp = addUser(store, actor, 'bob', 'viewer', {}, FAST_KDF);
    const bob = unlock(store, 'bob', Buffer.from(temp));
    assert.equal(bob.mustChange, true);
    changePassphrase(store, bob, Buffer.from(temp), Buffer.from('bobs own passphrase'), FAST_KDF);
    assert.equal(unlock(store, 'bob', Buffer.from('bobs own passphrase')).mustChange, false);
    assert.throws(() => unlock(store, 'bob', Buffer.from(temp)), (e: any) => e.reason === 'wrong-passphrase');
    assert.throws(() => addOwner(store, bob, { fullName: 'X', email: 'x@y.z' }), (e: any) => e.reason === 'not-admin');
    assert.throws(() => addUser(store, bob, 'eve', 'admin'), (e: any) => e.reason === 'not-admin');
    disableUser(store, actor, 'bob');
    assert.throws(() => unlock(store, 'bob', Buffer.from('bobs own passphrase')), (e: any) => e.reason === 'user-disabled');
    assert.throws(() => disableUser(store, actor, 'alice'), /last enabled admin/);
    store.close();
  });

  it('owners, assignment and tags are stored sealed and read back', async () => {
    const { store, actor } = await openStore(h.home);
    const id = addOwner(store, actor, { fullName: 'Carol Ray', email: 'carol@corp.example', department: 'Ops' });
    assert.throws(() => addOwner(store, actor, { fullName: 'Other', email: 'CAROL@corp.example' }), (e: any) => e.reason === 'conflict');
    const views = loadVmViews(store).views;
    assert.equal(assignOwners(store, actor, views.filter((v) => v.name.startsWith('web')), { technical: id }), 2);
    assert.equal(tagVms(store, actor, views.filter((v) => v.name === 'db-01'), 'pci', true), 1);
    const after = loadVmViews(store).views;
    assert.deepEqual(after.filter((v) => v.technicalOwner?.id === id).map((v) => v.name), ['web-01', 'web-02']);
    assert.deepEqual(after.find((v) => v.name === 'db-01')!.tags, ['pci']);
    store.close();
  });

  it('one tampered VM row is reported by key; the rest still loads', async () => {
    const { store } = await openStore(h.home);
    const row = store.db.prepare('SELECT id, doc FROM vms ORDER BY id LIMIT 1').get() as { id: number; doc: Buffer };
    const bad = Buffer.from(row.doc);
    bad[30] ^= 0xff;
    store.db.prepare('UPDATE vms SET doc = ? WHERE id = ?').run(bad, row.id);
    const r = loadVmViews(store);
    assert.equal(r.views.length, 2);
    assert.equal(r.tampered.length, 1);
    assert.match(r.tampered[0].message, new RegExp(`vms:${row.id}`));
    store.db.prepare('UPDATE vms SET doc = ? WHERE id = ?').run(row.doc, row.id);
    assert.equal(loadVmViews(store).views.length, 3);
    store.close();
  });

  it('rekey: every row readable with the new key, other users keep access, the audit chain holds', async () => {
    const { store, actor } = await openStore(h.home);
    const temp = addUser(store, actor, 'dave', 'admin', {}, FAST_KDF);
    const before = loadVmViews(store).views.map((v) => [v.name, v.technicalOwner?.email, v.tags]);
    const oldDocs = store.db.prepare('SELECT doc FROM owners').all() as { doc: Buffer }[];
    const oldFp = store.key.fingerprint();
    const r = rekey(store, actor);
    assert.ok(r.rows > 10 && r.slots === 2);
    assert.notEqual(store.key.fingerprint(), oldFp);
    const newDocs = store.db.prepare('SELECT doc FROM owners').all() as { doc: Buffer }[];
    assert.notDeepEqual(newDocs, oldDocs);
    store.close();
    const again = await openStore(h.home);
    assert.deepEqual(loadVmViews(again.store).views.map((v) => [v.name, v.technicalOwner?.email, v.tags]), before);
    assert.ok(verifyAudit(again.store).ok, JSON.stringify(verifyAudit(again.store).problems));
    assert.equal(unlock(again.store, 'dave', Buffer.from(temp)).role, 'admin');
    assert.equal(again.store.key.fingerprint(), (again.store.db.prepare("SELECT value FROM meta WHERE name='key_fp'").get() as any).value);
    again.store.close();
  });
});

describe('audit chain', () => {
  async function chainHome() {
    const h = await makeHome();
    const { store, actor } = await openStore(h.home);
    for (let i = 0; i < 5; i++) addOwner(store, actor, { fullName: `Owner ${i}`, email: `o${i}@corp.example` });
    assert.ok(verifyAudit(store).ok);
    return { h, store };
  }

  it('detects an edited entry', async () => {
    const { h, store } = await chainHome();
    const r = store.db.prepare('SELECT id, doc FROM audit_log ORDER BY id LIMIT 1 OFFSET 3').get() as { id: number; doc: Buffer };
    const other = store.key.seal('audit_log', r.id, { action: 'owner.add', details: { email: 'forged@corp.example' } });
    store.db.prepare('UPDATE audit_log SET doc = ? WHERE id = ?').run(other, r.id);
    const v = verifyAudit(store);
    assert.equal(v.ok, false);
    assert.match(v.problems.join('\n'), new RegExp(`entry ${r.id}`));
    store.close(); h.cleanup();
  });

  it('detects a removed entry in the middle and at the end', async () => {
    const { h, store } = await chainHome();
    store.db.prepare('DELETE FROM audit_log WHERE id = 3').run();
    assert.match(verifyAudit(store).problems.join('\n'), /entry 4: does not follow/);
    store.close(); h.cleanup();
    const b = await chainHome();
    b.store.db.prepare('DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)').run();
    assert.match(verifyAudit(b.store).problems.join('\n'), /head mark/);
    b.store.close(); b.h.cleanup();
  });

  it('detects reordered entries', async () => {
    const { h, store } = await chainHome();
    const a = store.db.prepare('SELECT * FROM audit_log WHERE id = 4').get() as any;
    const b = store.db.prepare('SELECT * FROM audit_log WHERE id = 5').get() as any;
    store.db.prepare('UPDATE audit_log SET created_at = ?, prev_hash = ?, hash = ?, doc = ? WHERE id = 4').run(b.created_at, b.prev_hash, b.hash, b.doc);
    store.db.prepare('UPDATE audit_log SET created_at = ?, prev_hash = ?, hash = ?, doc = ? WHERE id = 5').run(a.created_at, a.prev_hash, a.hash, a.doc);
    assert.equal(verifyAudit(store).ok, false);
    store.close(); h.cleanup();
  });
});

describe('locking', () => {
  it('a writer waits for another process and then says the cache is locked', async () => {
    const h = await makeHome();
    const other = new Database(h.home.dbFile);
    other.exec('BEGIN IMMEDIATE');
    await initSodium();
    const store = new Store(openDatabase(h.home.dbFile, { busyTimeoutMs: 300 }), h.home.dbFile);
    const t = Date.now();
    assert.throws(() => unlock(store, 'alice', Buffer.from(PASS)), (e: any) => e.reason === 'db-locked' && /locked by another vmi process/.test(e.message));
    assert.ok(Date.now() - t >= 250, 'it waited');
    other.exec('COMMIT');
    other.close();
    unlock(store, 'alice', Buffer.from(PASS));
    store.close();
    h.cleanup();
  });
});

describe('init', () => {
  it('refuses a second init of the same cache', () => {
    const f = join(tempDir(), 'a.db');
    const store = new Store(openDatabase(f), f);
    initVault(store, 'alice', Buffer.from(PASS), FAST_KDF);
    assert.throws(() => initVault(store, 'bob', Buffer.from(PASS), FAST_KDF), (e: any) => e.reason === 'already-initialised');
    store.close();
    assert.ok(readdirSync(join(f, '..')).length >= 1);
  });
});

describe('re-key seen by another process', () => {
  it('a process holding the old key cannot write and is told to unlock again', async () => {
    const h = await makeHome();
    const a = await openStore(h.home);
    const b = await openStore(h.home);
    rekey(a.store, a.actor);
    assert.equal(b.store.keyIsCurrent(), false);
    assert.throws(() => addOwner(b.store, b.actor, { fullName: 'Late Writer', email: 'late@corp.example' }), (e: any) => e.reason === 'key-changed');
    const c = await openStore(h.home);
    assert.equal(c.store.keyIsCurrent(), true);
    addOwner(c.store, c.actor, { fullName: 'Fresh Writer', email: 'fresh@corp.example' });
    a.store.close(); b.store.close(); c.store.close(); h.cleanup();
  });
});
