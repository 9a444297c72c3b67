// Opens a range of VM rows on a second core while the UI thread opens the rest (see
// LiveModel.loadParallel()), and sends them back packed. The thread starts before the key is
// known (while Argon2id runs on the UI thread) and holds the key only while it reads.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { DataKey } from '../crypto/keys.js';
import { initSodium } from '../crypto/sodium.js';
import { oneLine } from '../errors.js';
import { Store } from '../store/store.js';
import { interner, packedBuffers, packSynced, syncedVmView, type PackedVms, type VmDoc, type VmView } from './vm.js';

export interface LoadRange {
  key: Uint8Array;
  /** VM rows with fromId <= id and seq <= upTo. */
  fromId: number;
  upTo: number;
  sources: [number, string][];
}

export type LoadMessage =
  | { type: 'vms'; packed: PackedVms; tampered: [string, string][] }
  | { type: 'done' }
  | { type: 'failed'; message: string };

const BATCH = 8192;

async function main(): Promise<void> {
  const port = parentPort!;
  const dbFile = (workerData as { dbFile: string }).dbFile;
  await initSodium();
  const db = new Database(dbFile, { readonly: true, fileMustExist: true, timeout: 5000 });
  const store = new Store(db, dbFile);
  const range = await new Promise<LoadRange>((r) => port.once('message', r));
  store.setKey(new DataKey(new Uint8Array(range.key)));
  range.key.fill(0);
  const names = new Map(range.sources);
  const intern = interner();
  try {
    for (let last = range.fromId - 1; ;) {
      const views: VmView[] = [];
      const r = store.each<VmDoc, Record<string, unknown>>('vms', `WHERE id > ? AND seq <= ? ORDER BY id LIMIT ${BATCH}`, [last, range.upTo], 'id', (row) => {
        const sourceId = row.source_id as number;
        views.push(syncedVmView({
          id: row.id, sourceId, sourceName: names.get(sourceId) ?? '?', doc: row.doc,
          deletedAt: (row.deleted_at as number | null) ?? null, firstSeenAt: row.first_seen_at as number, lastSeenAt: row.last_seen_at as number,
        }, intern));
      });
      const packed = packSynced(views);
      const msg: LoadMessage = { type: 'vms', packed, tampered: r.tampered.map((t) => [t.table, String(t.rowKey)]) };
      port.postMessage(msg, packedBuffers(packed));
      if (r.seen < BATCH) break;
      last = r.lastId;
    }
    port.postMessage({ type: 'done' } satisfies LoadMessage);
  } finally {
    store.close(); // wipes the key
  }
}

main().catch((e) => parentPort!.postMessage({ type: 'failed', message: oneLine(e) } satisfies LoadMessage));
