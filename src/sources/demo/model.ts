// The moving part of a demo vCenter: VMs, hosts, alarms and events as pure functions of time.
//
// Change model. Every kind of change is a "slot process": for each VM seat (or host) and each
// kind there is a fixed phase φ in [0, P) and slots at EPOCH + φ + k·P (k = 0, 1, ...); slot k
// "fires" when hash(seed, kind, seat, k) < p. The value a fired slot sets (new host, new memory
// size, ...) comes from the same hash, so the state at time t only depends on the *last* fired
// slot of each kind (found by stepping back a few slots), never on replaying history: full(t)
// costs the same at any t, and is a pure function of (params, t). Changes between t1 and t2 are
// found by enumerating slots in (t1, t2] through per-kind indexes of seats sorted by phase, so
// their cost is proportional to the number of slots in the window, not to the estate. Effects
// that last (a power-off window, a temporary resize, a rename before deletion) end before the
// next slot of their kind, so "the last fired slot" stays enough to know the state.
//
// Rates (P = slot period, p = probability a slot fires), per VM unless noted:
//   vMotion (DRS 80 %, manual 20 %)     P 1 h,    p 0.4   ~9.5 a day; 0.02 % of slots a failed migration
//   power off, back on 2-30 min later   P 12 h,   p 0.25  (dev 0.5; usually-off VMs 0.05); 5 % stay off/suspended
//   storage vMotion (between 2 homes)    P 1 d,    p 0.15  VMs over 1 TB stay put
//   IP address change (20 % of VMs)      P 1 d,    p 0.3
//   disk grown (10-25 %, up to 3 times)  P 3 d,    p 0.35
//   NIC moved to another portgroup (25 %) P 10 d,  p 0.3
//   resize up (memory, vCPUs), reverted after 2 h-12 d            P 15 d, p 0.2
//   VM alarm (CPU, memory, CPU ready, consolidation, snapshot)    P 30 d, p 0.3, 15 min-5 d
//   disk added (at most 4 disks)         P 90 d,   p 0.06
//   guest OS upgraded in place (once)    P 120 d,  p 0.04
//   destroyed (often renamed -old/-decom 2-20 d before), a new VM in its place 10 min-8 h later
//                                        P 91 d,   p 0.08  (~ every 3 years)
//   host maintenance 30-150 min, reboot, maybe a newer ESXi build      per host P 14 d, p 0.15
//   host CPU/memory alarm 10 min-2 h     per host P 1 d,   p 0.08
//   host hardware alarm 1-10 d           per host P 30 d,  p 0.1
//   uplink redundancy alarm 5 min-4 h    per host P 20 d,  p 0.1
//   login sessions of 8 people and service accounts            P 3 h, p 0.6
// Altogether about 10 changes per VM a day, mostly vMotions: one every ~9 s per 1,000 VMs.

import { lowerBound } from '../../model/history.js';
import { addHostReport, addSwitchReport, addVmReport } from './reportdata.js';
import {
  type AlarmRecord, type ClusterRecord, type DatastoreClusterRecord, type DatastoreRecord, type DiskRecord,
  type EventRecord, type HostRecord, type HostSampleRecord, type Inventory, type NicRecord, type PortgroupRecord,
  type PowerState, type Severity, type SwitchRecord, type VmRecord,
} from '../../model/records.js';
import {
  ALARMS, AUTOMATION, BACKUP_POLICIES, CPU_LADDER, MEM_LADDER_MB, OPERATORS, OSES, OS_INDEX, ROLES, SESSION_USERS, TEAMS,
  type AlarmDef, type OsSpec, type Role,
} from './catalog.js';
import { DOMAIN, SPECIAL, type ClusterInfo, type Estate } from './estate.js';
import { cumulative, hash3, ipv4Str, isoSeconds, pick, scramble, u3, uuidStr, vmwareMac } from './rand.js';

/** Changes start here; before it the estate is in its base state. */
export const DEMO_EPOCH_MS = Date.UTC(2024, 0, 1);
const DEMO_EPOCH_S = DEMO_EPOCH_MS / 1000;

const DAY = 86400;
const GIB = 2 ** 30;
const MIB = 2 ** 20;
const U32 = 4294967296;
const ID_SPACE = 262144; // 2^18 ids per (second, kind) in event keys

export const CAT = {
  POWER: 0, VMOTION: 1, SVMOTION: 2, HW: 3, GROW: 4, DISKADD: 5, NIC: 6, IP: 7, RENAME: 8, OS: 9, REPLACE: 10, VALARM: 11,
  EVAC: 12, MAINT: 13, HALARM: 14, HHW: 15, HNET: 16, LOGIN: 17, BOOT: 18, REMEDIATE: 19, LOGOUT: 20, POWERON: 21, CREATE: 22,
  HWEND: 23,
} as const;

/**
 * Slot period (seconds) and the longest after-effect of a fired slot (power-off window,
 * destroy-to-create gap, alarm duration, maintenance window). Probabilities are in prob().
 */
const PERIOD: Record<number, number> = {
  [CAT.POWER]: 12 * 3600, [CAT.VMOTION]: 3600, [CAT.SVMOTION]: DAY, [CAT.HW]: 15 * DAY, [CAT.GROW]: 3 * DAY,
  [CAT.DISKADD]: 90 * DAY, [CAT.NIC]: 10 * DAY, [CAT.IP]: DAY, [CAT.OS]: 120 * DAY,
  [CAT.REPLACE]: 91 * DAY, [CAT.VALARM]: 30 * DAY, [CAT.MAINT]: 14 * DAY, [CAT.HALARM]: DAY, [CAT.HHW]: 30 * DAY,
  [CAT.HNET]: 20 * DAY, [CAT.LOGIN]: 3 * 3600,
};
const TAIL: Record<number, number> = {
  [CAT.POWER]: 1800, [CAT.REPLACE]: 600 + 8 * 3600, [CAT.VALARM]: 5 * DAY, [CAT.MAINT]: 9000, [CAT.HALARM]: 7200,
  [CAT.HHW]: 10 * DAY, [CAT.HNET]: 4 * 3600, [CAT.LOGIN]: 7200,
};
/** vMotion slots in this band (just above p) are failed migrations: an event, no change. */
const VMOTION_FAIL = 0.0002;

const VM_CATS = [CAT.POWER, CAT.VMOTION, CAT.SVMOTION, CAT.HW, CAT.GROW, CAT.DISKADD, CAT.NIC, CAT.IP, CAT.OS, CAT.REPLACE];
/** A VM about to be destroyed is often renamed first, up to this long before. */
const RENAME_LEAD = 20 * DAY;
/** Categories with a second instant at a per-seat offset from each slot (see shift()). */
const SHIFTED: number[] = [CAT.REPLACE, CAT.HW];
const RENAME_SUFFIXES = ['-old', '-decom', '-migrated', '_bak', '-tobedeleted'];

// salts for profile hashes
const P_ = 3000;

const WIN_OS_DISK = [80, 100, 100, 120, 150];
const LINUX_OS_DISK = [40, 50, 50, 60, 100];
const APPLIANCE_OS_DISK = [16, 20, 40];
const GROW_LEVELS = cumulative([0.4, 0.3, 0.2, 0.1]);
const BACKUP_W = cumulative([3, 4, 2, 1]);
const VM_ALARM_W = cumulative([30, 15, 25, 15, 15]);
const POWER_STATES: PowerState[] = ['poweredOn', 'poweredOff', 'suspended'];
/** Power state after a power-off window, by the seat's power habit (usually on, off, suspended). */
const POWER_AFTER = [cumulative([0.95, 0.04, 0.01]), cumulative([0.3, 0.68, 0.02]), cumulative([0.25, 0.15, 0.6])];
const DEV_POOLS = ['Resources', 'RP-Dev-Teams'];
const DISK_KEYS = Array.from({ length: 16 }, (_, j) => String(2000 + j));
const DISK_LABELS = Array.from({ length: 16 }, (_, j) => `Hard disk ${j + 1}`);
const NIC_KEYS = Array.from({ length: 4 }, (_, j) => String(4000 + j));
const NIC_LABELS = Array.from({ length: 4 }, (_, j) => `Network adapter ${j + 1}`);
const NONE: string[] = Object.freeze([]) as unknown as string[];

/** UUID text from two hash words (the other two derived by multiply-xorshift). */
function uuid2(a: number, b: number, prefix: string): string {
  let c = Math.imul(a ^ (b >>> 15), 0x2c1b3c6d);
  c ^= c >>> 12;
  let d = Math.imul(b ^ (a >>> 13), 0x297a2d39);
  d ^= d >>> 15;
  return uuidStr(a, b, c, d, prefix);
}

/** A profile hash: seat i, generation gen, aspect s. */
function ph(key: number, s: number, i: number, gen: number): number {
  return hash3(key, P_ + s, i, gen);
}

const ROLE_OS_W = ROLES.map((r) => cumulative(r.os.map((o) => o[1])));
const ROLE_OS = ROLES.map((r) => r.os.map((o) => OSES[OS_INDEX.get(o[0])!]!));

interface DiskPlan { size: number; thin: boolean; frac: number; off: number }

/** What a VM is, independent of time: numbers only; its strings are made in record(). */
export interface Profile {
  i: number;
  gen: number;
  birth: number;
  refNum: number;
  r: number;
  role: Role;
  cluster: ClusterInfo;
  special: number;
  os: OsSpec;
  template: boolean;
  cpuIdx: number;
  memIdx: number;
  oneSocket: boolean;
  disks: DiskPlan[];
  growDisk: number;
  growStep: number;
  growMax: number;
  growM: number;
  add1: number;
  add2: number;
  tools: number; // 0 ok, 1 old, 2 not running, 3 not installed
  created: number;
  initialPower: PowerState;
  hostU: number;
  linkLocal: boolean;
  reserved: boolean;
}

export interface VmSnap {
  p: Profile;
  power: PowerState;
  host: number;
  home: number;
  cpuIdx: number;
  memIdx: number;
  level: number;
  adds: number;
  alt: boolean;
  ipVar: boolean;
  suffix: number;
  upgraded: boolean;
}

