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

/** A VM as users see it: effective values (manual overrides win), owners and tags resolved. */
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
  doc: VmDoc;
}

export interface VmParts {
  id: number;
  sourceId: number;
  sourceName: string;
  doc: VmDoc;
  deletedAt: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
  manual?: ManualDoc;
  technicalOwner?: OwnerRef;
  businessOwner?: OwnerRef;
  tags: string[];
  manualIps: ManualIp[];
  customFields: Record<string, string>;
}

export function buildVmView(p: VmParts): VmView {
  const d = p.doc;
  const o = p.manual?.overrides ?? {};
  const guestIps = d.nics.flatMap((n) => [...n.ipv4, ...n.ipv6]);
  const manualPrimary = p.manualIps.find((m) => m.primary)?.ip;
  const ips = [...new Set([...guestIps, ...p.manualIps.map((m) => m.ip)])];
  const overridden: OverridableField[] = [];
  if (o.powerState) overridden.push('power');
  if (o.cluster) overridden.push('cluster');
  if (o.hostname) overridden.push('hostname');
  if (o.osType) overridden.push('os');
  const syncedOs = d.guestOs ?? d.guestOsTools;
  return {
    id: p.id,
    sourceId: p.sourceId,
    source: p.sourceName,
    platform: d.platform,
    name: d.name,
    ref: d.ref,
    instanceUuid: d.instanceUuid,
    biosUuid: d.biosUuid,
    power: o.powerState ?? d.powerState,
    template: d.template,
    cpus: d.cpus,
    sockets: d.sockets,
    coresPerSocket: d.coresPerSocket,
    memoryMB: d.memoryMB,
    diskGB: Math.round(d.disks.reduce((a, x) => a + x.sizeGB, 0) * 100) / 100,
    diskCount: d.disks.length,
    nicCount: d.nics.length,
    ips,
    primaryIp: manualPrimary ?? d.nics.find((n) => n.ipv4.length)?.ipv4[0] ?? ips[0],
    host: d.host,
    cluster: o.cluster ?? d.cluster,
    datacenter: d.datacenter,
    hostname: o.hostname ?? d.hostname,
    os: o.osType ?? syncedOs,
    osFamily: d.osFamily,
    networks: d.networks,
    datastores: d.datastores,
    technicalOwner: p.technicalOwner,
    businessOwner: p.businessOwner,
    tags: p.tags,
    project: p.manual?.project,
    environment: p.manual?.environment,
    notes: p.manual?.notes,
    customFields: p.customFields,
    overridden,
    synced: { power: d.powerState, cluster: d.cluster, hostname: d.hostname, os: syncedOs },
    deletedAt: p.deletedAt,
    firstSeenAt: p.firstSeenAt,
    lastSeenAt: p.lastSeenAt,
    doc: d,
  };
}
