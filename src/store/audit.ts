import { openFromPublicKey, sealToPublicKey } from '../crypto/keys.js';
import { VmiError } from '../errors.js';
import type { Store, WriteTx } from './store.js';

export interface AuditDoc {
  action: string; // e.g. unlock, unlock.failed, user.add, owner.add, vm.assign, config.source.add, export
  resourceType?: string; // VM, USER, OWNER, SOURCE, CONFIG, CACHE
  resourceId?: string;
  username?: string; // who did it (kept in the document so it survives the user's removal)
  details?: Record<string, unknown>; // never secrets
}

export interface AuditEntry extends AuditDoc {
  id: number;
  time: number;
  userId: number | null;
}

const ZERO = Buffer.alloc(32);

function entryText(id: number, time: number, userId: number | null, doc: AuditDoc): string {
  return `${id}|${time}|${userId ?? ''}|${JSON.stringify(doc)}`;
}

function head(store: Store): { id: number; hash: Buffer } | undefined {
  return store.db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: Buffer } | undefined;
}

/** Appends one entry to the hash chain (inside the caller's transaction). */
export function appendAudit(store: Store, tx: WriteTx, doc: AuditDoc, userId: number | null, time = tx.now): number {
  const last = head(store);
  const prev = last?.hash ?? ZERO;
  const id = tx.nextId('audit_log');
  const hash = tx.key.chainHash(prev, entryText(id, time, userId, doc));
  tx.insert('audit_log', { id, user_id: userId, created_at: time, prev_hash: prev, hash }, doc);
  setHeadMark(store, tx, id, hash);
  return id;
}

// The head mark lets verify notice entries cut off the end of the chain.
function setHeadMark(store: Store, tx: WriteTx, id: number, hash: Buffer): void {
  const mark = tx.key.chainHash(hash, `head|${id}`).toString('hex');
  store.db.prepare("INSERT INTO meta(name, value) VALUES ('audit_head', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value").run(`${id}:${mark}`);
}

/** Records an event without the data key (a failed unlock): sealed to the cache's audit public key. */
export function auditToInbox(store: Store, doc: AuditDoc): void {
  const pk = store.db.prepare("SELECT value FROM meta WHERE name = 'audit_pk'").get() as { value: string } | undefined;
  if (!pk) return;
  const time = Date.now();
  store.db.prepare('INSERT INTO audit_inbox(created_at, box) VALUES (?, ?)').run(time, sealToPublicKey(Buffer.from(pk.value, 'base64'), { ...doc, time }));
}

/** Moves inbox entries into the chain; runs after each successful unlock. */
export function foldInbox(store: Store, tx: WriteTx, auditSecretKey: Uint8Array): number {
  const pkRow = store.db.prepare("SELECT value FROM meta WHERE name = 'audit_pk'").get() as { value: string } | undefined;
  if (!pkRow) return 0;
  const pk = Buffer.from(pkRow.value, 'base64');
  const rows = store.db.prepare('SELECT id, created_at, box FROM audit_inbox ORDER BY id').all() as { id: number; created_at: number; box: Buffer }[];
  for (const r of rows) {
    let doc: AuditDoc & { time?: number };
    try {
      doc = openFromPublicKey<AuditDoc & { time?: number }>(pk, auditSecretKey, r.box);
    } catch {
      doc = { action: 'audit.inbox.unreadable', details: { inboxId: r.id } };
    }
    const { time: _t, ...rest } = doc;
    appendAudit(store, tx, rest, null, r.created_at);
    store.db.prepare('DELETE FROM audit_inbox WHERE id = ?').run(r.id);
  }
  return rows.length;
}

export function listAudit(store: Store, sinceMs?: number): { entries: AuditEntry[]; tampered: string[] } {
  const where = sinceMs !== undefined ? 'WHERE created_at >= ? ORDER BY id' : 'ORDER BY id';
  const r = store.read<AuditDoc, { created_at: number; user_id: number | null }>('audit_log', where, sinceMs !== undefined ? [sinceMs] : []);
  return {
    entries: r.rows.map((x) => ({ ...x.doc, id: x.id, time: x.created_at, userId: x.user_id })),
    tampered: r.tampered.map((t) => t.message),
  };
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  problems: string[];
}

/** Walks the chain: an edited, removed, inserted or reordered entry breaks it. */
export function verifyAudit(store: Store): VerifyResult {
  const rows = store.db.prepare('SELECT id, user_id, created_at, prev_hash, hash, doc FROM audit_log ORDER BY id').all() as
    { id: number; user_id: number | null; created_at: number; prev_hash: Buffer; hash: Buffer; doc: Buffer }[];
  const problems: string[] = [];
  let prev: Buffer = ZERO;
  for (const r of rows) {
    let doc: AuditDoc;
    try {
      doc = store.key.open<AuditDoc>('audit_log', r.id, r.doc);
    } catch {
      problems.push(`entry ${r.id}: content was modified or moved (authentication failed)`);
      prev = r.hash;
      continue;
    }
    if (!r.prev_hash.equals(prev)) problems.push(`entry ${r.id}: does not follow the entry before it (an entry was removed, inserted or reordered)`);
    const expect = store.key.chainHash(r.prev_hash, entryText(r.id, r.created_at, r.user_id, doc));
    if (!expect.equals(r.hash)) problems.push(`entry ${r.id}: its time, user or hash was edited`);
    prev = r.hash;
  }
  const mark = (store.db.prepare("SELECT value FROM meta WHERE name = 'audit_head'").get() as { value: string } | undefined)?.value;
  const last = rows.at(-1);
  if (last) {
    const want = `${last.id}:${store.key.chainHash(last.hash, `head|${last.id}`).toString('hex')}`;
    if (mark !== want) problems.push(`the chain's end does not match its head mark (entries after ${last.id} were removed, or the last entry was changed)`);
  } else if (mark) {
    problems.push('the audit log is empty but its head mark says it had entries (entries were removed)');
  }
  return { ok: problems.length === 0, checked: rows.length, problems };
}

/** Recomputes every hash with the current key (re-key), after checking the chain is intact. */
export function rechain(store: Store, tx: WriteTx, oldKeyOpen: (id: number, blob: Buffer) => AuditDoc): void {
  const rows = store.db.prepare('SELECT id, user_id, created_at, doc FROM audit_log ORDER BY id').all() as
    { id: number; user_id: number | null; created_at: number; doc: Buffer }[];
  let prev: Buffer = ZERO;
  let lastId = 0;
  for (const r of rows) {
    const doc = oldKeyOpen(r.id, r.doc);
    const hash = tx.key.chainHash(prev, entryText(r.id, r.created_at, r.user_id, doc));
    tx.update('audit_log', r.id, { prev_hash: prev, hash }, doc);
    prev = hash;
    lastId = r.id;
  }
  if (lastId) setHeadMark(store, tx, lastId, prev);
}

export function requireIntactAudit(store: Store): void {
  const v = verifyAudit(store);
  if (!v.ok) throw new VmiError('audit-broken', `the audit trail is broken (${v.problems[0]}); run "vmi audit verify"`);
}
