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
  /** The source's attributes as "key:value" (Nutanix categories, vSphere custom attributes). */
  attributes: string[];
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
  /** The seq of the vms row this view was built from. */
  seq: number;
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
  seq?: number;
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
    list(d.networks, intern), list(d.datastores, intern), attributesOf(d.customAttributes, intern), p.deletedAt, p.firstSeenAt, p.lastSeenAt, p.seq ?? 0,
  );
}

/** "key:value" per attribute, sorted, shared strings (the same few repeat across thousands of VMs). */
function attributesOf(a: Record<string, string> | undefined, intern: Intern): string[] {
  if (!a) return NONE;
  const keys = Object.keys(a);
  if (!keys.length) return NONE;
  return keys.sort().map((k) => intern(`${k}:${a[k]}`));
}

/** The one place a synced view is laid out, so that every such object has the same shape. */
function syncedShape(
  id: number, sourceId: number, source: string, platform: Platform, name: string, ref: string, instanceUuid: string | undefined,
  biosUuid: string | undefined, power: PowerState, template: boolean, cpus: number, sockets: number | undefined,
  coresPerSocket: number | undefined, memoryMB: number, diskGB: number, diskCount: number, nicCount: number, ips: string[],
  guestPrimaryIp: string | undefined, host: string | undefined, cluster: string | undefined, datacenter: string | undefined,
  hostname: string | undefined, os: string | undefined, osFamily: string, networks: string[], datastores: string[], attributes: string[],
  deletedAt: number | null, firstSeenAt: number, lastSeenAt: number, seq: number,
): VmView {
  return {
    id, sourceId, source, platform, name, ref, instanceUuid, biosUuid, power, template, cpus, sockets, coresPerSocket, memoryMB,
    diskGB, diskCount, nicCount, ips, primaryIp: guestPrimaryIp, guestIps: ips, guestPrimaryIp, host, cluster, datacenter,
    hostname, os, osFamily, networks, datastores, attributes,
    technicalOwner: undefined, businessOwner: undefined, tags: NONE, project: undefined, environment: undefined, notes: undefined,
    customFields: NO_FIELDS, overridden: NONE, synced: { power, cluster, hostname, os }, deletedAt, firstSeenAt, lastSeenAt, seq,
  };
}

// Synced views travel packed, between threads and in the VM snapshot: one string per text field
// with the lengths beside it, distinct values once for fields that repeat across VMs (hosts,
// clusters, networks...), typed arrays for numbers. Structured cloning or JSON of the objects
// themselves would cost the reader about as much as opening the rows again.

const P_NUM = ['id', 'sourceId', 'cpus', 'sockets', 'coresPerSocket', 'memoryMB', 'diskGB', 'diskCount', 'nicCount', 'deletedAt', 'firstSeenAt', 'lastSeenAt', 'seq'] as const;
const P_STR = ['name', 'ref', 'instanceUuid', 'biosUuid', 'guestPrimaryIp', 'hostname'] as const;
const P_DICT = ['platform', 'power', 'host', 'cluster', 'datacenter', 'os', 'osFamily'] as const;
const P_LIST = ['guestIps'] as const;
const P_DLIST = ['networks', 'datastores', 'attributes'] as const;

/** Where a packed batch keeps each VM's id and row seq. */
export const PACKED_ID = P_NUM.indexOf('id');
export const PACKED_SEQ = P_NUM.indexOf('seq');

/** Strings one after another, with each one's length (-1: absent). */
export interface PackedText {
  text: string;
  len: Int32Array;
}

export interface PackedVms {
  count: number;
  /** Per number field (NaN: absent). */
  num: Float64Array[];
  template: Uint8Array;
  /** Per text field with mostly distinct values: one string per VM. */
  str: PackedText[];
  /** Per text field that repeats: its distinct values, and each VM's index into them (-1: absent). */
  dict: { values: PackedText; code: Int32Array }[];
  /** Per list field: the items, and how many belong to each VM. */
  list: { items: PackedText; count: Int32Array }[];
  /** Per list field whose items repeat: distinct values, items per VM, and each item's index. */
  dictList: { values: PackedText; count: Int32Array; code: Int32Array }[];
}

/** How many fields of each kind a packed batch has (a snapshot written by another layout is not read). */
export const PACKED_SHAPE = [P_NUM.length, P_STR.length, P_DICT.length, P_LIST.length, P_DLIST.length] as const;

function textOf(values: readonly (string | undefined)[]): PackedText {
  const len = new Int32Array(values.length);
  const parts: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    len[i] = v === undefined ? -1 : v.length;
    if (v) parts.push(v);
  }
  return { text: parts.join(''), len };
}

class Dict {
  readonly values: string[] = [];
  private readonly at = new Map<string, number>();
  code(v: string | undefined): number {
    if (v === undefined) return -1;
    let k = this.at.get(v);
    if (k === undefined) {
      k = this.values.length;
      this.values.push(v);
      this.at.set(v, k);
    }
    return k;
  }
}

export function packSynced(views: VmView[]): PackedVms {
  const n = views.length;
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
  const str = P_STR.map((f) => textOf(views.map((v) => v[f])));
  const dict = P_DICT.map((f) => {
    const d = new Dict();
    const code = new Int32Array(n);
    for (let i = 0; i < n; i++) code[i] = d.code(views[i]![f] as string | undefined);
    return { values: textOf(d.values), code };
  });
  const list = P_LIST.map((f) => {
    const count = new Int32Array(n);
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      const a = views[i]![f];
      count[i] = a.length;
      for (const x of a) items.push(x);
    }
    return { items: textOf(items), count };
  });
  const dictList = P_DLIST.map((f) => {
    const d = new Dict();
    const count = new Int32Array(n);
    const codes: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = views[i]![f];
      count[i] = a.length;
      for (const x of a) codes.push(d.code(x));
    }
    return { values: textOf(d.values), count, code: Int32Array.from(codes) };
  });
  return { count: n, num, template, str, dict, list, dictList };
}

