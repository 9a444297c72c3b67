// Nutanix and ingest figures (npm run bench -- nutanix ingest):
//  - a full sync of 10,000 VMs from the fake Prism Central (100 pages of 100, 20 ms added to every
//    answer) into a fresh cache, end to end (HTTPS, paging, mapping, diff, sealing, commit);
//  - the second sync of the same, unchanged estate: VM and change rows written (0 expected);
//  - an ingest of 100,000 VMs (parse, validate, apply), in a child process for an honest peak RSS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataKey } from '../src/crypto/keys.js';
import { initSodium } from '../src/crypto/sodium.js';
import { openDatabase } from '../src/store/db.js';
import { Store } from '../src/store/store.js';
import { applyIngest, parseIngest } from '../src/sync/ingest.js';
import { syncOnce } from '../src/sync/once.js';
import { FakePrismCentral, haveOpenssl } from '../test/nutanix/fake-pc.js';
import { report } from './util.js';

const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

function freshStore(dir: string, name: string): Store {
  const f = join(dir, `${name}.db`);
  const store = new Store(openDatabase(f), f);
  store.setKey(DataKey.generate());
  return store;
}

export async function nutanixBench(vms = 10_000, runs = 3): Promise<void> {
  if (!haveOpenssl()) {
    console.log('SKIP  nutanix figures: openssl is not installed (the fake Prism Central needs a certificate)');
    return;
  }
  await initSodium();
  const dir = mkdtempSync(join(tmpdir(), 'vmi-bench-ntx-'));
  const f = await new FakePrismCentral({ vms, delayMs: 20 }).start();
  const src = { name: 'ntx', platform: 'nutanix' as const, url: f.url, user: f.username, thumbprint: f.thumbprint, refreshSeconds: 3600, enabled: true };
  const creds = () => ({ username: f.username, password: Buffer.from(f.password) });
  try {
    const times: number[] = [];
    let second = { vmRows: -1, changeRows: -1 };
    for (let run = 0; run < runs; run++) {
      const store = freshStore(dir, `ntx-${run}`);
      const t = performance.now();
      const r = await syncOnce(store, src, creds(), 'bench');
      times.push(performance.now() - t);
      if (!r.ok) throw r.error;
      if (r.result!.counts.vms!.added !== vms) throw new Error(`expected ${vms} VMs, got ${r.result!.counts.vms!.added}`);
      if (run === 0) {
        const seq = store.currentSeq();
        const changes = (store.db.prepare('SELECT count(*) n FROM changes').get() as { n: number }).n;
        await syncOnce(store, src, creds(), 'bench');
        second = {
          vmRows: (store.db.prepare('SELECT count(*) n FROM vms WHERE seq > ?').get(seq) as { n: number }).n,
          changeRows: (store.db.prepare('SELECT count(*) n FROM changes').get() as { n: number }).n - changes,
        };
      }
      store.close();
    }
    const m = med(times);
    report(`Nutanix sync, ${vms.toLocaleString('en')} VMs, 100-VM pages +20 ms (median of ${runs})`, `${(m / 1000).toFixed(2)} s`, '<= 5 s', m <= 5000);
    report('Nutanix second sync, nothing changed: VM rows, change rows', `${second.vmRows}, ${second.changeRows}`, '0, 0', second.vmRows === 0 && second.changeRows === 0);
  } finally {
    await f.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A document of `n` VMs, as an n8n workflow would post it. */
export function ingestDocument(n: number): string {
  const vms = [];
  for (let i = 0; i < n; i++) {
    vms.push({
      id: `vm-${i}`, name: `cmdb-app-${String(i).padStart(6, '0')}`, power: i % 7 === 0 ? 'off' : 'on', cpus: 2 + (i % 4) * 2, memoryMB: 4096 * (1 + (i % 4)),
      guestOs: i % 3 === 0 ? 'Windows Server 2022' : 'Ubuntu 24.04', host: `kvm-${i % 200}`, cluster: `kvm-c${i % 10}`, datacenter: 'AMS',
      disks: [{ label: 'vda', sizeGB: 60, datastore: `ceph-${i % 10}` }, { label: 'vdb', sizeGB: 200, datastore: `ceph-${i % 10}` }],
      nics: [{ label: 'eth0', mac: `52:54:00:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, network: `vlan${100 + (i % 20)}`, ipv4: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`] }],
      attributes: { CostCenter: String(4000 + (i % 50)) },
    });
  }
  return JSON.stringify({ format: 'vmi-ingest/1', vms });
}

/** Runs in a child process: parse, validate and apply a document of `n` VMs; prints ms and peak RSS. */
async function ingestChild(n: number): Promise<void> {
  await initSodium();
  const dir = mkdtempSync(join(tmpdir(), 'vmi-bench-ingest-'));
  try {
    let text: string | undefined = ingestDocument(n);
    const store = freshStore(dir, 'ingest');
    const t = performance.now();
    const doc = parseIngest(text);
    text = undefined;
    const r = applyIngest(store, { name: 'cmdb' }, doc, { holder: 'bench' });
    const ms = performance.now() - t;
    if (r.result.counts.vms!.added !== n) throw new Error('not every VM was written');
    store.close();
    console.log(JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function ingestBench(n = 100_000, runs = 3): Promise<void> {
  const times: number[] = [];
  const rss: number[] = [];
  for (let run = 0; run < runs; run++) {
    const p = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--ingest-child', String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const line = p.stdout.trim().split('\n').at(-1) ?? '';
    if (p.status !== 0 || !line.startsWith('{')) throw new Error(`ingest bench failed: ${p.stderr.slice(0, 500)}`);
    const r = JSON.parse(line) as { ms: number; maxRssMB: number };
    times.push(r.ms);
    rss.push(r.maxRssMB);
  }
  const m = med(times);
  const peak = med(rss);
  report(`Ingest of ${n.toLocaleString('en')} VMs: parse, validate, apply (median of ${runs})`, `${(m / 1000).toFixed(2)} s`, '<= 10 s', m <= 10_000);
  report(`Ingest of ${n.toLocaleString('en')} VMs: peak RSS of the process (median)`, `${Math.round(peak)} MB`, '<= 600 MB', peak <= 600);
}

if (process.argv[2] === '--ingest-child') await ingestChild(Number(process.argv[3]));
