import type { Platform, PowerState, VmRecord } from './records.js';

/** The sealed document of a vms row. */
export interface VmDoc extends VmRecord {
  platform: Platform;
  deleteReason?: string;
}

/** Hand-set data of a VM (vm_manual); a sync never writes it. */
export interface ManualDoc {
  project?: string;
  environment?: string;
  notes?: string;
  overrides?: {
    powerState?: PowerState;
    cluster?: string;
    hostname?: string;
    osType?: string;
  };
}

export interface OwnerDoc {
  fullName: string;
  email: string;
  designation?: string;
  department?: string;
}

export interface OwnerRef {
  id: number;
  name: string;
  email: string;
}

export interface ManualIp {
  ip: string;
  primary?: boolean;
  label?: string;
}

export type OverridableField = 'power' | 'cluster' | 'hostname' | 'os';

/**
 * A VM as users see it: effective values (manual overrides win), owners and tags resolved. It
 * keeps only what lists, filters and search read; NICs, disks and the rest of the synced document
 * are read from the cache when a detail view asks (100,000 of these stay in memory).
 */
export interface VmView {
  id: number;
  sourceId: number;
  source: string;
  platform: Platform;
  name: string;
  ref: string;
  instanceUuid?: string;
  biosUuid?: string;
  power: PowerState;
  template: boolean;
  cpus: number;
  sockets?: number;
  coresPerSocket?: number;
  memoryMB: number;
  diskGB: number;
  diskCount: number;
  nicCount: number;
  ips: string[]; // guest IPs then manual IPs
  primaryIp?: string;
  /** Guest IPs and the synced primary IP, before manual IPs are added. */
  guestIps: string[];
  guestPrimaryIp?: string;
  host?: string;
  cluster?: string;
  datacenter?: string;
  hostname?: string;
  os?: string;
  osFamily: string;
  networks: string[];
  datastores: string[];
  technicalOwner?: OwnerRef;
  businessOwner?: OwnerRef;
  tags: string[];
  project?: string;
  environment?: string;
  notes?: string;
  customFields: Record<string, string>;
  overridden: OverridableField[];
  synced: { power: PowerState; cluster?: string; hostname?: string; os?: string };
  deletedAt: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
}

/** What a sync wrote for a VM, with the row's identity and times. */
export interface VmSynced {
  id: number;
  sourceId: number;
  sourceName: string;
  doc: VmDoc;
  deletedAt: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
}

/** Hand-set data of a VM, resolved (owners by reference). */
export interface VmManualParts {
  manual?: ManualDoc;
  technicalOwner?: OwnerRef;
  businessOwner?: OwnerRef;
  tags: string[];
  manualIps: ManualIp[];
  customFields: Record<string, string>;
}

export type VmParts = VmSynced & VmManualParts;

// Shared (frozen) empties: most VMs have no tags, overrides or custom fields.
const NONE = Object.freeze([]) as unknown as never[];
const NO_FIELDS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Shares equal strings (hosts, clusters, networks, OS names repeat across thousands of VMs). */
export type Intern = (s: string) => string;
const same: Intern = (s) => s;

/** Interns through a map, for one model's lifetime. */
export function interner(): Intern {
  const m = new Map<string, string>();
  return (s) => {
    const hit = m.get(s);
    if (hit !== undefined) return hit;
    m.set(s, s);
    return s;
  };
}

const opt = (s: string | undefined, intern: Intern) => (s === undefined ? undefined : intern(s));
const list = (a: string[] | undefined, intern: Intern) => (!a || a.length === 0 ? NONE : a.map(intern));

