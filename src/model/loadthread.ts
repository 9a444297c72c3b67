// Opens a range of VM rows on a second core while the UI thread opens the rest (see
// LiveModel.load()), and sends them back packed. Holds the data key only while it runs.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { DataKey } from '../crypto/keys.js';
import { initSodium } from '../crypto/sodium.js';
import { oneLine } from '../errors.js';
import { Store } from '../store/store.js';
import { interner, packedBuffers, packSynced, syncedVmView, type VmDoc, type VmView } from './vm.js';

export interface LoadRange {
  dbFile: string;
  key: Uint8Array;
  /** VM rows with fromId <= id and seq <= upTo. */
  fromId: number;
  upTo: number;
  sources: [number, string][];
}

export type LoadMessage =
  | { type: 'vms'; packed: ReturnType<typeof packSynced>; tampered: [string, string][] }
  | { type: 'done' }
  | { type: 'failed'; message: string };

const BATCH = 8192;

async function main(): Promise<void> {
  const init = workerData as LoadRange;
  const port = parentPort!;
  await initSodium();
  const db = new Database(init.dbFile, { readonly: true, fileMustExist: true, timeout: 5000 });
  const store = new Store(db, init.dbFile);
  const key = new DataKey(new Uint8Array(init.key));
  init.key.fill(0);
  store.setKey(key);
  const names = new Map(init.sources);
  const intern = interner();
  try {
    for (let last = init.fromId - 1; ;) {
      const views: VmView[] = [];
      const r = store.each<VmDoc, Record<string, unknown>>('vms', `WHERE id > ? AND seq <= ? ORDER BY id LIMIT ${BATCH}`, [last, init.upTo], 'id', (row) => {
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
