// After unlock: the cache is loaded into the live model (the VMs first, the rest a step per turn
// of the event loop after the first frame), then the worker starts and its news is wired in.
import { oneLine } from '../errors.js';
import { collectGarbage } from '../gc.js';
import { LiveModel } from '../model/live.js';
import { Searcher } from './data/search.js';
import { VmIndex } from './data/vmindex.js';
import type { Shell } from './shell.js';

export async function loadModel(shell: Shell): Promise<void> {
  if (shell.phase === 'quitting') return;
  try {
    const model = new LiveModel(shell.store);
    const loader = shell.loader ?? undefined;
    shell.loader = null;
    await model.loadParallel({ loader, deferRest: true });
    if ((shell.phase as string) === 'quitting') return; // q while loading
    shell.model = model;
    const index = new VmIndex(model);
    shell.vmIndex = index;
    shell.searcher = new Searcher(model, () => index.syncedColumns());
    model.on('change', () => shell.onModelChange());
    model.on('tampered', (t) => shell.flash(`${t.length} cache row${t.length === 1 ? '' : 's'} failed authentication and were skipped (see the log)`, 'bad'));
    model.on('key-changed', () => shell.onKeyChanged());
    model.start(1000);
  } catch (e) {
    shell.busy = null;
    shell.phase = 'unlock';
    shell.gate.error = oneLine(e);
    shell.bump();
    return;
  }
  shell.phase = 'main';
  shell.busy = null;
  shell.lastKeyAt = shell.now();
  shell.armLock();
  shell.armTrim();
  shell.current = 'vms';
  shell.bump();
  // Topology, alarms and history after the first frame, a step per turn of the event loop
  // (a key handled meanwhile finishes them first, see Shell.onKey()); then the worker.
  const model = shell.model;
  const rest = () => {
    if (shell.phase === 'quitting' || shell.model !== model || !model) return;
    try {
      if (model.loadRestStep()) return void setImmediate(rest);
    } catch (e) {
      shell.flash(`could not read the cache: ${oneLine(e)}`, 'bad');
    }
    // What loading left behind goes before the worker's first syncs grow the process again.
    collectGarbage();
    startWorker(shell);
  };
  setImmediate(rest);
  if (shell.needsCredentials().length) shell.openCredentials();
}

export function startWorker(shell: Shell): void {
  if (shell.worker || !shell.deps.startWorker) return;
  try {
    shell.worker = shell.deps.startWorker(shell.store, shell.config);
  } catch (e) {
    shell.flash(`background sync did not start: ${oneLine(e)}`, 'bad');
    return;
  }
  if (!shell.worker) return;
  for (const s of shell.worker.statuses.values()) shell.statuses.set(s.source, s);
  shell.worker.on('status', (s) => {
    shell.statuses.set(s.source, s);
    if (shell.phase === 'main') shell.bump();
  });
  shell.worker.on('committed', () => shell.model?.poll(true));
  shell.worker.on('fatal', (f) => shell.flash(`background sync: ${f.message}`, 'bad'));
  shell.worker.on('backfilled', (r) => {
    shell.model?.poll(true);
    shell.workerEvent('backfilled', r);
  });
}
