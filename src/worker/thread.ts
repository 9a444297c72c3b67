// Worker thread entry: owns its own connection to the cache and the vCenter sessions.
import { parentPort, workerData } from 'node:worker_threads';
import { DataKey } from '../crypto/keys.js';
import { initSodium } from '../crypto/sodium.js';
import { isVmiError, oneLine } from '../errors.js';
import { openLog } from '../log.js';
import { openDatabase } from '../store/db.js';
import { Store } from '../store/store.js';
import { Engine } from './engine.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

async function main(): Promise<void> {
  await initSodium();
  const log = openLog(init.logDir, init.logging as never).child({ thread: 'worker' });
  const store = new Store(openDatabase(init.dbFile), init.dbFile);
  store.setKey(new DataKey(new Uint8Array(init.key)));
  init.key.fill(0);
  const engine = new Engine(store, log, post);
  port.on('message', (m: ToWorker) => {
    engine.handle(m).then((goOn) => {
      if (!goOn) {
        store.close();
        post({ type: 'stopped' });
        port.close();
      }
    }).catch((e) => post({ type: 'fatal', reason: isVmiError(e) ? e.reason : 'internal', message: oneLine(e) }));
  });
  engine.setSources(init.sources);
  post({ type: 'ready' });
}

main().catch((e) => post({ type: 'fatal', reason: isVmiError(e) ? e.reason : 'internal', message: oneLine(e) }));