/** Maintenance state of hosts at one time, computed on demand (dense: for whole retrievals). */
class MaintMemo {
  private readonly vals: Int8Array | null;
  private readonly sparse: Map<number, boolean> | null;
  constructor(readonly t: number, hosts: number, private readonly m: DemoModel, dense = true) {
    this.vals = dense ? new Int8Array(hosts) : null;
    this.sparse = dense ? null : new Map();
  }
  get(h: number): boolean {
    if (this.vals) {
      let v = this.vals[h]!;
      if (v === 0) this.vals[h] = v = this.m.inMaintenance(h, this.t) ? 1 : 2;
      return v === 1;
    }
    let b = this.sparse!.get(h);
    if (b === undefined) this.sparse!.set(h, (b = this.m.inMaintenance(h, this.t)));
    return b;
  }
}

interface Acc {
  dsUsed: Float64Array;
  dsUnc: Float64Array;
  dsVms: Int32Array;
  pgVms: Int32Array;
}

export interface EventOptions {
  /** only events after this time (default: 24 hours before `now`) */
  since?: Date;
  /** at most this many, the newest (default 1000, like the vSphere collector) */
  max?: number;
}

export interface DemoChanges {
  vms: VmRecord[];
  removedVms: string[];
  hosts: HostRecord[];
}

const sec = (d: Date): number => Math.floor((d.getTime() - DEMO_EPOCH_MS) / 1000);
const iso = (t: number): string => isoSeconds(DEMO_EPOCH_S + t);
const mod = (x: number, m: number): number => ((x % m) + m) % m;
const round1 = (x: number): number => Math.round(x * 10) / 10;
const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

function logUniform(min: number, max: number, u: number): number {
  if (max <= min) return min;
  const v = Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
  const step = v >= 500 ? 50 : 10;
  return Math.max(step, Math.round(v / step) * step);
}

/**
 * Seats sorted by phase (0 <= phase < P), as phase * ID_SPACE + seat: a bucket pass, then an
 * insertion sort that only has to fix order inside buckets (linear on average).
 */
function phaseIndex(n: number, P: number, phaseOf: (i: number) => number): Float64Array {
  const ph = new Float64Array(n);
  const bucket = new Int32Array(n);
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    ph[i] = phaseOf(i);
    bucket[i] = Math.min(n - 1, Math.floor((ph[i]! / P) * n));
    start[bucket[i]! + 1]++;
  }
  for (let b = 0; b < n; b++) start[b + 1] += start[b]!;
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[start[bucket[i]!]!++] = ph[i]! * ID_SPACE + i;
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
  return a;
}

/** EUI-64 link-local address of the VMware MAC 00:50:56 + low24. */
function linkLocal(low24: number): string {
  return `fe80::250:56ff:fe${(low24 >>> 16).toString(16).padStart(2, '0')}:${(low24 & 0xffff).toString(16)}`;
}

export class DemoModel {
  readonly e: Estate;
  private readonly key: number;
  private readonly N: number;
  private readonly index = new Map<number, Float64Array>();
  private readonly templates: Array<{ slug: string; name: string }> = [];
  /** the two home datastores of each seat (see planStorage) */
  private readonly homeA: Int32Array;
  private readonly homeB: Int32Array;
  /** Standard switches with their report fields, made once. */
  private vss: SwitchRecord[] | undefined;

  constructor(estate: Estate) {
    this.e = estate;
    this.key = estate.key;
    this.N = estate.vms;
    this.homeA = new Int32Array(this.N);
    this.homeB = new Int32Array(this.N);
    this.planStorage();
    for (let i = 0; i < this.N; i++) {
      if (estate.seatSpecial[i] !== SPECIAL.template) continue;
      const p = this.profile(i, -1, -Infinity);
      this.templates.push({ slug: p.os.slug, name: this.baseName(p) });
    }
  }

  // ------------------------------------------------------------------------------------------
  // slot processes

  phase(cat: number, id: number): number {
    return hash3(this.key, 900 + cat, id, 0x7a5e) % PERIOD[cat]!;
  }

  slotTime(cat: number, id: number, k: number): number {
    return this.phase(cat, id) + k * PERIOD[cat]!;
  }

  /** Probability that a slot of `cat` fires for seat (or host, or user) `id`. */
  prob(cat: number, id: number): number {
    const e = this.e;
    if (cat >= CAT.MAINT) {
      switch (cat) {
        case CAT.MAINT: return 0.15;
        case CAT.HALARM: return 0.08;
        case CAT.HHW: return 0.1;
        case CAT.HNET: return 0.1;
        case CAT.LOGIN: return 0.6;
        default: return 0;
      }
    }
    const special = e.seatSpecial[id]!;
    if (special === SPECIAL.template) return 0;
    switch (cat) {
      case CAT.POWER: {
        const pp = e.seatPower[id]!;
        if (pp !== 0) return 0.05;
        return e.clusters[e.seatCluster[id]!]!.kind === 'dev' ? 0.5 : 0.25;
      }
      case CAT.VMOTION: return 0.4;
      case CAT.SVMOTION: return 0.15;
      case CAT.HW: return 0.2;
      case CAT.GROW: return 0.35;
      case CAT.DISKADD: return 0.06;
      case CAT.NIC: return e.altPg[id]! >= 0 ? 0.3 : 0;
      case CAT.IP: return e.secSlot[id]! >= 0 ? 0.3 : 0;
      case CAT.OS: return 0.04;
      case CAT.REPLACE: return special === SPECIAL.none ? 0.08 : 0;
      case CAT.VALARM: return 0.3;
      default: return 0;
    }
  }

  private fires(cat: number, id: number, k: number, p: number): boolean {
    return k >= 0 && hash3(this.key, cat, id, k) < p * U32;
  }

  /** The last slot of `cat` at or before t (and at or after kmin) that fired, or -1. */
  lastFired(cat: number, id: number, t: number, kmin: number, p: number): number {
    if (p <= 0) return -1;
    const P = PERIOD[cat]!;
    const thr = p * U32;
    let k = Math.floor((t - this.phase(cat, id)) / P);
    for (; k >= kmin; k--) if (hash3(this.key, cat, id, k) < thr) return k;
    return -1;
  }

  /** First slot strictly after `birth`. */
  private kmin(cat: number, id: number, birth: number): number {
    if (birth === -Infinity) return 0;
    return Math.max(0, Math.floor((birth - this.phase(cat, id)) / PERIOD[cat]!) + 1);
  }

  private val(cat: number, id: number, k: number): number {
    return hash3(this.key, 1100 + cat, id, k);
  }

  /** Calls fn(id, k) for every slot of `cat` with lo < time <= hi, over VM seats. */
  forSlots(cat: number, lo: number, hi: number, fn: (id: number, k: number) => void): void {
    if (hi <= lo) return;
    const P = PERIOD[cat]!;
    if (hi - lo >= P) {
      for (let i = 0; i < this.N; i++) this.slotsOf(cat, i, lo, hi, fn);
      return;
    }
    let a = this.index.get(cat);
    if (!a) this.index.set(cat, (a = phaseIndex(this.N, P, (i) => this.phase(cat, i))));
    const arr = a;
    const visit = (from: number, to: number) => {
      const end = lowerBound(arr, (to + 1) * ID_SPACE);
      for (let s = lowerBound(arr, (from + 1) * ID_SPACE); s < end; s++) {
        const v = arr[s]!;
        const i = v % ID_SPACE;
        const ph = (v - i) / ID_SPACE;
        const k = Math.floor((hi - ph) / P);
        if (k >= 0) fn(i, k);
      }
    };
    const l = mod(lo, P);
    const h = mod(hi, P);
    if (l < h) visit(l, h);
    else {
      visit(l, P - 1);
      visit(-1, h);
    }
  }

  /** Calls fn(id, k) for the slots of one id with lo < time <= hi. */
  slotsOf(cat: number, id: number, lo: number, hi: number, fn: (id: number, k: number) => void): void {
    const P = PERIOD[cat]!;
    const ph = this.phase(cat, id);
    const k1 = Math.floor((hi - ph) / P);
    for (let k = Math.max(0, Math.floor((lo - ph) / P) + 1); k <= k1; k++) fn(id, k);
  }

  // ------------------------------------------------------------------------------------------
  // VMs

  /** Who occupies seat i at t: the original VM (gen -1), a replacement (gen k), or nobody. */
  occupant(i: number, t: number): { gen: number; birth: number } | null {
    const p = this.prob(CAT.REPLACE, i);
    const k = this.lastFired(CAT.REPLACE, i, t, 0, p);
    if (k < 0) return { gen: -1, birth: -Infinity };
    const born = this.slotTime(CAT.REPLACE, i, k) + this.replaceGap(i, k);
    return t < born ? null : { gen: k, birth: born };
  }

  private replaceGap(i: number, k: number): number {
    return 600 + (this.val(CAT.REPLACE, i, k) % (8 * 3600));
  }

  /** Whether the VM destroyed at slot k is renamed first (at slot time + shift(REPLACE)). */
  private renamedBefore(i: number, k: number): boolean {
    return this.val(CAT.REPLACE, i, k) >>> 29 < 5;
  }

  /**
   * Per-seat offset of a category's second instant from its slots: a VM is renamed this long
   * before it is destroyed (REPLACE, negative), a resize is reverted this long after (HW).
   */
  shift(cat: number, i: number): number {
    const h = hash3(this.key, 1800 + cat, i, 0);
    if (cat === CAT.REPLACE) return -(2 * DAY + (h % (RENAME_LEAD - 2 * DAY)));
    if (cat === CAT.HW) return 7200 + (h % (12 * DAY - 7200));
    return 0;
  }

