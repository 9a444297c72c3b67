// Opens VM rows on a second core while the UI thread opens the others (see
// LiveModel.loadParallel()), and sends them back packed. Both threads take chunks from one
// shared counter, so a thread that gets less of the machine simply takes fewer chunks. The thread starts before the key is
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
  /** Chunk k holds the VM rows with bounds[k] <= id < bounds[k + 1] and seq <= upTo. */
  bounds: Float64Array;
  upTo: number;
  /** The next chunk to take, shared with the UI thread (Atomics), which takes chunks too. */
  next: Int32Array;
  sources: [number, string][];
}

export type LoadMessage =
  | { type: 'ready' }
  | { type: 'vms'; packed: PackedVms; tampered: [string, string][] }
  | { type: 'done' }
  | { type: 'failed'; message: string };

async function main(): Promise<void> {
  const port = parentPort!;
  const dbFile = (workerData as { dbFile: string }).dbFile;
  await initSodium();
  const db = new Database(dbFile, { readonly: true, fileMustExist: true, timeout: 5000 });
  const store = new Store(db, dbFile);
  const range = await new Promise<LoadRange>((r) => {
    port.once('message', r);
    port.postMessage({ type: 'ready' } satisfies LoadMessage);
  });
  store.setKey(new DataKey(new Uint8Array(range.key)));
  range.key.fill(0);
  const names = new Map(range.sources);
  const intern = interner();
  try {
    const chunks = range.bounds.length - 1;
    for (let k = Atomics.add(range.next, 0, 1); k < chunks; k = Atomics.add(range.next, 0, 1)) {
      const views: VmView[] = [];
      const r = store.each<VmDoc, Record<string, unknown>>('vms', 'WHERE id >= ? AND id < ? AND seq <= ? ORDER BY id', [range.bounds[k], range.bounds[k + 1], range.upTo], 'id', (row) => {
        const sourceId = row.source_id as number;
        views.push(syncedVmView({
          id: row.id, sourceId, sourceName: names.get(sourceId) ?? '?', doc: row.doc,
          deletedAt: (row.deleted_at as number | null) ?? null, firstSeenAt: row.first_seen_at as number, lastSeenAt: row.last_seen_at as number,
        }, intern));
      });
      const packed = packSynced(views);
      const msg: LoadMessage = { type: 'vms', packed, tampered: r.tampered.map((t) => [t.table, String(t.rowKey)]) };
      port.postMessage(msg, packedBuffers(packed));
    }
    port.postMessage({ type: 'done' } satisfies LoadMessage);
  } finally {
    store.close(); // wipes the key
  }
}

main().catch((e) => parentPort!.postMessage({ type: 'failed', message: oneLine(e) } satisfies LoadMessage));
