import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../src/store/db.js';
import { acquireLease, LEASE_MS, releaseAll } from '../src/worker/lease.js';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelay, FullSyncGate, nextRunDelay, Waker } from '../src/worker/schedule.js';
import { tempDir } from './helpers.js';

describe('schedule', () => {
  const runs: [number, number, number, number][] = [
    // refreshSeconds, rand, min, max (ms)
    [120, 0, 108_000, 108_000],
    [120, 1, 132_000, 132_000],
    [120, 0.5, 120_000, 120_000],
    [15, 0, 13_500, 13_500],
  ];
  for (const [r, rand, lo, hi] of runs) {
    it(`refresh ${r}s with rand ${rand} -> ${lo}..${hi} ms`, () => {
      const d = nextRunDelay(r, rand);
      assert.ok(d >= lo && d <= hi, String(d));
    });
  }

  it('backoff doubles per failure and stops at the cap', () => {
    const mid = (f: number) => backoffDelay(f, 0.5);
    assert.equal(mid(1), BACKOFF_BASE_MS);
    assert.equal(mid(2), 2 * BACKOFF_BASE_MS);
    assert.equal(mid(3), 4 * BACKOFF_BASE_MS);
    assert.equal(mid(30), BACKOFF_CAP_MS);
    assert.ok(backoffDelay(30, 1) <= BACKOFF_CAP_MS * 1.2);
  });

  it('a wake ends a sleep early; an abort too', async () => {
    const w = new Waker();
    const t = Date.now();
    const p = w.sleep(60_000);
    setImmediate(() => w.wake());
    await p;
    const ctl = new AbortController();
    const q = w.sleep(60_000, ctl.signal);
    setImmediate(() => ctl.abort());
    await q;
    assert.ok(Date.now() - t < 5_000);
  });
});

describe('full sync gate', () => {
  const tick = () => new Promise((r) => setImmediate(r));
  it('big inventories take turns, small ones share the budget, first come first served', async () => {
    const gate = new FullSyncGate(50_000);
    const order: string[] = [];
    const waited: string[] = [];
    const enter = async (name: string, vms: number, signal = new AbortController().signal) => {
      const release = await gate.enter(vms, signal, () => waited.push(name));
      if (release) order.push(name);
      return release;
    };
    const ams = enter('ams', 40_000);
    const fra = enter('fra', 35_000);
    const nyc = enter('nyc', 25_000);
    await tick();
    assert.deepEqual(order, ['ams'], 'fra and nyc wait: either with ams is over the budget');
    assert.deepEqual(waited, ['fra', 'nyc'], 'those that wait are told (their pill says so)');
    (await ams)!();
    await tick();
    assert.deepEqual(order, ['ams', 'fra']);
    const gone = new AbortController();
    const lon = enter('lon', 5_000, gone.signal);
    await tick();
    assert.deepEqual(order, ['ams', 'fra'], 'no overtaking: lon waits behind nyc');
    gone.abort();
    assert.equal(await lon, null, 'an aborted wait gives up its turn');
    (await fra)!();
    await tick();
    assert.deepEqual(order, ['ams', 'fra', 'nyc']);
    const small = [enter('a', 10_000), enter('b', 10_000)];
    await tick();
    assert.deepEqual(order.slice(3), ['a', 'b'], 'small ones run beside a big one within the budget');
    (await nyc)!();
    for (const r of small) (await r)!();
    const huge = enter('huge', 200_000);
    await tick();
    assert.equal(order.at(-1), 'huge', 'alone, any size is admitted');
    assert.equal(gate.busy, true);
    (await huge)!();
    assert.equal(gate.waiting, 0);
    assert.equal(gate.busy, false);
  });
});

describe('leases', () => {
  it('one holder at a time; another takes over after expiry; releasing frees it', () => {
    const f = join(tempDir(), 'l.db');
    const a = openDatabase(f);
    const b = openDatabase(f);
    a.prepare("INSERT INTO sources(id, nkey, seq, created_at, updated_at, doc) VALUES (1, x'00', 1, 0, 0, x'00')").run();
    const now = 1_000_000;
    assert.deepEqual(acquireLease(a, 1, 'A', now), { ok: true });
    const lost = acquireLease(b, 1, 'B', now + 1000);
    assert.equal(lost.ok, false);
    assert.equal(!lost.ok && lost.holder, 'A');
    assert.deepEqual(acquireLease(a, 1, 'A', now + 5000), { ok: true }, 'heartbeat renews');
    assert.equal(acquireLease(b, 1, 'B', now + 5000 + LEASE_MS - 1).ok, false);
    assert.equal(acquireLease(b, 1, 'B', now + 5000 + LEASE_MS + 1).ok, true, 'expired: B takes over');
    assert.equal(acquireLease(a, 1, 'A', now + 5000 + LEASE_MS + 2).ok, false, 'A has lost it');
    // The clock jumps back an hour: B's lease now seems to end far in the future; it is stale.
    assert.equal(acquireLease(a, 1, 'A', now - 3_600_000).ok, true, 'a lease from the future is not trusted');
    assert.equal(acquireLease(b, 1, 'B', now - 3_600_000 + 1000).ok, false, 'the new lease holds');
    releaseAll(a, 'A');
    releaseAll(b, 'B');
    assert.equal(acquireLease(a, 1, 'A', now + 5000 + LEASE_MS + 3).ok, true);
    a.close();
    b.close();
  });
});

describe('memory', () => {
  it('a full garbage collection can be asked for (the worker gives back what a full sync grew)', async () => {
    const { collectGarbage } = await import('../src/gc.js');
    let junk: unknown[] | null = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `item-${i}` }));
    assert.equal(junk.length, 200_000);
    junk = null;
    const before = process.memoryUsage().heapUsed;
    assert.equal(collectGarbage(), true);
    assert.ok(process.memoryUsage().heapUsed < before, 'the heap shrank');
  });

  it('an idle screen collects once the heap grew past its allowance, a busy one never', async () => {
    const { IdleTrim } = await import('../src/gc.js');
    const MB = 1024 * 1024;
    let used = 300 * MB;
    let collected = 0;
    const trim = new IdleTrim(64 * MB, () => used, () => {
      collected++;
      used = 310 * MB;
    });
    used = 350 * MB;
    assert.equal(trim.tick(true), false, 'grown by 50 MB: not yet');
    used = 380 * MB;
    assert.equal(trim.tick(false), false, 'someone is typing');
    assert.equal(trim.tick(true), true);
    assert.equal(collected, 1);
    used = 360 * MB;
    assert.equal(trim.tick(true), false, 'measured from what the collection left');
    used = 290 * MB; // V8 collected by itself: the allowance counts from there
    trim.tick(true);
    used = 360 * MB;
    assert.equal(trim.tick(true), true);
  });
});
