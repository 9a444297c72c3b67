import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig, writeFileAtomic } from '../src/config.js';
import { initSodium } from '../src/crypto/sodium.js';
import { ensureHomeDirs, resolveHome, type Home } from '../src/home.js';
import { openDatabase } from '../src/store/db.js';
import { ensureSource, putVm } from '../src/store/inventory.js';
import { Store } from '../src/store/store.js';
import { initVault, type Actor } from '../src/store/vault.js';
import type { VmRecord } from '../src/model/records.js';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli.js');

// Cheap Argon2id for test homes: parameters are stored per keyslot, so the CLI unlocks them
// the same way it unlocks real ones, only faster.
export const FAST_KDF = { opslimit: 1, memlimit: 8 * 1024 * 1024 };
export const PASS = 'test passphrase 1';

export interface TestHome {
  home: Home;
  dir: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function tempDir(prefix = 'vmi-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A home with a config file, an initialised cache and admin "alice" (cheap KDF). */
export async function makeHome(opts: { vms?: VmRecord[]; source?: string; kdf?: { opslimit: number; memlimit: number } } = {}): Promise<TestHome> {
  await initSodium();
  const dir = tempDir();
  const home = resolveHome(dir);
  ensureHomeDirs(home);
  writeFileAtomic(home.configFile, JSON.stringify(defaultConfig(), null, 2));
  const store = new Store(openDatabase(home.dbFile), home.dbFile);
  const actor = initVault(store, 'alice', Buffer.from(PASS), opts.kdf ?? FAST_KDF);
  if (opts.vms?.length) insertVms(store, opts.source ?? 'vc-test', opts.vms);
  store.close();
  return {
    home, dir,
    env: { ...process.env, VMI_HOME: dir, VMI_USER: 'alice', VMI_PASSPHRASE: PASS, NO_COLOR: '1' },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Opens a test home's cache in this process and unlocks it as alice. */
export async function openStore(home: Home, user = 'alice', pass = PASS): Promise<{ store: Store; actor: Actor }> {
  await initSodium();
  const { unlock } = await import('../src/store/vault.js');
  const store = new Store(openDatabase(home.dbFile), home.dbFile);
  const actor = unlock(store, user, Buffer.from(pass));
  return { store, actor };
}

export function insertVms(store: Store, source: string, vms: VmRecord[]): number[] {
  return store.write((tx) => {
    const sid = ensureSource(store, tx, { name: source, platform: 'vsphere', url: `https://${source}.example.com` });
    return vms.map((v) => putVm(store, tx, sid, 'vsphere', v));
  });
}

export function vm(name: string, over: Partial<VmRecord> = {}): VmRecord {
  return {
    ref: `vm-${name}`, name, instanceUuid: `uuid-${name}`, biosUuid: `bios-${name}`, powerState: 'poweredOn', template: false,
    guestOs: 'Ubuntu Linux (64-bit)', osFamily: 'linux', cpus: 2, coresPerSocket: 1, memoryMB: 4096,
    disks: [{ key: '2000', label: 'Hard disk 1', sizeGB: 40, datastore: 'ds1' }],
    nics: [{ key: '4000', label: 'Network adapter 1', mac: '00:50:56:00:00:01', connected: true, network: 'VM Network', ipv4: ['10.1.0.1'], ipv6: [] }],
    host: 'esx01.example.com', cluster: 'prod', datacenter: 'dc1', datastores: ['ds1'], networks: ['VM Network'], customAttributes: {},
    ...over,
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real vmi CLI in a child process. */
export function vmi(args: string[], env: NodeJS.ProcessEnv, input?: string): RunResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, input: input ?? '', encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function vmiAsync(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<RunResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    p.stdin.end(input);
  });
}
