// ObjectContent -> platform-neutral records. Converters read the namespace-resolved XML values
// directly (no intermediate JS objects); references are kept as morefs in drafts and resolved to
// names once everything has been retrieved, so VMs can stream in while the rest is still loading.

import type {
  ClusterRecord, DatacenterRecord, DatastoreClusterRecord, DatastoreRecord, EventRecord, HostRecord, HostSampleRecord, PortgroupRecord,
  ResourcePoolRecord, Severity, SwitchRecord, VmkernelRecord, VmkService,
} from '../../model/records.js';
import { alarmDrafts, Ctx, isoTime, nonEmpty, own, refList, refVal, str, uniq, type AlarmDraft, type DvpgInfo } from './ctx.js';
import type { ObjectContent } from './props.js';
import { HOST_REPORT_PATHS, POOL_REPORT_PATHS, VM_REPORT_PATHS, hostReportFields, poolDraft, securityOf } from './reportfields.js';
import { bool, child, children, items, num, path, text, type XNode } from './xml.js';

export { alarmDrafts, Ctx, detach, own, resolveAlarm, type AlarmDraft, type DvpgInfo } from './ctx.js';
export { convertVm, resolveVm, vmSkip, type VmDraft } from './convertvm.js';
const MIB = 1024 * 1024;

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
