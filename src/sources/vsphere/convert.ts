// ObjectContent -> platform-neutral records. Converters read the namespace-resolved XML values
// directly (no intermediate JS objects); references are kept as morefs in drafts and resolved to
// names once everything has been retrieved, so VMs can stream in while the rest is still loading.

import {
  osFamilyOf,
  type AlarmRecord, type ClusterRecord, type DatacenterRecord, type DatastoreClusterRecord, type DatastoreRecord,
  type DiskRecord, type EventRecord, type HostRecord, type HostSampleRecord, type NicRecord, type PortgroupRecord,
  type PowerState, type ResourcePoolRecord, type Severity, type SwitchRecord, type VmkernelRecord, type VmkService, type VmRecord,
} from '../../model/records.js';
import type { ObjectContent } from './props.js';
import {
  HOST_REPORT_PATHS, POOL_REPORT_PATHS, VM_REPORT_PATHS, cdromOf, controllerOf, hostReportFields, poolDraft, securityOf, vmReportFields, type Controller,
} from './reportfields.js';
import { bool, child, children, items, moref, num, path, text, type XNode } from './xml.js';

const MIB = 1024 * 1024;
const GIB = 1024 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Property paths (explicit, never `all`)

export function vmPaths(opts: { createDate: boolean }): string[] {
  const p = [
    'name', 'config.uuid', 'config.instanceUuid', 'runtime.powerState', 'config.template',
    'config.guestFullName', 'guest.guestFullName', 'guest.toolsRunningStatus', 'guest.toolsStatus',
    'guest.hostName', 'config.hardware.numCPU', 'config.hardware.numCoresPerSocket',
    'config.hardware.memoryMB', 'config.hardware.device', 'guest.net', 'runtime.host', 'resourcePool',
    'parent', 'parentVApp', 'datastore', 'network', 'summary.storage.committed',
    'summary.storage.uncommitted', 'config.annotation', 'customValue', 'triggeredAlarmState',
    ...VM_REPORT_PATHS,
  ];
  if (opts.createDate) p.push('config.createDate');
  return p;
}

/** Properties that change all the time without anyone acting (free space, heartbeats): read with
 * each VM, but not watched, so that they do not make live updates re-read VMs on their own. */
const UNWATCHED = new Set<string>(['guest.disk', 'guestHeartbeatStatus', 'summary.storage.unshared']);

export function vmWatchPaths(opts: { createDate: boolean }): string[] {
  return vmPaths(opts).filter((p) => !UNWATCHED.has(p));
}

export const HOST_PATHS = [
  'name', 'parent', 'summary.hardware', 'summary.quickStats', 'hardware.systemInfo', 'runtime.bootTime',
  'runtime.connectionState', 'runtime.powerState', 'runtime.inMaintenanceMode', 'config.product',
  'config.network.vswitch', 'config.network.portgroup', 'config.network.proxySwitch', 'config.network.vnic',
  'config.virtualNicManagerInfo.netConfig', 'datastore', 'triggeredAlarmState',
  ...HOST_REPORT_PATHS,
] as const;

export const STRUCTURE_PROPS = [
  { type: 'Folder', paths: ['name', 'parent'] },
  { type: 'Datacenter', paths: ['name', 'parent', 'triggeredAlarmState'] },
  { type: 'ComputeResource', paths: ['name', 'parent', 'host', 'summary', 'triggeredAlarmState'] },
  { type: 'ClusterComputeResource', paths: ['configurationEx'] },
  { type: 'ResourcePool', paths: ['name', 'parent', ...POOL_REPORT_PATHS] },
  { type: 'StoragePod', paths: ['name', 'parent', 'summary', 'childEntity'] },
  { type: 'Network', paths: ['name', 'parent', 'host', 'vm'] },
  { type: 'DistributedVirtualPortgroup', paths: ['key', 'config.distributedVirtualSwitch', 'config.defaultPortConfig', 'config.numPorts'] },
  { type: 'DistributedVirtualSwitch', paths: ['name', 'parent', 'uuid', 'summary.hostMember', 'summary.productInfo', 'config'] },
  { type: 'Datastore', paths: ['name', 'parent', 'summary', 'host', 'vm', 'triggeredAlarmState'] },
] as const;

export const STRUCTURE_VIEW_TYPES = ['Folder', 'Datacenter', 'ComputeResource', 'ResourcePool', 'StoragePod', 'Network', 'DistributedVirtualSwitch'];

// ---------------------------------------------------------------------------------------------
// Context: names and parents of everything that is not a VM

export interface DvpgInfo {
  ref: string;
  name: string;
  vlanMode?: string;
}

export class Ctx {
  readonly names = new Map<string, string>();
  readonly types = new Map<string, string>();
  readonly parents = new Map<string, string>();
  readonly dvpgByKey = new Map<string, DvpgInfo>();
  readonly fieldNames = new Map<string, string>();
  readonly alarmNames = new Map<string, string>();
  private readonly dcMemo = new Map<string, string | undefined>();

  add(ref: string, type: string, name?: string, parent?: string): void {
    ref = own(ref);
    this.types.set(ref, type);
    if (name !== undefined) this.names.set(ref, own(name));
    if (parent) this.parents.set(ref, own(parent));
  }

  name(ref: string | undefined): string | undefined {
    return ref === undefined ? undefined : this.names.get(ref);
  }

