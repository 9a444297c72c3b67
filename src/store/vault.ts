import { sodium, wipe } from '../crypto/sodium.js';
import {
  createKeyslot, createKeyslotBy, DataKey, DEFAULT_KDF, generatePassphrase, type Derive, type KdfParams, type KeyslotData,
  openKeyslot, openKeyslotWith, resealDataKey, rewrapKeyslot, rewrapKeyslotBy, TamperedRowError,
} from '../crypto/keys.js';
import { VmiError } from '../errors.js';
import { appendAudit, auditToInbox, foldInbox, rechain, requireIntactAudit, type AuditDoc } from './audit.js';
import { NATURAL_KEYS } from './nkeys.js';
import { SEALED_TABLES, type Store, type WriteTx } from './store.js';

export type Role = 'admin' | 'viewer';
export const ROLES: Role[] = ['admin', 'viewer'];

export interface UserDoc {
  role: Role;
  fullName?: string;
  email?: string;
  designation?: string;
  department?: string;
}

export interface UserInfo {
  id: number;
  username: string;
  role: Role;
  createdAt: number;
  lastLoginAt: number | null;
  disabledAt: number | null;
  mustChange: boolean;
}

/** Who is acting: every store function that changes something takes one, for RBAC and audit. */
export interface Actor {
  userId: number;
  username: string;
  role: Role;
  mustChange: boolean;
}

const USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function checkUsername(name: string): string {
  if (!USERNAME_RE.test(name)) throw new VmiError('usage', `invalid user name "${name}": use 1-64 letters, digits, ".", "_", "@" or "-"`);
  return name;
}

export function checkRole(role: string): Role {
  if (!ROLES.includes(role as Role)) throw new VmiError('usage', `invalid role "${role}": use admin or viewer`);
  return role as Role;
}