  /** Like forSlots, for the instants slot time + shift(cat, seat). */
  forShifted(cat: number, lo: number, hi: number, fn: (id: number, k: number) => void): void {
    if (hi <= lo) return;
    const P = PERIOD[cat]!;
    if (hi - lo >= P) {
      for (let i = 0; i < this.N; i++) {
        const off = this.shift(cat, i);
        this.slotsOf(cat, i, lo - off, hi - off, fn);
      }
      return;
    }
    let a = this.index.get(100 + cat);
    if (!a) this.index.set(100 + cat, (a = phaseIndex(this.N, P, (i) => mod(this.phase(cat, i) + this.shift(cat, i), P))));
    const arr = a;
    const visit = (from: number, to: number) => {
      const end = lowerBound(arr, (to + 1) * ID_SPACE);
      for (let s = lowerBound(arr, (from + 1) * ID_SPACE); s < end; s++) {
        const v = arr[s]!;
        const i = v % ID_SPACE;
        const ps = (v - i) / ID_SPACE;
        const q = Math.floor((this.phase(cat, i) + this.shift(cat, i)) / P);
        const k = Math.floor((hi - ps) / P) - q;
        if (k >= 0) fn(i, k);
      }
    };
    const l = mod(lo, P);
    const h = mod(hi, P);
    if (l < h) visit(l, h);
    else {
      visit(l, P - 1);
      visit(-1, h);
    }
  }

  private powerWindow(i: number, k: number): number {
    return 120 + (this.val(CAT.POWER, i, k) % 1680);
  }

  profile(i: number, gen: number, birth: number): Profile {
    const e = this.e;
    const key = this.key;
    const special = e.seatSpecial[i]!;
    const r = e.seatRole[i]!;
    const role = ROLES[r]!;
    const cluster = e.clusters[e.seatCluster[i]!]!;
    const template = special === SPECIAL.template;
    const os = template ? OSES[OS_INDEX.get(e.templateOs[e.seatSpecialIdx[i]!]!)!]! : ROLE_OS[r]![pick(ROLE_OS_W[r]!, ph(key, 1, i, gen) / U32)]!;
    const cpuIdx = CPU_LADDER.indexOf(role.cpu[ph(key, 4, i, gen) % role.cpu.length]!);
    const memIdx = MEM_LADDER_MB.indexOf(role.memGB[ph(key, 5, i, gen) % role.memGB.length]! * 1024);
    const disks: DiskPlan[] = [];
    const osSizes = os.windows ? WIN_OS_DISK : os.id === 'appliance' ? APPLIANCE_OS_DISK : LINUX_OS_DISK;
    const osDisk = osSizes[ph(key, 6, i, gen) % osSizes.length]!;
    // data disks: a VM rebuilt in the same seat gets the same data disks (same role, same size)
    const [dmin, dmax, gmin, gmax] = role.data;
    const nData = template ? 0 : dmin + (ph(key, 7, i, -1) % (dmax - dmin + 1));
    for (let j = 0; j <= nData; j++) {
      const thin = template || ph(key, 20 + j, i, -1) / U32 >= role.thick;
      const uf = ph(key, 30 + j, i, -1) / U32;
      disks.push({
        size: j === 0 ? osDisk : logUniform(gmin, gmax, ph(key, 10 + j, i, -1) / U32),
        thin,
        frac: thin ? (j === 0 ? 0.3 + uf * 0.45 : 0.15 + uf * 0.75) : 1,
        off: j > 0 && ph(key, 40 + j, i, gen) / U32 < 0.05 && nData > 1 ? 1 + (ph(key, 50 + j, i, gen) % 7) : 0,
      });
    }
    const growDisk = disks.length - 1;
    const toolsU = ph(key, 100, i, gen) / U32;
    const tools = os.id === 'appliance' ? (toolsU < 0.9 ? 0 : 2) : toolsU < 0.84 ? 0 : toolsU < 0.96 ? 1 : toolsU < 0.985 ? 2 : 3;
    const pp = e.seatPower[i]!;
    return {
      i,
      gen,
      birth,
      refNum: gen < 0 ? e.vmRefBase + i * 3 + (ph(key, 116, i, gen) % 3) : e.vmGenRefBase + gen * this.N + i,
      r,
      role,
      cluster,
      special,
      os,
      template,
      cpuIdx,
      memIdx,
      oneSocket: ph(key, 117, i, gen) / U32 < 0.5,
      disks,
      growDisk,
      growStep: Math.min(200, Math.max(10, Math.round((disks[growDisk]!.size * (0.1 + (ph(key, 118, i, gen) / U32) * 0.15)) / 10) * 10)),
      growMax: template ? 0 : pick(GROW_LEVELS, ph(key, 119, i, gen) / U32),
      growM: 1 + (ph(key, 120, i, gen) % 4),
      add1: logUniform(50, 500, ph(key, 121, i, gen) / U32),
      add2: logUniform(50, 500, ph(key, 122, i, gen) / U32),
      tools,
      created: gen < 0 ? -Math.floor((30 + (ph(key, 101, i, gen) / U32) ** 2 * 2900) * DAY + (ph(key, 102, i, gen) / U32) * DAY) : birth,
      initialPower: template ? 'poweredOff'
        : gen >= 0 ? (ph(key, 115, i, gen) / U32 < 0.9 ? 'poweredOn' : 'poweredOff')
          : pp === 0 ? 'poweredOn' : pp === 1 ? 'poweredOff' : 'suspended',
      hostU: ph(key, 150, i, gen) / U32,
      linkLocal: !os.windows && ph(key, 152, i, gen) / U32 < 0.3,
      reserved: !!role.reserved,
    };
  }

  /** The VM's name before any rename. */
  baseName(p: Profile): string {
    const e = this.e;
    const sidx = e.seatSpecialIdx[p.i]!;
    if (p.template) {
      const m = 24240 + sidx * 2; // months since year 0, from 2020-01: unique per template
      return `tpl-${p.os.slug}-${Math.floor(m / 12)}${String((m % 12) + 1).padStart(2, '0')}`;
    }
    if (p.special === SPECIAL.awkward) return e.awkward[sidx]!;
    if (p.special === SPECIAL.dup) return `${e.site}-legacy-crm`;
    const m = p.gen < 0 ? 0 : 1 + (ph(this.key, 2, p.i, p.gen) % 2);
    return `${e.site}-${p.role.token}-${String(e.seatNum[p.i]! + m * e.roleCount[p.r]!).padStart(e.roleWidth[p.r]!, '0')}`;
  }

  private hostnameOf(p: Profile, name: string): string {
    const e = this.e;
    const sidx = e.seatSpecialIdx[p.i]!;
    const host = p.special === SPECIAL.awkward ? `${e.site}-app-x${sidx + 1}` : p.special === SPECIAL.dup && sidx ? `${name}-b` : name;
    if (p.os.windows && ph(this.key, 3, p.i, p.gen) / U32 < 0.5) return host.toUpperCase();
    return p.cluster.kind === 'dmz' ? `${host}.dmz.${DOMAIN}` : `${host}.${DOMAIN}`;
  }

  private annotationOf(p: Profile): string | undefined {
    const key = this.key;
    const H = (s: number) => ph(key, s, p.i, p.gen);
    if (p.template) return `Golden image ${p.os.tools}, built by Packer. Do not power on.`;
    if (H(103) / U32 < 0.45) return undefined;
    const n = 10000 + (H(104) % 89999);
    const team = TEAMS[H(105) % TEAMS.length]!;
    switch (H(108) % 6) {
      case 0: return `Managed by Terraform (workspace ${this.e.site}-${p.cluster.kind})`;
      case 1: return `Owner: ${team}\nChange: CHG00${n}`;
      case 2: return `Built from tpl-${p.os.slug} by ${AUTOMATION[H(106) % AUTOMATION.length]!.split('\\')[1]}`;
      case 3: return `Patch group ${'ABC'[H(107) % 3]} – ${team}`;
      case 4: return `DO NOT POWER OFF – licence server (${team})`;
      default: return `Decommission requested, RITM00${n}`;
    }
  }

  /** Custom attributes; objects are shared between VMs with the same values. */
  private attrsOf(p: Profile): Record<string, string> {
    const key = this.key;
    if (!p.template && ph(key, 109, p.i, p.gen) / U32 < 0.12) return this.interned(-1, () => ({}));
    const b = p.template ? 3 : pick(BACKUP_W, ph(key, 110, p.i, p.gen) / U32);
    const cc = 4000 + ((p.r * 37 + (ph(key, 111, p.i, p.gen) / U32 < 0.1 ? ph(key, 112, p.i, p.gen) % 50 : 0)) % 600);
    return this.interned((cc * 8 + b) * 8 + p.cluster.idx, () => ({
      backup: BACKUP_POLICIES[b]!, costcenter: `CC-${cc}`, env: p.cluster.kind === 'mgmt' ? 'infra' : p.cluster.kind,
    }));
  }

  private readonly attrCache = new Map<number, Record<string, string>>();
  private readonly listCache = new Map<number, string[]>();

  /** Datastore (kind 0) or network (kind 1) names of a list of indexes; lists are shared. */
  private nameList(idx: number[], kind: number): string[] {
    const e = this.e;
    const name = (x: number) => (kind ? e.portgroups[x]!.rec.name : e.datastores[x]!.name);
    if (idx.length > 2) return idx.map(name);
    const k = ((idx[0]! + 1) * 65536 + (idx[1] ?? -1) + 1) * 2 + kind;
    let v = this.listCache.get(k);
    if (!v) this.listCache.set(k, (v = Object.freeze(idx.map(name)) as string[]));
    return v;
  }
  private interned(k: number, make: () => Record<string, string>): Record<string, string> {
    let v = this.attrCache.get(k);
    if (!v) this.attrCache.set(k, (v = Object.freeze(make())));
    return v;
  }

  private folderOf(p: Profile): string {
    if (p.template) return 'Templates';
    if (p.special === SPECIAL.dup) return this.e.seatSpecialIdx[p.i] ? 'Decom' : 'Legacy';
    if (ph(this.key, 113, p.i, p.gen) / U32 < 0.02) return 'Discovered virtual machine';
    return p.role.folder;
  }

  private poolOf(p: Profile): string {
    const kind = p.cluster.kind;
    const pools = kind === 'prod' ? p.role.pools : kind === 'dev' ? DEV_POOLS : undefined;
    return p.template || !pools ? 'Resources' : pools[ph(this.key, 114, p.i, p.gen) % pools.length]!;
  }

