// The topology views, the host detail and the other views at the scale: a dense demo
// estate of 100,000 VMs, 2,000 hosts, 5,000 datastores and 1,000 distributed portgroups. Each
// figure is the time from a key arriving on stdin to the changed lines leaving for the terminal.
// Run by "npm run bench -- topology" (VMI_PERF_VMS changes the size).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Instance } from 'ink';
import { editConfig, loadConfig } from '../src/config.js';
import { demoSources } from '../src/sources/demo/index.js';
import { openDatabase } from '../src/store/db.js';
import { Store } from '../src/store/store.js';
import { mountApp } from '../src/ui/run.js';
import { Shell } from '../src/ui/shell.js';
import { ScreenOut } from '../src/ui/terminal.js';
import { makeHome, PASS, vmi, type TestHome } from '../test/helpers.js';
import { FakeStdin, FakeTerm, FULL } from './fakes.js';
import { report } from './util.js';

if (!process.env.FORCE_COLOR) throw new Error('run the topology bench with FORCE_COLOR=1 (reverse video must reach the output)');
const N = Number(process.env.VMI_PERF_VMS ?? 100_000);

const pct = (xs: number[], p: number) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

describe(`topology views at ${N.toLocaleString('en-US')} VMs (dense estate)`, () => {
  let th: TestHome;
  let ctrl: Shell;
  let ink: Instance;
  let out: ScreenOut;
  const stdin = new FakeStdin();
  const term = new FakeTerm();
  let frameWaiter: (() => void) | null = null;
  let shown = false;
  const opens: Record<string, number> = {};
  const keys: Record<string, number[]> = {};

  before(async () => {
    th = await makeHome();
    editConfig(th.home.configFile, (raw) => {
      raw.sources = demoSources(N, 1, { dense: true }).map((s) => ({ name: s.name, platform: 'demo', url: s.url }));
    });
    const t0 = Date.now();
    const r = vmi(['sync', '--once'], th.env);
    assert.equal(r.code, 0, r.stderr);
    console.log(`# dense cache built by "vmi sync --once" in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const store = new Store(openDatabase(th.home.dbFile), th.home.dbFile);
    ctrl = new Shell({ home: th.home, store, config: loadConfig(th.home.configFile), caps: { color: true, ascii: false }, user: 'alice', defer: (fn) => out.afterNextFrame(fn), exportDir: th.dir });
    ctrl.size = { cols: term.columns, rows: term.rows };
    out = new ScreenOut(term, () => {
      if (!shown && ctrl.phase === 'main' && FULL.test(term.text)) shown = true;
      const w = frameWaiter;
      frameWaiter = null;
      w?.();
    });
    ink = await mountApp(ctrl, out, stdin as never);
    ctrl.start();
    for (const ch of PASS) stdin.write(ch);
    stdin.write('\r');
    while (!shown) await new Promise((res) => setTimeout(res, 10));
    // Everything unlock leaves for later, before anything is timed.
    ctrl.model!.finishLoad();
    const m = ctrl.model!;
    console.log(`# estate: ${m.vms.size} VMs, ${m.hosts.size} hosts, ${m.datastores.size} datastores, ${m.networks.size} portgroups, ${m.vmkernels.size} VMkernel adapters`);
  });

  after(() => {
    ctrl?.quit();
    ink?.unmount();
    th?.cleanup();
    for (const [k, ms] of Object.entries(opens)) report(`open ${k}`, `${ms.toFixed(1)} ms`, '<= 100 ms', ms <= 100);
    for (const [k, v] of Object.entries(keys)) report(`${k} (p95, n=${v.length})`, `${pct(v, 95).toFixed(1)} ms`, '<= 50 ms', pct(v, 95) <= 50);
    const all = Object.values(keys).flat();
    if (all.length) report(`every key in the topology views (p95, n=${all.length})`, `${pct(all, 95).toFixed(1)} ms`, '<= 50 ms', pct(all, 95) <= 50);
    (globalThis as { gc?: () => void }).gc?.();
    const rss = process.memoryUsage().rss;
    report('resident memory after every view (app without its worker)', `${rss >> 20} MB`, '<= 800 MB', rss <= 800 * 1024 * 1024);
  });

  // A key that changes nothing (→ on a leaf) paints no frame: wait 2 s for one at most.
  const nextFrame = (timeoutMs = 2_000) => new Promise<boolean>((resolve) => {
    const t = setTimeout(() => {
      frameWaiter = null;
      resolve(false);
    }, timeoutMs);
    frameWaiter = () => {
      clearTimeout(t);
      resolve(true);
    };
  });
  const gap = () => new Promise((r) => setTimeout(r, 40));

  /** Key to frame, in ms (NaN when the screen did not change). */
  async function press(k: string): Promise<number> {
    await gap();
    const frame = nextFrame();
    const t0 = performance.now();
    stdin.write(k);
    return (await frame) ? performance.now() - t0 : Number.NaN;
  }
  async function open(name: string, k: string, want: RegExp): Promise<void> {
    const ms = await press(k);
    assert.match(term.text, want, `${name}: ${term.text.slice(0, 400)}`);
    opens[name] = ms;
  }
  async function key(group: string, k: string): Promise<void> {
    const ms = await press(k);
    if (Number.isFinite(ms)) (keys[group] ??= []).push(ms);
  }

  it('hosts and the host detail', async () => {
    await open('hosts', '3', /of [\d,]+ hosts/);
    await open('host detail', '\r', /Networking/);
    for (let i = 0; i < 10; i++) await key('host detail: j/k', 'j');
    await key('host detail: w (window)', 'w');
    await key('host detail: w (window)', 'w');
    await key('host detail: w (window)', 'w');
    await press('\x1b');
  });

  it('storage topology and a datastore detail', async () => {
    await open('storage', '4', /of [\d,]+ datastores/);
    for (let i = 0; i < 5; i++) {
      await key('storage: expand/collapse', '\x1b[C');
      await key('storage: j/k', 'j');
    }
    await key('storage: + / - (all)', '+');
    for (let i = 0; i < 20; i++) await key('storage: j/k', 'j');
    for (let i = 0; i < 5; i++) await key('storage: PgDn', '\x1b[6~');
    await key('storage: s (free %)', 's');
    await key('storage: s (free %)', 's');
    await open('datastore detail', '\r', /Capacity/);
    await press('\x1b');
    await key('storage: + / - (all)', '-');
  });

  it('network topology, the VMkernel matrix and a portgroup detail', async () => {
    await open('networks', '5', /of [\d,]+ portgroups/);
    await key('networks: + / - (all)', '+');
    for (let i = 0; i < 20; i++) await key('networks: j/k', 'j');
    for (let i = 0; i < 5; i++) await key('networks: expand/collapse', '\x1b[D');
    await key('networks: + / - (all)', '+');
    for (let i = 0; i < 3; i++) await key('networks: j/k', 'j');
    while (!/dvpg|VM Network|pg-/.test(term.text.split('\n').find((l) => l.includes('\x1b[7m')) ?? '')) if (Number.isNaN(await press('j'))) break;
    await open('portgroup detail', '\r', /Portgroup /);
    await press('\x1b');
    await open('VMkernel matrix', '\t', /VMOTION/);
    for (let i = 0; i < 20; i++) await key('VMkernel matrix: j/k', 'j');
    await press('\t');
  });

  it('exports: x in the VMs view (the keys keep answering while it writes), and vmi export from the command line', async () => {
    await press('2');
    // Done when the file is there under its final name (it is written under a temporary one).
    const written = () => readdirSync(th.dir).some((f) => /^vmi-vms-\d{8}-\d{6}\.csv$/.test(f));
    const t0 = performance.now();
    await press('x');
    const during: number[] = [];
    while (!written()) {
      const ms = await press(during.length % 2 ? 'k' : 'j');
      if (Number.isFinite(ms)) during.push(ms);
      if (performance.now() - t0 > 60_000) break;
    }
    const took = performance.now() - t0;
    report(`x in the VMs view: ${N.toLocaleString('en-US')} rows to CSV`, `${(took / 1000).toFixed(2)} s`, '<= 3 s', took <= 3000);
    if (during.length) report(`keys while x writes (p95, n=${during.length})`, `${pct(during, 95).toFixed(1)} ms`, '<= 50 ms', pct(during, 95) <= 50);
    const c0 = performance.now();
    const r = vmi(['export', '--view', 'vms', '--out', `${th.dir}/cli-vms.csv`], th.env);
    const cli = performance.now() - c0;
    assert.equal(r.code, 0, r.stderr);
    report(`vmi export --view vms (${N.toLocaleString('en-US')} VMs, unlock and load included)`, `${(cli / 1000).toFixed(2)} s`, '<= 5 s', cli <= 5000);
  });

  it('changes, alarms and events, dashboard', async () => {
    await open('changes', '6', /of [\d,]+ changes/);
    for (let i = 0; i < 10; i++) await key('changes: j/k', 'j');
    await open('alarms', '7', /Triggered alarms/);
    await open('events', '\t', /of [\d,]+ events/);
    await open('dashboard', '1', /Busiest hosts/);
    for (let i = 0; i < 10; i++) await key('dashboard: j/k', 'j');
  });
});