  /** Name of the datacenter containing ref (walking parents). */
  datacenter(ref: string | undefined): string | undefined {
    if (!ref) return undefined;
    if (this.dcMemo.has(ref)) return this.dcMemo.get(ref);
    let cur: string | undefined = ref;
    let dc: string | undefined;
    for (let i = 0; cur && i < 64; i++) {
      if (this.types.get(cur) === 'Datacenter') {
        dc = this.names.get(cur);
        break;
      }
      const memo = this.dcMemo.get(cur);
      if (memo !== undefined) {
        dc = memo;
        break;
      }
      cur = this.parents.get(cur);
    }
    this.dcMemo.set(ref, dc);
    return dc;
  }

  /** "/DC/vm/apps": names from below the root folder down to ref (undefined when ref is unknown). */
  path(ref: string | undefined): string | undefined {
    if (!ref || !this.names.has(ref)) return undefined;
    const parts: string[] = [];
    for (let cur: string | undefined = ref, i = 0; cur && i < 64; i++) {
      const parent = this.parents.get(cur);
      // The root folder ("Datacenters") has no parent and is not part of the path.
      if (!parent) break;
      parts.push(this.names.get(cur) ?? cur);
      cur = parent;
    }
    return '/' + parts.reverse().join('/');
  }

  /** Cluster name of a host (undefined for standalone hosts). */
  cluster(hostRef: string | undefined): string | undefined {
    const p = hostRef ? this.parents.get(hostRef) : undefined;
    return p && this.types.get(p) === 'ClusterComputeResource' ? this.names.get(p) : undefined;
  }
}

/**
 * Give every string in a freshly converted record its own storage. Strings cut from a response
 * chunk are V8 slices that keep the whole chunk alive; without this, 10,000 VM records would pin
 * the complete 100 MB page text for as long as the records live.
 */
export function detach<T>(x: T): T {
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (typeof v === 'string') x[i] = own(v);
      else if (v && typeof v === 'object') detach(v);
    }
  } else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'string') o[k] = own(v);
      else if (v && typeof v === 'object') detach(v);
    }
  }
  return x;
}

export function own(s: string): string {
  // Concatenation then slice makes V8 flatten into a new string (short strings are copies already).
  return s.length < 13 ? s : (' ' + s).slice(1);
}

function refVal(n: XNode | undefined): string | undefined {
  return moref(n)?.value;
}

function refList(n: XNode | undefined): string[] {
  const out: string[] = [];
  for (const k of items(n)) {
    const v = moref(k)?.value;
    if (v) out.push(v);
  }
  return out;
}

