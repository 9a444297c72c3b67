// Worker figures against vcsim: end-to-end full sync vs the collector alone, a second unchanged
// sync, idle CPU while live, and how fast a power-off reaches the cache.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DataKey } from '../src/crypto/keys.js';
import { initSodium } from '../src/crypto/sodium.js';
import { staleParts } from '../src/model/snapshot.js';
import { collectInventory } from '../src/sources/vsphere/collect.js';
import { VsphereClient } from '../src/sources/vsphere/soap.js';
import { openDatabase } from '../src/store/db.js';
import { Store } from '../src/store/store.js';
import { SourceWriter } from '../src/sync/apply.js';
import { Engine } from '../src/worker/engine.js';
import type { SourceStatus } from '../src/worker/protocol.js';
import { buildVcsim, runTask, startVcsim, until, type Vcsim } from '../test/vcsim/vcsim.js';
import { report } from './util.js';

const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

function freshStore(dir: string, name: string): Store {
  const f = join(dir, `${name}.db`);
  const store = new Store(openDatabase(f), f);
  store.setKey(DataKey.generate());
  return store;
}

async function connect(sim: Vcsim): Promise<VsphereClient> {
  return VsphereClient.connect({ url: sim.url, username: sim.username, password: sim.password, thumbprint: sim.thumbprint, maxResponseBytes: 1024 ** 3 });
}

const source = (sim: Vcsim) => ({ name: 'sim', platform: 'vsphere' as const, url: sim.url, user: sim.username, thumbprint: sim.thumbprint, refreshSeconds: 3600, enabled: true });

export async function workerBench(vms = 10_000): Promise<void> {
  if (!(await buildVcsim())) {
    console.log('SKIP  worker figures: Go is not installed, vcsim cannot be built');
    return;
  }
  await initSodium();
  const dir = mkdtempSync(join(tmpdir(), 'vmi-bench-'));
  const log = pino({ level: 'silent' });
  try {
    const sim = await startVcsim({ dc: 1, cluster: 2, host: 10, vm: Math.ceil(vms / 2), standaloneHost: 0, pod: 0, startTimeoutMs: 900_000 });
    try {
      const coll: number[] = [];
      const e2e: number[] = [];
      let second = { vmRows: -1, changeRows: -1, ms: 0 };
      for (let run = 0; run < 3; run++) {
        let t = performance.now();
        const c = await connect(sim);
        await collectInventory(c);
        await c.close();
        coll.push(performance.now() - t);

        const store = freshStore(dir, `e2e-${run}`);
        t = performance.now();
        const c2 = await connect(sim);
        const w = new SourceWriter(store, { name: 'sim', platform: 'vsphere' });
        const runId = w.startRun();
        w.applyFull(await collectInventory(c2), runId, Date.now());
        e2e.push(performance.now() - t);
        if (run === 0) {
          const seq = store.currentSeq();
          t = performance.now();
          const r2 = w.startRun();
          w.applyFull(await collectInventory(c2), r2, Date.now());
          second = {
            ms: performance.now() - t,
            vmRows: (store.db.prepare('SELECT count(*) n FROM vms WHERE seq > ?').get(seq) as { n: number }).n,
            changeRows: (store.db.prepare('SELECT count(*) n FROM changes WHERE seq > ?').get(seq) as { n: number }).n,
          };
        }
        await c2.close();
        store.close();
      }
      const ratio = med(e2e) / med(coll);
      report(`full sync ${vms.toLocaleString('en')} VMs end to end (collector ${(med(coll) / 1000).toFixed(2)} s)`, `${(med(e2e) / 1000).toFixed(2)} s = ${ratio.toFixed(2)}x`, '<= 2x collector', ratio <= 2);
      report('second unchanged full sync: VM rows + change rows written', `${second.vmRows} + ${second.changeRows}`, '0 + 0', second.vmRows === 0 && second.changeRows === 0);

      // Idle: live with no changes, worker CPU over a minute.
      const store = freshStore(dir, 'idle');
      const statuses: SourceStatus[] = [];
      const engine = new Engine(store, log, (m) => { if (m.type === 'status') statuses.push(m.status); });
      await engine.handle({ type: 'credentials', username: sim.username, password: new Uint8Array(Buffer.from(sim.password)) });
      engine.setSources([source(sim)]);
      await until(() => statuses.some((s) => s.state === 'live'), 600_000, 'live');
      // Steady state: after the one-time VM snapshot write that follows the first sync.
      const snap0 = process.cpuUsage();
      await until(() => (store.db.prepare('SELECT count(*) n FROM vm_snapshot').get() as { n: number }).n > 0 && staleParts(store).rewrite.length === 0, 120_000, 'snapshot');
      const snapCpu = process.cpuUsage(snap0);
      console.log(`# VM snapshot written after the first sync: ${((snapCpu.user + snapCpu.system) / 1000).toFixed(0)} ms of CPU (once)`);
      await new Promise((r) => setTimeout(r, 3000));
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 60_000));
      const cpu = process.cpuUsage(cpu0);
      const pct = ((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100;
      report(`worker CPU, ${vms.toLocaleString('en')} VMs live, no changes, 60 s`, `${pct.toFixed(2)} % of a core`, '< 2 %', pct < 2);
      await engine.stop();
      store.close();
    } finally {
      await sim.stop();
    }

    // Power-off latency at 1,000 VMs.
    const small = await startVcsim({ dc: 1, cluster: 2, host: 5, vm: 500, standaloneHost: 0, pod: 0 });
    try {
      const store = freshStore(dir, 'latency');
      const statuses: SourceStatus[] = [];
      const engine = new Engine(store, log, (m) => { if (m.type === 'status') statuses.push(m.status); });
      await engine.handle({ type: 'credentials', username: small.username, password: new Uint8Array(Buffer.from(small.password)) });
      engine.setSources([source(small)]);
      await until(() => statuses.some((s) => s.state === 'live'), 120_000, 'live');
      const c = await connect(small);
      const inv = await collectInventory(c, { events: false });
      const targets = inv.vms.filter((v) => v.powerState === 'poweredOn').slice(0, 5);
      await new Promise((r) => setTimeout(r, 1000));
      const lat: number[] = [];
      const sid = (store.db.prepare('SELECT id FROM sources').get() as { id: number }).id;
      for (const v of targets) {
        const nkey = store.nkey('vms', { source_id: sid }, { ref: v.ref, instanceUuid: v.instanceUuid });
        const t = performance.now();
        await runTask(c, 'PowerOffVM_Task', { type: 'VirtualMachine', value: v.ref });
        await until(() => {
          const r = store.db.prepare('SELECT id, doc FROM vms WHERE nkey = ?').get(nkey) as { id: number; doc: Buffer };
          return store.key.open<{ powerState: string }>('vms', r.id, r.doc).powerState === 'poweredOff';
        }, 30_000, 'power-off committed');
        lat.push(performance.now() - t);
      }
      await c.close();
      report('vcsim power-off to committed row, 1,000 VMs (median of 5)', `${(med(lat) / 1000).toFixed(2)} s`, '< 5 s', med(lat) < 5000);
      await engine.stop();
      store.close();
    } finally {
      await small.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
