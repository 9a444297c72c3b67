// One unlock in a process of its own (fresh heap, nothing compiled yet), as when a user starts
// vmi: opens the app on the given home, types the passphrase, and prints the milliseconds from
// enter until the first full frame of the VM list is written. Run by the UI bench.
import { loadConfig } from '../src/config.js';
import { resolveHome } from '../src/home.js';
import { Shell } from '../src/ui/shell.js';
import { mountApp } from '../src/ui/run.js';
import { ScreenOut } from '../src/ui/terminal.js';
import { initSodium } from '../src/crypto/sodium.js';
import { openDatabase } from '../src/store/db.js';
import { Store } from '../src/store/store.js';
import { PASS } from '../test/helpers.js';
import { FakeStdin, FakeTerm, FULL } from './fakes.js';

const home = resolveHome(process.argv[2]!);
// Opened locked, as vmi opens it: the app's unlock is what is measured.
await initSodium();
const store = new Store(openDatabase(home.dbFile), home.dbFile);
const stdin = new FakeStdin();
const term = new FakeTerm();
// As the real app (run.tsx): blocking work waits for the frame that announces it.
const ctrl = new Shell({ home, store, config: loadConfig(home.configFile), caps: { color: true, ascii: false }, user: 'alice', defer: (fn) => out.afterNextFrame(fn) });
ctrl.size = { cols: term.columns, rows: term.rows };
let at = 0;
const out = new ScreenOut(term, () => {
  if (!at && ctrl.phase === 'main' && FULL.test(term.text)) at = performance.now();
});
const ink = await mountApp(ctrl, out, stdin as never);
ctrl.start();
for (const ch of PASS) stdin.write(ch);
await new Promise((r) => setTimeout(r, 100));
const t0 = performance.now();
stdin.write('\r');
while (!at) await new Promise((r) => setTimeout(r, 5));
console.log(JSON.stringify({ ms: at - t0, rss: process.memoryUsage().rss }));
ctrl.quit();
ink.unmount();
process.exit(0);