function str(n: XNode | undefined): string | undefined {
  return n ? n.text : undefined;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

function isoTime(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const d = new Date(s.trim());
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function uniq(a: string[]): string[] {
  return a.length < 2 ? a : [...new Set(a)];
}

// ---------------------------------------------------------------------------------------------
// Alarms

export interface AlarmDraft {
  key: string;
  entityRef: string;
  entityType: string;
  alarmRef: string;
  status: Severity;
  time: string;
  acknowledged?: boolean;
}

export function alarmDrafts(val: XNode | undefined): AlarmDraft[] {
  const out: AlarmDraft[] = [];
  for (const a of items(val)) {
    const entity = moref(child(a, 'entity'));
    const alarm = moref(child(a, 'alarm'));
    const key = text(a, 'key');
    if (!entity || !alarm || !key) continue;
    const st = text(a, 'overallStatus');
    out.push({
      key,
      entityRef: entity.value,
      entityType: entity.type,
      alarmRef: alarm.value,
      status: st === 'red' ? 'critical' : st === 'yellow' ? 'warning' : 'info',
      time: isoTime(text(a, 'time')) ?? '',
      acknowledged: bool(a, 'acknowledged'),
    });
  }
  return out;
}

export function resolveAlarm(d: AlarmDraft, ctx: Ctx): AlarmRecord {
  return {
    ref: d.key,
    entity: ctx.name(d.entityRef) ?? d.entityRef,
    entityType: d.entityType,
    alarm: ctx.alarmNames.get(d.alarmRef) ?? d.alarmRef,
    status: d.status,
    time: d.time,
    ...(d.acknowledged !== undefined ? { acknowledged: d.acknowledged } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Structure objects

export interface StructureDrafts {
  datacenters: Array<{ ref: string; name: string }>;
  clusters: Array<{ rec: ClusterRecord; ref: string }>;
  pods: Array<{ rec: DatastoreClusterRecord; ref: string }>;
  datastores: Array<{ rec: DatastoreRecord; ref: string; mounts: string[]; multi?: boolean }>;
  dvs: Array<{ rec: SwitchRecord; ref: string; members: string[] }>;
  pools: ResourcePoolRecord[];
  portgroups: Array<{ rec: PortgroupRecord; ref: string; hostRefs: string[]; switchRef?: string }>;
  alarms: AlarmDraft[];
}

export function newStructure(): StructureDrafts {
  return { datacenters: [], clusters: [], pods: [], datastores: [], dvs: [], portgroups: [], alarms: [], pools: [] };
}

export function vlanOf(v: XNode | undefined): { vlan?: number; vlanTrunk?: string; pvlan?: number; mode?: string } {
  if (!v) return {};
  const t = v.type ?? '';
  if (t.endsWith('PvlanSpec') || child(v, 'pvlanId')) {
    return { pvlan: num(v, 'pvlanId'), mode: 'pvlan' };
  }
  const ids = children(v, 'vlanId');
  if (t.endsWith('TrunkVlanSpec') || ids.some((i) => child(i, 'start'))) {
    const ranges = ids
      .map((r) => {
        const a = num(r, 'start');
        const b = num(r, 'end');
        return a === undefined ? '' : b === undefined || b === a ? `${a}` : `${a}-${b}`;
      })
      .filter(Boolean);
    return { vlanTrunk: ranges.join(','), mode: 'trunk' };
  }
  const id = num(v, 'vlanId');
  return id === undefined ? {} : { vlan: id, mode: id === 0 ? 'none' : 'vlan' };
}

/** Registers structure objects in ctx and keeps drafts of those that become records. */
export function addStructure(oc: ObjectContent, ctx: Ctx, s: StructureDrafts): void {
  const { obj, props } = oc;
  const ref = obj.value;
  const name = str(props.get('name'));
  const parent = refVal(props.get('parent'));
  ctx.add(ref, obj.type, name, parent);
  const alarms = props.get('triggeredAlarmState');
  if (alarms) s.alarms.push(...alarmDrafts(alarms));
  switch (obj.type) {
    case 'Datacenter':
      s.datacenters.push({ ref, name: name ?? ref });
      break;
    case 'ClusterComputeResource': {
      const sum = props.get('summary');
      const cfg = props.get('configurationEx');
      const hosts = refList(props.get('host'));
      const totalMem = num(sum, 'totalMemory');
      s.clusters.push({
        ref,
        rec: {
          ref,
          name: name ?? ref,
          hosts: num(sum, 'numHosts') ?? hosts.length,
          cpuMhz: num(sum, 'totalCpu'),
          memoryMB: totalMem === undefined ? undefined : Math.round(totalMem / MIB),
          drs: bool(path(cfg, 'drsConfig.enabled')),
          ha: bool(path(cfg, 'dasConfig.enabled')),
        },
      });
      break;
    }
    case 'StoragePod': {
      const sum = props.get('summary');
      s.pods.push({ ref, rec: { ref, name: name ?? ref, capacityBytes: num(sum, 'capacity') ?? 0, freeBytes: num(sum, 'freeSpace') ?? 0 } });
      break;
    }
    case 'Datastore': {
      const sum = props.get('summary');
      const capacity = num(sum, 'capacity') ?? 0;
      const free = num(sum, 'freeSpace') ?? 0;
      const uncommitted = num(sum, 'uncommitted');
      const mounts: string[] = [];
      for (const m of items(props.get('host'))) {
        const h = refVal(child(m, 'key'));
        if (h && bool(path(m, 'mountInfo.mounted')) !== false) mounts.push(h);
      }
      s.datastores.push({
        ref,
        mounts,
        multi: bool(sum, 'multipleHostAccess'),
        rec: {
          ref,
          name: name ?? ref,
          type: nonEmpty(text(sum, 'type')),
          capacityBytes: capacity,
          freeBytes: free,
          provisionedBytes: capacity - free + (uncommitted ?? 0),
          url: nonEmpty(text(sum, 'url')),
          accessible: bool(sum, 'accessible'),
          ...(nonEmpty(text(sum, 'maintenanceMode')) ? { maintenanceMode: text(sum, 'maintenanceMode') } : {}),
          shared: false,
          hosts: [],
          vms: items(props.get('vm')).length,
        },
      });
      break;
    }
    case 'VmwareDistributedVirtualSwitch':
    case 'DistributedVirtualSwitch': {
      const cfg = props.get('config');
      const members = refList(props.get('summary.hostMember'));
      if (!members.length) for (const h of children(cfg, 'host')) { const r = refVal(path(h, 'config.host')); if (r) members.push(r); }
      s.dvs.push({
        ref,
        members,
        rec: {
          ref,
          name: name ?? ref,
          kind: 'dvs',
          version: nonEmpty(text(props.get('summary.productInfo'), 'version')) ?? nonEmpty(text(path(cfg, 'productInfo'), 'version')),
          mtu: num(cfg, 'maxMtu'),
          hosts: [],
        },
      });
      break;
    }
    case 'DistributedVirtualPortgroup': {
      const key = str(props.get('key')) ?? ref;
      const sw = refVal(props.get('config.distributedVirtualSwitch'));
      const vl = vlanOf(child(props.get('config.defaultPortConfig'), 'vlan'));
      const dvSecurity = securityOf(child(props.get('config.defaultPortConfig'), 'securityPolicy'));
      const info: DvpgInfo = { ref: own(ref), name: own(name ?? ref), vlanMode: vl.mode };
      ctx.dvpgByKey.set(own(key), info);
      if (key !== ref) ctx.dvpgByKey.set(info.ref, info);
      s.portgroups.push({
        ref,
        switchRef: sw,
        hostRefs: refList(props.get('host')),
        rec: {
          ref,
          name: name ?? ref,
          kind: 'dvportgroup',
          switchRef: sw,
          ...(vl.vlan !== undefined ? { vlan: vl.vlan } : {}),
          ...(vl.vlanTrunk !== undefined ? { vlanTrunk: vl.vlanTrunk } : {}),
          ...(vl.pvlan !== undefined ? { pvlan: vl.pvlan } : {}),
          ...(dvSecurity ? { security: dvSecurity } : {}),
          ...(num(props.get('config.numPorts')) !== undefined ? { ports: num(props.get('config.numPorts')) } : {}),
          hosts: [],
          vms: items(props.get('vm')).length,
        },
      });
      break;
    }
    case 'ResourcePool':
    case 'VirtualApp':
      s.pools.push(poolDraft(ref, name ?? ref, props));
      break;
    case 'Network':
    case 'OpaqueNetwork':
      s.portgroups.push({
        ref,
        hostRefs: refList(props.get('host')),
        rec: { ref, name: name ?? ref, kind: 'network', hosts: [], vms: items(props.get('vm')).length },
      });
      break;
    default:
      break;
  }
}

export function resolveStructure(s: StructureDrafts, ctx: Ctx, hostDatastores: Map<string, string[]>): {
  resourcePools: ResourcePoolRecord[];
  datacenters: DatacenterRecord[];
  clusters: ClusterRecord[];
  datastoreClusters: DatastoreClusterRecord[];
  datastores: DatastoreRecord[];
  switches: SwitchRecord[];
  portgroups: PortgroupRecord[];
} {
  const hostName = (h: string) => ctx.name(h) ?? h;
  const datastores = s.datastores.map((d) => {
    const hosts = uniq([...d.mounts, ...(hostDatastores.get(d.ref) ?? [])]);
    const parent = ctx.parents.get(d.ref);
    const pod = parent && ctx.types.get(parent) === 'StoragePod' ? ctx.name(parent) : undefined;
    const rec: DatastoreRecord = {
      ...d.rec,
      datacenter: ctx.datacenter(d.ref),
      ...(pod ? { datastoreCluster: pod } : {}),
      shared: d.multi === true || hosts.length > 1,
      hosts: hosts.map(hostName).sort(),
    };
    return rec;
  });
  return {
    resourcePools: s.pools.map((p) => ({ ...p, path: ctx.path(p.ref) ?? p.path })),
    datacenters: s.datacenters.map((d) => ({ ref: d.ref, name: d.name })),
    clusters: s.clusters.map((c) => ({ ...c.rec, datacenter: ctx.datacenter(c.ref) })),
    datastoreClusters: s.pods.map((p) => ({ ...p.rec, datacenter: ctx.datacenter(p.ref) })),
    datastores,
    switches: s.dvs.map((d) => ({ ...d.rec, datacenter: ctx.datacenter(d.ref), hosts: uniq(d.members).map(hostName).sort() })),
    portgroups: s.portgroups.map((p) => ({
      ...p.rec,
      ...(p.switchRef ? { switch: ctx.name(p.switchRef) ?? p.switchRef } : {}),
      hosts: uniq(p.hostRefs).map(hostName).sort(),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Hosts

export interface HostDraft {
  rec: HostRecord;
  parent?: string;
  datastoreRefs: string[];
  vmkernels: VmkernelRecord[];
  /** Standard-switch portgroup name -> VLAN, for vmknic portgroups. */
  switches: SwitchRecord[];
  portgroups: PortgroupRecord[];
  sample?: HostSampleRecord;
  alarms: AlarmDraft[];
  dvPortgroupKeys: Array<{ vmk: VmkernelRecord; key: string }>;
}

const NIC_TYPE: Record<string, VmkService> = {
  management: 'management',
  vmotion: 'vmotion',
  vsan: 'vsan',
  vSphereProvisioning: 'provisioning',
  faultToleranceLogging: 'faultTolerance',
  vSphereReplication: 'replication',
  vSphereReplicationNFC: 'replication',
};

export function convertHost(oc: ObjectContent, now: Date): HostDraft {
  const { obj, props } = oc;
  const ref = obj.value;
  const name = str(props.get('name')) ?? ref;
  const hw = props.get('summary.hardware');
  const qs = props.get('summary.quickStats');
  const sys = props.get('hardware.systemInfo');
  const product = props.get('config.product');
  let serial = nonEmpty(text(sys, 'serialNumber')?.trim());
  if (!serial) {
    for (const id of children(sys, 'otherIdentifyingInfo')) {
      const k = text(path(id, 'identifierType'), 'key');
      const v = text(id, 'identifierValue')?.trim();
      if (v && (k === 'SerialNumberTag' || k === 'ServiceTag' || k === 'EnclosureSerialNumberTag')) {
        serial = v;
        if (k !== 'EnclosureSerialNumberTag') break;
      }
    }
  }
  const memBytes = num(hw, 'memorySize');
  const cpuMhz = num(hw, 'cpuMhz');
  const cores = num(hw, 'numCpuCores');
  const cpuUsage = num(qs, 'overallCpuUsage');
  const memUsage = num(qs, 'overallMemoryUsage');

  // vmknics and their services
  const services = new Map<string, Set<VmkService>>();
  const netCfg = props.get('config.virtualNicManagerInfo.netConfig');
  for (const nc of items(netCfg)) {
    const t = text(nc, 'nicType') ?? '';
    const svc: VmkService = NIC_TYPE[t] ?? 'other';
    const byKey = new Map<string, string>();
    for (const cand of children(nc, 'candidateVnic')) {
      const k = text(cand, 'key');
      const d = text(cand, 'device');
      if (k && d) byKey.set(k, d);
    }
    for (const sel of children(nc, 'selectedVnic')) {
      const k = sel.text.trim();
      let dev = byKey.get(k);
      if (!dev) {
        const m = /VirtualNic-(.+)$/.exec(k);
        dev = m?.[1];
      }
      if (!dev) continue;
      let set = services.get(dev);
      if (!set) services.set(dev, (set = new Set()));
      set.add(svc);
    }
  }
  const vmkernels: VmkernelRecord[] = [];
  const dvPortgroupKeys: HostDraft['dvPortgroupKeys'] = [];
  let managementIp: string | undefined;
  for (const v of items(props.get('config.network.vnic'))) {
    const device = text(v, 'device') ?? '';
    const spec = child(v, 'spec');
    const ip = nonEmpty(path(spec, 'ip.ipAddress')?.text);
    const netmask = nonEmpty(path(spec, 'ip.subnetMask')?.text);
    const netStack = nonEmpty(text(spec, 'netStackInstanceKey'));
    const pgName = nonEmpty(text(v, 'portgroup')) ?? nonEmpty(text(spec, 'portgroup'));
    const svc = [...(services.get(device) ?? [])];
    const rec: VmkernelRecord = {
      ref: `${ref}/${device}`,
      host: name,
      device,
      ...(ip ? { ip } : {}),
      ...(netmask ? { netmask } : {}),
      ...(nonEmpty(text(spec, 'mac')) ? { mac: text(spec, 'mac')!.toLowerCase() } : {}),
      ...(num(spec, 'mtu') !== undefined ? { mtu: num(spec, 'mtu') } : {}),
      ...(pgName ? { portgroup: pgName } : {}),
      ...(netStack ? { netStack } : {}),
      services: svc,
    };
    const dvKey = nonEmpty(path(spec, 'distributedVirtualPort.portgroupKey')?.text);
    if (!pgName && dvKey) dvPortgroupKeys.push({ vmk: rec, key: dvKey });
    if (svc.includes('management') && ip && !managementIp) managementIp = ip;
    vmkernels.push(rec);
  }
  if (!managementIp) managementIp = vmkernels.find((v) => v.device === 'vmk0')?.ip;

  // standard switches and portgroups
  const switches: SwitchRecord[] = [];
  for (const sw of items(props.get('config.network.vswitch'))) {
    const swName = text(sw, 'name') ?? '';
    const rsw: SwitchRecord = { ref: `${ref}/${swName}`, name: swName, kind: 'vss', host: name, mtu: num(sw, 'mtu'), hosts: [name] };
    const ports = num(sw, 'numPorts');
    if (ports !== undefined) rsw.ports = ports;
    const free = num(sw, 'numPortsAvailable');
    if (free !== undefined) rsw.freePorts = free;
    const sec = securityOf(path(sw, 'spec.policy.security'));
    if (sec) rsw.security = sec;
    const uplinks = children(sw, 'pnic').map((k) => k.text.replace(/^.*PhysicalNic-/, '')).filter(Boolean);
    if (uplinks.length) rsw.uplinks = uplinks;
    switches.push(rsw);
  }
  const portgroups: PortgroupRecord[] = [];
  for (const pg of items(props.get('config.network.portgroup'))) {
    const spec = child(pg, 'spec');
    const pgName = text(spec, 'name') ?? '';
    const vlanId = num(spec, 'vlanId');
    const swName = text(spec, 'vswitchName');
    portgroups.push({
      ref: `${ref}/${pgName}`,
      name: pgName,
      kind: 'standard',
      ...(swName ? { switch: swName, switchRef: `${ref}/${swName}` } : {}),
      ...(vlanId === 4095 ? { vlanTrunk: '0-4094' } : vlanId !== undefined ? { vlan: vlanId } : {}),
      ...(securityOf(path(pg, 'computedPolicy.security')) ? { security: securityOf(path(pg, 'computedPolicy.security')) } : {}),
      hosts: [name],
      vms: 0,
    });
  }

  const rec: HostRecord = {
    ref,
    name,
    vendor: nonEmpty(text(hw, 'vendor')?.trim()),
    model: nonEmpty(text(hw, 'model')?.trim()),
    ...(serial ? { serial } : {}),
    cpuModel: nonEmpty(text(hw, 'cpuModel')?.replace(/\s+/g, ' ').trim()),
    cpuPackages: num(hw, 'numCpuPkgs'),
    cpuCores: cores,
    cpuThreads: num(hw, 'numCpuThreads'),
    cpuMhz,
    memoryMB: memBytes === undefined ? undefined : Math.round(memBytes / MIB),
    cpuUsageMhz: cpuUsage,
    memoryUsageMB: memUsage,
    uptimeSeconds: num(qs, 'uptime'),
    bootTime: isoTime(str(props.get('runtime.bootTime'))),
    version: nonEmpty(text(product, 'version')),
    build: nonEmpty(text(product, 'build')),
    connectionState: nonEmpty(str(props.get('runtime.connectionState'))),
    powerState: nonEmpty(str(props.get('runtime.powerState'))),
    maintenance: bool(props.get('runtime.inMaintenanceMode')),
    ...(managementIp ? { managementIp } : {}),
    datastores: [],
    hypervisor: 'esxi',
  };
  hostReportFields(props, rec, switches);
  for (const k of Object.keys(rec) as Array<keyof HostRecord>) if (rec[k] === undefined) delete rec[k];

  let sample: HostSampleRecord | undefined;
  if (cpuUsage !== undefined && memUsage !== undefined && cpuMhz && cores && memBytes) {
    sample = {
      host: ref,
      time: now.toISOString(),
      cpuPct: Math.round(((cpuUsage / (cpuMhz * cores)) * 100) * 10) / 10,
      memPct: Math.round(((memUsage / (memBytes / MIB)) * 100) * 10) / 10,
    };
  }
  return {
    rec,
    parent: refVal(props.get('parent')),
    datastoreRefs: refList(props.get('datastore')),
    vmkernels,
    switches,
    portgroups,
    sample,
    alarms: alarmDrafts(props.get('triggeredAlarmState')),
    dvPortgroupKeys,
  };
}

export function resolveHost(d: HostDraft, ctx: Ctx): HostRecord {
  const rec = d.rec;
  const cluster = ctx.cluster(rec.ref);
  if (cluster) rec.cluster = cluster;
  const dc = ctx.datacenter(rec.ref);
  if (dc) rec.datacenter = dc;
  rec.datastores = d.datastoreRefs.map((r) => ctx.name(r) ?? r);
  for (const { vmk, key } of d.dvPortgroupKeys) {
    const pg = ctx.dvpgByKey.get(key);
    vmk.portgroup = pg?.name ?? key;
  }
  return rec;
}

// ---------------------------------------------------------------------------------------------
// VMs

const NIC_TYPES = new Set([
  'VirtualE1000', 'VirtualE1000e', 'VirtualPCNet32', 'VirtualVmxnet', 'VirtualVmxnet2', 'VirtualVmxnet3',
  'VirtualVmxnet3Vrdma', 'VirtualSriovEthernetCard', 'VirtualEthernetCard',
]);

/** Device types the collector never reads (controllers, input, video...): not materialised. */
// Disk controllers (labels and bus numbers of disks) and CD drives are read: they are few per VM.
const SKIPPED_DEVICES = new Set([
  'VirtualPS2Controller', 'VirtualPCIController', 'VirtualSIOController', 'VirtualUSBController',
  'VirtualUSBXHCIController', 'VirtualKeyboard', 'VirtualPointingDevice', 'VirtualMachineVideoCard',
  'VirtualMachineVMCIDevice', 'VirtualMachineVMIROM', 'VirtualFloppy', 'VirtualSerialPort',
  'VirtualParallelPort', 'VirtualSoundBlaster16', 'VirtualEnsoniq1371', 'VirtualHdAudioCard', 'VirtualUSB',
  'VirtualTPM', 'VirtualWDT', 'VirtualPrecisionClock',
]);

/** Skip predicate for VM pages: devices of the types above. */
export function vmSkip(node: XNode, stack: readonly XNode[]): boolean {
  return node.name === 'VirtualDevice' && node.type !== undefined && SKIPPED_DEVICES.has(node.type) && stack[stack.length - 1]?.type === 'ArrayOfVirtualDevice';
}

export interface VmDraft {
  rec: VmRecord;
  hostRef?: string;
  poolRef?: string;
  folderRef?: string;
  dsRefs: string[];
  netRefs: string[];
  nicNets: Array<{ nic: NicRecord; netRef?: string; pgKey?: string; fallback?: string }>;
  diskDs: Array<{ disk: DiskRecord; dsRef?: string; dsName?: string }>;
  custom: Array<{ key: string; value: string }>;
  alarms: AlarmDraft[];
  /** Disks by controller key, labelled once the controllers are known. */
  controllers: Map<string, Controller>;
  diskCtl: Array<{ disk: DiskRecord; key: string }>;
}

function splitIps(list: string[], nic: NicRecord): void {
  for (const raw of list) {
    const ip = raw.trim();
    if (!ip) continue;
    if (ip.includes(':')) {
      if (!nic.ipv6.includes(ip)) nic.ipv6.push(ip);
    } else if (!nic.ipv4.includes(ip)) nic.ipv4.push(ip);
  }
}

function guestIps(g: XNode): string[] {
  const cfg = children(child(g, 'ipConfig'), 'ipAddress');
  if (cfg.length) return cfg.map((a) => text(a, 'ipAddress') ?? '').filter(Boolean);
  return children(g, 'ipAddress').map((a) => a.text);
}

function diskBacking(t: string | undefined): string | undefined {
  if (!t) return undefined;
  if (t === 'VirtualDiskFlatVer2BackingInfo' || t === 'VirtualDiskFlatVer1BackingInfo') return 'flat';
  if (t === 'VirtualDiskRawDiskMappingVer1BackingInfo' || t === 'VirtualDiskRawDiskVer2BackingInfo') return 'rdm';
  if (t === 'VirtualDiskSeSparseBackingInfo') return 'sesparse';
  if (t === 'VirtualDiskSparseVer2BackingInfo' || t === 'VirtualDiskSparseVer1BackingInfo') return 'sparse';
  return t.replace(/^VirtualDisk/, '').replace(/BackingInfo$/, '').toLowerCase() || undefined;
}

export function convertVm(oc: ObjectContent): VmDraft {
  const { obj, props } = oc;
  const ref = obj.value;
  const numCPU = num(props.get('config.hardware.numCPU')) ?? 0;
  const cps = num(props.get('config.hardware.numCoresPerSocket'));
  const guestOs = nonEmpty(str(props.get('config.guestFullName')));
  const guestOsTools = nonEmpty(str(props.get('guest.guestFullName')));
  const ps = str(props.get('runtime.powerState'));
  const powerState: PowerState = ps === 'poweredOn' || ps === 'poweredOff' || ps === 'suspended' ? ps : 'unknown';
  const rec: VmRecord = {
    ref,
    name: str(props.get('name')) ?? ref,
    powerState,
    template: bool(props.get('config.template')) ?? false,
    osFamily: osFamilyOf(guestOsTools ?? guestOs),
    cpus: numCPU,
    memoryMB: num(props.get('config.hardware.memoryMB')) ?? 0,
    disks: [],
    nics: [],
    datastores: [],
    networks: [],
    customAttributes: {},
    hypervisor: 'esxi',
  };
  const bios = nonEmpty(str(props.get('config.uuid')));
  if (bios) rec.biosUuid = bios;
  const inst = nonEmpty(str(props.get('config.instanceUuid')));
  if (inst) rec.instanceUuid = inst;
  if (guestOs) rec.guestOs = guestOs;
  if (guestOsTools) rec.guestOsTools = guestOsTools;
  const tools = nonEmpty(str(props.get('guest.toolsStatus'))) ?? nonEmpty(str(props.get('guest.toolsRunningStatus')));
  if (tools) rec.toolsStatus = tools;
  const hn = nonEmpty(str(props.get('guest.hostName')));
  if (hn) rec.hostname = hn;
  if (cps && cps > 0) {
    rec.coresPerSocket = cps;
    rec.sockets = Math.max(1, Math.ceil(numCPU / cps));
  } else if (numCPU) {
    rec.sockets = numCPU;
    rec.coresPerSocket = 1;
  }
  const committed = num(props.get('summary.storage.committed'));
  if (committed !== undefined) rec.committedBytes = committed;
  const uncommitted = num(props.get('summary.storage.uncommitted'));
  if (uncommitted !== undefined) rec.uncommittedBytes = uncommitted;
  const created = isoTime(str(props.get('config.createDate')));
  if (created && !created.startsWith('1970-')) rec.createdAt = created;
  const ann = str(props.get('config.annotation'));
  if (ann) rec.annotation = ann;

  // guest NICs by device key and by MAC
  const guestByKey = new Map<string, XNode>();
  const guestByMac = new Map<string, XNode>();
  for (const g of items(props.get('guest.net'))) {
    const k = text(g, 'deviceConfigId');
    if (k && k !== '-1') guestByKey.set(k.trim(), g);
    const m = text(g, 'macAddress');
    if (m) guestByMac.set(m.trim().toLowerCase(), g);
  }

  const draft: VmDraft = {
    rec,
    hostRef: refVal(props.get('runtime.host')),
    poolRef: refVal(props.get('resourcePool')) ?? refVal(props.get('parentVApp')),
    folderRef: refVal(props.get('parent')),
    dsRefs: refList(props.get('datastore')),
    netRefs: refList(props.get('network')),
    nicNets: [],
    diskDs: [],
    custom: [],
    alarms: alarmDrafts(props.get('triggeredAlarmState')),
    controllers: new Map(),
    diskCtl: [],
  };
  vmReportFields(props, rec);

  for (const d of items(props.get('config.hardware.device'))) {
    const t = d.type ?? d.name;
    if (t === 'VirtualDisk') {
      const backing = child(d, 'backing');
      const bytes = num(d, 'capacityInBytes') ?? (num(d, 'capacityInKB') ?? 0) * 1024;
      const disk: DiskRecord = {
        key: text(d, 'key') ?? '',
        label: path(d, 'deviceInfo.label')?.text ?? '',
        sizeGB: bytes / GIB,
      };
      const thin = bool(backing, 'thinProvisioned');
      if (thin !== undefined) disk.thin = thin;
      const b = diskBacking(backing?.type);
      if (b) disk.backing = b;
      const uuid = nonEmpty(text(backing, 'uuid'));
      if (uuid) disk.uuid = uuid;
      const file = text(backing, 'fileName');
      const m = file ? /^\s*\[([^\]]*)\]/.exec(file) : null;
      if (file) disk.path = file;
      const mode = nonEmpty(text(backing, 'diskMode'));
      if (mode) disk.mode = mode;
      const sharing = nonEmpty(text(backing, 'sharing'));
      if (sharing) disk.sharing = sharing;
      const unit = num(d, 'unitNumber');
      if (unit !== undefined) disk.unit = unit;
      const ck = text(d, 'controllerKey')?.trim();
      if (ck) draft.diskCtl.push({ disk, key: ck });
      rec.disks.push(disk);
      draft.diskDs.push({ disk, dsRef: refVal(child(backing, 'datastore')), dsName: m?.[1] });
      continue;
    }
    const ctl = controllerOf(d, t);
    if (ctl) {
      draft.controllers.set(ctl.key, ctl);
      continue;
    }
    if (t === 'VirtualCdrom') {
      (rec.cdroms ??= []).push(cdromOf(d));
      continue;
    }
    const mac = text(d, 'macAddress');
    const backing = child(d, 'backing');
    if (NIC_TYPES.has(t) || (mac !== undefined && (backing?.type ?? '').includes('EthernetCard'))) {
      const key = text(d, 'key') ?? '';
      const nic: NicRecord = { key, label: path(d, 'deviceInfo.label')?.text ?? '', ipv4: [], ipv6: [] };
      if (mac) nic.mac = mac.trim().toLowerCase();
      const conn = bool(path(d, 'connectable.connected'));
      if (conn !== undefined) nic.connected = conn;
      const start = bool(path(d, 'connectable.startConnected'));
      if (start !== undefined) nic.startConnected = start;
      if (t.startsWith('Virtual')) nic.adapter = t.slice('Virtual'.length);
      const g = guestByKey.get(key.trim()) ?? (nic.mac ? guestByMac.get(nic.mac) : undefined);
      if (g) splitIps(guestIps(g), nic);
      const bt = backing?.type ?? '';
      const entry: VmDraft['nicNets'][number] = { nic };
      if (bt.includes('DistributedVirtualPort')) entry.pgKey = nonEmpty(path(backing, 'port.portgroupKey')?.text);
      else if (bt.includes('OpaqueNetwork')) entry.fallback = nonEmpty(text(backing, 'opaqueNetworkId'));
      else {
        entry.netRef = refVal(child(backing, 'network'));
        entry.fallback = nonEmpty(text(backing, 'deviceName'));
      }
      rec.nics.push(nic);
      draft.nicNets.push(entry);
    }
  }

  for (const { disk, key } of draft.diskCtl) {
    const c = draft.controllers.get(key);
    if (!c) continue;
    disk.controller = c.label;
    if (c.bus !== undefined) disk.bus = c.bus;
  }
  draft.controllers.clear();
  draft.diskCtl.length = 0;

  for (const cv of items(props.get('customValue'))) {
    const k = text(cv, 'key');
    const v = text(cv, 'value');
    if (k !== undefined && v !== undefined) draft.custom.push({ key: k.trim(), value: v });
  }
  return draft;
}

export function resolveVm(d: VmDraft, ctx: Ctx): VmRecord {
  const rec = d.rec;
  if (d.hostRef) {
    rec.hostRef = d.hostRef;
    const h = ctx.name(d.hostRef);
    if (h) rec.host = h;
    const c = ctx.cluster(d.hostRef);
    if (c) rec.cluster = c;
  }
  const pool = ctx.name(d.poolRef);
  if (pool) rec.resourcePool = pool;
  const folder = ctx.name(d.folderRef);
  if (folder) rec.folder = folder;
  if (d.folderRef) {
    rec.folderRef = d.folderRef;
    const fp = ctx.path(d.folderRef);
    if (fp) rec.folderPath = fp;
  }
  const pp = ctx.path(d.poolRef);
  if (pp) rec.resourcePoolPath = pp;
  const dc = ctx.datacenter(d.folderRef) ?? ctx.datacenter(d.hostRef);
  if (dc) rec.datacenter = dc;
  rec.datastores = d.dsRefs.map((r) => ctx.name(r) ?? r);
  rec.networks = d.netRefs.map((r) => ctx.name(r) ?? r);
  for (const n of d.nicNets) {
    if (n.pgKey) {
      const pg = ctx.dvpgByKey.get(n.pgKey);
      n.nic.networkRef = pg?.ref ?? n.pgKey;
      n.nic.network = pg?.name ?? n.pgKey;
      if (pg?.vlanMode) n.nic.vlanMode = pg.vlanMode;
    } else if (n.netRef) {
      n.nic.networkRef = n.netRef;
      const name = ctx.name(n.netRef) ?? n.fallback;
      if (name) n.nic.network = name;
    } else if (n.fallback) n.nic.network = n.fallback;
  }
  for (const x of d.diskDs) {
    if (x.dsRef) x.disk.datastoreRef = x.dsRef;
    const name = ctx.name(x.dsRef) ?? x.dsName;
    if (name) x.disk.datastore = name;
  }
  for (const c of d.custom) rec.customAttributes[ctx.fieldNames.get(c.key) ?? `field-${c.key}`] = c.value;
  return rec;
}

// ---------------------------------------------------------------------------------------------
// Events

const EVENT_ENTITY_FIELDS = ['vm', 'host', 'ds', 'computeResource', 'net', 'dvs', 'datacenter'];

export function eventSeverity(type: string, e: XNode): Severity {
  const sev = text(e, 'severity')?.trim().toLowerCase();
  if (sev === 'error') return 'critical';
  if (sev === 'warning') return 'warning';
  if (sev === 'info' || sev === 'user') return 'info';
  if (/^Alarm/.test(type)) {
    const to = text(e, 'to')?.trim();
    if (to === 'red') return 'critical';
    if (to === 'yellow') return 'warning';
  }
  if (/(Failed|Failure|Error|Lost|Crash|NotResponding|Corrupt|Unreachable|Panic)/.test(type)) return 'critical';
  if (/(Warning|Disconnected|Degraded|Timeout|TimedOut|Shortage|Exceeded|Mismatch|Denied|Expired|Conflict|BadUsername|Overcommitted|Expiring)/.test(type)) return 'warning';
  return 'info';
}

export function convertEvent(e: XNode): EventRecord | undefined {
  const key = text(e, 'key')?.trim();
  if (!key) return undefined;
  const cls = e.type ?? e.name;
  const typeId = nonEmpty(text(e, 'eventTypeId')?.trim());
  const type = (cls === 'EventEx' || cls === 'ExtendedEvent') && typeId ? typeId : cls;
  let entity: string | undefined;
  for (const f of EVENT_ENTITY_FIELDS) {
    const n = text(child(e, f), 'name');
    if (n) {
      entity = n;
      break;
    }
  }
  const rec: EventRecord = {
    ref: key,
    time: isoTime(text(e, 'createdTime')) ?? '',
    type,
    severity: eventSeverity(type, e),
    message: (nonEmpty(text(e, 'fullFormattedMessage')) ?? nonEmpty(text(e, 'message')) ?? type).replace(/\s*\n\s*/g, ' ').trim(),
  };
  if (entity) rec.entity = entity;
  const user = nonEmpty(text(e, 'userName'));
  if (user) rec.user = user;
  return rec;
}