  /** Where a VM on preferred host `pref` runs: elsewhere in its cluster while `pref` is in maintenance. */
  private effectiveHost(i: number, c: ClusterInfo, pref: number, maint: MaintMemo): number {
    if (!maint.get(pref)) return pref;
    const n = c.hostCount;
    if (n < 2) return pref;
    let j = (pref - c.hostStart + 1 + (hash3(this.key, 1200, i, 0) % (n - 1))) % n;
    for (let s = 0; s < n; s++) {
      if (!maint.get(c.hostStart + j)) return c.hostStart + j;
      j = (j + 1) % n;
    }
    return pref;
  }

  snap(i: number, t: number, maint: MaintMemo): VmSnap | null {
    const occ = this.occupant(i, t);
    if (!occ) return null;
    const p = this.profile(i, occ.gen, occ.birth);
    return this.snapOf(p, t, maint);
  }

  private snapOf(p: Profile, t: number, maint: MaintMemo): VmSnap {
    const e = this.e;
    const i = p.i;
    const c = p.cluster;
    const km = (cat: number) => this.kmin(cat, i, p.birth);
    const last = (cat: number) => this.lastFired(cat, i, t, km(cat), this.prob(cat, i));
    // power
    let power = p.initialPower;
    const kp = last(CAT.POWER);
    if (kp >= 0) {
      const T = this.slotTime(CAT.POWER, i, kp);
      if (t < T + this.powerWindow(i, kp)) power = 'poweredOff';
      else {
        const u = ((this.val(CAT.POWER, i, kp) >>> 11) % 1000) / 1000;
        const pp = e.seatPower[i]!;
        power = POWER_STATES[pick(POWER_AFTER[pp]!, u)]!;
      }
    }
    // placement
    const kv = last(CAT.VMOTION);
    const pref = c.hostStart + (kv < 0 ? Math.floor(p.hostU * c.hostCount) : this.val(CAT.VMOTION, i, kv) % c.hostCount);
    const host = this.effectiveHost(i, c, pref, maint);
    const ks = last(CAT.SVMOTION);
    const home = ks >= 0 && (this.val(CAT.SVMOTION, i, ks) & 3) === 0 ? this.homeB[i]! : this.homeA[i]!;
    // hardware
    let cpuIdx = p.cpuIdx;
    let memIdx = p.memIdx;
    const kh = last(CAT.HW);
    if (kh >= 0 && t < this.slotTime(CAT.HW, i, kh) + this.shift(CAT.HW, i)) {
      // for a while (a batch run, a migration, month end): more memory, sometimes more vCPUs
      const h = this.val(CAT.HW, i, kh);
      const dc = h % 3 === 0 ? 1 : 0;
      const dm = dc && (h >>> 4) % 2 ? 0 : 1 + ((h >>> 6) % 4 === 0 ? 1 : 0);
      cpuIdx = clamp(p.cpuIdx + dc, 0, CPU_LADDER.length - 1);
      memIdx = clamp(p.memIdx + dm, 0, MEM_LADDER_MB.length - 1);
    }
    // disks
    let level = 0;
    if (p.growMax > 0) {
      const kg = last(CAT.GROW);
      if (kg >= 0) level = Math.min(p.growMax, Math.floor((kg - km(CAT.GROW)) / p.growM) + 1);
    }
    let adds = 0;
    const pa = this.prob(CAT.DISKADD, i);
    if (pa > 0) {
      const hi = Math.floor((t - this.phase(CAT.DISKADD, i)) / PERIOD[CAT.DISKADD]!);
      const room = Math.min(2, 4 - p.disks.length); // at most four disks
      for (let k = km(CAT.DISKADD); k <= hi && adds < room; k++) if (this.fires(CAT.DISKADD, i, k, pa)) adds++;
    }
    // network
    let alt = false;
    if (e.altPg[i]! >= 0) {
      const kn = last(CAT.NIC);
      alt = kn >= 0 && (this.val(CAT.NIC, i, kn) & 1) === 1;
    }
    let ipVar = false;
    if (e.secSlot[i]! >= 0) {
      const ki = last(CAT.IP);
      ipVar = ki >= 0 && (this.val(CAT.IP, i, ki) & 1) === 1;
    }
    // identity: renamed (…-decom, …-old) in the days before it is destroyed
    let suffix = 0;
    const pr = this.prob(CAT.REPLACE, i);
    if (pr > 0) {
      const kn = Math.floor((t - this.phase(CAT.REPLACE, i)) / PERIOD[CAT.REPLACE]!) + 1;
      if (this.fires(CAT.REPLACE, i, kn, pr)) {
        if (this.renamedBefore(i, kn) && t >= this.slotTime(CAT.REPLACE, i, kn) + this.shift(CAT.REPLACE, i)) suffix = 1 + ((this.val(CAT.REPLACE, i, kn) >>> 13) % RENAME_SUFFIXES.length);
      }
    }
    let upgraded = false;
    const po = this.prob(CAT.OS, i);
    if (p.os.next && po > 0) {
      const hi = Math.floor((t - this.phase(CAT.OS, i)) / PERIOD[CAT.OS]!);
      for (let k = km(CAT.OS); k <= hi; k++) if (this.fires(CAT.OS, i, k, po)) { upgraded = true; break; }
    }
    if (p.template) power = 'poweredOff';
    return { p, power, host, home, cpuIdx, memIdx, level, adds, alt, ipVar, suffix, upgraded };
  }

  vmName(s: VmSnap): string {
    const name = this.baseName(s.p);
    return s.suffix ? name + RENAME_SUFFIXES[s.suffix - 1] : name;
  }

  osOf(s: VmSnap): OsSpec {
    return s.upgraded && s.p.os.next ? OSES[OS_INDEX.get(s.p.os.next)!]! : s.p.os;
  }

  /** Datastore of disk j (j >= disks: an added disk, on the home datastore). */
  private diskDs(s: VmSnap, j: number): number {
    const d = s.p.disks[j];
    if (!d || d.off === 0 || s.home === s.p.cluster.nfs) return s.home;
    const pr = s.p.cluster.primary;
    return pr[(pr.indexOf(s.home) + d.off) % pr.length]!;
  }

  private nicAddr(s: VmSnap, j: number): { pg: number; slot: number } {
    const e = this.e;
    const i = s.p.i;
    if (j === 0 && s.alt) return { pg: e.altPg[i]!, slot: e.altSlot[i]! };
    if (j === 0 && s.ipVar) return { pg: e.nicPg[i * 3]!, slot: e.secSlot[i]! };
    return { pg: e.nicPg[i * 3 + j]!, slot: e.nicSlot[i * 3 + j]! };
  }

  mac24(p: Profile, j: number): number {
    const G = this.e.macGenerations;
    const id = (((p.gen + 1) % G) * 3 * this.N + p.i * 3 + j) % 2 ** 23;
    return 0x800000 | scramble(id, 23);
  }

  record(s: VmSnap, acc?: Acc): VmRecord {
    const e = this.e;
    const key = this.key;
    const p = s.p;
    const c = p.cluster;
    const host = e.hosts[s.host]!;
    const on = s.power === 'poweredOn';
    const toolsRunning = on && p.tools <= 1;
    const toolsStatus = p.tools === 3 ? 'toolsNotInstalled' : !on ? 'toolsNotRunning' : p.tools === 0 ? 'toolsOk' : p.tools === 1 ? 'toolsOld' : 'toolsNotRunning';
    const os = this.osOf(s);
    const cpus = CPU_LADDER[s.cpuIdx]!;
    const memoryMB = MEM_LADDER_MB[s.memIdx]!;
    const cps = p.oneSocket ? cpus : 1;
    let committed = 0;
    let uncommitted = 0;
    const nd = p.disks.length + s.adds;
    const disks: DiskRecord[] = new Array(nd);
    const dsList: number[] = [];
    for (let j = 0; j < nd; j++) {
      const d = p.disks[j];
      const size = d ? d.size + (j === p.growDisk ? s.level * p.growStep : 0) : j === p.disks.length ? p.add1 : p.add2;
      const thin = d ? d.thin : true;
      const used = d ? (thin ? size * d.frac : size) : size * 0.2;
      const dsi = this.diskDs(s, j);
      const ds = e.datastores[dsi]!;
      committed += used;
      uncommitted += size - used;
      if (!dsList.includes(dsi)) dsList.push(dsi);
      if (acc) {
        acc.dsUsed[dsi] += used * GIB;
        acc.dsUnc[dsi] += (size - used) * GIB;
      }
      disks[j] = {
        key: DISK_KEYS[j]!,
        label: DISK_LABELS[j]!,
        sizeGB: size,
        datastore: ds.name,
        datastoreRef: ds.ref,
        thin,
        backing: 'flat',
        uuid: uuid2(ph(key, 60 + j, p.i, p.gen), ph(key, 70 + j, p.i, p.gen), '6000C29'),
      };
    }
    const swapGB = on && !p.reserved ? memoryMB / 1024 : 0;
    committed += swapGB + 0.2;
    if (acc) acc.dsUsed[s.home] += (swapGB + 0.2) * GIB;
    const nn = e.seatNics[p.i]!;
    const nics: NicRecord[] = new Array(nn);
    const pgList: number[] = [];
    for (let j = 0; j < nn; j++) {
      const a = this.nicAddr(s, j);
      const pg = e.portgroups[a.pg]!;
      const m24 = this.mac24(p, j);
      let v4 = NONE;
      let v6 = NONE;
      if (toolsRunning) {
        if (!pg.trunk && a.slot >= 0) {
          v4 = [ipv4Str(pg.net + 10 + a.slot)];
          if (pg.v6) v6 = [pg.v6 + (10 + a.slot).toString(16)];
        }
        if (p.linkLocal) v6 = v6 === NONE ? [linkLocal(m24)] : [...v6, linkLocal(m24)];
      }
      if (!pgList.includes(a.pg)) pgList.push(a.pg);
      nics[j] = {
        key: NIC_KEYS[j]!,
        label: NIC_LABELS[j]!,
        mac: vmwareMac(m24),
        connected: on && !(j > 0 && hash3(key, 1400 + j, p.i, p.gen) % 50 === 0),
        network: pg.rec.name,
        networkRef: pg.rec.ref,
        vlanMode: pg.trunk ? 'trunk' : 'vlan',
        ipv4: v4,
        ipv6: v6,
      };
    }
    if (acc) {
      for (const d of dsList) acc.dsVms[d]++;
      for (const g of pgList) acc.pgVms[g]++;
    }
    const base = this.baseName(p);
    const rec: VmRecord = {
      ref: `vm-${p.refNum}`,
      name: s.suffix ? base + RENAME_SUFFIXES[s.suffix - 1] : base,
      instanceUuid: uuid2(ph(key, 130, p.i, p.gen), ph(key, 131, p.i, p.gen), '50'),
      biosUuid: uuid2(ph(key, 140, p.i, p.gen), ph(key, 141, p.i, p.gen), '42'),
      powerState: s.power,
      template: p.template,
      guestOs: p.os.config,
      osFamily: toolsRunning ? os.family : p.os.configFamily,
      toolsStatus,
      cpus,
      sockets: cpus / cps,
      coresPerSocket: cps,
      memoryMB,
      disks,
      nics,
      host: host.name,
      hostRef: host.ref,
      cluster: c.name,
      resourcePool: this.poolOf(p),
      folder: this.folderOf(p),
      datacenter: e.dcs[c.dc]!.name,
      datastores: this.nameList(dsList, 0),
      networks: this.nameList(pgList, 1),
      committedBytes: Math.round(committed * GIB),
      uncommittedBytes: Math.round(uncommitted * GIB),
      createdAt: isoSeconds(DEMO_EPOCH_S + p.created),
      customAttributes: this.attrsOf(p),
      hypervisor: 'esxi',
    };
    if (toolsRunning) {
      rec.guestOsTools = os.tools;
      rec.hostname = this.hostnameOf(p, base);
    }
    const ann = this.annotationOf(p);
    if (ann) rec.annotation = ann;
    addVmReport(rec, toolsStatus);
    return rec;
  }

