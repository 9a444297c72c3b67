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
  const cluster = opt(d.cluster, intern);
  const os = opt(d.guestOs ?? d.guestOsTools, intern);
  const ips = guestIps.length ? guestIps : NONE;
  return {
    id: p.id,
    sourceId: p.sourceId,
    source: p.sourceName,
    platform: d.platform,
    name: d.name,
    ref: d.ref,
    instanceUuid: d.instanceUuid,
    biosUuid: d.biosUuid,
    power: d.powerState,
    template: d.template,
    cpus: d.cpus,
    sockets: d.sockets,
    coresPerSocket: d.coresPerSocket,
    memoryMB: d.memoryMB,
    diskGB: Math.round(diskGB * 100) / 100,
    diskCount: d.disks.length,
    nicCount: d.nics.length,
    ips,
    primaryIp: guestPrimaryIp,
    guestIps: ips,
    guestPrimaryIp,
    host: opt(d.host, intern),
    cluster,
    datacenter: opt(d.datacenter, intern),
    hostname: d.hostname,
    os,
    osFamily: intern(d.osFamily),
    networks: list(d.networks, intern),
    datastores: list(d.datastores, intern),
    technicalOwner: undefined,
    businessOwner: undefined,
    tags: NONE,
    project: undefined,
    environment: undefined,
    notes: undefined,
    customFields: NO_FIELDS,
    overridden: NONE,
    synced: { power: d.powerState, cluster, hostname: d.hostname, os },
    deletedAt: p.deletedAt,
    firstSeenAt: p.firstSeenAt,
    lastSeenAt: p.lastSeenAt,
  };
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
