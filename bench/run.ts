// npm run bench: the figures the issues ask for, measured as medians on this machine.
// Pick parts with arguments: npm run bench -- store worker vsphere nutanix ingest report history ui topology
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { historyBench } from './history.bench.js';
import { reportBench } from './report.bench.js';
import { storeBench } from './store.bench.js';
import { vsphereBench } from './vsphere.bench.js';
import { ingestBench, nutanixBench } from './nutanix.bench.js';
import { workerBench } from './worker.bench.js';

const parts = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const want = (p: string) => parts.length === 0 || parts.includes(p);
console.log(`vmi bench — node ${process.version}, ${new Date().toISOString()}`);
if (want('store')) await storeBench();
if (want('vsphere')) await vsphereBench();
if (want('worker')) await workerBench();
if (want('nutanix')) await nutanixBench();
if (want('ingest')) await ingestBench();
if (want('report')) await reportBench();
if (want('history')) await historyBench();
if (want('topology')) {
  // The topology views at the scale, through the same harness as the UI bench.
  spawnSync(process.execPath, ['--expose-gc', '--test', '--test-reporter=spec', fileURLToPath(new URL('./topology.bench.js', import.meta.url))], {
    stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '1', NODE_ENV: 'production' },
  });
}
if (want('ui')) {
  // The UI bench drives the real app through node:test's harness in its own process.
  spawnSync(process.execPath, ['--expose-gc', '--test', '--test-reporter=spec', fileURLToPath(new URL('./ui.bench.js', import.meta.url))], {
    stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '1', NODE_ENV: 'production' },
  });
}