  /** Expected use of every datastore by the original VMs, fully grown, sets its capacity. */
  /**
   * Storage placement, the way Storage DRS would leave it: every seat gets two balanced homes
   * (A, where it starts, and B, where a storage vMotion may take it and back), assigned greedily
   * from the largest VM down; datastores are then sized for the expected use of the original VMs,
   * fully grown, at the cluster's planned fill.
   */
  private planStorage(): void {
    const e = this.e;
    const need = new Float64Array(e.datastores.length);
    const use = new Float64Array(this.N);
    for (let i = 0; i < this.N; i++) {
      const p = this.profile(i, -1, -Infinity);
      let gb = 0.03 * (p.add1 + p.add2); // expected added disks
      p.disks.forEach((d, j) => {
        const size = d.size + (j === p.growDisk ? p.growMax * p.growStep : 0);
        gb += d.thin ? size * d.frac : size;
      });
      use[i] = gb + (p.reserved ? 0 : (MEM_LADDER_MB[p.memIdx]! / 1024) * 0.85) + 0.2;
    }
    for (const c of e.clusters) {
      const pool = c.nfs >= 0 ? [...c.primary, c.nfs] : c.primary.slice();
      const target = pool.map((d) => (d === c.nfs ? 0.08 : (c.nfs >= 0 ? 0.92 : 1) / c.primary.length));
      const load = new Float64Array(pool.length);
      // largest first: sort (use in 1/16 GB, seat) packed into one number, descending
      const keys = new Float64Array(c.seatCount);
      for (let k = 0; k < c.seatCount; k++) keys[k] = -(Math.round(use[c.seatStart + k]! * 16) * ID_SPACE + (ID_SPACE - 1 - (c.seatStart + k)));
      keys.sort();
      const seats = Array.from(keys, (x) => ID_SPACE - 1 - (-x % ID_SPACE));
      const best = (not: number, u: number) => {
        let bj = -1;
        let bv = Infinity;
        for (let j = 0; j < pool.length; j++) {
          if (j === not) continue;
          const v = (load[j]! + u) / target[j]!;
          if (v < bv) { bv = v; bj = j; }
        }
        return bj;
      };
      for (const i of seats) {
        // a VM is at its B home a quarter of the time; big ones (over 1 TB) stay put
        const big = use[i]! > 1000 || pool.length < 2;
        const a = best(-1, use[i]! * (big ? 1 : 0.75));
        load[a] += use[i]! * (big ? 1 : 0.75);
        const b = big ? a : best(a, use[i]! * 0.25);
        if (!big) load[b] += use[i]! * 0.25;
        this.homeA[i] = pool[a]!;
        this.homeB[i] = pool[b]!;
      }
      pool.forEach((d, j) => { need[d] += load[j]!; });
    }
    for (const c of e.clusters) {
      const sized = c.primary.filter((d) => e.datastores[d]!.type === 'VMFS');
      // LUNs of one pod have one size
      const per = sized.length ? Math.max(...sized.map((d) => need[d]!)) : 0;
      for (const d of c.primary) {
        const ds = e.datastores[d]!;
        const gb = ds.type === 'VMFS' ? per : need[d]!;
        ds.capacity = Math.max(ds.type === 'VMFS' ? 2 : 4, Math.ceil((gb * GIB + ds.fixedUsed) / c.fill / 2 ** 40)) * 2 ** 40;
      }
    }
    for (const ds of e.datastores) {
      if (!ds.vmPool || ds.capacity) continue;
      const fill = 0.6 + (hash3(this.key, 1700, ds.idx, 0) / U32) * 0.12;
      ds.capacity = Math.max(4, Math.ceil((need[ds.idx]! * GIB + ds.fixedUsed) / fill / 2 ** 40)) * 2 ** 40;
    }
  }

  // ------------------------------------------------------------------------------------------
  // hosts

  private maintWindow(h: number, t: number): { k: number; start: number; end: number } | null {
    const k = this.lastFired(CAT.MAINT, h, t, 0, this.prob(CAT.MAINT, h));
    if (k < 0) return null;
    const start = this.slotTime(CAT.MAINT, h, k);
    return { k, start, end: start + 1800 + (this.val(CAT.MAINT, h, k) % 7200) };
  }

  inMaintenance(h: number, t: number): boolean {
    if (h === this.e.anomalies.maintenanceHost) return true;
    const w = this.maintWindow(h, t);
    return w !== null && t < w.end;
  }

  /** Last boot (seconds): 5 minutes before the end of the last maintenance window. */
  hostBoot(h: number, t: number): number {
    const p = this.prob(CAT.MAINT, h);
    let k = this.lastFired(CAT.MAINT, h, t, 0, p);
    while (k >= 0) {
      const end = this.slotTime(CAT.MAINT, h, k) + 1800 + (this.val(CAT.MAINT, h, k) % 7200);
      if (end - 300 <= t) return end - 300;
      k = this.lastFired(CAT.MAINT, h, this.slotTime(CAT.MAINT, h, k) - 1, 0, p);
    }
    return this.e.hosts[h]!.baseBoot;
  }

  hostBuild(h: number, boot: number): { version: string; build: string } {
    const c = this.e.clusters[this.e.hosts[h]!.cluster]!;
    return this.e.buildAt(c.track, DEMO_EPOCH_MS + (boot - c.lagDays * DAY) * 1000);
  }

  /** An active host alarm window of `cat` at t. */
  private hostAlarm(cat: number, h: number, t: number): { start: number; end: number; v: number } | null {
    const k = this.lastFired(cat, h, t, 0, this.prob(cat, h));
    if (k < 0) return null;
    const start = this.slotTime(cat, h, k);
    const v = this.val(cat, h, k);
    const dur = cat === CAT.HALARM ? 600 + (v % 6600) : cat === CAT.HHW ? DAY + (v % (9 * DAY)) : 300 + (v % (4 * 3600 - 300));
    return t < start + dur ? { start, end: start + dur, v } : null;
  }

  private noise(h: number, salt: number, x: number): number {
    const i = Math.floor(x);
    const f = x - i;
    const a = u3(this.key, 1500 + salt, h, i) * 2 - 1;
    const b = u3(this.key, 1500 + salt, h, i + 1) * 2 - 1;
    const s = f * f * (3 - 2 * f);
    return a + (b - a) * s;
  }

  /** CPU and memory use (%) of a host at tf (seconds, fractional). */
  sample(h: number, tf: number, maint: boolean): { cpuPct: number; memPct: number } {
    const e = this.e;
    const host = e.hosts[h]!;
    const c = e.clusters[host.cluster]!;
    if (maint) return { cpuPct: round1(0.8 + 0.5 * this.noise(h, 1, tf / 60)), memPct: round1(3.5 + 0.5 * this.noise(h, 2, tf / 60)) };
    const local = tf + e.tz * 3600;
    const hour = mod(local / 3600, 24);
    const weekday = new Date(DEMO_EPOCH_MS + local * 1000).getUTCDay();
    const business = hour >= 7 && hour <= 19 ? Math.sin((Math.PI * (hour - 7)) / 12) : 0;
    const amp = (c.kind === 'prod' ? 14 : 7) * (weekday === 0 || weekday === 6 ? 0.35 : 1);
    let cpu = c.cpuBase + host.cpuOff + amp * business + 4 * Math.sin((2 * Math.PI * tf) / host.period + host.phase)
      + 3 * this.noise(h, 3, tf / 300) + 1.2 * this.noise(h, 4, tf / 45);
    let mem = c.memBase + host.memOff + 2 * Math.sin((2 * Math.PI * tf) / (3 * host.period) + host.phase) + 0.8 * this.noise(h, 5, tf / 900);
    const t = Math.floor(tf);
    const a = this.hostAlarm(CAT.HALARM, h, t);
    if (a) {
      if (a.v % 10 < 7) cpu = 88 + 5 * this.noise(h, 6, tf / 120) + 3;
      else mem = 93 + 2 * this.noise(h, 7, tf / 120);
    }
    return { cpuPct: round1(clamp(cpu, 0.5, 99.5)), memPct: round1(clamp(mem, 1, 99.5)) };
  }

