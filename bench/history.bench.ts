// Host history backfill against vcsim (npm run bench -- history [--runs 7]): QueryPerf for a
// week of 30-minute samples of one host, stored in a real cache, each run over a fresh session
// (so the counter lookup is included) and into an emptied history.
import { WINDOW_SPEC } from '../src/model/history.js';
import { collectInventory } from '../src/sources/vsphere/collect.js';
import { queryHostHistory } from '../src/sources/vsphere/perf.js';
import { VsphereClient } from '../src/sources/vsphere/soap.js';
import { SourceWriter } from '../src/sync/apply.js';
import { makeHome, openStore } from '../test/helpers.js';
import { buildVcsim, startVcsim } from '../test/vcsim/vcsim.js';
import { report } from './util.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

export async function historyBench(): Promise<void> {
  if (!(await buildVcsim())) {
    console.log('SKIP  host history backfill: Go is not installed, vcsim cannot be built');
    return;
  }
  const runs = arg('runs', 7);
  const sim = await startVcsim({ dc: 1, cluster: 2, host: 10, vm: 200, standaloneHost: 0, pod: 0 });
  const h = await makeHome();
  const { store } = await openStore(h.home);
  try {
    const connect = () => VsphereClient.connect({ url: sim.url, name: 'sim', username: sim.username, password: sim.password, thumbprint: sim.thumbprint });
    const c0 = await connect();
    const inv = await collectInventory(c0, { events: false });
    await c0.close();
    const writer = new SourceWriter(store, { name: 'sim', platform: 'vsphere', url: sim.url });
    writer.applyFull(inv, writer.startRun(), Date.now());
    const host = inv.hosts[0]!.ref;
    const week = WINDOW_SPEC.week;
    const times: number[] = [];
    let stored = 0;
    for (let i = 0; i < runs; i++) {
      store.db.prepare('DELETE FROM host_samples').run();
      const c = await connect();
      const t = performance.now();
      const end = new Date();
      const samples = await queryHostHistory(c, host, { intervalS: week.intervalS, start: new Date(end.getTime() - week.spanMs), end });
      stored = writer.storeHistory(host, samples, week.intervalS);
      times.push(performance.now() - t);
      await c.close();
    }
    times.sort((a, b) => a - b);
    const med = times[Math.floor(times.length / 2)]!;
    report(`backfill a week of 30-minute samples, one host (${stored} stored)`, `${Math.round(med)} ms`, '<= 2 s', med <= 2000);
    console.log(`      runs (ms): ${times.map((x) => Math.round(x)).join(', ')}`);
  } finally {
    store.close();
    h.cleanup();
    await sim.stop();
  }
}
