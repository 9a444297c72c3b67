// Host trend history: the coverage and no-duplicates rules, the demo's generated history, the
// cache (storeHistory, LiveModel.hostSamples) and the backfill request through the worker.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { needsBackfill, newSamples, WINDOW_SPEC } from '../src/model/history.js';
import { LiveModel } from '../src/model/live.js';
import type { HostSampleRecord } from '../src/model/records.js';
import { DemoVcenter } from '../src/sources/demo/index.js';
import { SourceWriter } from '../src/sync/apply.js';
import { Engine } from '../src/worker/engine.js';
import { WorkerHandle } from '../src/worker/handle.js';
import type { Backfilled, FromWorker, SourceStatus } from '../src/worker/protocol.js';
import { makeHome, openStore, type TestHome } from './helpers.js';
import { until } from './vcsim/vcsim.js';

const quiet = pino({ level: 'silent' });
const MIN = 60_000;

describe('needsBackfill', () => {
  const now = 10 * 3600_000;
  const hour = now - 3600_000;
  const cases: Array<[string, number[], boolean]> = [
    ['empty cache', [], true],
    ['one sample a minute for the whole hour', Array.from({ length: 61 }, (_, i) => hour + i * MIN), false],
    ['the first half hour missing', Array.from({ length: 31 }, (_, i) => hour + 30 * MIN + i * MIN), true],
    ['a ten-minute hole in the middle', Array.from({ length: 61 }, (_, i) => hour + i * MIN).filter((t) => t < hour + 20 * MIN || t > hour + 30 * MIN), true],
    ['nothing in the last five minutes', Array.from({ length: 56 }, (_, i) => hour + i * MIN), true],
    ['older samples do not count', [hour - 5 * MIN, hour - MIN], true],
  ];
  for (const [name, times, want] of cases) {
    it(name, () => assert.equal(needsBackfill(times, hour, now, WINDOW_SPEC.hour.intervalS), want));
  }
  it('a week of 30-minute samples covers the week', () => {
    const since = now - WINDOW_SPEC.week.spanMs;
    const times = Array.from({ length: 337 }, (_, i) => since + i * 1800_000);
    assert.equal(needsBackfill(times, since, now, 1800), false);
    assert.equal(needsBackfill(times.filter((_, i) => i % 2 === 0), since, now, 1800), false, 'hour gaps are within 2 intervals + 1 min');
    assert.equal(needsBackfill(times.filter((_, i) => i % 3 === 0), since, now, 1800), true, '90-minute gaps are not');
  });
});

describe('newSamples', () => {
  const at = (...t: number[]) => t.map((time) => ({ time }));
  it('drops samples within half an interval of a stored one, or of each other', () => {
    const got = newSamples([1000_000, 1060_000], at(1000_000, 1009_000, 1010_000, 1030_000, 1031_000, 1050_001, 1100_000), 20);
    assert.deepEqual(got.map((x) => x.time), [1010_000, 1030_000, 1100_000]);
  });
  it('keeps everything when nothing is stored, sorted', () => {
    assert.deepEqual(newSamples([], at(3, 1, 2).map((x) => ({ time: x.time * 1800_000 })), 1800).map((x) => x.time / 1800_000), [1, 2, 3]);
  });
});

