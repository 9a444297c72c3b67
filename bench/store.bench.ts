import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyslot, DataKey, DEFAULT_KDF, openKeyslot } from '../src/crypto/keys.js';
import { initSodium } from '../src/crypto/sodium.js';
import { openDatabase } from '../src/store/db.js';
import { ensureSource } from '../src/store/inventory.js';
import { Store } from '../src/store/store.js';
import type { VmDoc } from '../src/model/vm.js';
import { medianMs, report } from './util.js';

function vmDoc(i: number): VmDoc {
  return {
    platform: 'vsphere', ref: `vm-${i}`, name: `app-${String(i).padStart(6, '0')}.prod.example.com`, instanceUuid: `5012${i.toString(16).padStart(28, '0')}`,
    biosUuid: `4212${i.toString(16).padStart(28, '0')}`, powerState: i % 7 ? 'poweredOn' : 'poweredOff', template: false,
    guestOs: 'Red Hat Enterprise Linux 9 (64-bit)', osFamily: 'linux', toolsStatus: 'toolsOk',
    hostname: `app-${i}.prod.example.com`, cpus: 4, sockets: 2, coresPerSocket: 2, memoryMB: 16384,
    disks: [{ key: '2000', label: 'Hard disk 1', sizeGB: 80, datastore: 'ds-prod-ssd-01', thin: true }, { key: '2001', label: 'Hard disk 2', sizeGB: 500, datastore: 'ds-prod-ssd-02', thin: true }],
    nics: [{ key: '4000', label: 'Network adapter 1', mac: '00:50:56:9a:12:34', connected: true, network: 'dvpg-prod-vlan120', ipv4: [`10.${i >> 16 & 255}.${i >> 8 & 255}.${i & 255}`], ipv6: ['fe80::250:56ff:fe9a:1234'] }],
    host: `esx-${i % 64}.prod.example.com`, cluster: `cl-prod-${i % 8}`, resourcePool: 'Resources', folder: 'Production/Apps', datacenter: 'dc-ams',
    datastores: ['ds-prod-ssd-01', 'ds-prod-ssd-02'], networks: ['dvpg-prod-vlan120'], committedBytes: 85899345920, uncommittedBytes: 536870912000,
    createdAt: '2024-03-01T10:00:00Z', annotation: 'ERP', customAttributes: { costcenter: '4711' },
  };
}

export async function storeBench(): Promise<void> {
  await initSodium();
  const dir = mkdtempSync(join(tmpdir(), 'vmi-bench-'));
  try {
    // Unlock: Argon2id with the default parameters, as every user's keyslot uses them.
    const key = DataKey.generate();
    const slot = createKeyslot(Buffer.from('a bench passphrase'), key, DEFAULT_KDF);
    const unlockMs = await medianMs(5, () => openKeyslot(slot, Buffer.from('a bench passphrase')));
    report(`unlock (Argon2id ops=${DEFAULT_KDF.opslimit} mem=${DEFAULT_KDF.memlimit >> 20} MiB)`, `${(unlockMs / 1000).toFixed(2)} s`, '0.3-1.0 s', unlockMs >= 300 && unlockMs <= 1000);

    const N = 100_000;
    const size = Buffer.byteLength(JSON.stringify(vmDoc(0)));
    const writes: number[] = [];
    const reads: number[] = [];
    for (let run = 0; run < 3; run++) {
      const f = join(dir, `bench-${run}.db`);
      const store = new Store(openDatabase(f), f);
      store.setKey(DataKey.generate());
      let docs: VmDoc[] | null = Array.from({ length: N }, (_, i) => vmDoc(i));
      let t = performance.now();
      store.write((tx) => {
        const sid = ensureSource(store, tx, { name: 'vc-bench', platform: 'vsphere' });
        for (const d of docs!) tx.insert('vms', { source_id: sid, first_seen_at: tx.now, last_seen_at: tx.now, fact_updated_at: tx.now }, d);
      });
      writes.push(performance.now() - t);
      // The screen reads what the worker thread wrote: another heap, so the writer's documents
      // are not alive while reading.
      docs = null;
      (globalThis as { gc?: () => void }).gc?.();
      t = performance.now();
      const r = store.read<VmDoc>('vms');
      if (r.rows.length !== N || r.tampered.length) throw new Error('read back failed');
      reads.push(performance.now() - t);
      store.close();
    }
    const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
    report(`seal + write ${N.toLocaleString('en')} VM documents (${size} B each)`, `${(med(writes) / 1000).toFixed(2)} s`, '<= 2 s', med(writes) <= 2000);
    report(`read + open + parse ${N.toLocaleString('en')} VM documents`, `${(med(reads) / 1000).toFixed(2)} s`, '<= 1.5 s', med(reads) <= 1500);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
