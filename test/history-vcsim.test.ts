// Host history against a real vSphere API (vcsim): QueryPerf round trips, stored in a real
// cache by a backfill through the worker engine and read back by LiveModel.hostSamples.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { WINDOW_SPEC } from '../src/model/history.js';
import { LiveModel } from '../src/model/live.js';
import { collectInventory } from '../src/sources/vsphere/collect.js';
import { counterKeys, parseQueryPerf, queryHostHistory } from '../src/sources/vsphere/perf.js';
import { VsphereClient } from '../src/sources/vsphere/soap.js';
import { parseDocument } from '../src/sources/vsphere/xml.js';
import { Engine } from '../src/worker/engine.js';
import type { Backfilled, SourceStatus } from '../src/worker/protocol.js';
import { makeHome, openStore, type TestHome } from './helpers.js';
import { buildVcsim, NO_GO_MESSAGE, startVcsim, until, type Vcsim } from './vcsim/vcsim.js';

const bin = await buildVcsim();
if (!bin) console.warn(NO_GO_MESSAGE);
const skip = bin ? false : 'Go toolchain not installed (vcsim cannot be built)';

describe('QueryPerf against vcsim', { skip }, () => {
  let sim: Vcsim;
  let c: VsphereClient;
  let host: string;
  before(async () => {
    sim = await startVcsim({ dc: 1, cluster: 1, host: 2, standaloneHost: 0, vm: 2, pod: 0 });
    c = await VsphereClient.connect({ url: sim.url, name: 'sim', username: sim.username, password: sim.password, thumbprint: sim.thumbprint });
    host = (await collectInventory(c, { events: false })).hosts[0]!.ref;
  });
  after(async () => {
    await c?.close();
    await sim?.stop();
  });

  it('finds the counters by name, once per session', async () => {
    const before = c.requests;
    const keys = await counterKeys(c);
    assert.equal(keys.get('cpu.usage.average'), 2);
    assert.equal(keys.get('mem.usage.average'), 24);
    await counterKeys(c);
    assert.equal(c.requests - before, 1);
  });

  for (const w of ['hour', 'day', 'week'] as const) {
    it(`answers the ${w}: samples on the interval grid, oldest first, percentages`, async () => {
      const spec = WINDOW_SPEC[w];
      const end = new Date();
      const got = await queryHostHistory(c, host, { intervalS: spec.intervalS, start: new Date(end.getTime() - spec.spanMs), end });
      const n = spec.spanMs / 1000 / spec.intervalS;
      assert.ok(got.length >= n && got.length <= n + 1, `${got.length} samples`);
      const times = got.map((s) => Date.parse(s.time));
      assert.ok(times.every((t, i) => t % (spec.intervalS * 1000) === 0 && (i === 0 || t - times[i - 1]! === spec.intervalS * 1000)));
      assert.ok(got.every((s) => s.host === host && s.cpuPct >= 0 && s.cpuPct <= 100 && s.memPct > 0 && s.memPct <= 100));
      // vcsim's memory series sits around 93.9 % (hundredths of a percent on the wire).
      const mem = got.reduce((a, s) => a + s.memPct, 0) / got.length;
      assert.ok(mem > 50 && mem <= 100, String(mem));
    });
  }
});