/**
 * Puts views in the list's name order (lowercased name, then id), in place. Batches packed in
 * that order arrive as sorted runs, which the first sort of 100,000 VMs merges in a fraction of
 * the time a shuffled input takes.
 */
export function inNameOrder(views: VmView[]): VmView[] {
  const d = views.map((v) => ({ k: v.name.toLowerCase(), v }));
  d.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.v.id - b.v.id));
  for (let i = 0; i < d.length; i++) views[i] = d[i]!.v;
  return views;
}

/** The buffers to transfer with a packed batch. */
export function packedBuffers(p: PackedVms): ArrayBuffer[] {
  return [
    ...p.num.map((a) => a.buffer), p.template.buffer, ...p.str.map((s) => s.len.buffer),
    ...p.dict.flatMap((d) => [d.values.len.buffer, d.code.buffer]), ...p.list.flatMap((l) => [l.items.len.buffer, l.count.buffer]),
    ...p.dictList.flatMap((d) => [d.values.len.buffer, d.count.buffer, d.code.buffer]),
  ] as ArrayBuffer[];
}

/** Each value's start in its text (lengths summed). */
function starts(t: PackedText): Int32Array {
  const s = new Int32Array(t.len.length);
  let at = 0;
  for (let i = 0; i < t.len.length; i++) {
    s[i] = at;
    if (t.len[i]! > 0) at += t.len[i]!;
  }
  return s;
}

function valuesOf(t: PackedText, intern: Intern): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  let at = 0;
  for (const l of t.len) {
    if (l < 0) out.push(undefined);
    else {
      out.push(intern(t.text.slice(at, at + l)));
      at += l;
    }
  }
  return out;
}

/** The views of a packed batch; with `keep`, only those of the entries it accepts (by index). */
export function unpackSynced(p: PackedVms, sourceName: (id: number) => string, intern: Intern = same, keep?: (i: number) => boolean): VmView[] {
  const n = p.count;
  const strStart = p.str.map(starts);
  const str = (f: number, i: number): string | undefined => {
    const t = p.str[f]!;
    const l = t.len[i]!;
    return l < 0 ? undefined : t.text.slice(strStart[f]![i]!, strStart[f]![i]! + l);
  };
  const dicts = p.dict.map((d) => valuesOf(d.values, intern));
  const dict = (f: number, i: number) => {
    const c = p.dict[f]!.code[i]!;
    return c < 0 ? undefined : dicts[f]![c];
  };
  // Lists: where each VM's items begin.
  const first = (count: Int32Array) => {
    const s = new Int32Array(n);
    for (let i = 0, at = 0; i < n; i++) {
      s[i] = at;
      at += count[i]!;
    }
    return s;
  };
  const listOf = (c: number, k0: number, item: (k: number) => string): string[] => {
    if (c === 0) return NONE;
    const out = new Array<string>(c);
    for (let j = 0; j < c; j++) out[j] = item(k0 + j);
    return out;
  };
  const listFirst = p.list.map((l) => first(l.count));
  const listItem = p.list.map(({ items }) => {
    const at = starts(items);
    return (k: number) => items.text.slice(at[k]!, at[k]! + items.len[k]!);
  });
  const list = (f: number, i: number) => listOf(p.list[f]!.count[i]!, listFirst[f]![i]!, listItem[f]!);
  // Lists of repeating values (networks, datastores) are mostly the same few lists: VMs share
  // one frozen array per distinct list, which spares 100,000 VMs two arrays each.
  const dlFirst = p.dictList.map((d) => first(d.count));
  const dlShared = p.dictList.map((d) => {
    const values = valuesOf(d.values, intern) as string[];
    const lists = new Map<string, string[]>();
    return (c: number, k0: number): string[] => {
      if (c === 0) return NONE;
      let key = String(d.code[k0]);
      for (let j = 1; j < c; j++) key += `,${d.code[k0 + j]}`;
      let l = lists.get(key);
      if (!l) {
        l = new Array<string>(c);
        for (let j = 0; j < c; j++) l[j] = values[d.code[k0 + j]!]!;
        lists.set(key, (l = Object.freeze(l) as string[]));
      }
      return l;
    };
  });
  const dlist = (f: number, i: number) => dlShared[f]!(p.dictList[f]!.count[i]!, dlFirst[f]![i]!);
  const num = (f: number, i: number) => {
    const x = p.num[f]![i]!;
    return Number.isNaN(x) ? undefined : x;
  };
  const views: VmView[] = [];
  for (let i = 0; i < n; i++) {
    if (keep && !keep(i)) continue;
    const sourceId = num(1, i)!;
    views.push(syncedShape(
      num(0, i)!, sourceId, sourceName(sourceId), dict(0, i) as Platform, str(0, i)!, str(1, i)!, str(2, i), str(3, i), dict(1, i) as PowerState,
      p.template[i] === 1, num(2, i)!, num(3, i), num(4, i), num(5, i)!, num(6, i)!, num(7, i)!, num(8, i)!, list(0, i), str(4, i),
      dict(2, i), dict(3, i), dict(4, i), str(5, i), dict(5, i), dict(6, i)!, dlist(0, i), dlist(1, i), dlist(2, i),
      num(9, i) ?? null, num(10, i)!, num(11, i)!, num(12, i)!,
    ));
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
