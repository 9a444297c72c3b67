// Prism Central end to end: the worker's engine and `vmi sync --once` against the fake Prism
// Central, into a real SQLite cache; failed and partial retrievals delete nothing.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { SourceConfig } from '../src/config.js';
import { filterVms } from '../src/model/filter.js';
import { loadVmViews } from '../src/store/inventory.js';
import type { Store } from '../src/store/store.js';
import { syncOnce } from '../src/sync/once.js';
import { Engine } from '../src/worker/engine.js';
import type { FromWorker, SourceStatus } from '../src/worker/protocol.js';
import { makeHome, openStore, vmiAsync, type TestHome } from './helpers.js';
import { FakePrismCentral, haveOpenssl, v4Error } from './nutanix/fake-pc.js';
import { demoPrismEstate, demoPrismSource } from '../src/sources/nutanix/demo.js';
import { until } from './vcsim/vcsim.js';

const skip = !haveOpenssl() && 'openssl is not installed (the fake Prism Central needs a certificate)';
const quiet = pino({ level: 'silent' });
const VMS = '/api/vmm/v4.0/ahv/config/vms';

function source(f: FakePrismCentral, over: Partial<SourceConfig> = {}): SourceConfig {
  return { name: 'ntx', platform: 'nutanix', url: f.url, user: f.username, thumbprint: f.thumbprint, refreshSeconds: 15, enabled: true, ...over };
}

const count = (store: Store, sql: string, ...p: unknown[]) => (store.db.prepare(sql).get(...p) as { n: number }).n;

describe('Prism Central through the worker', { skip }, () => {
  let h: TestHome;
  let f: FakePrismCentral;
  before(async () => {
    h = await makeHome();
    f = await new FakePrismCentral({ vms: 150 }).start();
  });
  after(async () => {
    await f.stop();
    h.cleanup();
  });

  it('syncs into the cache, shows the API in its status, and an unchanged second sync writes nothing', async () => {
    const { store } = await openStore(h.home);
    const statuses: SourceStatus[] = [];
    const engine = new Engine(store, quiet, (m: FromWorker) => {
      if (m.type === 'status') statuses.push(m.status);
    }, undefined, 60_000);
    engine.setSources([source(f)]);
    await until(() => statuses.at(-1)?.state === 'offline', 10_000, 'offline without credentials');
    // The vCenters' credentials are wrong for Prism Central; its own are given apart.
    await engine.handle({ type: 'credentials', username: 'administrator@vsphere.local', password: new Uint8Array(Buffer.from('not this one')) });
    await engine.handle({ type: 'credentials', username: f.username, password: new Uint8Array(Buffer.from(f.password)), platform: 'nutanix' });
    await until(() => statuses.some((s) => s.state === 'live'), 30_000, 'live').catch((e) => {
      throw new Error(`${e.message}: ${JSON.stringify(statuses.map((s) => [s.state, s.lastError?.message]))}`);
    });
    const live = statuses.find((s) => s.state === 'live')!;
    assert.deepEqual(live.detail, { polling: true, api: 'v4.0' });
    assert.equal(live.counts?.vms, 150);
    const views = loadVmViews(store).views;
    assert.equal(views.length, 150);
    assert.equal(filterVms(views, 'platform:nutanix').length, 150);
    assert.equal(filterVms(views, 'platform:vsphere').length, 0);
    assert.equal(filterVms(views, 'host:ntx-node-01 power:on').length, 40);
    assert.equal(count(store, 'SELECT count(*) n FROM hosts'), 3);
    assert.equal(count(store, 'SELECT count(*) n FROM datastore_mounts'), 3);

    const seq = store.currentSeq();
    const changes = count(store, 'SELECT count(*) n FROM changes');
    const basic = f.basicCount;
    engine.handle({ type: 'refresh', source: 'ntx' });
    await until(() => statuses.filter((s) => s.state === 'live').length >= 2, 30_000, 'second live');
    assert.equal(count(store, 'SELECT count(*) n FROM vms WHERE seq > ?', seq), 0, 'no VM row written');
    assert.equal(count(store, 'SELECT count(*) n FROM changes'), changes, 'no change row written');
    assert.equal(f.basicCount, basic, 'the session cookie is reused across syncs');

    // A VM changes: one row and its change rows.
    f.data.vms[0]!.numSockets = 4;
    engine.handle({ type: 'refresh', source: 'ntx' });
    await until(() => statuses.filter((s) => s.state === 'live').length >= 3, 30_000, 'third live');
    assert.equal(count(store, 'SELECT count(*) n FROM vms WHERE seq > ?', seq), 1);
    assert.ok(count(store, 'SELECT count(*) n FROM changes') > changes);
    await engine.stop();
    store.close();
  });

  it('a v3 Prism Central says so in its status', async () => {
    const g = await new FakePrismCentral({ vms: 30, mode: 'v3' }).start();
    const { store } = await openStore(h.home);
    const statuses: SourceStatus[] = [];
    const engine = new Engine(store, quiet, (m: FromWorker) => {
      if (m.type === 'status') statuses.push(m.status);
    }, undefined, 60_000);
    engine.setSources([source(g, { name: 'ntx-old' })]);
    await engine.handle({ type: 'credentials', username: g.username, password: new Uint8Array(Buffer.from(g.password)) });
    await until(() => statuses.some((s) => s.state === 'live'), 30_000, 'live');
    assert.deepEqual(statuses.find((s) => s.state === 'live')!.detail, { polling: true, api: 'v3', apiFallback: true });
    await engine.stop();
    store.close();
    await g.stop();
  });
});