describe('parseQueryPerf', () => {
  const env = (body: string) => parseDocument(`<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><QueryPerfResponse xmlns="urn:vim25">${body}</QueryPerfResponse></soapenv:Body></soapenv:Envelope>`).kids![0]!.kids![0]!;
  it('reads the CSV format and drops times without both values', () => {
    const res = env(`<returnval xsi:type="PerfEntityMetricCSV"><entity type="HostSystem">host-1</entity>
      <sampleInfoCSV>300,2025-01-01T00:05:00Z,300,2025-01-01T00:10:00Z,300,2025-01-01T00:15:00Z</sampleInfoCSV>
      <value><id><counterId>2</counterId><instance></instance></id><value>1250,-1,10050</value></value>
      <value><id><counterId>24</counterId><instance></instance></id><value>5000,5100,5200</value></value></returnval>`);
    assert.deepEqual(parseQueryPerf(res, 'host-1', 2, 24), [
      { host: 'host-1', time: '2025-01-01T00:05:00.000Z', cpuPct: 12.5, memPct: 50 },
      { host: 'host-1', time: '2025-01-01T00:15:00.000Z', cpuPct: 100, memPct: 52 },
    ]);
  });
  it('reads the normal format newest-first as vcsim sends it, and an empty answer', () => {
    const res = env(`<returnval xsi:type="PerfEntityMetric"><entity type="HostSystem">host-1</entity>
      <sampleInfo><timestamp>2025-01-01T00:00:40.123456789Z</timestamp><interval>20</interval></sampleInfo>
      <sampleInfo><timestamp>2025-01-01T00:00:20Z</timestamp><interval>20</interval></sampleInfo>
      <value xsi:type="PerfMetricIntSeries"><id><counterId>24</counterId><instance></instance></id><value>9387</value><value>9390</value></value>
      <value xsi:type="PerfMetricIntSeries"><id><counterId>2</counterId><instance></instance></id><value>5216</value><value>6422</value></value></returnval>`);
    assert.deepEqual(parseQueryPerf(res, 'host-1', 2, 24).map((s) => [s.time, s.cpuPct, s.memPct]), [
      ['2025-01-01T00:00:20.000Z', 64.22, 93.9],
      ['2025-01-01T00:00:40.123Z', 52.16, 93.87],
    ]);
    assert.deepEqual(parseQueryPerf(env(''), 'host-1', 2, 24), []);
  });
});

describe('backfill from vcsim through the worker engine', { skip }, () => {
  let sim: Vcsim;
  let h: TestHome;
  before(async () => {
    sim = await startVcsim({ dc: 1, cluster: 1, host: 2, standaloneHost: 0, vm: 2, pod: 0 });
    h = await makeHome();
  });
  after(async () => {
    await sim?.stop();
    h?.cleanup();
  });

  it('stores the week once, the hour between it, and the chart reads them back', async () => {
    const { store } = await openStore(h.home);
    const statuses: SourceStatus[] = [];
    const answers: Backfilled[] = [];
    const engine = new Engine(store, pino({ level: 'silent' }), (m) => {
      if (m.type === 'status') statuses.push(m.status);
      if (m.type === 'backfilled') answers.push(m);
    }, undefined, 60_000);
    try {
      const src = { name: 'sim', platform: 'vsphere' as const, url: sim.url, user: sim.username, thumbprint: sim.thumbprint, refreshSeconds: 600, enabled: true };
      // Without credentials the source is offline: the backfill says so at once.
      engine.setSources([src]);
      await until(() => statuses.some((s) => s.state === 'offline'), 10_000, 'offline');
      await engine.handle({ type: 'backfill', source: 'sim', host: 'host-21', window: 'week' });
      await until(() => answers.length === 1, 5_000, 'offline answer');
      assert.equal(answers[0]!.error?.reason, 'offline');

      await engine.handle({ type: 'credentials', username: sim.username, password: new Uint8Array(Buffer.from(sim.password)) });
      await until(() => statuses.some((s) => s.state === 'live'), 30_000, 'live');
      const model = new LiveModel(store);
      model.load();
      const host = [...model.hosts.values()][0]!;
      const ask = async (window: 'hour' | 'day' | 'week') => {
        const n = answers.length;
        await engine.handle({ type: 'backfill', source: 'sim', host: host.doc.ref, window });
        await until(() => answers.length > n, 20_000, `${window} answer`);
        return answers[answers.length - 1]!;
      };
      const week = await ask('week');
      assert.equal(week.error, undefined, week.error?.message);
      assert.ok(week.samples >= 335 && week.samples <= 337, String(week.samples));
      const again = await ask('week');
      assert.deepEqual([again.samples, again.error], [0, undefined], 'covered: nothing asked, nothing stored');
      const hour = await ask('hour');
      assert.ok(hour.samples >= 170 && hour.samples <= 181, String(hour.samples));
      const since = Date.now() - WINDOW_SPEC.week.spanMs;
      const rows = model.hostSamples(host.id, since);
      // The full sync's sample plus both backfills (the week's oldest may fall just before `since`).
      assert.ok(rows.length >= week.samples + hour.samples - 1, String(rows.length));
      assert.ok(rows.every((r, i) => i === 0 || r.time >= rows[i - 1]!.time));
      const count = (store.db.prepare('SELECT count(*) AS n FROM host_samples WHERE host_id = ? AND sampled_at >= ?').get(host.id, since) as { n: number }).n;
      assert.equal(rows.length, count);
    } finally {
      await engine.stop();
      store.close();
    }
  });
});