/** The VM as the sync left it: no manual data applied. */
export function syncedVmView(p: VmSynced, intern: Intern = same): VmView {
  const d = p.doc;
  const guestIps: string[] = [];
  let guestPrimaryIp: string | undefined;
  let diskGB = 0;
  for (const n of d.nics) {
    for (const ip of n.ipv4) {
      guestPrimaryIp ??= ip;
      if (!guestIps.includes(ip)) guestIps.push(ip);
    }
    for (const ip of n.ipv6) if (!guestIps.includes(ip)) guestIps.push(ip);
  }
  guestPrimaryIp ??= guestIps[0];
  for (const k of d.disks) diskGB += k.sizeGB;
  const ips = guestIps.length ? guestIps : NONE;
  return syncedShape(
    p.id, p.sourceId, p.sourceName, d.platform, d.name, d.ref, d.instanceUuid, d.biosUuid, d.powerState, d.template, d.cpus, d.sockets,
    d.coresPerSocket, d.memoryMB, Math.round(diskGB * 100) / 100, d.disks.length, d.nics.length, ips, guestPrimaryIp, opt(d.host, intern),
    opt(d.cluster, intern), opt(d.datacenter, intern), d.hostname, opt(d.guestOs ?? d.guestOsTools, intern), intern(d.osFamily),
    list(d.networks, intern), list(d.datastores, intern), p.deletedAt, p.firstSeenAt, p.lastSeenAt,
  );
}

/** The one place a synced view is laid out, so that every such object has the same shape. */
function syncedShape(
  id: number, sourceId: number, source: string, platform: Platform, name: string, ref: string, instanceUuid: string | undefined,
  biosUuid: string | undefined, power: PowerState, template: boolean, cpus: number, sockets: number | undefined,
  coresPerSocket: number | undefined, memoryMB: number, diskGB: number, diskCount: number, nicCount: number, ips: string[],
  guestPrimaryIp: string | undefined, host: string | undefined, cluster: string | undefined, datacenter: string | undefined,
  hostname: string | undefined, os: string | undefined, osFamily: string, networks: string[], datastores: string[],
  deletedAt: number | null, firstSeenAt: number, lastSeenAt: number,
): VmView {
  return {
    id, sourceId, source, platform, name, ref, instanceUuid, biosUuid, power, template, cpus, sockets, coresPerSocket, memoryMB,
    diskGB, diskCount, nicCount, ips, primaryIp: guestPrimaryIp, guestIps: ips, guestPrimaryIp, host, cluster, datacenter,
    hostname, os, osFamily, networks, datastores,
    technicalOwner: undefined, businessOwner: undefined, tags: NONE, project: undefined, environment: undefined, notes: undefined,
    customFields: NO_FIELDS, overridden: NONE, synced: { power, cluster, hostname, os }, deletedAt, firstSeenAt, lastSeenAt,
  };
}

// Synced views travel between threads packed: one string per text field with the lengths
// beside it, and typed arrays for numbers. Structured cloning of the objects themselves costs
// the receiving thread about as much as opening the rows again.

const P_STR = ['platform', 'name', 'ref', 'instanceUuid', 'biosUuid', 'power', 'guestPrimaryIp', 'host', 'cluster', 'datacenter', 'hostname', 'os', 'osFamily'] as const;
const P_NUM = ['id', 'sourceId', 'cpus', 'sockets', 'coresPerSocket', 'memoryMB', 'diskGB', 'diskCount', 'nicCount', 'deletedAt', 'firstSeenAt', 'lastSeenAt'] as const;
const P_LIST = ['guestIps', 'networks', 'datastores'] as const;

export interface PackedVms {
  count: number;
  /** Per text field: the values one after another, and each length (-1: absent). */
  str: { text: string; len: Int32Array }[];
  /** Per number field (NaN: absent). */
  num: Float64Array[];
  template: Uint8Array;
  /** Per list field: the items one after another, each item's length, and the items per VM. */
  list: { text: string; len: Int32Array; count: Int32Array }[];
}

export function packSynced(views: VmView[]): PackedVms {
  const n = views.length;
  const str = P_STR.map((f) => {
    const len = new Int32Array(n);
    let text = '';
    for (let i = 0; i < n; i++) {
      const v = views[i]![f] as string | undefined;
      len[i] = v === undefined ? -1 : v.length;
      if (v) text += v;
    }
    return { text, len };
  });
  const num = P_NUM.map((f) => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = views[i]![f] as number | null | undefined;
      a[i] = v === undefined || v === null ? Number.NaN : v;
    }
    return a;
  });
  const template = new Uint8Array(n);
  for (let i = 0; i < n; i++) template[i] = views[i]!.template ? 1 : 0;
  const lists = P_LIST.map((f) => {
    const count = new Int32Array(n);
    const lens: number[] = [];
    let text = '';
    for (let i = 0; i < n; i++) {
      const items = views[i]![f];
      count[i] = items.length;
      for (const it of items) {
        lens.push(it.length);
        text += it;
      }
    }
    return { text, len: Int32Array.from(lens), count };
  });
  return { count: n, str, num, template, list: lists };
}