export function isInitialised(store: Store): boolean {
  return (store.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n > 0;
}

function slotRow(store: Store, userId: number): (KeyslotData & { mustChange: boolean }) | undefined {
  const r = store.db.prepare('SELECT * FROM keyslots WHERE user_id = ?').get(userId) as Record<string, any> | undefined;
  if (!r) return undefined;
  return {
    kdf: r.kdf, salt: r.salt, opslimit: r.opslimit, memlimit: r.memlimit, publicKey: r.public_key,
    skNonce: r.sk_nonce, skWrapped: r.sk_wrapped, dkSealed: r.dk_sealed, mustChange: r.must_change === 1,
  };
}

function writeSlot(store: Store, userId: number, s: KeyslotData, mustChange: boolean, now: number): void {
  store.db.prepare(`INSERT INTO keyslots(user_id, kdf, salt, opslimit, memlimit, public_key, sk_nonce, sk_wrapped, dk_sealed, must_change, created_at, updated_at)
    VALUES (@user_id, @kdf, @salt, @opslimit, @memlimit, @public_key, @sk_nonce, @sk_wrapped, @dk_sealed, @must_change, @now, @now)
    ON CONFLICT(user_id) DO UPDATE SET kdf = excluded.kdf, salt = excluded.salt, opslimit = excluded.opslimit, memlimit = excluded.memlimit,
      public_key = excluded.public_key, sk_nonce = excluded.sk_nonce, sk_wrapped = excluded.sk_wrapped, dk_sealed = excluded.dk_sealed,
      must_change = excluded.must_change, updated_at = excluded.updated_at`).run({
    user_id: userId, kdf: s.kdf, salt: s.salt, opslimit: s.opslimit, memlimit: s.memlimit, public_key: s.publicKey,
    sk_nonce: s.skNonce, sk_wrapped: s.skWrapped, dk_sealed: s.dkSealed, must_change: mustChange ? 1 : 0, now,
  });
}

export function audit(store: Store, tx: WriteTx, actor: Actor | null, doc: Omit<AuditDoc, 'username'>): void {
  appendAudit(store, tx, { ...doc, username: actor?.username }, actor?.userId ?? null);
}

function requireAdmin(actor: Actor, what: string): void {
  if (actor.role !== 'admin') throw new VmiError('not-admin', `${what} is for admins only; ${actor.username} is a ${actor.role}`);
}

/** Creates the data key, the audit key pair and the first admin. */
export function initVault(store: Store, username: string, passphrase: Uint8Array, kdf: KdfParams = DEFAULT_KDF): Actor {
  checkUsername(username);
  if (isInitialised(store)) throw new VmiError('already-initialised', `this vmi home already has users; use "vmi user add" instead`);
  const key = DataKey.generate();
  const slot = createKeyslot(passphrase, key, kdf);
  const auditKp = sodium().crypto_box_keypair();
  store.setKey(key);
  return store.write((tx) => {
    store.db.prepare("INSERT INTO meta(name, value) VALUES ('audit_pk', ?), ('key_fp', ?)").run(Buffer.from(auditKp.publicKey).toString('base64'), key.fingerprint());
    tx.insert('vault', { id: 1 }, { auditSecretKey: Buffer.from(auditKp.privateKey).toString('base64') });
    wipe(auditKp.privateKey);
    const userId = tx.insert('users', { username, created_at: tx.now, updated_at: tx.now }, { role: 'admin' } satisfies UserDoc);
    writeSlot(store, userId, slot, false, tx.now);
    const actor: Actor = { userId, username, role: 'admin', mustChange: false };
    audit(store, tx, actor, { action: 'cache.init', resourceType: 'CACHE' });
    audit(store, tx, actor, { action: 'user.add', resourceType: 'USER', resourceId: username, details: { role: 'admin' } });
    return actor;
  });
}

/**
 * Opens the user's keyslot and sets the data key on the store. Failures are audited (sealed to
 * the audit public key, since there is no data key yet) and thrown as auth errors.
 */
export function unlock(store: Store, username: string, passphrase: Uint8Array, context: Record<string, unknown> = {}): Actor {
  const u = unlockStart(store, username, context);
  return unlockFinish(store, username, u, () => openKeyslot(u.slot, passphrase), context);
}

/**
 * unlock() with Argon2id run by `derive` (the app runs it in a thread of its own, see KdfThread);
 * the same checks, failures and audit.
 */
export async function unlockWith(store: Store, username: string, passphrase: Uint8Array,
  derive: Derive, context: Record<string, unknown> = {}): Promise<Actor> {
  const u = unlockStart(store, username, context);
  const kek = await derive(passphrase, u.slot.salt, u.slot);
  return unlockFinish(store, username, u, () => openKeyslotWith(u.slot, kek), context);
}

type UnlockTarget = { id: number; slot: KeyslotData & { mustChange: boolean }; fail: (reason: string, err: VmiError) => never };

function unlockStart(store: Store, username: string, context: Record<string, unknown>): UnlockTarget {
  const u = store.db.prepare('SELECT id, disabled_at FROM users WHERE username = ?').get(username) as { id: number; disabled_at: number | null } | undefined;
  const fail = (reason: string, err: VmiError): never => {
    auditToInbox(store, { action: 'unlock.failed', resourceType: 'USER', resourceId: username, username, details: { reason, ...context } });
    throw err;
  };
  if (!isInitialised(store)) throw new VmiError('not-initialised', 'this vmi home has no users yet; run "vmi init"');
  if (!u) return fail('unknown-user', new VmiError('unknown-user', `no vmi user "${username}" in this cache (set --user or VMI_USER)`));
  if (u.disabled_at !== null) return fail('user-disabled', new VmiError('user-disabled', `vmi user "${username}" is disabled`));
  const slot = slotRow(store, u.id);
  if (!slot) return fail('no-keyslot', new VmiError('user-disabled', `vmi user "${username}" has no keyslot`));
  return { id: u.id, slot, fail };
}

function unlockFinish(store: Store, username: string, u: UnlockTarget, open: () => DataKey, context: Record<string, unknown>): Actor {
  let key: DataKey;
  try {
    key = open();
  } catch (e) {
    if (e instanceof VmiError) return u.fail('wrong-passphrase', new VmiError('wrong-passphrase', `wrong passphrase for vmi user "${username}"`));
    throw e;
  }
  store.setKey(key);
  const user = store.readOne<UserDoc>('users', u.id);
  if (!user) throw new VmiError('internal', 'user row vanished');
  const actor: Actor = { userId: u.id, username, role: user.doc.role, mustChange: u.slot.mustChange };
  store.write((tx) => {
    const vault = store.readOne<{ auditSecretKey: string }>('vault', 1);
    if (vault) {
      const sk = Buffer.from(vault.doc.auditSecretKey, 'base64');
      foldInbox(store, tx, sk);
      wipe(sk);
    }
    store.db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(tx.now, u.id);
    audit(store, tx, actor, { action: 'unlock', resourceType: 'USER', resourceId: username, details: context });
  });
  return actor;
}

export function listUsers(store: Store): { users: UserInfo[]; tampered: TamperedRowError[] } {
  const r = store.read<UserDoc, { username: string; created_at: number; last_login_at: number | null; disabled_at: number | null }>('users', 'ORDER BY username');
  const must = new Set((store.db.prepare('SELECT user_id FROM keyslots WHERE must_change = 1').all() as { user_id: number }[]).map((x) => x.user_id));
  return {
    users: r.rows.map((x) => ({
      id: x.id, username: x.username, role: x.doc.role, createdAt: x.created_at,
      lastLoginAt: x.last_login_at, disabledAt: x.disabled_at, mustChange: must.has(x.id),
    })),
    tampered: r.tampered,
  };
}

function findUser(store: Store, username: string) {
  const u = store.db.prepare('SELECT id, disabled_at FROM users WHERE username = ?').get(username) as { id: number; disabled_at: number | null } | undefined;
  if (!u) throw new VmiError('not-found', `no vmi user "${username}"`);
  const row = store.readOne<UserDoc>('users', u.id)!;
  return { id: u.id, disabledAt: u.disabled_at, doc: row.doc };
}

/** Adds a user with a one-time passphrase (returned once, never stored) that must be changed at first unlock. */
export function addUser(store: Store, actor: Actor, username: string, role: Role, profile: Omit<UserDoc, 'role'> = {}, kdf: KdfParams = DEFAULT_KDF): string {
  checkNewUser(store, actor, username, role);
  const temp = generatePassphrase();
  const tempBytes = Buffer.from(temp, 'utf8');
  const slot = createKeyslot(tempBytes, store.key, kdf);
  wipe(tempBytes);
  storeNewUser(store, actor, username, role, profile, slot);
  return temp;
}

/** addUser() with Argon2id run by `derive` (the app: in a thread). */
export async function addUserBy(derive: Derive, store: Store, actor: Actor, username: string, role: Role, profile: Omit<UserDoc, 'role'> = {}, kdf: KdfParams = DEFAULT_KDF): Promise<string> {
  checkNewUser(store, actor, username, role);
  const temp = generatePassphrase();
  const tempBytes = Buffer.from(temp, 'utf8');
  try {
    const slot = await createKeyslotBy(derive, tempBytes, store.key, kdf);
    checkNewUser(store, actor, username, role); // another process may have added it meanwhile
    storeNewUser(store, actor, username, role, profile, slot);
  } finally {
    wipe(tempBytes);
  }
  return temp;
}

/** What addUser() checks before deriving anything (a form can say it at once). */
export function checkNewUser(store: Store, actor: Actor, username: string, role: Role): void {
  requireAdmin(actor, 'adding a user');
  checkUsername(username);
  checkRole(role);
  if (store.db.prepare('SELECT 1 FROM users WHERE username = ?').get(username)) throw new VmiError('conflict', `vmi user "${username}" already exists`);
}

function storeNewUser(store: Store, actor: Actor, username: string, role: Role, profile: Omit<UserDoc, 'role'>, slot: KeyslotData): void {
  store.write((tx) => {
    const id = tx.insert('users', { username, created_at: tx.now, updated_at: tx.now }, { ...profile, role } satisfies UserDoc);
    writeSlot(store, id, slot, true, tx.now);
    audit(store, tx, actor, { action: 'user.add', resourceType: 'USER', resourceId: username, details: { role } });
  });
}

/** A new one-time passphrase for a user (also re-enables a disabled user). */
export function resetUser(store: Store, actor: Actor, username: string, kdf: KdfParams = DEFAULT_KDF): string {
  requireAdmin(actor, 'resetting a passphrase');
  const u = findUser(store, username);
  const temp = generatePassphrase();
  const tempBytes = Buffer.from(temp, 'utf8');
  const slot = createKeyslot(tempBytes, store.key, kdf);
  wipe(tempBytes);
  storeReset(store, actor, username, u, slot);
  return temp;
}

/** resetUser() with Argon2id run by `derive` (the app: in a thread). */
export async function resetUserBy(derive: Derive, store: Store, actor: Actor, username: string, kdf: KdfParams = DEFAULT_KDF): Promise<string> {
  requireAdmin(actor, 'resetting a passphrase');
  findUser(store, username);
  const temp = generatePassphrase();
  const tempBytes = Buffer.from(temp, 'utf8');
  try {
    const slot = await createKeyslotBy(derive, tempBytes, store.key, kdf);
    storeReset(store, actor, username, findUser(store, username), slot);
  } finally {
    wipe(tempBytes);
  }
  return temp;
}

function storeReset(store: Store, actor: Actor, username: string, u: ReturnType<typeof findUser>, slot: KeyslotData): void {
  store.write((tx) => {
    writeSlot(store, u.id, slot, true, tx.now);
    store.db.prepare('UPDATE users SET disabled_at = NULL, updated_at = ? WHERE id = ?').run(tx.now, u.id);
    audit(store, tx, actor, { action: 'user.reset', resourceType: 'USER', resourceId: username, details: { reenabled: u.disabledAt !== null } });
  });
}

export function setRole(store: Store, actor: Actor, username: string, role: Role): void {
  requireAdmin(actor, 'changing a role');
  checkRole(role);
  const u = findUser(store, username);
  if (u.doc.role === role) return;
  if (u.doc.role === 'admin' && countAdmins(store) <= 1) throw new VmiError('conflict', `"${username}" is the last enabled admin; make another admin first`);
  store.write((tx) => {
    tx.update('users', u.id, { updated_at: tx.now }, { ...u.doc, role });
    audit(store, tx, actor, { action: 'user.role', resourceType: 'USER', resourceId: username, details: { from: u.doc.role, to: role } });
  });
}

function countAdmins(store: Store): number {
  return listUsers(store).users.filter((u) => u.role === 'admin' && u.disabledAt === null).length;
}

/** Removes the user's keyslot; "vmi rekey" afterwards makes any copy of the old key useless. */
export function disableUser(store: Store, actor: Actor, username: string): void {
  requireAdmin(actor, 'disabling a user');
  const u = findUser(store, username);
  if (u.disabledAt !== null) return;
  if (u.doc.role === 'admin' && countAdmins(store) <= 1) throw new VmiError('conflict', `"${username}" is the last enabled admin; make another admin first`);
  store.write((tx) => {
    store.db.prepare('DELETE FROM keyslots WHERE user_id = ?').run(u.id);
    store.db.prepare('UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?').run(tx.now, tx.now, u.id);
    tx.update('users', u.id, {}, u.doc);
    audit(store, tx, actor, { action: 'user.disable', resourceType: 'USER', resourceId: username });
  });
}

export function changePassphrase(store: Store, actor: Actor, oldPass: Uint8Array, newPass: Uint8Array, kdf: KdfParams = DEFAULT_KDF): void {
  const slot = ownSlot(store, actor, oldPass, newPass);
  storeOwnSlot(store, actor, rewrapKeyslot(slot, oldPass, newPass, kdf));
}

/** changePassphrase() with Argon2id run by `derive` (the app: in a thread). */
export async function changePassphraseBy(derive: Derive, store: Store, actor: Actor, oldPass: Uint8Array, newPass: Uint8Array, kdf: KdfParams = DEFAULT_KDF): Promise<void> {
  const slot = ownSlot(store, actor, oldPass, newPass);
  storeOwnSlot(store, actor, await rewrapKeyslotBy(derive, slot, oldPass, newPass, kdf));
}

function ownSlot(store: Store, actor: Actor, oldPass: Uint8Array, newPass: Uint8Array): KeyslotData {
  const slot = slotRow(store, actor.userId);
  if (!slot) throw new VmiError('user-disabled', `vmi user "${actor.username}" has no keyslot`);
  if (Buffer.from(oldPass).equals(Buffer.from(newPass))) throw new VmiError('usage', 'the new passphrase must differ from the current one');
  return slot;
}

function storeOwnSlot(store: Store, actor: Actor, next: KeyslotData): void {
  store.write((tx) => {
    writeSlot(store, actor.userId, next, false, tx.now);
    audit(store, tx, actor, { action: 'user.passwd', resourceType: 'USER', resourceId: actor.username });
  });
  actor.mustChange = false;
}

export const MIN_PASSPHRASE = 10;
export function checkNewPassphrase(p: Uint8Array): void {
  if (p.length < MIN_PASSPHRASE) throw new VmiError('usage', `a passphrase needs at least ${MIN_PASSPHRASE} characters`);
}

/**
 * New data key: every sealed row re-sealed, every blind index and the audit chain recomputed,
 * every remaining keyslot given the new key, all in one transaction.
 */
export function rekey(store: Store, actor: Actor): { rows: number; slots: number } {
  requireAdmin(actor, 're-keying the cache');
  requireIntactAudit(store);
  const oldKey = store.key;
  const newKey = DataKey.generate();
  let rows = 0;
  let slots = 0;
  const run = store.db.transaction(() => {
    for (const { table, idCol } of SEALED_TABLES) {
      if (table === 'audit_log') continue;
      const all = store.db.prepare(`SELECT * FROM ${table}`).all() as Record<string, any>[];
      const nk = NATURAL_KEYS[table];
      const upd = store.db.prepare(`UPDATE ${table} SET doc = @doc${nk ? ', nkey = @nkey' : ''} WHERE ${idCol} = @id`);
      for (const r of all) {
        const id = r[idCol];
        let doc: Record<string, unknown>;
        try {
          doc = oldKey.open(table, id, r.doc);
        } catch (e) {
          if (e instanceof TamperedRowError) throw new VmiError('row-tampered', `cannot re-key: ${e.message.replace('; it was skipped', '')}; nothing was changed`);
          throw e;
        }
        upd.run({ id, doc: newKey.seal(table, id, doc), ...(nk ? { nkey: newKey.blindIndex(table, nk(r, doc)) } : {}) });
        rows++;
      }
    }
    // The VM snapshot is derived from the rows: dropped rather than re-sealed, writers rebuild it.
    store.db.prepare('DELETE FROM vm_snapshot').run();
    for (const s of store.db.prepare('SELECT user_id FROM keyslots').all() as { user_id: number }[]) {
      const slot = slotRow(store, s.user_id)!;
      writeSlot(store, s.user_id, resealDataKey(slot, newKey), slot.mustChange, Date.now());
      slots++;
    }
    store.setKey(newKey, false);
    store.db.prepare("UPDATE meta SET value = ? WHERE name = 'key_fp'").run(newKey.fingerprint());
    store.db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'key_generation'").run();
    store.write((tx) => {
      rechain(store, tx, (id, blob) => oldKey.open('audit_log', id, blob));
      audit(store, tx, actor, { action: 'cache.rekey', resourceType: 'CACHE', details: { rows, slots } });
    });
  });
  try {
    run.immediate();
  } catch (e) {
    store.setKey(oldKey, false);
    newKey.wipe();
    throw e;
  }
  oldKey.wipe();
  return { rows, slots };
}