  hostRecord(h: number, t: number, tf: number, maint: MaintMemo, s = this.sample(h, tf, maint.get(h))): HostRecord {
    const e = this.e;
    const host = e.hosts[h]!;
    const c = e.clusters[host.cluster]!;
    const inMaint = maint.get(h);
    const boot = this.hostBoot(h, t);
    const b = this.hostBuild(h, boot);
    const cores = c.cpu.cores * 2;
    // A disconnected host reports no usage and an unknown power state.
    const lost = h === e.anomalies.disconnectedHost;
    const rec: HostRecord = {
      ref: host.ref,
      name: host.name,
      cluster: c.name,
      datacenter: e.dcs[c.dc]!.name,
      vendor: c.server.vendor,
      model: c.server.model,
      serial: host.serial,
      cpuModel: c.cpu.model,
      cpuPackages: 2,
      cpuCores: cores,
      cpuThreads: cores * 2,
      cpuMhz: c.cpu.mhz,
      memoryMB: host.memMB,
      ...(lost ? {} : { cpuUsageMhz: Math.round((s.cpuPct / 100) * cores * c.cpu.mhz), memoryUsageMB: Math.round((s.memPct / 100) * host.memMB) }),
      uptimeSeconds: Math.max(0, t - boot),
      bootTime: iso(boot),
      version: b.version,
      build: b.build,
      connectionState: lost ? 'disconnected' : 'connected',
      powerState: lost ? 'unknown' : 'poweredOn',
      maintenance: inMaint,
      managementIp: host.mgmtIp,
      datastores: host.datastores,
      hypervisor: 'esxi',
      nics: e.anomalies.hostNics[h],
    };
    addHostReport(rec);
    return rec;
  }

  samples(now: Date): HostSampleRecord[] {
    const t = sec(now);
    const tf = (now.getTime() - DEMO_EPOCH_MS) / 1000;
    const time = now.toISOString();
    return this.e.hosts.flatMap((h, i) => (i === this.e.anomalies.disconnectedHost ? [] : [{ host: h.ref, time, ...this.sample(i, tf, this.inMaintenance(i, t)) }]));
  }

