// Helps the UI thread with the first load (LiveModel.loadParallel()). Started before the key is
// known (while Argon2id runs on the UI thread), it reads what needs no key: the seq of every VM
// row and the sealed VM snapshot. Given the key, it either opens the snapshot, or opens VM rows
// and sends them back packed: both threads take chunks from one shared counter, so a thread
// that gets less of the machine simply takes fewer. It holds the key only while it works.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { DataKey } from '../crypto/keys.js';
import { initSodium } from '../crypto/sodium.js';
import { oneLine } from '../errors.js';
import { Store } from '../store/store.js';
import { eachVmRow, packedIdsSeqs, sourceNames, viewOfRow, openSnapshotRows, readRowSeqs, RowSeqs, sealedSnapshot, snapshotWorth } from './snapshot.js';
import { inNameOrder, interner, packedBuffers, packSynced, type PackedVms, type VmDoc, type VmView } from './vm.js';

export interface LoadRange {
  type: 'vms';
  key: Uint8Array;
  /** Chunk k holds the VM rows with bounds[k] <= id < bounds[k + 1] and seq <= upTo. */
  bounds: Float64Array;
  upTo: number;
  /** The next chunk to take, shared with the UI thread (Atomics), which takes chunks too. */
  next: Int32Array;
  sources: [number, string][];
}

export type LoadRequest = LoadRange | { type: 'snapshot'; key: Uint8Array };

export type LoadMessage =
  /**
   * Read at start, in one read transaction: the cache's seq then, whether the snapshot is worth
   * reading and, when it is, every VM row's id and seq as of then.
   */
  | { type: 'ready'; seqAt: number; snapshot: boolean; ids: Float64Array | null; seqs: Float64Array | null }
  /** One part of the snapshot opened (null: it failed authentication), as soon as it is. */
  | { type: 'part'; part: number; bytes: Uint8Array | null }
  | { type: 'parts-done' }
  | { type: 'vms'; packed: PackedVms; tampered: [string, string][] }
  | { type: 'done' }
  | { type: 'failed'; message: string };

async function main(): Promise<void> {
  const port = parentPort!;
  const post = (m: LoadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  const dbFile = (workerData as { dbFile: string }).dbFile;
  await initSodium();
  const db = new Database(dbFile, { readonly: true, fileMustExist: true, timeout: 5000 });
  const store = new Store(db, dbFile);
  const pre = db.transaction(() => {
    const seqAt = store.currentSeq();
    const rows = readRowSeqs(store, seqAt);
    const worth = snapshotWorth(store, rows);
    return { seqAt, rows: worth ? rows : null, sealed: worth ? sealedSnapshot(store) : [] };
  })();
  let { sealed } = pre;
  // Copies go to the UI thread: this one needs them to find the rows that changed since.
  const ids = pre.rows?.ids.slice() ?? null;
  const seqs = pre.rows?.seqs.slice() ?? null;
  post({ type: 'ready', seqAt: pre.seqAt, snapshot: pre.rows !== null, ids, seqs }, ids && seqs ? [ids.buffer as ArrayBuffer, seqs.buffer as ArrayBuffer] : []);
  const setKey = (key: Uint8Array) => {
    if (!store.unlocked) store.setKey(new DataKey(new Uint8Array(key)));
    key.fill(0);
  };
  try {
    for (;;) {
      const req = await new Promise<LoadRequest>((r) => port.once('message', r));
      setKey(req.key);
      if (req.type === 'snapshot') {
        // Part by part: the UI thread unpacks one while this one opens the next. The entries
        // are marked here as they are there, so that this thread knows which rows changed since.
        const rows = new RowSeqs(pre.rows!.ids, pre.rows!.seqs);
        for (const row of sealed) {
          const bytes = openSnapshotRows(store, [row]).parts[0]?.bytes ?? null;
          const entries = bytes && packedIdsSeqs(bytes);
          if (entries) for (let i = 0; i < entries.ids.length; i++) rows.take(entries.ids[i]!, entries.seqs[i]!);
          post({ type: 'part', part: row[0], bytes }, bytes ? [bytes.buffer as ArrayBuffer] : []);
        }
        sealed = [];
        readRows(store, rows.rest(), pre.seqAt, post);
        post({ type: 'parts-done' });
        continue;
      }
      sealed = [];
      readChunks(store, req, post);
      post({ type: 'done' });
      return;
    }
  } finally {
    store.close(); // wipes the key
  }
}

/** Opens the given VM rows and sends them packed. */
function readRows(store: Store, ids: number[], upTo: number, post: (m: LoadMessage, transfer: ArrayBuffer[]) => void): void {
  if (!ids.length) return;
  const names = sourceNames(store);
  const views: VmView[] = [];
  const tampered = eachVmRow<Record<string, unknown>>(store, ids, upTo, (row) => views.push(viewOfRow(row, (id) => names.get(id) ?? '?')));
  const packed = packSynced(inNameOrder(views));
  post({ type: 'vms', packed, tampered: tampered.map((t) => [t.table, String(t.rowKey)]) }, packedBuffers(packed));
}

function readChunks(store: Store, range: LoadRange, post: (m: LoadMessage, transfer: ArrayBuffer[]) => void): void {
  const names = new Map(range.sources);
  const intern = interner();
  const chunks = range.bounds.length - 1;
  for (let k = Atomics.add(range.next, 0, 1); k < chunks; k = Atomics.add(range.next, 0, 1)) {
    const views: VmView[] = [];
    const r = store.each<VmDoc, Record<string, unknown>>('vms', 'WHERE id >= ? AND id < ? AND seq <= ? ORDER BY id', [range.bounds[k], range.bounds[k + 1], range.upTo], 'id',
      (row) => views.push(viewOfRow(row, (id) => names.get(id) ?? '?', intern)));
    const packed = packSynced(inNameOrder(views));
    post({ type: 'vms', packed, tampered: r.tampered.map((t) => [t.table, String(t.rowKey)]) }, packedBuffers(packed));
  }
}

main().catch((e) => parentPort!.postMessage({ type: 'failed', message: oneLine(e) } satisfies LoadMessage));
