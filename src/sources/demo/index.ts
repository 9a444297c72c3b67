// Demo source: a deterministic, realistic multi-vCenter VMware estate with ongoing changes, so a
// newcomer can see vmi without a vCenter, and benchmarks have an estate of any size.
//
// One DemoVcenter is one "vCenter" (demo://<site>?vms=<n>&seed=<n>). Its state is a pure function
// of (site, vms, seed, time): the same parameters and time always give the same inventory, a later
// time shows more changes. See model.ts for the change model and its rates.
//
// Records are built fresh by each call, but parts are shared with the generator and between
// records (host lists of datastores and portgroups, switches, VMkernel adapters, custom
// attributes, datastore and network name lists, empty IP lists): callers must not mutate what
// they get. Shared parts are frozen, so a mutation throws instead of corrupting later results.
//
// Files: rand.ts (keyed hash, PRNG, fast string builders), catalog.ts (roles, OSes, servers,
// ESXi builds, alarms, people), estate.ts (the static structure of one vCenter), model.ts (VMs,
// hosts, alarms and events over time; the change model and its rates are described there).

import type { EventRecord, HostSampleRecord, Inventory } from '../../model/records.js';
import { Estate, MAX_DEMO_VMS } from './estate.js';
import { demoSourceInfo } from './reportdata.js';
import { DEMO_EPOCH_MS, DemoModel, type DemoChanges, type EventOptions } from './model.js';

export { DEMO_EPOCH_MS, MAX_DEMO_VMS, type DemoChanges, type EventOptions };

/** One demo "vCenter". */
export interface DemoParams {
  site: string;
  vms: number;
  seed: number;
  /** platform=nutanix: a generated Prism Central instead of a vCenter (its VMs are recorded as nutanix). */
  platform?: 'nutanix';
  /** The benchmark topology (topo=dense): more hosts, datastores and portgroups per VM (see Estate). */
  dense?: boolean;
}

export interface FullOptions {
  /** Events to include: a window and a cap (default: the last 24 h, newest 1000), or false for none. */
  events?: EventOptions | false;
}

const SITE_RE = /^[a-z][a-z0-9-]{0,23}$/;
const URL_FORM = 'demo://<site>?vms=<n>&seed=<n>[&platform=nutanix][&topo=dense]';

function bad(url: string, why: string): Error {
  const shown = url.length > 80 ? `${url.slice(0, 77)}...` : url;
  return new Error(`invalid demo URL "${shown.replace(/[\r\n]/g, ' ')}": ${why} (expected ${URL_FORM})`);
}

function intParam(url: string, name: string, v: string, min: number, max: number): number {
  if (!/^\d{1,10}$/.test(v)) throw bad(url, `${name} must be a whole number`);
  const n = Number(v);
  if (n < min || n > max) throw bad(url, `${name} must be between ${min} and ${max}`);
  return n;
}

/** 'demo://ams?vms=1000&seed=7' -> { site: 'ams', vms: 1000, seed: 7 }; vms defaults to 1000, seed to 1. */
export function parseDemoUrl(url: string): DemoParams {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad(url, 'not a URL');
  }
  if (u.protocol !== 'demo:') throw bad(url, `scheme must be demo:`);
  if (u.username || u.password || u.port || u.hash) throw bad(url, 'no user, port or fragment allowed');
  if (u.pathname !== '' && u.pathname !== '/') throw bad(url, 'no path allowed');
  const site = u.hostname.toLowerCase();
  if (!SITE_RE.test(site)) throw bad(url, 'site must be a short name of letters, digits and dashes');
  const out: DemoParams = { site, vms: 1000, seed: 1 };
  const seen = new Set<string>();
  for (const [k, v] of u.searchParams) {
    if (seen.has(k)) throw bad(url, `${k} given twice`);
    seen.add(k);
    if (k === 'vms') out.vms = intParam(url, 'vms', v, 1, MAX_DEMO_VMS);
    else if (k === 'seed') out.seed = intParam(url, 'seed', v, 0, 4294967295);
    else if (k === 'platform') {
      if (v === 'nutanix') out.platform = 'nutanix';
      else if (v !== 'vsphere') throw bad(url, 'platform must be vsphere or nutanix');
    } else if (k === 'topo') {
      if (v !== 'dense' && v !== 'default') throw bad(url, 'topo must be dense or default');
      if (v === 'dense') out.dense = true;
    } else throw bad(url, `unknown parameter "${k}"`);
  }
  return out;
}