describe('demo history', () => {
  const vc = new DemoVcenter({ site: 'ams', vms: 300, seed: 2 });
  const now = new Date('2025-03-04T10:17:42Z');
  const inv = vc.full(now, { events: false });
  const host = inv.hosts[0]!.ref;

  it('answers every window on its grid, oldest first, deterministically', () => {
    for (const [w, n] of [['hour', 180], ['day', 288], ['week', 336]] as const) {
      const spec = WINDOW_SPEC[w];
      const h = vc.history(host, new Date(now.getTime() - spec.spanMs), now, spec.intervalS);
      assert.equal(h.length, n, w);
      const times = h.map((s) => Date.parse(s.time));
      assert.ok(times.every((t, i) => t % (spec.intervalS * 1000) === 0 && (i === 0 || t - times[i - 1]! === spec.intervalS * 1000)), w);
      assert.ok(times[times.length - 1]! <= now.getTime() && times[0]! > now.getTime() - spec.spanMs, w);
      assert.deepEqual(new DemoVcenter({ site: 'ams', vms: 300, seed: 2 }).history(host, new Date(now.getTime() - spec.spanMs), now, spec.intervalS), h);
    }
  });

  it('is plausible: percentages that move, the same curve as the live samples', () => {
    const week = vc.history(host, new Date(now.getTime() - WINDOW_SPEC.week.spanMs), now, 1800);
    for (const s of week) assert.ok(s.cpuPct >= 0 && s.cpuPct <= 100 && s.memPct >= 0 && s.memPct <= 100, JSON.stringify(s));
    const cpu = week.map((s) => s.cpuPct);
    assert.ok(Math.max(...cpu) - Math.min(...cpu) > 5, 'CPU varies over a week');
    const last = week[week.length - 1]!;
    const live = vc.samples(new Date(last.time)).find((s) => s.host === host)!;
    assert.deepEqual({ cpu: live.cpuPct, mem: live.memPct }, { cpu: last.cpuPct, mem: last.memPct });
  });

  it('is empty for an unknown host', () => {
    assert.deepEqual(vc.history('host-nope', new Date(now.getTime() - 3600_000), now, 20), []);
  });
});

describe('history in the cache', () => {
  let h: TestHome;
  before(async () => {
    h = await makeHome();
  });
  after(() => h.cleanup());

  it('stores a backfill once, keeps its neighbours, and hostSamples reads one host oldest first', async () => {
    const { store } = await openStore(h.home);
    const vc = new DemoVcenter({ site: 'fra', vms: 120, seed: 5 });
    const now = new Date();
    const w = new SourceWriter(store, { name: 'demo-fra', platform: 'demo', url: 'demo://fra?vms=120&seed=5' });
    const inv = vc.full(now, { events: false });
    w.applyFull(inv, w.startRun(), Date.now());
    const [a, b] = [inv.hosts[0]!.ref, inv.hosts[1]!.ref];
    const day = (ref: string) => vc.history(ref, new Date(now.getTime() - WINDOW_SPEC.day.spanMs), now, 300);
    const first = w.storeHistory(a, day(a), 300);
    // The full sync stored one sample per host at `now`: the newest 5-minute sample may be near it.
    assert.ok(first >= 287 && first <= 288, String(first));
    assert.equal(w.storeHistory(a, day(a), 300), 0, 'a second backfill of the same window stores nothing');
    const hour = vc.history(a, new Date(now.getTime() - 3600_000), now, 20);
    const more = w.storeHistory(a, hour, 20);
    // 20-second samples land between the 5-minute ones, never within 10 s of one.
    assert.ok(more > 150 && more < 180, String(more));
    assert.equal(w.storeHistory(b, day(b).slice(0, 10), 300), 10);
    assert.equal(w.storeHistory('host-unknown', day(a), 300), 0);
    const tooOld: HostSampleRecord[] = [{ host: a, time: new Date(now.getTime() - 9 * 86_400_000).toISOString(), cpuPct: 1, memPct: 1 }];
    assert.equal(w.storeHistory(a, tooOld, 1800), 0, 'nothing older than the retention');

    const hostId = (ref: string) => {
      const m = new LiveModel(store);
      m.load();
      return [...m.hosts.values()].find((x) => x.doc.ref === ref)!.id;
    };
    const model = new LiveModel(store);
    model.load();
    const samples = model.hostSamples(hostId(a), now.getTime() - 3600_000);
    assert.ok(samples.length > 150);
    assert.ok(samples.every((s, i) => s.time >= now.getTime() - 3600_000 && (i === 0 || s.time >= samples[i - 1]!.time)));
    assert.equal(model.hostSamples(hostId(a), 0).length, 1 + first + more);
    assert.equal(model.hostSamples(hostId(b), 0).length, 11);
    // The model keeps only each host's newest sample in memory, however long the history.
    assert.equal(model.samples.get(hostId(a))!.time, Date.parse(inv.hostSamples[0]!.time));
    store.close();
  });
});

