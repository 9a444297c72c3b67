// Test helper: builds the vcsim launcher (test/vcsim/main.go) once and starts simulators.
//
//   const bin = await buildVcsim();            // null when Go is not installed
//   const sim = await startVcsim({ fixtures: true });
//   ... sim.url, sim.thumbprint, sim.username, sim.password ...
//   await sim.stop();
//
// Environment: VMI_VCSIM_BIN (use this binary), VMI_VCSIM_GOPATH (default /usr/share/gocode).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { VsphereClient } from '../../src/sources/vsphere/soap.js';
import { retrieveObjects } from '../../src/sources/vsphere/props.js';
import { child, moref, text, type MoRef } from '../../src/sources/vsphere/xml.js';

export interface VcsimOptions {
  dc?: number;
  cluster?: number;
  /** Hosts per cluster. */
  host?: number;
  standaloneHost?: number;
  /** VMs per cluster resource pool and per standalone host. */
  vm?: number;
  ds?: number;
  pg?: number;
  pod?: number;
  /** Add the awkward objects the tests check (see main.go). */
  fixtures?: boolean;
  /** Plain http instead of https. */
  http?: boolean;
  username?: string;
  password?: string;
  /** Deadline for the simulator to become ready (default 120 s). */
  startTimeoutMs?: number;
}

export interface Vcsim {
  url: string;
  thumbprint: string;
  username: string;
  password: string;
  vms: number;
  hosts: number;
  datastores: number;
  pid: number;
  stop(): Promise<void>;
}

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'test', 'vcsim', 'main.go'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find test/vcsim/main.go above ' + fileURLToPath(import.meta.url));
}

let built: Promise<string | null> | undefined;

/** Builds the launcher once per main.go content (cached in the temp dir); null when Go is missing. */
export function buildVcsim(): Promise<string | null> {
  built ??= (async () => {
    if (process.env['VMI_VCSIM_BIN']) return process.env['VMI_VCSIM_BIN'];
    const gov = spawnSync('go', ['version'], { encoding: 'utf8' });
    if (gov.error || gov.status !== 0) return null;
    const src = path.join(repoRoot(), 'test', 'vcsim');
    const hash = createHash('sha256').update(readFileSync(path.join(src, 'main.go'))).update(gov.stdout).digest('hex').slice(0, 16);
    const dir = path.join(os.tmpdir(), `vmi-vcsim-${hash}`);
    const bin = path.join(dir, 'vcsim');
    if (existsSync(bin)) return bin;
    mkdirSync(dir, { recursive: true });
    const tmp = `${bin}.${process.pid}.tmp`;
    const gopath = process.env['VMI_VCSIM_GOPATH'] ?? '/usr/share/gocode';
    const env: NodeJS.ProcessEnv = { ...process.env, GOPATH: gopath, GO111MODULE: 'off', GOFLAGS: '' };
    if (!env['GOCACHE']) env['GOCACHE'] = path.join(os.tmpdir(), 'vmi-vcsim-gocache');
    const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const p = spawn('go', ['build', '-o', tmp, '.'], { cwd: src, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.on('data', (d: Buffer) => (err += d.toString()));
      p.on('close', (code) => resolve({ code, err }));
      p.on('error', (e) => resolve({ code: -1, err: String(e) }));
    });
    if (r.code !== 0) {
      rmSync(tmp, { force: true });
      throw new Error(`building vcsim failed (GOPATH=${gopath}): ${r.err.trim()}`);
    }
    renameSync(tmp, bin);
    return bin;
  })();
  return built;
}

/** Message for tests skipped because Go is missing (CI installs Go, so they run there). */
export const NO_GO_MESSAGE =
  '\n*** vSphere tests SKIPPED: the Go toolchain is not installed, so vcsim cannot be built.\n' +
  '*** Install golang-go and golang-github-vmware-govmomi-dev (Debian) to run them. ***\n';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

export async function startVcsim(opts: VcsimOptions = {}): Promise<Vcsim> {
  const bin = await buildVcsim();
  if (!bin) throw new Error('Go is not installed: cannot build vcsim');
  const args = ['-listen', '127.0.0.1:0'];
  const flag = (name: string, v: number | undefined) => {
    if (v !== undefined) args.push(`-${name}`, String(v));
  };
  flag('dc', opts.dc);
  flag('cluster', opts.cluster);
  flag('host', opts.host);
  flag('standalone-host', opts.standaloneHost);
  flag('vm', opts.vm);
  flag('ds', opts.ds);
  flag('pg', opts.pg);
  flag('pod', opts.pod);
  if (opts.fixtures) args.push('-fixtures');
  if (opts.http) args.push('-http');
  if (opts.username) args.push('-username', opts.username);
  if (opts.password) args.push('-password', opts.password);
  const p = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(p);
  let stderr = '';
  p.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 8192) stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  const stop = async () => {
    if (p.exitCode !== null || p.signalCode !== null) return;
    p.stdin!.end();
    // Give the simulator time to remove its datastore directories (seconds for 10,000 VMs).
    const t = setTimeout(() => p.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(t);
    running.delete(p);
  };
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: p.stdout! });
      const timer = setTimeout(() => reject(new Error(`vcsim not ready within ${timeoutMs} ms: ${stderr.trim()}`)), timeoutMs);
      rl.once('line', (l) => {
        clearTimeout(timer);
        resolve(l);
      });
      p.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`vcsim exited with ${code}: ${stderr.trim()}`));
      });
    });
    const info = JSON.parse(line) as Omit<Vcsim, 'stop' | 'pid'>;
    return { ...info, thumbprint: info.thumbprint ?? '', pid: p.pid!, stop };
  } catch (e) {
    p.kill('SIGKILL');
    running.delete(p);
    throw e;
  }
}

/** Invoke a *_Task method and wait (polling, with a deadline) for the task to finish. */
export async function runTask(client: VsphereClient, method: string, thisRef: MoRef, args = '', timeoutMs = 20_000): Promise<void> {
  const res = await client.call(method, thisRef, args);
  const task = moref(child(res, 'returnval'));
  if (!task) throw new Error(`${method} returned no task`);
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    let state = '';
    let error = '';
    await retrieveObjects(client, [task], [{ type: 'Task', paths: ['info.state', 'info.error'] }], (oc) => {
      state = text(oc.props.get('info.state'))?.trim() ?? '';
      const err = oc.props.get('info.error');
      if (err) error = text(err, 'localizedMessage') ?? child(err, 'fault')?.type ?? 'error';
    });
    if (state === 'success') return;
    if (state === 'error') throw new Error(`${method} failed: ${error}`);
    if (Date.now() > deadline) throw new Error(`${method} did not finish within ${timeoutMs} ms (state ${state})`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** Poll `f` until it returns a truthy value or the deadline passes. */
export async function until<T>(f: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const v = await f();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}