const SITE_ORDER = ['ams', 'fra', 'nyc', 'lon', 'par', 'sfo', 'sin', 'syd', 'tok'];

/**
 * The default demo estate: three vCenters (vc-ams, vc-fra, vc-nyc) sharing `totalVms` 40/35/25 %.
 * Beyond 3 × MAX_DEMO_VMS more vCenters are added (up to nine), sharing it equally.
 */
export function demoSources(totalVms = 3000, seed = 1, opts: { dense?: boolean } = {}): { name: string; url: string }[] {
  const total = Math.max(3, Math.floor(totalVms));
  const count = Math.min(SITE_ORDER.length, Math.max(3, Math.ceil(total / MAX_DEMO_VMS)));
  const shares = count === 3 ? [0.4, 0.35, 0.25] : Array.from({ length: count }, () => 1 / count);
  let left = total;
  return SITE_ORDER.slice(0, count).map((site, i) => {
    const n = i === count - 1 ? left : Math.max(1, Math.round(total * shares[i]!));
    left -= n;
    return { name: `vc-${site}`, url: `demo://${site}?vms=${Math.min(MAX_DEMO_VMS, Math.max(1, n))}&seed=${seed}${opts.dense ? '&topo=dense' : ''}` };
  });
}

function checkParams(p: DemoParams): DemoParams {
  if (!SITE_RE.test(p.site)) throw new Error(`invalid demo site "${p.site}": use letters, digits and dashes`);
  if (!Number.isInteger(p.vms) || p.vms < 1 || p.vms > MAX_DEMO_VMS) throw new Error(`invalid demo VM count ${p.vms}: must be 1 to ${MAX_DEMO_VMS}`);
  if (!Number.isInteger(p.seed) || p.seed < 0 || p.seed > 4294967295) throw new Error(`invalid demo seed ${p.seed}: must be 0 to 4294967295`);
  return { site: p.site, vms: p.vms, seed: p.seed, ...(p.dense ? { dense: true } : {}) };
}

function checkDate(d: Date, what: string): number {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new Error(`invalid ${what} time`);
  return ms;
}

export class DemoVcenter {
  readonly params: DemoParams;
  private readonly model: DemoModel;
  private last: Date | undefined;

  constructor(params: DemoParams) {
    this.params = checkParams(params);
    this.model = new DemoModel(new Estate(this.params.site, this.params.vms, this.params.seed, this.params.dense === true));
  }

  /** The vCenter's host name, e.g. vc-ams.corp.example. */
  get hostname(): string {
    return this.model.e.vcenter;
  }

  /** A full retrieval at time `now`: the state after every change up to `now`. */
  full(now: Date, opts: FullOptions = {}): Inventory {
    checkDate(now, 'retrieval');
    const inv = this.model.full(now, opts.events ?? {});
    Object.assign(inv, demoSourceInfo(this.hostname, this.params.site, this.params.seed, inv.vms, inv.hosts));
    this.last = now;
    return inv;
  }

  /**
   * Live changes since the previous full()/changes() call up to `now` (like vSphere
   * WaitForUpdatesEx): changed or new VMs as whole records, refs of VMs that left, and hosts whose
   * state changed (maintenance, reboot, upgrade). The first call without a previous one only sets
   * the baseline and returns nothing.
   */
  changes(now: Date): DemoChanges {
    checkDate(now, 'update');
    const prev = this.last;
    this.last = now;
    if (!prev) return { vms: [], removedVms: [], hosts: [] };
    return this.model.changesBetween(prev, now);
  }

  /** What changed between two times, without touching the changes() baseline. */
  changesBetween(from: Date, to: Date): DemoChanges {
    checkDate(from, 'start');
    checkDate(to, 'end');
    return this.model.changesBetween(from, to);
  }

  /** The newest `max` events with from < time <= to, keys increasing. */
  events(from: Date, to: Date, max = 1000): EventRecord[] {
    checkDate(from, 'start');
    checkDate(to, 'end');
    return this.model.events(from, to, max);
  }

  /** Host CPU and memory samples at `now` alone (cheap; for trend charts between retrievals). */
  samples(now: Date): HostSampleRecord[] {
    checkDate(now, 'sample');
    return this.model.samples(now);
  }

  /** A host's CPU and memory history, one sample every `intervalS` seconds, from < time <= to. */
  history(hostRef: string, from: Date, to: Date, intervalS: number): HostSampleRecord[] {
    checkDate(from, 'start');
    checkDate(to, 'end');
    return this.model.history(hostRef, from, to, intervalS);
  }
}