describe('a failed or partial retrieval marks nothing deleted', { skip }, () => {
  it('500 mid-list, fewer items than announced: nothing deleted; a complete list without some VMs deletes them', async () => {
    const h = await makeHome();
    const f = await new FakePrismCentral({ vms: 250 }).start();
    const { store } = await openStore(h.home);
    const creds = () => ({ username: f.username, password: Buffer.from(f.password) });
    try {
      const first = await syncOnce(store, source(f), creds(), 'test');
      assert.ok(first.ok, first.error?.message);
      const alive = () => count(store, 'SELECT count(*) n FROM vms WHERE deleted_at IS NULL');
      assert.equal(alive(), 250);
      f.hook = (r, res) => {
        if (r.path !== VMS || r.query.get('$page') !== '1') return false;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(v4Error('boom', 'INTERNAL_ERROR')));
        return true;
      };
      const failed = await syncOnce(store, source(f), creds(), 'test');
      assert.equal(failed.ok, false);
      assert.equal(failed.error?.reason, 'bad-response');
      assert.equal(alive(), 250);
      f.hook = undefined;
      f.pageHook = (path, page, body) => {
        if (path === VMS && page === 2) delete body.data;
        return body;
      };
      const partial = await syncOnce(store, source(f), creds(), 'test');
      assert.equal(partial.error?.reason, 'incomplete');
      assert.equal(alive(), 250);
      f.pageHook = undefined;
      f.data.vms.splice(0, 10);
      const ok = await syncOnce(store, source(f), creds(), 'test');
      assert.ok(ok.ok);
      assert.equal(ok.result!.counts.vms!.deleted, 10);
      assert.equal(alive(), 240);
    } finally {
      store.close();
      await f.stop();
      h.cleanup();
    }
  });
});