  /**
   * A host's history, as a vCenter's PerformanceManager would answer it: one sample every
   * `intervalS` seconds on the interval's grid, from < time <= to (the same curve as samples()).
   * Empty for an unknown host.
   */
  history(hostRef: string, from: Date, to: Date, intervalS: number): HostSampleRecord[] {
    const h = this.e.hosts.findIndex((x) => x.ref === hostRef);
    if (h < 0 || !(intervalS > 0)) return [];
    const step = intervalS * 1000;
    const out: HostSampleRecord[] = [];
    const last = Math.floor(to.getTime() / step) * step;
    for (let ms = Math.floor(from.getTime() / step) * step + step; ms <= last; ms += step) {
      const tf = (ms - DEMO_EPOCH_MS) / 1000;
      out.push({ host: hostRef, time: new Date(ms).toISOString(), ...this.sample(h, tf, this.inMaintenance(h, Math.floor(tf))) });
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // full retrieval

  full(now: Date, events: EventOptions | false = {}): Inventory {
    const e = this.e;
    const t = sec(now);
    const tf = (now.getTime() - DEMO_EPOCH_MS) / 1000;
    const time = now.toISOString();
    const maint = new MaintMemo(t, e.hosts.length, this);
    const acc: Acc = {
      dsUsed: new Float64Array(e.datastores.length),
      dsUnc: new Float64Array(e.datastores.length),
      dsVms: new Int32Array(e.datastores.length),
      pgVms: new Int32Array(e.portgroups.length),
    };
    const vms: VmRecord[] = [];
    const alarms: AlarmRecord[] = [];
    for (let i = 0; i < this.N; i++) {
      const s = this.snap(i, t, maint);
      if (!s) continue;
      const rec = this.record(s, acc);
      vms.push(rec);
      const a = this.vmAlarm(s, t);
      if (a) alarms.push({ ref: `alarm-${a.def.id}.${rec.ref}`, entity: rec.name, entityType: 'VirtualMachine', alarm: a.def.name, status: a.status, time: iso(a.start), acknowledged: false });
    }
    const hostSamples: HostSampleRecord[] = e.hosts.map((h, i) => ({ host: h.ref, time, ...this.sample(i, tf, maint.get(i)) }));
    const hosts = e.hosts.map((_, h) => this.hostRecord(h, t, tf, maint, hostSamples[h]));
    hostSamples.splice(e.anomalies.disconnectedHost, 1); // no stats from a disconnected host
    for (let h = 0; h < e.hosts.length; h++) alarms.push(...this.hostAlarms(h, t, maint));
    const datastores: DatastoreRecord[] = e.datastores.map((ds) => {
      const used = ds.fixedUsed + acc.dsUsed[ds.idx]!;
      const free = Math.max(ds.capacity * 0.008, ds.capacity - used);
      const mib = (x: number) => Math.round(x / MIB) * MIB;
      const rec: DatastoreRecord = {
        ref: ds.ref,
        name: ds.name,
        datacenter: e.dcs[ds.dc]!.name,
        ...(ds.pod >= 0 ? { datastoreCluster: e.pods[ds.pod]!.name } : {}),
        type: ds.type,
        capacityBytes: ds.capacity,
        freeBytes: mib(free),
        provisionedBytes: mib(ds.capacity - free + acc.dsUnc[ds.idx]! + ds.capacity * (e.anomalies.overcommit.get(ds.idx) ?? 0)),
        url: ds.url,
        accessible: !e.anomalies.inaccessible.has(ds.idx),
        maintenanceMode: 'normal',
        shared: ds.shared,
        hosts: ds.hosts,
        vms: acc.dsVms[ds.idx]!,
      };
      const fill = 1 - free / ds.capacity;
      if (fill >= 0.75) {
        const day = Math.floor(t / DAY) * DAY;
        alarms.push({
          ref: `alarm-${ALARMS.dsUsage.id}.${ds.ref}`, entity: ds.name, entityType: 'Datastore', alarm: ALARMS.dsUsage.name,
          status: fill >= 0.85 ? 'critical' : 'warning', time: iso(day - (hash3(this.key, 1600, ds.idx, 0) % (3 * DAY))), acknowledged: fill < 0.85,
        });
      }
      return rec;
    });
    const datastoreClusters: DatastoreClusterRecord[] = e.pods.map((pod) => {
      let cap = 0;
      let free = 0;
      for (const d of pod.ds) {
        cap += datastores[d]!.capacityBytes;
        free += datastores[d]!.freeBytes;
      }
      return { ref: pod.ref, name: pod.name, datacenter: e.dcs[pod.dc]!.name, capacityBytes: cap, freeBytes: free };
    });
    const clusters: ClusterRecord[] = e.clusters.map((c) => {
      let mem = 0;
      for (let h = c.hostStart; h < c.hostStart + c.hostCount; h++) mem += e.hosts[h]!.memMB;
      return {
        ref: c.ref, name: c.name, datacenter: e.dcs[c.dc]!.name, hosts: c.hostCount,
        cpuMhz: c.hostCount * c.cpu.cores * 2 * c.cpu.mhz, memoryMB: mem, drs: c.drs, ha: c.ha,
      };
    });
    const portgroups: PortgroupRecord[] = [
      ...e.portgroups.map((pg) => ({ ...pg.rec, vms: acc.pgVms[pg.idx]! })),
      ...e.standardPgs,
    ];
    return {
      datacenters: e.dcs.map((d) => ({ ref: d.ref, name: d.name })),
      clusters,
      hosts,
      vms,
      datastoreClusters,
      datastores,
      switches: [...e.dvs.map((d) => d.rec), ...(this.vss ??= e.vss.map((x) => { const r = { ...x }; addSwitchReport(r); return r; }))],
      portgroups,
      vmkernels: e.vmkernels.slice(),
      alarms,
      events: events === false ? [] : this.events(new Date(events.since?.getTime() ?? now.getTime() - DAY * 1000), now, events.max ?? 1000),
      hostSamples,
    };
  }

  private vmAlarmDef(v: number): { def: AlarmDef; dur: number; needsOn: boolean; status: Severity } {
    const kind = pick(VM_ALARM_W, ((v >>> 8) % 1000) / 1000);
    const crit = (v & 7) < 3;
    switch (kind) {
      case 0: return { def: ALARMS.vmCpu, dur: 900 + (v % 6300), needsOn: true, status: crit ? 'critical' : 'warning' };
      case 1: return { def: ALARMS.vmMem, dur: 900 + (v % 6300), needsOn: true, status: crit ? 'critical' : 'warning' };
      case 2: return { def: ALARMS.vmReady, dur: 1800 + (v % 19800), needsOn: true, status: 'warning' };
      case 3: return { def: ALARMS.vmConsolidation, dur: DAY + (v % (3 * DAY)), needsOn: false, status: 'warning' };
      default: return { def: ALARMS.vmSnapshot, dur: DAY + (v % (4 * DAY)), needsOn: false, status: 'warning' };
    }
  }

  private vmAlarm(s: VmSnap, t: number): { def: AlarmDef; status: Severity; start: number } | null {
    const i = s.p.i;
    const k = this.lastFired(CAT.VALARM, i, t, this.kmin(CAT.VALARM, i, s.p.birth), this.prob(CAT.VALARM, i));
    if (k < 0) return null;
    const start = this.slotTime(CAT.VALARM, i, k);
    const a = this.vmAlarmDef(this.val(CAT.VALARM, i, k));
    if (t >= start + a.dur || (a.needsOn && s.power !== 'poweredOn')) return null;
    return { def: a.def, status: a.status, start };
  }

  private hostAlarmInfo(cat: number, v: number): { def: AlarmDef; status: Severity; ack: boolean } {
    if (cat === CAT.HALARM) return { def: v % 10 < 7 ? ALARMS.hostCpu : ALARMS.hostMem, status: (v >>> 5) % 5 < 2 ? 'critical' : 'warning', ack: false };
    if (cat === CAT.HHW) {
      const defs = [ALARMS.hostFan, ALARMS.hostPower, ALARMS.hostMemHw, ALARMS.hostStorage];
      return { def: defs[(v >>> 3) % 4]!, status: (v >>> 7) % 2 ? 'critical' : 'warning', ack: (v >>> 9) % 5 < 2 };
    }
    return { def: ALARMS.uplink, status: 'warning', ack: false };
  }

  private hostAlarms(h: number, t: number, maint: MaintMemo): AlarmRecord[] {
    const host = this.e.hosts[h]!;
    const out: AlarmRecord[] = [];
    for (const cat of [CAT.HALARM, CAT.HHW, CAT.HNET]) {
      const w = this.hostAlarm(cat, h, t);
      if (!w || (cat === CAT.HALARM && maint.get(h))) continue;
      const a = this.hostAlarmInfo(cat, w.v);
      out.push({ ref: `alarm-${a.def.id}.${host.ref}`, entity: host.name, entityType: 'HostSystem', alarm: a.def.name, status: a.status, time: iso(w.start), acknowledged: a.ack });
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // live changes

  changesBetween(from: Date, to: Date): DemoChanges {
    const t1 = sec(from);
    const t2 = sec(to);
    const out: DemoChanges = { vms: [], removedVms: [], hosts: [] };
    if (t1 === t2) return out;
    const lo = Math.min(t1, t2);
    const hi = Math.max(t1, t2);
    const e = this.e;
    const mark = new Set<number>();
    const inWin = (t: number) => t > lo && t <= hi;
    for (const cat of VM_CATS) {
      this.forSlots(cat, lo - (TAIL[cat] ?? 0), hi, (i, k) => {
        if (!this.fires(cat, i, k, this.prob(cat, i))) return;
        const T = this.slotTime(cat, i, k);
        // the instants at which a fired slot changes something
        if (inWin(T)
          || (cat === CAT.POWER && inWin(T + this.powerWindow(i, k)))
          || (cat === CAT.REPLACE && inWin(T + this.replaceGap(i, k)))) mark.add(i);
      });
      if (SHIFTED.includes(cat)) {
        this.forShifted(cat, lo, hi, (i, k) => {
          if (this.fires(cat, i, k, this.prob(cat, i))) mark.add(i);
        });
      }
    }
    const hostMark: number[] = [];
    for (let h = 0; h < e.hosts.length; h++) {
      let hit = false;
      this.slotsOf(CAT.MAINT, h, lo - TAIL[CAT.MAINT]!, hi, (_, k) => {
        if (hit || !this.fires(CAT.MAINT, h, k, this.prob(CAT.MAINT, h))) return;
        const start = this.slotTime(CAT.MAINT, h, k);
        const end = start + 1800 + (this.val(CAT.MAINT, h, k) % 7200);
        for (const x of [start, end - 300, end]) if (x > lo && x <= hi) hit = true;
      });
      if (!hit) continue;
      hostMark.push(h);
      const c = e.clusters[e.hosts[h]!.cluster]!;
      for (let i = c.seatStart; i < c.seatStart + c.seatCount; i++) mark.add(i);
    }
    const m1 = new MaintMemo(t1, e.hosts.length, this);
    const m2 = new MaintMemo(t2, e.hosts.length, this);
    for (const i of [...mark].sort((a, b) => a - b)) {
      const s1 = this.snap(i, t1, m1);
      const s2 = this.snap(i, t2, m2);
      const r1 = s1 ? this.record(s1) : null;
      const r2 = s2 ? this.record(s2) : null;
      if (r1 && (!r2 || r2.ref !== r1.ref)) out.removedVms.push(r1.ref);
      if (r2 && (!r1 || r1.ref !== r2.ref || JSON.stringify(r1) !== JSON.stringify(r2))) out.vms.push(r2);
    }
    const tf = (to.getTime() - DEMO_EPOCH_MS) / 1000;
    out.hosts = hostMark.map((h) => this.hostRecord(h, t2, tf, m2));
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // events

  /** The newest `max` events with from < time <= to, oldest first, keys increasing. */
  events(from: Date, to: Date, max = 1000): EventRecord[] {
    const a = sec(from);
    const b = sec(to);
    if (b <= a || max <= 0) return [];
    const rate = (this.N * 11 + this.e.hosts.length * 0.5 + 60) / DAY; // events per second, roughly
    let span = Math.max(60, Math.ceil((1.3 * max) / rate));
    let hi = b;
    const all: EventRecord[] = [];
    while (hi > a) {
      const lo = Math.max(a, hi - span);
      const got = this.eventsIn(lo, hi);
      all.push(...got);
      if (all.length >= max) break;
      hi = lo;
      span *= 2;
    }
    const seen = new Set<string>();
    const uniq = all.filter((x) => (seen.has(x.ref) ? false : (seen.add(x.ref), true)));
    uniq.sort((x, y) => Number(x.ref) - Number(y.ref));
    return uniq.length > max ? uniq.slice(uniq.length - max) : uniq;
  }

  private ev(t: number, cat: number, id: number, type: string, severity: Severity, message: string, entity?: string, user?: string): EventRecord {
    const rec: EventRecord = { ref: String((t * 32 + cat) * ID_SPACE + id), time: iso(t), type, severity, message };
    if (entity !== undefined) rec.entity = entity;
    if (user !== undefined) rec.user = user;
    return rec;
  }

  private operator(v: number): string {
    return v % 3 === 0 ? AUTOMATION[(v >>> 3) % AUTOMATION.length]! : OPERATORS[(v >>> 3) % OPERATORS.length]!;
  }

  /** Events with lo < time <= hi. */
  private eventsIn(lo: number, hi: number): EventRecord[] {
    const e = this.e;
    const out: EventRecord[] = [];
    const memos = new Map<number, MaintMemo>();
    const memo = (t: number) => {
      let m = memos.get(t);
      if (!m) memos.set(t, (m = new MaintMemo(t, e.hosts.length, this, false)));
      return m;
    };
    const inWin = (t: number) => t > lo && t <= hi;
    const at = (i: number, t: number) => this.snap(i, t, memo(t));
    const dcOf = (s: VmSnap) => e.dcs[s.p.cluster.dc]!.name;
    const hostName = (h: number) => e.hosts[h]!.name;

    for (const cat of [...VM_CATS, CAT.VALARM]) {
      this.forSlots(cat, lo - (TAIL[cat] ?? 0), hi, (i, k) => {
        const p = this.prob(cat, i);
        if (p <= 0) return;
        const h = hash3(this.key, cat, i, k);
        const T = this.slotTime(cat, i, k);
        const v = this.val(cat, i, k);
        if (cat === CAT.VMOTION && h >= p * U32 && h < (p + VMOTION_FAIL) * U32 && inWin(T)) {
          const s = at(i, T);
          if (s && s.power === 'poweredOn') {
            const c = s.p.cluster;
            const dst = c.hostStart + ((s.host - c.hostStart + 1 + (v % Math.max(1, c.hostCount - 1))) % c.hostCount);
            const ds = e.datastores[s.home]!.name;
            out.push(this.ev(T, cat, i, 'VmFailedMigrateEvent', 'critical',
              `Cannot migrate ${this.vmName(s)} from ${hostName(s.host)}, ${ds} to ${hostName(dst)}, ${ds} in ${dcOf(s)}`, this.vmName(s)));
          }
          return;
        }
        if (h >= p * U32) return;
        if (cat === CAT.REPLACE) {
          if (inWin(T)) {
            const s = at(i, T - 1);
            if (s) out.push(this.ev(T, cat, i, 'VmRemovedEvent', 'info', `Removed ${this.vmName(s)} on ${hostName(s.host)} from ${dcOf(s)}`, this.vmName(s), this.operator(v)));
          }
          const born = T + this.replaceGap(i, k);
          if (inWin(born)) {
            const s = at(i, born);
            if (s) {
              const name = this.vmName(s);
              const tpl = this.templates.find((x) => x.slug === s.p.os.slug) ?? this.templates[(v >>> 9) % Math.max(1, this.templates.length)];
              out.push(tpl && (v >>> 7) % 5 < 3
                ? this.ev(born, CAT.CREATE, i, 'VmDeployedEvent', 'info', `Template ${tpl.name} deployed to ${name} on host ${hostName(s.host)} in ${dcOf(s)}`, name, this.operator(v >>> 2))
                : this.ev(born, CAT.CREATE, i, 'VmCreatedEvent', 'info', `Created virtual machine ${name} on ${hostName(s.host)} in ${dcOf(s)}`, name, this.operator(v >>> 2)));
            }
          }
          return;
        }
        if (cat === CAT.VALARM) {
          const s = at(i, T);
          if (!s || s.p.birth >= T) return;
          const a = this.vmAlarmDef(v);
          if (a.needsOn && s.power !== 'poweredOn') return;
          const name = this.vmName(s);
          const color = a.status === 'critical' ? 'Red' : 'Yellow';
          if (inWin(T)) out.push(this.ev(T, cat, i, 'AlarmStatusChangedEvent', a.status, `Alarm '${a.def.name}' on ${name} changed from Green to ${color}`, name));
          const end = T + a.dur;
          if (inWin(end)) {
            const s2 = at(i, end);
            if (s2 && s2.p.refNum === s.p.refNum) out.push(this.ev(end, cat, i, 'AlarmStatusChangedEvent', 'info', `Alarm '${a.def.name}' on ${this.vmName(s2)} changed from ${color} to Green`, this.vmName(s2)));
          }
          return;
        }
        const instants = cat === CAT.POWER ? [T, T + this.powerWindow(i, k)] : [T];
        instants.forEach((tau, n) => {
          if (!inWin(tau)) return;
          const s0 = at(i, tau - 1);
          const s1 = at(i, tau);
          if (!s0 || !s1 || s0.p.refNum !== s1.p.refNum) return;
          const x = this.vmEvent(cat, s0, s1, v);
          if (x) out.push(this.ev(tau, n ? CAT.POWERON : cat, i, x.type, x.severity ?? 'info', x.message, this.vmName(s1), x.user));
        });
      });
    }

    // second instants: renames before a VM is destroyed, resizes reverted
    for (const cat of SHIFTED) {
      this.forShifted(cat, lo, hi, (i, k) => {
        if (!this.fires(cat, i, k, this.prob(cat, i))) return;
        const tau = this.slotTime(cat, i, k) + this.shift(cat, i);
        if (!inWin(tau) || (cat === CAT.REPLACE && !this.renamedBefore(i, k))) return;
        const s0 = at(i, tau - 1);
        const s1 = at(i, tau);
        if (!s0 || !s1 || s0.p.refNum !== s1.p.refNum) return;
        const v = this.val(cat, i, k);
        if (cat === CAT.REPLACE) {
          if (s0.suffix !== s1.suffix) {
            out.push(this.ev(tau, CAT.RENAME, i, 'VmRenamedEvent', 'info', `Renamed ${this.vmName(s0)} to ${this.vmName(s1)} in ${dcOf(s1)}`, this.vmName(s1), this.operator(v >>> 3)));
          }
          return;
        }
        const x = this.vmEvent(cat, s0, s1, v >>> 1);
        if (x) out.push(this.ev(tau, CAT.HWEND, i, x.type, 'info', x.message, this.vmName(s1), x.user));
      });
    }

    // hosts: maintenance (with the VMs it moves), reboots, upgrades, alarms
    for (let h = 0; h < e.hosts.length; h++) {
      const host = e.hosts[h]!;
      const c = e.clusters[host.cluster]!;
      const dc = e.dcs[c.dc]!.name;
      this.slotsOf(CAT.MAINT, h, lo - TAIL[CAT.MAINT]!, hi, (_, k) => {
        if (!this.fires(CAT.MAINT, h, k, this.prob(CAT.MAINT, h))) return;
        const start = this.slotTime(CAT.MAINT, h, k);
        const v = this.val(CAT.MAINT, h, k);
        const end = start + 1800 + (v % 7200);
        const user = this.operator(v >>> 4);
        const evac = (tau: number) => {
          for (let i = c.seatStart; i < c.seatStart + c.seatCount; i++) {
            const s0 = at(i, tau - 1);
            const s1 = at(i, tau);
            if (!s0 || !s1 || s0.p.refNum !== s1.p.refNum || s0.host === s1.host) continue;
            out.push(this.ev(tau, CAT.EVAC, i, 'DrsVmMigratedEvent', 'info',
              `DRS migrated ${this.vmName(s1)} from ${hostName(s0.host)} to ${hostName(s1.host)} in cluster ${c.name} in ${dc}`, this.vmName(s1)));
          }
        };
        if (inWin(start)) {
          out.push(this.ev(start, CAT.MAINT, h, 'EnteredMaintenanceModeEvent', 'info', `Host ${host.name} in ${dc} has entered maintenance mode`, host.name, user));
          evac(start);
        }
        if (inWin(end - 300)) {
          out.push(this.ev(end - 300, CAT.BOOT, h, 'esx.audit.host.boot', 'info', 'Host has booted.', host.name));
          const before = this.hostBuild(h, this.hostBoot(h, end - 301));
          const after = this.hostBuild(h, end - 300);
          if (before.build !== after.build) {
            out.push(this.ev(end - 300, CAT.REMEDIATE, h, 'com.vmware.vc.host.Remediated', 'info',
              `Host ${host.name} remediated from ESXi ${before.version} build ${before.build} to ESXi ${after.version} build ${after.build}`, host.name, user));
          }
        }
        if (inWin(end)) {
          out.push(this.ev(end, CAT.MAINT, h, 'ExitMaintenanceModeEvent', 'info', `Host ${host.name} in ${dc} has exited maintenance mode`, host.name, user));
          evac(end);
        }
      });
      for (const cat of [CAT.HALARM, CAT.HHW, CAT.HNET]) {
        this.slotsOf(cat, h, lo - TAIL[cat]!, hi, (_, k) => {
          if (!this.fires(cat, h, k, this.prob(cat, h))) return;
          const start = this.slotTime(cat, h, k);
          const v = this.val(cat, h, k);
          const w = this.hostAlarm(cat, h, start);
          if (!w || (cat === CAT.HALARM && this.inMaintenance(h, start))) return;
          const a = this.hostAlarmInfo(cat, v);
          const color = a.status === 'critical' ? 'Red' : 'Yellow';
          if (inWin(start)) out.push(this.ev(start, cat, h, 'AlarmStatusChangedEvent', a.status, `Alarm '${a.def.name}' on ${host.name} changed from Green to ${color}`, host.name));
          if (inWin(w.end)) out.push(this.ev(w.end, cat, h, 'AlarmStatusChangedEvent', 'info', `Alarm '${a.def.name}' on ${host.name} changed from ${color} to Green`, host.name));
        });
      }
    }

    // sessions of people and service accounts
    SESSION_USERS.forEach((u, id) => {
      this.slotsOf(CAT.LOGIN, id, lo - TAIL[CAT.LOGIN]!, hi, (_, k) => {
        if (!this.fires(CAT.LOGIN, id, k, this.prob(CAT.LOGIN, id))) return;
        const start = this.slotTime(CAT.LOGIN, id, k);
        const v = this.val(CAT.LOGIN, id, k);
        const end = start + 60 + (v % 7140);
        const ip = `172.31.${e.octet}.${20 + id}`;
        if (inWin(start)) out.push(this.ev(start, CAT.LOGIN, id, 'UserLoginSessionEvent', 'info', `User ${u.user}@${ip} logged in as ${u.agent}`, undefined, u.user));
        if (inWin(end)) {
          out.push(this.ev(end, CAT.LOGOUT, id, 'UserLogoutSessionEvent', 'info',
            `User ${u.user}@${ip} logged out (login time: ${iso(start)}, number of API invocations: ${v % 5000}, user agent: ${u.agent})`, undefined, u.user));
        }
      });
    });
    return out;
  }

  private vmEvent(cat: number, s0: VmSnap, s1: VmSnap, v: number): { type: string; message: string; severity?: Severity; user?: string } | null {
    const e = this.e;
    const name = this.vmName(s1);
    const host = e.hosts[s1.host]!.name;
    const dc = e.dcs[s1.p.cluster.dc]!.name;
    const reconf = (what: string) => ({ type: 'VmReconfiguredEvent', message: `Reconfigured ${name} on ${host} in ${dc}. ${what}`, user: this.operator(v) });
    switch (cat) {
      case CAT.POWER:
        if (s0.power === s1.power) return null;
        return {
          type: s1.power === 'poweredOn' ? 'VmPoweredOnEvent' : s1.power === 'suspended' ? 'VmSuspendedEvent' : 'VmPoweredOffEvent',
          message: `${name} on ${host} in ${dc} is ${s1.power === 'poweredOn' ? 'powered on' : s1.power === 'suspended' ? 'suspended' : 'powered off'}`,
          user: this.operator(v >>> 1),
        };
      case CAT.VMOTION: {
        if (s0.host === s1.host) return null;
        const from = e.hosts[s0.host]!.name;
        if ((v >>> 9) % 5 === 0) {
          const ds = e.datastores[s1.home]!.name;
          return { type: 'VmMigratedEvent', message: `Migration of virtual machine ${name} from ${from}, ${ds} to ${host}, ${ds} completed`, user: this.operator(v) };
        }
        return { type: 'DrsVmMigratedEvent', message: `DRS migrated ${name} from ${from} to ${host} in cluster ${s1.p.cluster.name} in ${dc}` };
      }
      case CAT.SVMOTION: {
        if (s0.home === s1.home) return null;
        const from = e.datastores[s0.home]!.name;
        const to = e.datastores[s1.home]!.name;
        if ((v >>> 9) % 5 < 3 && s1.p.cluster.pod >= 0) {
          return { type: 'com.vmware.vc.sdrs.StorageDrsStorageMigrationEvent', message: `Storage DRS migrated disks of VM ${name} from ${from} to datastore ${to}` };
        }
        return { type: 'VmRelocatedEvent', message: `Virtual machine ${name} was relocated from ${host}, ${from} in ${dc} to ${host}, ${to} in ${dc}`, user: this.operator(v) };
      }
      case CAT.HW: {
        const parts: string[] = [];
        if (s0.cpuIdx !== s1.cpuIdx) parts.push(`config.hardware.numCPU: ${CPU_LADDER[s0.cpuIdx]} -> ${CPU_LADDER[s1.cpuIdx]}`);
        if (s0.memIdx !== s1.memIdx) parts.push(`config.hardware.memoryMB: ${MEM_LADDER_MB[s0.memIdx]} -> ${MEM_LADDER_MB[s1.memIdx]}`);
        return parts.length ? reconf(`Modified: ${parts.join('; ')};`) : null;
      }
      case CAT.GROW: {
        if (s0.level === s1.level) return null;
        const j = s1.p.growDisk;
        const kb = (lvl: number) => (s1.p.disks[j]!.size + lvl * s1.p.growStep) * 1024 * 1024;
        return reconf(`Modified: config.hardware.device(${2000 + j}).capacityInKB: ${kb(s0.level)} -> ${kb(s1.level)} (Hard disk ${j + 1});`);
      }
      case CAT.DISKADD: {
        if (s0.adds === s1.adds) return null;
        const j = s1.p.disks.length + s1.adds - 1;
        return reconf(`Added: config.hardware.device(${2000 + j}) (Hard disk ${j + 1}, ${s1.adds === 1 ? s1.p.add1 : s1.p.add2} GB on ${e.datastores[s1.home]!.name});`);
      }
      case CAT.NIC: {
        if (s0.alt === s1.alt) return null;
        const a = e.portgroups[this.nicAddr(s0, 0).pg]!.rec;
        const b = e.portgroups[this.nicAddr(s1, 0).pg]!.rec;
        return reconf(`Modified: config.hardware.device(4000).backing.port.portgroupKey: "${a.ref}" -> "${b.ref}" (Network adapter 1: ${a.name} -> ${b.name});`);
      }
      case CAT.IP: {
        if (s0.ipVar === s1.ipVar || s1.power !== 'poweredOn' || s1.p.tools > 1) return null;
        const ip = (s: VmSnap) => {
          const x = this.nicAddr(s, 0);
          return ipv4Str(e.portgroups[x.pg]!.net + 10 + x.slot);
        };
        return { type: 'com.vmware.vc.vm.GuestIpChanged', message: `Guest IP address of ${name} changed from ${ip(s0)} to ${ip(s1)}` };
      }
      case CAT.OS:
        if (s0.upgraded === s1.upgraded) return null;
        return { type: 'com.vmware.vc.vm.GuestOsChanged', message: `Guest OS of ${name} changed from ${this.osOf(s0).tools} to ${this.osOf(s1).tools}` };
      default:
        return null;
    }
  }
}