/** The buffers to transfer with a packed batch. */
export function packedBuffers(p: PackedVms): ArrayBuffer[] {
  return [...p.str.map((s) => s.len.buffer), ...p.num.map((a) => a.buffer), p.template.buffer, ...p.list.flatMap((l) => [l.len.buffer, l.count.buffer])] as ArrayBuffer[];
}

export function unpackSynced(p: PackedVms, sourceName: (id: number) => string, intern: Intern = same): VmView[] {
  const n = p.count;
  const cols: (string | undefined)[][] = p.str.map(({ text, len }) => {
    const out = new Array<string | undefined>(n);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const l = len[i]!;
      if (l < 0) out[i] = undefined;
      else {
        out[i] = text.slice(at, at + l);
        at += l;
      }
    }
    return out;
  });
  const lists: string[][][] = p.list.map(({ text, len, count }) => {
    const out = new Array<string[]>(n);
    let at = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const c = count[i]!;
      if (c === 0) {
        out[i] = NONE;
        continue;
      }
      const items = new Array<string>(c);
      for (let j = 0; j < c; j++, k++) {
        items[j] = text.slice(at, at + len[k]!);
        at += len[k]!;
      }
      out[i] = items;
    }
    return out;
  });
  const num = (f: number, i: number) => {
    const x = p.num[f]![i]!;
    return Number.isNaN(x) ? undefined : x;
  };
  const s = (f: number, i: number) => cols[f]![i];
  const si = (f: number, i: number) => {
    const x = cols[f]![i];
    return x === undefined ? undefined : intern(x);
  };
  const li = (arr: string[]) => (arr.length ? arr.map(intern) : NONE);
  const views = new Array<VmView>(n);
  for (let i = 0; i < n; i++) {
    const sourceId = num(1, i)!;
    views[i] = syncedShape(
      num(0, i)!, sourceId, sourceName(sourceId), intern(s(0, i)!) as Platform, s(1, i)!, s(2, i)!, s(3, i), s(4, i), intern(s(5, i)!) as PowerState,
      p.template[i] === 1, num(2, i)!, num(3, i), num(4, i), num(5, i)!, num(6, i)!, num(7, i)!, num(8, i)!, lists[0]![i]!, s(6, i),
      si(7, i), si(8, i), si(9, i), s(10, i), si(11, i), intern(s(12, i)!), li(lists[1]![i]!), li(lists[2]![i]!),
      num(9, i) ?? null, num(10, i)!, num(11, i)!,
    );
  }
  return views;
}

function hasManual(m: VmManualParts): boolean {
  return !!(m.manual || m.technicalOwner || m.businessOwner || m.tags.length || m.manualIps.length || Object.keys(m.customFields).length);
}

/** The effective VM: manual data over the synced view (the synced view itself when there is none). */
export function withManual(base: VmView, m: VmManualParts): VmView {
  if (!hasManual(m)) return base;
  const o = m.manual?.overrides ?? {};
  const manualPrimary = m.manualIps.find((x) => x.primary)?.ip;
  const ips = m.manualIps.length ? [...new Set([...base.guestIps, ...m.manualIps.map((x) => x.ip)])] : base.guestIps;
  const overridden: OverridableField[] = [];
  if (o.powerState) overridden.push('power');
  if (o.cluster) overridden.push('cluster');
  if (o.hostname) overridden.push('hostname');
  if (o.osType) overridden.push('os');
  const s = base.synced;
  return {
    ...base,
    power: o.powerState ?? s.power,
    cluster: o.cluster ?? s.cluster,
    hostname: o.hostname ?? s.hostname,
    os: o.osType ?? s.os,
    ips,
    primaryIp: manualPrimary ?? base.guestPrimaryIp ?? ips[0],
    technicalOwner: m.technicalOwner,
    businessOwner: m.businessOwner,
    tags: m.tags,
    project: m.manual?.project,
    environment: m.manual?.environment,
    notes: m.manual?.notes,
    customFields: m.customFields,
    overridden: overridden.length ? overridden : NONE,
  };
}

export function buildVmView(p: VmParts): VmView {
  return withManual(syncedVmView(p), p);
}