describe('vmi source add / trust / sync --once with Prism Central', { skip }, () => {
  let h: TestHome;
  let f: FakePrismCentral;
  before(async () => {
    h = await makeHome();
    f = await new FakePrismCentral({ vms: 40 }).start();
  });
  after(async () => {
    await f.stop();
    h.cleanup();
  });

  it('adds, pins, syncs with VMI_VC_PASSWORD, and a second sync changes nothing', async () => {
    const add = await vmiAsync(['source', 'add', 'ntx', '--platform', 'nutanix', '--url', f.url, '--user', f.username], h.env);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stderr, /vmi source trust ntx/);
    const untrusted = await vmiAsync(['sync', '--once'], { ...h.env, VMI_VC_PASSWORD: f.password });
    assert.equal(untrusted.code, 4, untrusted.stderr);
    assert.match(untrusted.stderr, /Prism Central ntx: certificate not trusted/);
    const trust = await vmiAsync(['source', 'trust', 'ntx', '--yes'], h.env);
    assert.equal(trust.code, 0, trust.stderr);
    assert.ok(trust.stdout.includes(f.thumbprint));
    assert.equal(JSON.parse(readFileSync(h.home.configFile, 'utf8')).sources[0].thumbprint, f.thumbprint);
    const s1 = await vmiAsync(['sync', '--once'], { ...h.env, VMI_VC_PASSWORD: f.password });
    assert.equal(s1.code, 0, s1.stderr);
    assert.match(s1.stdout, /ntx: 40 VMs \(40 new, 0 changed, 0 deleted\), 3 hosts/);
    const s2 = await vmiAsync(['sync', '--once'], { ...h.env, VMI_VC_PASSWORD: f.password });
    assert.match(s2.stdout, /ntx: 40 VMs \(0 new, 0 changed, 0 deleted\), 3 hosts, 0 changes/);
    const list = await vmiAsync(['vms', '--json', '--filter', 'platform:nutanix'], h.env);
    assert.equal(JSON.parse(list.stdout).length, 40);
  });

  it('a wrong password exits 3 and shows no secret; VMI_NTX_PASSWORD is Prism Central\'s own', async () => {
    const bad = await vmiAsync(['sync', '--once'], { ...h.env, VMI_VC_PASSWORD: 'wrong-pw' });
    assert.equal(bad.code, 3, bad.stderr);
    assert.match(bad.stderr, /Prism Central ntx: login refused/);
    assert.ok(!bad.stderr.includes('wrong-pw') && !bad.stdout.includes('wrong-pw'));
    const own = await vmiAsync(['sync', '--once'], { ...h.env, VMI_VC_PASSWORD: 'wrong-pw', VMI_NTX_PASSWORD: f.password });
    assert.equal(own.code, 0, own.stderr);
    const logs = readFileSync(`${h.home.logDir}/vmi.log`, 'utf8');
    assert.ok(!logs.includes(f.password) && !logs.includes('wrong-pw'), 'no password in the logs');
  });

  it('a Prism Element address is a clear error, exit 4', async () => {
    const pe = await new FakePrismCentral({ mode: 'pe' }).start();
    const cfg = JSON.parse(readFileSync(h.home.configFile, 'utf8'));
    cfg.sources.push({ name: 'pe1', platform: 'nutanix', url: pe.url, user: pe.username, thumbprint: pe.thumbprint, enabled: true });
    writeFileSync(h.home.configFile, JSON.stringify(cfg));
    const r = await vmiAsync(['sync', '--once', '--source', 'pe1'], { ...h.env, VMI_VC_PASSWORD: pe.password });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /pe1: this address is a Prism Element/);
    await pe.stop();
  });
});

describe('the demo\'s Prism Central', () => {
  it('is deterministic, needs no credentials, and flows through the worker as platform nutanix', async () => {
    const p = { site: 'ams', vms: 120, seed: 3 };
    const t = new Date('2026-03-10T14:23:45Z');
    assert.deepEqual(demoPrismEstate(p, t), demoPrismEstate(p, t));
    assert.notDeepEqual(demoPrismEstate(p, t).vms, demoPrismEstate({ ...p, seed: 4 }, t).vms);
    const src = demoPrismSource(3000, 1);
    assert.equal(src.url, 'demo://ams?vms=300&seed=1&platform=nutanix');
    const h = await makeHome();
    const { store } = await openStore(h.home);
    const statuses: SourceStatus[] = [];
    const engine = new Engine(store, quiet, (m: FromWorker) => {
      if (m.type === 'status') statuses.push(m.status);
    }, undefined, 60_000);
    engine.setSources([{ ...src, platform: 'demo', refreshSeconds: 120, enabled: true }]);
    await until(() => statuses.some((s) => s.state === 'live'), 30_000, 'live');
    await engine.stop();
    const views = loadVmViews(store).views;
    assert.equal(views.length, 300);
    assert.equal(filterVms(views, 'platform:nutanix').length, 300);
    assert.ok(filterVms(views, 'power:off').length > 0);
    assert.equal(count(store, 'SELECT count(*) n FROM hosts'), 8, 'the Prism Central pseudo-cluster\'s hosts are left out');
    store.close();
    h.cleanup();
  });
});
