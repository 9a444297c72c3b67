import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { DB } from '../store/db.js';

export const LEASE_MS = 15_000;
export const HEARTBEAT_MS = 5_000;

/** This process's identity in the leases table. */
export function holderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export type LeaseResult = { ok: true } | { ok: false; holder: string; expiresAt: number };

/**
 * Takes or renews the lease of a source: free, expired or already ours. One IMMEDIATE
 * transaction, so two processes can never both win.
 */
export function acquireLease(db: DB, sourceId: number, holder: string, now = Date.now(), ttl = LEASE_MS): LeaseResult {
  const tx = db.transaction((): LeaseResult => {
    const cur = db.prepare('SELECT holder, expires_at FROM leases WHERE source_id = ?').get(sourceId) as { holder: string; expires_at: number } | undefined;
    // A lease that ends further ahead than one TTL was written before the clock jumped back:
    // its holder's time cannot be trusted, so it counts as expired.
    const live = cur && cur.expires_at > now && cur.expires_at <= now + ttl;
    if (cur && cur.holder !== holder && live) return { ok: false, holder: cur.holder, expiresAt: cur.expires_at };
    db.prepare(`INSERT INTO leases(source_id, holder, acquired_at, heartbeat_at, expires_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(source_id) DO UPDATE SET holder = excluded.holder, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at,
        acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END`)
      .run(sourceId, holder, now, now, now + ttl);
    return { ok: true };
  });
  return tx.immediate();
}

export function releaseLease(db: DB, sourceId: number, holder: string): void {
  db.prepare('DELETE FROM leases WHERE source_id = ? AND holder = ?').run(sourceId, holder);
}

export function releaseAll(db: DB, holder: string): void {
  db.prepare('DELETE FROM leases WHERE holder = ?').run(holder);
}
