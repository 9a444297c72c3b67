// The static part of one demo vCenter: datacenters, clusters, hosts, datastores, switches,
// portgroups, VMkernel adapters and the VM "seats" (a seat is a slot in a cluster that one VM
// occupies at a time; a destroyed VM's seat is later taken by a new VM with a new ref).
// Everything is derived from (site, vms, seed); nothing here depends on time.

import type { PortgroupRecord, SwitchRecord, VmkernelRecord } from '../../model/records.js';
import {
  ALT_ZONE, ESXI_BUILDS, ESXI_TRACKS, NIC_OUIS, ROLES, SERVERS, SITES, awkwardNames,
  type ClusterKind, type CpuSpec, type Role, type ServerSpec, type Zone,
} from './catalog.js';
import { hash3, hashStr, ipv4, macOf, mulberry32, u3, weighted } from './rand.js';
import { buildTopology, type Anomalies } from './topology.js';

export const MAX_DEMO_VMS = 200_000;
export const DOMAIN = 'corp.example';
const TIB = 2 ** 40;

export interface DcInfo { ref: string; name: string; slug: string }

export interface ClusterInfo {
  idx: number;
  ref: string;
  name: string;
  slug: string; // ams-p01
  kind: ClusterKind;
  dc: number;
  hostStart: number;
  hostCount: number;
  seatStart: number;
  seatCount: number;
  /** datastores VM homes are picked from: pod members or the vSAN datastore */
  primary: number[];
  /** a shared NFS datastore some VMs live on, or -1 */
  nfs: number;
  pod: number;
  vsan: boolean;
  server: ServerSpec;
  cpu: CpuSpec;
  memGB: number;
  track: string;
  lagDays: number;
  cpuBase: number;
  memBase: number;
  drs: boolean;
  ha: boolean;
  /** planned fill of its datastores */
  fill: number;
}

export interface HostInfo {
  idx: number;
  ref: string;
  name: string;
  cluster: number;
  dc: number;
  serial: string;
  memMB: number;
  mgmtIp: string;
  /** boot time before the first change (seconds relative to the demo epoch, negative) */
  baseBoot: number;
  cpuOff: number;
  memOff: number;
  period: number;
  phase: number;
  datastores: string[];
}

export type DsType = 'VMFS' | 'NFS' | 'NFS41' | 'vsan';

export interface DsInfo {
  idx: number;
  ref: string;
  name: string;
  dc: number;
  pod: number;
  type: DsType;
  capacity: number;
  url: string;
  shared: boolean;
  hostIdx: number[];
  hosts: string[];
  /** bytes used by things other than VMs (VMFS metadata, ISOs, scratch) */
  fixedUsed: number;
  vmPool: boolean;
}

export interface PodInfo { ref: string; name: string; dc: number; ds: number[] }

export interface PgInfo {
  idx: number;
  rec: PortgroupRecord;
  zone: Zone | 'vmotion' | 'vsan' | 'uplinks';
  dc: number;
  dvs: number;
  net: number; // first address (uint32)
  size: number;
  used: number; // address slots handed out
  v6?: string;
  trunk: boolean;
}

export interface DvsInfo { idx: number; rec: SwitchRecord; dc: number; dmz: boolean; hostIdx: number[] }

export const SPECIAL = { none: 0, template: 1, awkward: 2, dup: 3 } as const;

const KIND_LETTER: Record<ClusterKind, string> = { prod: 'p', dev: 'd', dmz: 'z', mgmt: 'm' };
const KIND_SHARE: Record<ClusterKind, number> = { prod: 0.6, dev: 0.2, dmz: 0.1, mgmt: 0.1 };
const ZONE_ORDER: Zone[] = ['prod', 'web', 'app', 'db', 'k8s', 'dmz', 'dev', 'test', 'mgmt', 'backup', 'dmzbackup', 'repl'];
const ZONE_CODE = new Map<Zone, number>(ZONE_ORDER.map((z, i) => [z, i]));
const ZONE_TRUNK = 200;
const NO_ZONE = 255;
const TEMPLATE_OS = ['win2022', 'win2019', 'rhel9', 'rhel8', 'ubuntu2204', 'ubuntu2404', 'sles15', 'photon5', 'debian12', 'win2016'];