describe('backfill through the worker', () => {
  let h: TestHome;
  const src = { name: 'demo-b', platform: 'demo' as const, url: 'demo://nyc?vms=80&seed=4', refreshSeconds: 600, enabled: true };
  before(async () => {
    h = await makeHome();
  });
  after(() => h.cleanup());

  it('answers in-process: stored, then covered, then errors for unknown hosts and sources', async () => {
    const { store } = await openStore(h.home);
    const answers: Backfilled[] = [];
    const statuses: SourceStatus[] = [];
    const engine = new Engine(store, quiet, (m: FromWorker) => {
      if (m.type === 'backfilled') answers.push(m);
      if (m.type === 'status') statuses.push(m.status);
    }, undefined, 60_000);
    engine.setSources([src]);
    await until(() => statuses.some((s) => s.state === 'live'), 30_000, 'live');
    const model = new LiveModel(store);
    model.load();
    const host = [...model.hosts.values()][0]!;
    await engine.handle({ type: 'backfill', source: src.name, host: host.doc.ref, window: 'week' });
    await until(() => answers.length === 1, 10_000, 'first answer');
    assert.equal(answers[0]!.error, undefined);
    assert.ok(answers[0]!.samples >= 335 && answers[0]!.samples <= 336, String(answers[0]!.samples));
    assert.ok(model.hostSamples(host.id, Date.now() - WINDOW_SPEC.week.spanMs).length >= 336);
    await engine.handle({ type: 'backfill', source: src.name, host: host.doc.ref, window: 'week' });
    await until(() => answers.length === 2, 10_000, 'second answer');
    assert.deepEqual({ ...answers[1]!, type: undefined }, { type: undefined, source: src.name, host: host.doc.ref, window: 'week', samples: 0 });
    await engine.handle({ type: 'backfill', source: src.name, host: 'host-999999', window: 'hour' });
    await engine.handle({ type: 'backfill', source: 'nope', host: host.doc.ref, window: 'hour' });
    await until(() => answers.length === 4, 10_000, 'error answers');
    assert.equal(answers[2]!.error?.reason, 'not-found');
    assert.equal(answers[3]!.error?.reason, 'not-found');
    await engine.stop();
    store.close();
  });

  it('answers an offline vCenter with an error, through the real worker thread', async () => {
    const { store } = await openStore(h.home);
    const key = new Uint8Array(store.key.exportRaw());
    const vc = { name: 'vc-off', platform: 'vsphere' as const, url: 'https://127.0.0.1:9', refreshSeconds: 600, enabled: true };
    const worker = new WorkerHandle({ dbFile: h.home.dbFile, key, sources: [src, vc], logDir: h.home.logDir, logging: { level: 'silent', maxFiles: 1, maxSizeMB: 1 } });
    try {
      await worker.ready;
      await until(() => worker.statuses.get(src.name)?.state === 'live', 30_000, 'demo live');
      const model = new LiveModel(store);
      model.load();
      const host = [...model.hosts.values()].find((x) => x.source === src.name)!;
      const answer = once(worker, 'backfilled');
      worker.backfill(src.name, host.doc.ref, 'day');
      const [day] = (await answer) as [Backfilled];
      assert.equal(day.source, src.name);
      assert.equal(day.window, 'day');
      assert.equal(day.error, undefined);
      assert.ok(day.samples > 0);
      model.poll(true);
      assert.ok(model.hostSamples(host.id, Date.now() - WINDOW_SPEC.day.spanMs).length >= 288);
      const off = once(worker, 'backfilled');
      worker.backfill('vc-off', 'host-1', 'hour');
      const [o] = (await off) as [Backfilled];
      assert.equal(o.error?.reason, 'offline');
      assert.match(o.error!.message, /^vc-off: no history while offline/);
    } finally {
      await worker.stop();
      store.close();
    }
  });
});
