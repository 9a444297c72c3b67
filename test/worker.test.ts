import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { LiveModel } from '../src/model/live.js';
import { staleParts } from '../src/model/snapshot.js';
import { pino } from 'pino';
import { Engine } from '../src/worker/engine.js';
import type { FromWorker, SourceStatus } from '../src/worker/protocol.js';
import { CLI, makeHome, openStore, vmi, type TestHome } from './helpers.js';
import { until } from './vcsim/vcsim.js';

const quiet = pino({ level: 'silent' });

function addSources(h: TestHome, sources: Record<string, unknown>[]): void {
  const cfg = JSON.parse(readFileSync(h.home.configFile, 'utf8'));
  cfg.sources = sources;
  writeFileSync(h.home.configFile, JSON.stringify(cfg, null, 2));
}

/** A headless `vmi sync --watch` whose output lines are collected. */
function watcher(h: TestHome): { p: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const p = spawn(process.execPath, [CLI, 'sync', '--watch'], { env: h.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const take = (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean));
  p.stdout!.on('data', take);
  p.stderr!.on('data', take);
  p.stdin!.end();
  const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
  return { p, lines, exited };
}

describe('worker engine with the demo estate', () => {
  let h: TestHome;
  before(async () => {
    h = await makeHome();
    addSources(h, [{ name: 'demo-a', platform: 'demo', url: 'demo://ams?vms=400&seed=3', refreshSeconds: 15 }]);
  });
  after(() => h.cleanup());

  it('syncs, goes live, and the model sees the rows through seq', async () => {
    const { store } = await openStore(h.home);
    const statuses: SourceStatus[] = [];
    let committed = 0;
    const engine = new Engine(store, quiet, (m: FromWorker) => {
      if (m.type === 'status') statuses.push(m.status);
      if (m.type === 'committed') committed++;
    }, undefined, 200);
    engine.setSources([{ name: 'demo-a', platform: 'demo', url: 'demo://ams?vms=400&seed=3', refreshSeconds: 15, enabled: true }]);
    await until(() => statuses.some((s) => s.state === 'live'), 30_000, 'live');
    assert.ok(committed >= 1);
    const reader = await openStore(h.home);
    const model = new LiveModel(reader.store);
    model.load();
    assert.ok(model.vms.size >= 390, String(model.vms.size));
    assert.ok(model.hosts.size > 5);
    assert.ok([...statuses].map((s) => s.state).includes('connecting') || statuses.some((s) => s.state === 'syncing'));
    // A little after its commits the worker brings the VM snapshot up to date; unlock then
    // reads the same VMs from it as from the rows.
    await until(() => staleParts(store).rewrite.length === 0, 10_000, 'snapshot written');
    const fromSnapshot = new LiveModel(reader.store);
    await fromSnapshot.loadParallel();
    const fromRows = new LiveModel(reader.store);
    fromRows.load();
    const byId = (m: LiveModel) => [...m.vms.values()].sort((a, b) => a.id - b.id);
    assert.deepEqual(byId(fromSnapshot), byId(fromRows));
    assert.ok((store.db.prepare('SELECT count(*) n FROM vm_snapshot').get() as { n: number }).n >= 1);
    engine.handle({ type: 'refresh' });
    await until(() => statuses.filter((s) => s.state === 'live').length >= 2, 30_000, 'second live');
    await engine.stop();
    assert.equal((store.db.prepare('SELECT count(*) n FROM leases').get() as { n: number }).n, 0, 'leases released');
    reader.store.close();
    store.close();
  });
});

describe('one cache, several processes', () => {
  let h: TestHome;
  before(async () => {
    h = await makeHome();
    addSources(h, [{ name: 'demo-b', platform: 'demo', url: 'demo://fra?vms=300&seed=5', refreshSeconds: 15 }]);
  });
  after(() => h.cleanup());

  it('exactly one process polls a source; another takes over when it is killed', async () => {
    const a = watcher(h);
    await until(() => a.lines.some((l) => l.includes('demo-b: live')), 30_000, 'A live');
    const b = watcher(h);
    await until(() => b.lines.some((l) => l.includes('polled by another vmi process')), 20_000, 'B sees the lease');
    a.p.kill('SIGKILL');
    await a.exited;
    const t = Date.now();
    await until(() => b.lines.some((l) => l.includes('demo-b: live')), 40_000, 'B takes over');
    assert.ok(Date.now() - t < 25_000, `took over after ${Date.now() - t} ms`);
    b.p.kill('SIGTERM');
    assert.equal(await b.exited, 0);
    assert.ok(b.lines.some((l) => l.includes('stopping')));
    const db = new Database(h.home.dbFile, { readonly: true });
    assert.equal((db.prepare('SELECT count(*) n FROM leases').get() as { n: number }).n, 0, 'B released its lease');
    db.close();
  });

  it('an edit in one process reaches another process\'s model within 2 s', async () => {
    const { store } = await openStore(h.home);
    const model = new LiveModel(store);
    model.load();
    model.start(250);
    const t = Date.now();
    assert.equal(vmi(['owner', 'add', '--name', 'Remote Edit', '--email', 'remote@corp.example'], h.env).code, 0);
    await until(() => [...model.owners.values()].some((o) => o.email === 'remote@corp.example'), 5_000, 'owner seen');
    assert.ok(Date.now() - t < 2_000 + 1_500, 'seen within 2 s of the commit (plus the CLI\'s own unlock)');
    model.stop();
    store.close();
  });
});

describe('crash safety', () => {
  it('kill -9 during a big write leaves a consistent cache that syncs on', async () => {
    const h = await makeHome();
    addSources(h, [{ name: 'demo-big', platform: 'demo', url: 'demo://nyc?vms=20000&seed=9', refreshSeconds: 60 }]);
    const a = watcher(h);
    await until(() => a.lines.some((l) => l.includes('demo-big: syncing') || l.includes('demo-big: connecting')), 30_000, 'sync started');
    await new Promise((r) => setTimeout(r, 1500));
    a.p.kill('SIGKILL');
    await a.exited;
    const db = new Database(h.home.dbFile);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    db.close();
    // The dead process's lease runs out first; then a new sync completes.
    const r = await until(() => {
      const x = vmi(['sync', '--once'], h.env);
      return x.code === 0 && /demo-big: \d+ VMs/.test(x.stdout) ? x : null;
    }, 60_000, 'a sync after the crash');
    assert.match(r.stdout, /demo-big: \d{5} VMs/);
    assert.equal(vmi(['audit', 'verify'], h.env).code, 0);
    h.cleanup();
  });
});