// salts for per-seat hashes
const S_ROLE = 501, S_NIC = 502, S_MOVE = 503, S_IPCHG = 504, S_PG = 505, S_ALT = 506, S_POWER = 507;

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export class Estate {
  readonly site: string;
  readonly vms: number;
  readonly seed: number;
  /**
   * The benchmark topology (demo URL topo=dense): 50 VMs per host, a local datastore on every
   * host, about 23 VMs per VMFS datastore and 100 per portgroup. At 100,000 VMs over the
   * default three vCenters: 2,000 hosts, about 5,000 datastores and 1,000 portgroups.
   */
  readonly dense: boolean;
  /** the hash key of this vCenter: seed mixed with the site name */
  readonly key: number;
  readonly octet: number;
  readonly tz: number;
  readonly vcenter: string;

  readonly dcs: DcInfo[] = [];
  readonly clusters: ClusterInfo[] = [];
  readonly hosts: HostInfo[] = [];
  readonly datastores: DsInfo[] = [];
  readonly pods: PodInfo[] = [];
  readonly dvs: DvsInfo[] = [];
  readonly portgroups: PgInfo[] = [];
  readonly vss: SwitchRecord[] = [];
  readonly standardPgs: PortgroupRecord[] = [];
  readonly vmkernels: VmkernelRecord[] = [];

  // seats
  readonly seatCluster: Uint16Array;
  readonly seatRole: Uint8Array;
  readonly seatNum: Uint32Array;
  readonly seatSpecial: Uint8Array;
  readonly seatSpecialIdx: Uint16Array;
  readonly seatPower: Uint8Array; // 0 usually on, 1 usually off, 2 usually suspended
  readonly seatNics: Uint8Array;
  readonly nicPg: Int32Array; // [seat * 3 + nic]
  readonly nicSlot: Int32Array;
  readonly altPg: Int32Array; // nic 0 can move to this portgroup (-1: never moves)
  readonly altSlot: Int32Array;
  readonly secSlot: Int32Array; // nic 0 can change to this address slot in its home portgroup (-1: never)
  readonly roleCount: Uint32Array;
  readonly roleWidth: Uint8Array;
  readonly awkward: string[];
  readonly templateOs: string[];
  /** first moref number for VMs that exist from the start, and for VMs created later */
  readonly vmRefBase: number;
  readonly vmGenRefBase: number;
  /** generations of MAC addresses that fit in 2^23 ids */
  readonly macGenerations: number;
  readonly mgmtVlan: number;
  /** host NICs and the misconfigurations placed on purpose (see topology.ts) */
  readonly anomalies: Anomalies;

  private nextRef = 1;

  constructor(site: string, vms: number, seed: number, dense = false) {
    this.site = site;
    this.vms = vms;
    this.seed = seed;
    this.dense = dense;
    this.key = hash3(seed, hashStr(site), 0x5eed, vms);
    const known = SITES[site];
    this.octet = known?.octet ?? 100 + (hashStr(site) % 15) * 10;
    this.tz = known?.tz ?? 0;
    this.vcenter = `vc-${site}.${DOMAIN}`;
    this.awkward = awkwardNames(site);
    const N = vms;
    this.seatCluster = new Uint16Array(N);
    this.seatRole = new Uint8Array(N);
    this.seatNum = new Uint32Array(N);
    this.seatSpecial = new Uint8Array(N);
    this.seatSpecialIdx = new Uint16Array(N);
    this.seatPower = new Uint8Array(N);
    this.seatNics = new Uint8Array(N);
    this.nicPg = new Int32Array(N * 3).fill(-1);
    this.nicSlot = new Int32Array(N * 3).fill(-1);
    this.altPg = new Int32Array(N).fill(-1);
    this.altSlot = new Int32Array(N).fill(-1);
    this.secSlot = new Int32Array(N).fill(-1);
    this.roleCount = new Uint32Array(ROLES.length);
    this.roleWidth = new Uint8Array(ROLES.length);
    this.templateOs = [];

    const rng = mulberry32(this.key);
    const dcCount = Math.min(known?.dcs ?? 1 + (hashStr(site) & 1), N >= 1000 ? 2 : 1);
    this.buildClusters(rng, dcCount);
    this.buildHosts(rng);
    this.buildStorage(rng);
    this.buildSeats();
    const { mgmtVlan } = this.buildNetwork(rng);
    this.mgmtVlan = mgmtVlan;
    this.buildHostNetworking(rng);
    this.anomalies = buildTopology(this);
    this.vmRefBase = this.nextRef + 100;
    this.vmGenRefBase = this.vmRefBase + 3 * N + 1000;
    this.macGenerations = Math.max(1, Math.floor(2 ** 23 / Math.max(1, 3 * N)));
    // records and lists handed out by every retrieval are shared: make mutation fail loudly
    for (const h of this.hosts) Object.freeze(h.datastores);
    for (const d of this.datastores) Object.freeze(d.hosts);
    for (const d of this.dvs) deepFreeze(d.rec);
    for (const p of this.portgroups) deepFreeze(p.rec);
    for (const x of [...this.vss, ...this.standardPgs, ...this.vmkernels, ...this.anomalies.hostNics]) deepFreeze(x);
  }

  private ref(prefix: string): string {
    return `${prefix}${this.nextRef++}`;
  }

  // ------------------------------------------------------------------------------------------
  private buildClusters(rng: () => number, dcCount: number): void {
    const N = this.vms;
    const S = this.site.toUpperCase();
    for (let d = 0; d < dcCount; d++) {
      this.dcs.push({ ref: this.ref('datacenter-'), name: `${S}-DC${d + 1}`, slug: dcCount > 1 ? `${this.site}${d + 1}` : this.site });
    }
    const drawn = 25 + Math.floor(rng() * 16); // VMs per host
    const perHost = this.dense ? 50 : drawn;
    const kinds: ClusterKind[] = N >= 400 ? ['prod', 'dev', 'dmz', 'mgmt'] : N >= 150 ? ['prod', 'dev', 'mgmt'] : N >= 40 ? ['prod', 'dev'] : ['prod'];
    const shareSum = kinds.reduce((a, k) => a + KIND_SHARE[k], 0);
    const minHosts = N >= 600 ? 8 : N >= 200 ? 4 : 2;
    let seatsLeft = N;
    const plan: Array<{ kind: ClusterKind; num: number; hosts: number; seats: number; dc: number }> = [];
    kinds.forEach((kind, ki) => {
      const seats = ki === kinds.length - 1 ? seatsLeft : Math.round((N * KIND_SHARE[kind]) / shareSum);
      seatsLeft -= seats;
      const hostsTotal = Math.max(minHosts, Math.round(seats / perHost));
      let n = Math.max(1, Math.ceil(hostsTotal / 32));
      if (kind === 'prod' && dcCount > 1) n = Math.max(2, n);
      let seatAcc = 0;
      for (let c = 0; c < n; c++) {
        const hosts = Math.max(minHosts, Math.round(hostsTotal / n));
        const cs = c === n - 1 ? seats - seatAcc : Math.round(seats / n);
        seatAcc += cs;
        const dc = kind === 'prod' ? c % dcCount : kind === 'dmz' ? c % dcCount : 0;
        plan.push({ kind, num: c + 1, hosts, seats: cs, dc });
      }
    });
    let hostStart = 0;
    let seatStart = 0;
    for (const p of plan) {
      const server = SERVERS[Math.floor(rng() * SERVERS.length)]!;
      const cpu = server.cpus[Math.floor(rng() * server.cpus.length)]!;
      const memGB = server.memGB[Math.floor(rng() * server.memGB.length)]!;
      const tr = rng();
      const track = tr < 0.55 ? '8' : tr < 0.75 ? '8.0.2' : '7';
      const letter = KIND_LETTER[p.kind];
      const slug = `${this.site}-${letter}${pad(p.num, 2)}`;
      const base = { prod: [30, 12], dev: [15, 10], dmz: [8, 7], mgmt: [20, 10] }[p.kind];
      const mem = { prod: [55, 17], dev: [40, 20], dmz: [25, 15], mgmt: [45, 15] }[p.kind];
      this.clusters.push({
        idx: this.clusters.length,
        ref: this.ref('domain-c'),
        name: `cl-${p.kind}-${pad(p.num, 2)}`,
        slug,
        kind: p.kind,
        dc: p.dc,
        hostStart,
        hostCount: p.hosts,
        seatStart,
        seatCount: p.seats,
        primary: [],
        nfs: -1,
        pod: -1,
        vsan: p.kind === 'dev' || p.kind === 'mgmt',
        server,
        cpu,
        memGB,
        track,
        lagDays: 20 + Math.floor(rng() * 160),
        cpuBase: base[0]! + rng() * base[1]!,
        memBase: mem[0]! + rng() * mem[1]!,
        drs: p.kind !== 'mgmt' || rng() < 0.5,
        ha: true,
        fill: 0.55 + rng() * 0.15,
      });
      hostStart += p.hosts;
      seatStart += p.seats;
    }
    // one cluster is short of storage: its fullest datastores raise usage alarms
    const podded = this.clusters.filter((c) => !c.vsan);
    if (podded.length) podded[Math.floor(rng() * podded.length)]!.fill = 0.76 + rng() * 0.04;
  }

  // ------------------------------------------------------------------------------------------
  private buildHosts(rng: () => number): void {
    for (const c of this.clusters) {
      for (let h = 0; h < c.hostCount; h++) {
        const idx = this.hosts.length;
        const name = `esx-${c.slug}-${pad(h + 1, 2)}.${DOMAIN}`;
        let serial: string;
        const A = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
        const ch = (n: number) => Array.from({ length: n }, () => A[Math.floor(rng() * A.length)]).join('');
        if (c.server.serial === 'dell') serial = ch(7);
        else if (c.server.serial === 'hpe') serial = `CZ${2 + Math.floor(rng() * 3)}${pad(Math.floor(rng() * 1000), 3)}${ch(4)}`;
        else serial = `J30${ch(5)}`;
        this.hosts.push({
          idx,
          ref: this.ref('host-'),
          name,
          cluster: c.idx,
          dc: c.dc,
          serial,
          memMB: c.memGB * 1024 - 200 - Math.floor(rng() * 400),
          mgmtIp: '',
          baseBoot: -Math.floor((10 + rng() * 300) * 86400),
          cpuOff: (rng() - 0.5) * 14,
          memOff: (rng() - 0.5) * 14,
          period: 3600 * (2 + rng() * 5),
          phase: rng() * Math.PI * 2,
          datastores: [],
        });
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  private addDs(d: Omit<DsInfo, 'idx' | 'ref' | 'hosts' | 'capacity'> & { capacity?: number }): number {
    const idx = this.datastores.length;
    this.datastores.push({ ...d, idx, ref: this.ref('datastore-'), hosts: [], capacity: d.capacity ?? 0 });
    return idx;
  }

  private buildStorage(rng: () => number): void {
    const h32 = () => Math.floor(rng() * 4294967296);
    const vmfsUrl = () => `ds:///vmfs/volumes/${hex(h32())}-${hex(h32())}-${hex(h32()).slice(0, 4)}-${hex(h32())}${hex(h32()).slice(0, 4)}/`;
    const nfsUrl = () => `ds:///vmfs/volumes/${hex(h32())}-${hex(h32())}/`;
    const hostsOf = (pred: (c: ClusterInfo) => boolean, dc: number) =>
      this.clusters.filter((c) => c.dc === dc && pred(c)).flatMap((c) => range(c.hostStart, c.hostCount));
    // per datacenter NFS: ISO library on every host, VM datastore for prod and dev clusters
    this.dcs.forEach((dc, d) => {
      const iso = this.addDs({
        name: `${dc.slug}-nfs-iso`, dc: d, pod: -1, type: 'NFS', url: nfsUrl(), shared: true,
        hostIdx: hostsOf(() => true, d), fixedUsed: Math.round((0.6 + rng() * 0.8) * TIB), vmPool: false, capacity: 2 * TIB,
      });
      void iso;
      const users = this.clusters.filter((c) => c.dc === d && (c.kind === 'prod' || c.kind === 'dev'));
      if (users.length) {
        const nfs = this.addDs({
          name: `${dc.slug}-nfs-vm01`, dc: d, pod: -1, type: rng() < 0.5 ? 'NFS' : 'NFS41', url: nfsUrl(), shared: true,
          hostIdx: hostsOf((c) => c.kind === 'prod' || c.kind === 'dev', d), fixedUsed: 0.2 * 2 ** 30, vmPool: true,
        });
        // the first production and development cluster keep some VMs on NFS
        for (const kind of ['prod', 'dev']) {
          const c = users.find((x) => x.kind === kind);
          if (c) c.nfs = nfs;
        }
      }
    });
    for (const c of this.clusters) {
      const hostIdx = range(c.hostStart, c.hostCount);
      if (c.vsan) {
        const ds = this.addDs({
          name: `${c.slug}-vsan`, dc: c.dc, pod: -1, type: 'vsan', url: `ds:///vmfs/volumes/vsan:${hex(h32())}${hex(h32())}-${hex(h32())}${hex(h32())}/`,
          shared: true, hostIdx, fixedUsed: 0, vmPool: true,
        });
        c.primary = [ds];
      } else {
        const pod: PodInfo = { ref: this.ref('group-p'), name: `dsc-${c.slug}`, dc: c.dc, ds: [] };
        c.pod = this.pods.length;
        this.pods.push(pod);
        const n = this.dense ? Math.max(3, Math.min(128, Math.round(c.seatCount / 23))) : Math.max(3, Math.min(32, Math.round(c.seatCount / 60)));
        for (let j = 0; j < n; j++) {
          pod.ds.push(this.addDs({
            name: `${c.slug}-vmfs-${pad(j + 1, 2)}`, dc: c.dc, pod: c.pod, type: 'VMFS', url: vmfsUrl(), shared: true,
            hostIdx, fixedUsed: 1.6 * 2 ** 30, vmPool: true,
          }));
        }
        c.primary = pod.ds.slice();
      }
    }
    // local boot-device datastores on the management hosts, named the way ESXi names them
    const mgmt = this.clusters.find((c) => c.kind === 'mgmt') ?? this.clusters[this.clusters.length - 1]!;
    const locals = this.dense ? this.hosts.map((x) => x.idx) : range(mgmt.hostStart, mgmt.hostCount);
    for (let h = 0; h < locals.length; h++) {
      const hi = locals[h]!;
      this.addDs({
        name: h === 0 ? 'datastore1' : `datastore1 (${h})`, dc: this.hosts[hi]!.dc, pod: -1, type: 'VMFS', url: vmfsUrl(), shared: false,
        hostIdx: [hi], fixedUsed: Math.round((1.5 + rng() * 25) * 2 ** 30), vmPool: false,
        capacity: (rng() < 0.5 ? 446.75 : 893.75) * 2 ** 30,
      });
    }
    for (const ds of this.datastores) {
      ds.hosts = ds.hostIdx.map((h) => this.hosts[h]!.name).sort();
      for (const h of ds.hostIdx) this.hosts[h]!.datastores.push(ds.name);
    }
  }

  // ------------------------------------------------------------------------------------------
  private buildSeats(): void {
    const N = this.vms;
    const rolesOf = new Map<ClusterKind, number[]>();
    ROLES.forEach((r, i) => {
      const l = rolesOf.get(r.kind) ?? [];
      l.push(i);
      rolesOf.set(r.kind, l);
    });
    for (const c of this.clusters) {
      const roles = rolesOf.get(c.kind)!;
      const weights = roles.map((r) => ROLES[r]!.weight);
      for (let i = c.seatStart; i < c.seatStart + c.seatCount; i++) {
        this.seatCluster[i] = c.idx;
        this.seatRole[i] = roles[weighted(weights, u3(this.key, S_ROLE, i, 0))]!;
        const u = u3(this.key, S_POWER, i, 0);
        const dev = c.kind === 'dev';
        this.seatPower[i] = u < (dev ? 0.76 : 0.87) ? 0 : u < (dev ? 0.98 : 0.99) ? 1 : 2;
      }
    }
    // special seats: awkward names, one duplicate-name pair, templates (in production clusters)
    const taken = new Set<number>();
    const place = (pos: number, kind: number, idx: number) => {
      let i = Math.min(N - 1, Math.max(0, pos));
      while (taken.has(i)) i = (i + 1) % N;
      taken.add(i);
      this.seatSpecial[i] = kind;
      this.seatSpecialIdx[i] = idx;
    };
    if (N >= 50) this.awkward.forEach((_, j) => place(Math.floor(N * (0.07 + 0.13 * j)), SPECIAL.awkward, j));
    if (N >= 20) {
      place(Math.floor(N * 0.37), SPECIAL.dup, 0);
      place(Math.floor(N * 0.83), SPECIAL.dup, 1);
    }
    const prod = this.clusters.filter((c) => c.kind === 'prod');
    const T = N >= 50 ? Math.max(2, Math.min(40, Math.round(N * 0.012))) : 0;
    const prodSeats = prod.reduce((a, c) => a + c.seatCount, 0);
    for (let j = 0; j < T; j++) {
      // spread over the production clusters
      let off = Math.floor(((j + 0.5) * prodSeats) / T);
      let pos = 0;
      for (const c of prod) {
        if (off < c.seatCount) { pos = c.seatStart + off; break; }
        off -= c.seatCount;
      }
      place(pos, SPECIAL.template, j);
      this.templateOs.push(TEMPLATE_OS[j % TEMPLATE_OS.length]!);
    }
    // role numbers: ams-web-001, ams-web-002, ... in seat order
    for (let i = 0; i < N; i++) {
      if (this.seatSpecial[i] !== SPECIAL.none) continue;
      const r = this.seatRole[i]!;
      this.seatNum[i] = ++this.roleCount[r]!;
    }
    ROLES.forEach((role, r) => {
      this.roleWidth[r] = Math.max(role.pad ?? 3, String(this.roleCount[r]!).length);
    });
  }

  // ------------------------------------------------------------------------------------------
  private dvsFor(dc: number, zone: PgInfo['zone']): number {
    const dmz = zone === 'dmz' || zone === 'dmzbackup' || zone === 'trunk';
    const own = this.dvs.find((d) => d.dc === dc && d.dmz === dmz);
    return (own ?? this.dvs.find((d) => d.dc === dc)!).idx;
  }

  private buildNetwork(rng: () => number): { mgmtVlan: number } {
    const N = this.vms;
    const D = this.dcs.length;
    // distributed switches: production (all non-DMZ clusters) and DMZ per datacenter
    for (let d = 0; d < D; d++) {
      for (const dmz of [false, true]) {
        const members = this.clusters.filter((c) => c.dc === d && (c.kind === 'dmz') === dmz);
        if (!members.length) continue;
        const hostIdx = members.flatMap((c) => range(c.hostStart, c.hostCount));
        const eight = members.some((c) => c.track !== '7');
        const idx = this.dvs.length;
        this.dvs.push({
          idx, dc: d, dmz, hostIdx,
          rec: {
            ref: this.ref('dvs-'), name: `dvs-${this.dcs[d]!.slug}-${dmz ? 'dmz' : 'prod'}`, kind: 'dvs', datacenter: this.dcs[d]!.name,
            version: eight ? '8.0.3' : '7.0.3', mtu: 9000, hosts: hostIdx.map((h) => this.hosts[h]!.name).sort(),
          },
        });
      }
    }
    // pass 1: NIC zones and address reservations per (datacenter, zone)
    const zoneOf = new Uint8Array(N * 3).fill(NO_ZONE);
    const resv = new Float64Array(D * 16);
    const bump = (d: number, z: number) => { resv[d * 16 + z]++; };
    for (let i = 0; i < N; i++) {
      const c = this.clusters[this.seatCluster[i]!]!;
      const role = ROLES[this.seatRole[i]!]!;
      const special = this.seatSpecial[i]!;
      const zones: Zone[] = [role.zone];
      if (special !== SPECIAL.template) {
        if (u3(this.key, S_NIC, i, 1) < role.nic2) zones.push(role.zone === 'trunk' ? 'dmz' : role.zone === 'backup' ? 'mgmt' : c.kind === 'dmz' ? 'dmzbackup' : 'backup');
        if (zones.length === 2 && u3(this.key, S_NIC, i, 2) < role.nic3) zones.push('repl');
      }
      this.seatNics[i] = zones.length;
      zones.forEach((z, j) => {
        if (z === 'trunk') { zoneOf[i * 3 + j] = ZONE_TRUNK; return; }
        const code = ZONE_CODE.get(z)!;
        zoneOf[i * 3 + j] = code;
        bump(c.dc, code);
      });
      if (special === SPECIAL.template || zones[0] === 'trunk') continue;
      const alt = ALT_ZONE[zones[0]!];
      if (alt && u3(this.key, S_MOVE, i, 0) < 0.25) bump(c.dc, ZONE_CODE.get(alt)!);
      if (u3(this.key, S_IPCHG, i, 0) < 0.2) bump(c.dc, zoneOf[i * 3]!);
    }
    // portgroups: enough per zone that each holds at most `cap` addresses, VLANs 100-999
    const total = resv.reduce((a, b) => a + b, 0);
    const cap = this.dense ? Math.max(100, Math.ceil(total / 330)) : Math.max(400, Math.ceil(total / 600));
    const zonePgs = new Map<number, number[]>();
    let vlan = 100;
    const nextVlan = () => {
      const v = vlan;
      vlan = Math.min(999, vlan + 1);
      return v;
    };
    const mgmtVlan = nextVlan();
    vlan = 110;
    const add = (d: number, zone: PgInfo['zone'], name: string, vl: number | undefined, trunk?: string, dvsIdx = this.dvsFor(d, zone)): PgInfo => {
      const dvs = this.dvs[dvsIdx]!;
      const pg: PgInfo = {
        idx: this.portgroups.length, zone, dc: d, dvs: dvs.idx, net: 0, size: 0, used: 0, trunk: trunk !== undefined,
        rec: {
          ref: this.ref('dvportgroup-'), name, switch: dvs.rec.name, switchRef: dvs.rec.ref, kind: 'dvportgroup',
          ...(vl !== undefined ? { vlan: vl } : {}), ...(trunk !== undefined ? { vlanTrunk: trunk } : {}), hosts: dvs.rec.hosts, vms: 0,
        },
      };
      this.portgroups.push(pg);
      return pg;
    };
    for (const z of ZONE_ORDER) {
      const code = ZONE_CODE.get(z)!;
      for (let d = 0; d < D; d++) {
        const r = resv[d * 16 + code]!;
        if (!r) continue;
        const n = Math.ceil(r / cap);
        const list: number[] = [];
        const label = z === 'dmzbackup' ? 'dmz-backup' : z;
        for (let j = 0; j < n; j++) {
          const v = nextVlan();
          list.push(add(d, z, `dvpg-${label}-vlan${v}`, v).idx);
        }
        zonePgs.set(d * 16 + code, list);
      }
      vlan = Math.min(990, Math.ceil((vlan + 1) / 10) * 10);
    }
    // infrastructure portgroups per switch: vMotion, vSAN, a trunk, the uplinks
    for (const s of this.dvs) {
      const v = nextVlan();
      add(s.dc, 'vmotion', `dvpg-vmotion-vlan${v}`, v, undefined, s.idx);
      if (!s.dmz && this.clusters.some((c) => c.dc === s.dc && c.vsan)) {
        const w = nextVlan();
        add(s.dc, 'vsan', `dvpg-vsan-vlan${w}`, w, undefined, s.idx);
      }
      const trunkDvs = this.dvs.find((x) => x.dc === s.dc && x.dmz) ?? this.dvs.find((x) => x.dc === s.dc)!;
      if (trunkDvs === s) add(s.dc, 'trunk', `dvpg-trunk-${this.dcs[s.dc]!.slug}`, undefined, rng() < 0.5 ? '0-4094' : '100-999', s.idx);
      add(s.dc, 'uplinks', `${s.rec.name}-DVUplinks-${this.nextRef}`, undefined, '0-4094', s.idx);
    }
    // pass 2: each NIC gets a portgroup and an address slot in it
    const pick = (d: number, code: number, u: number, not = -1): number => {
      const list = zonePgs.get(d * 16 + code);
      if (!list) return -1;
      const cands = not < 0 ? list : list.filter((x) => x !== not);
      return cands.length ? cands[Math.floor(u * cands.length)]! : -1;
    };
    const trunks = this.dcs.map((_, d) => this.portgroups.find((p) => p.dc === d && p.zone === 'trunk')!.idx);
    const trunkOf = (d: number) => trunks[d]!;
    for (let i = 0; i < N; i++) {
      const d = this.clusters[this.seatCluster[i]!]!.dc;
      for (let j = 0; j < this.seatNics[i]!; j++) {
        const code = zoneOf[i * 3 + j]!;
        if (code === ZONE_TRUNK) {
          this.nicPg[i * 3 + j] = trunkOf(d);
          continue;
        }
        const pg = pick(d, code, u3(this.key, S_PG, i, j));
        this.nicPg[i * 3 + j] = pg;
        this.nicSlot[i * 3 + j] = this.portgroups[pg]!.used++;
      }
      const home = this.nicPg[i * 3]!;
      if (this.seatSpecial[i] === SPECIAL.template || zoneOf[i * 3] === ZONE_TRUNK) continue;
      const alt = ALT_ZONE[ZONE_ORDER[zoneOf[i * 3]!]!];
      if (alt && u3(this.key, S_MOVE, i, 0) < 0.25) {
        const pg = pick(d, ZONE_CODE.get(alt)!, u3(this.key, S_ALT, i, 0), home);
        if (pg >= 0) {
          this.altPg[i] = pg;
          this.altSlot[i] = this.portgroups[pg]!.used++;
        }
      }
      if (u3(this.key, S_IPCHG, i, 0) < 0.2) this.secSlot[i] = this.portgroups[home]!.used++;
    }
    // address plan: 10.<octet>.0.0 upwards; host management first, then VM subnets
    let next = ((10 << 24) | (this.octet << 16)) >>> 0;
    const mgmtSize = Math.max(256, nextPow2(this.hosts.length + 20));
    this.hosts.forEach((h, i) => { h.mgmtIp = ipv4(next + 10 + i); });
    next += mgmtSize;
    for (const pg of this.portgroups) {
      if (pg.used === 0) continue;
      const size = Math.max(256, nextPow2(pg.used + 20));
      next = Math.ceil(next / size) * size;
      pg.net = next;
      pg.size = size;
      next += size;
      if (pg.zone === 'dmz') pg.v6 = `2001:db8:${this.octet.toString(16)}:${pg.rec.vlan!.toString(16)}::`;
    }
    return { mgmtVlan };
  }

  // ------------------------------------------------------------------------------------------
  private buildHostNetworking(rng: () => number): void {
    const oui = NIC_OUIS[Math.floor(rng() * NIC_OUIS.length)]!;
    const t = 16 + ((this.octet / 10) % 16);
    const dvsOf = new Int32Array(this.hosts.length).fill(-1);
    for (const s of this.dvs) for (const h of s.hostIdx) dvsOf[h] = s.idx;
    this.hosts.forEach((h, i) => {
      const c = this.clusters[h.cluster]!;
      const sw = `${h.ref}/vSwitch0`;
      this.vss.push({ ref: sw, name: 'vSwitch0', kind: 'vss', host: h.name, mtu: 1500, hosts: [h.name] });
      this.standardPgs.push({ ref: `${h.ref}/Management Network`, name: 'Management Network', switch: 'vSwitch0', switchRef: sw, kind: 'standard', vlan: this.mgmtVlan, hosts: [h.name], vms: 0 });
      this.vmkernels.push({ ref: `${h.ref}/vmk0`, host: h.name, device: 'vmk0', ip: h.mgmtIp, mac: macOf(oui, hash3(this.key, 601, i, 0) & 0xffffff), mtu: 1500, portgroup: 'Management Network', services: ['management'] });
      const vmotion = this.portgroups.find((p) => p.zone === 'vmotion' && p.dvs === dvsOf[i]);
      this.vmkernels.push({
        ref: `${h.ref}/vmk1`, host: h.name, device: 'vmk1', ip: ipv4((((172 << 24) | (t << 16)) >>> 0) + 10 + i),
        mac: macOf([0x00, 0x50, 0x56], 0x600000 + i * 4 + 1), mtu: 9000, ...(vmotion ? { portgroup: vmotion.rec.name } : {}), services: ['vmotion'],
      });
      if (c.vsan) {
        const vsan = this.portgroups.find((p) => p.zone === 'vsan' && p.dc === c.dc);
        this.vmkernels.push({
          ref: `${h.ref}/vmk2`, host: h.name, device: 'vmk2', ip: ipv4((((172 << 24) | (t << 16) | (128 << 8)) >>> 0) + 10 + i),
          mac: macOf([0x00, 0x50, 0x56], 0x600000 + i * 4 + 2), mtu: 9000, ...(vsan ? { portgroup: vsan.rec.name } : {}), services: ['vsan'],
        });
      }
    });
  }

  /** The version track's newest build released before `date` (ms), or its first. */
  buildAt(track: string, dateMs: number): { version: string; build: string } {
    const versions = ESXI_TRACKS[track] ?? ESXI_TRACKS['8']!;
    let best: { version: string; build: string } | undefined;
    for (const b of BUILDS) {
      if (!versions.includes(b.version)) continue;
      if (!best) best = b;
      if (b.ms <= dateMs) best = b;
    }
    return best!;
  }

  roleOf(i: number): Role {
    return ROLES[this.seatRole[i]!]!;
  }
}

const BUILDS = ESXI_BUILDS.map((b) => ({ ...b, ms: Date.parse(`${b.date}T00:00:00Z`) }));

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

function range(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
