// Prism Central entities (v4.0 and v3) -> vmi's platform-neutral records. Every read is defensive:
// Prism Central answers `null` where an object belongs, omits what a powered-off VM does not have,
// and adds enum values newer than this code ($UNKNOWN, $REDACTED, ...). What Nutanix does not
// have stays absent.

import {
  emptyInventory, osFamilyOf, type AlarmRecord, type ClusterRecord, type DatastoreRecord, type DiskRecord, type HostRecord,
  type Inventory, type NicRecord, type PortgroupRecord, type PowerState, type Severity, type VmRecord,
} from '../../model/records.js';

type Obj = Record<string, unknown>;
const obj = (x: unknown): Obj | undefined => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Obj) : undefined);
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const at = (x: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => obj(o)?.[k], x);
/** An enum value, or undefined for the escape values ($UNKNOWN, $REDACTED). */
const enumOf = (x: unknown): string | undefined => {
  const s = str(x);
  return s && !s.startsWith('$') ? s : undefined;
};
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** v4 addresses: {ipv4: {value}} or {value}. */
function ip(x: unknown): string | undefined {
  return str(at(x, 'ipv4', 'value')) ?? str(at(x, 'value')) ?? str(x);
}

const POWER: Record<string, PowerState> = { ON: 'poweredOn', OFF: 'poweredOff', PAUSED: 'suspended', SUSPENDED: 'suspended' };
export const powerOf = (x: unknown): PowerState => POWER[String(x ?? '').toUpperCase()] ?? 'unknown';

const SEVERITY: Record<string, Severity> = { CRITICAL: 'critical', WARNING: 'warning' };

/** Whether a cluster entity is Prism Central's own pseudo-cluster (left out). */
export function isPrismCentralCluster(c: Obj): boolean {
  const fn = [...arr(at(c, 'config', 'clusterFunction')), ...arr(at(c, 'status', 'resources', 'config', 'service_list'))];
  if (fn.some((f) => String(f).toUpperCase() === 'PRISM_CENTRAL')) return true;
  return arr(at(c, 'config', 'clusterSoftwareMap')).some((s) => String(at(s, 'softwareType')).toUpperCase() === 'PRISM_CENTRAL');
}

/** A normalised Prism Central estate, one shape for v4 and v3, before it becomes records. */
export interface PcEstate {
  clusters: Obj[];
  hosts: Obj[];
  vms: Obj[];
  containers: Obj[];
  subnets: Obj[];
  categories: Obj[];
  alerts: Obj[];
}

interface Lookup {
  clusters: Map<string, string>;
  hosts: Map<string, { name: string; cluster?: string }>;
  subnets: Map<string, { name: string; vlan?: number }>;
  containers: Map<string, string>;
  categories: Map<string, { key: string; value: string }>;
  pcClusters: Set<string>;
}

// ---- v4.0 ----

function v4Disk(d: unknown, i: number, lk: Lookup): DiskRecord | undefined {
  const b = obj(at(d, 'backingInfo'));
  const size = num(b?.diskSizeBytes);
  if (!b || size === undefined) return undefined; // a volume-group reference, not a disk of this VM
  const bus = enumOf(at(d, 'diskAddress', 'busType'));
  const index = num(at(d, 'diskAddress', 'index'));
  const ctr = str(at(b, 'storageContainer', 'extId'));
  const key = str(at(d, 'extId')) ?? str(b.diskExtId) ?? `${bus ?? 'disk'}.${index ?? i}`;
  return {
    key,
    label: bus !== undefined && index !== undefined ? `${bus.toLowerCase()}.${index}` : `disk ${i + 1}`,
    sizeGB: round2(size / GiB),
    ...(ctr ? { datastoreRef: ctr, ...(lk.containers.has(ctr) ? { datastore: lk.containers.get(ctr) } : {}) } : {}),
    backing: 'nutanix-vdisk',
    ...(str(b.diskExtId) ? { uuid: str(b.diskExtId) } : {}),
  };
}

function v4Nic(n: unknown, i: number, lk: Lookup): NicRecord {
  // v4.0 names (backingInfo/networkInfo) and the v4.1+ ones, whichever is there.
  const b = obj(at(n, 'backingInfo')) ?? obj(at(n, 'nicBackingInfo'));
  const net = obj(at(n, 'networkInfo')) ?? obj(at(n, 'nicNetworkInfo'));
  const subnet = str(at(net, 'subnet', 'extId'));
  const ipv4: string[] = [];
  const add = (x: string | undefined) => {
    if (x && !ipv4.includes(x)) ipv4.push(x);
  };
  add(ip(at(net, 'ipv4Config', 'ipAddress')));
  for (const x of arr(at(net, 'ipv4Config', 'secondaryIpAddressList'))) add(ip(x));
  for (const x of arr(at(net, 'ipv4Info', 'learnedIpAddresses'))) add(ip(x));
  const ipv6: string[] = [];
  for (const x of arr(at(net, 'ipv6Info', 'learnedIpAddresses'))) {
    const v = str(at(x, 'value'));
    if (v && !ipv6.includes(v)) ipv6.push(v);
  }
  const sn = subnet ? lk.subnets.get(subnet) : undefined;
  const connected = at(b, 'isConnected');
  return {
    key: str(at(n, 'extId')) ?? String(i),
    label: `nic ${i + 1}`,
    ...(str(b?.macAddress) ? { mac: str(b!.macAddress)!.toLowerCase() } : {}),
    ...(typeof connected === 'boolean' ? { connected } : {}),
    ...(sn ? { network: sn.name } : {}),
    ...(subnet ? { networkRef: subnet } : {}),
    ...(enumOf(net?.vlanMode) ? { vlanMode: enumOf(net!.vlanMode)!.toLowerCase() } : {}),
    ipv4,
    ipv6,
  };
}

function categoriesOf(refs: string[], lk: Lookup): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of refs) {
    const c = lk.categories.get(id);
    if (!c) continue;
    out[c.key] = out[c.key] ? `${out[c.key]}, ${c.value}` : c.value;
  }
  return out;
}

function toolsOf(t: Obj | undefined): string | undefined {
  if (!t) return undefined;
  if (t.isInstalled === false) return 'notInstalled';
  if (t.isInstalled === true) return t.isReachable === true ? 'ok' : t.isEnabled === false ? 'disabled' : 'notRunning';
  return undefined;
}

export function vmFromV4(v: Obj, lk: Lookup): VmRecord | undefined {
  const ref = str(v.extId);
  if (!ref) return undefined;
  const sockets = num(v.numSockets) ?? 1;
  const cores = num(v.numCoresPerSocket) ?? 1;
  const threads = num(v.numThreadsPerCore) ?? 1;
  const disks = arr(v.disks).map((d, i) => v4Disk(d, i, lk)).filter((d): d is DiskRecord => !!d);
  const nics = arr(v.nics).map((n, i) => v4Nic(n, i, lk));
  const hostRef = str(at(v, 'host', 'extId'));
  const clusterRef = str(at(v, 'cluster', 'extId'));
  const tools = obj(v.guestTools);
  const guest = str(tools?.guestOsVersion) ?? str(at(tools, 'guestInfo', 'guestOsFullName'));
  const mem = num(v.memorySizeBytes);
  return {
    ref,
    name: str(v.name) ?? ref,
    ...(str(v.biosUuid) ? { biosUuid: str(v.biosUuid) } : {}),
    powerState: powerOf(v.powerState),
    template: false,
    ...(guest ? { guestOsTools: guest } : {}),
    osFamily: osFamilyOf(guest),
    ...(toolsOf(tools) ? { toolsStatus: toolsOf(tools) } : {}),
    ...(str(at(tools, 'guestInfo', 'dnsName')) ? { hostname: str(at(tools, 'guestInfo', 'dnsName')) } : {}),
    cpus: sockets * cores * threads,
    sockets,
    coresPerSocket: cores,
    memoryMB: mem !== undefined ? Math.round(mem / MiB) : 0,
    disks,
    nics,
    ...(hostRef ? { hostRef, ...(lk.hosts.has(hostRef) ? { host: lk.hosts.get(hostRef)!.name } : {}) } : {}),
    ...(clusterRef && lk.clusters.has(clusterRef) ? { cluster: lk.clusters.get(clusterRef) } : {}),
    datastores: [...new Set(disks.map((d) => d.datastore).filter((x): x is string => !!x))],
    networks: [...new Set(nics.map((n) => n.network).filter((x): x is string => !!x))],
    ...(str(v.createTime) ? { createdAt: str(v.createTime) } : {}),
    ...(str(v.description) ? { annotation: str(v.description) } : {}),
    customAttributes: categoriesOf(arr(v.categories).map((c) => str(at(c, 'extId'))).filter((x): x is string => !!x), lk),
    hypervisor: 'ahv',
  };
}

export function hostFromV4(h: Obj, lk: Lookup, vmCount: number): HostRecord | undefined {
  const ref = str(h.extId);
  if (!ref) return undefined;
  const hv = obj(h.hypervisor);
  const clusterRef = str(at(h, 'cluster', 'uuid')) ?? str(at(h, 'cluster', 'extId'));
  const freq = num(h.cpuFrequencyHz);
  const mem = num(h.memorySizeBytes);
  const boot = num(h.bootTimeUsecs);
  return {
    ref,
    name: str(h.hostName) ?? ref,
    ...(lk.clusters.get(clusterRef ?? '') ?? str(at(h, 'cluster', 'name')) ? { cluster: lk.clusters.get(clusterRef ?? '') ?? str(at(h, 'cluster', 'name')) } : {}),
    ...(str(h.blockModel) ? { model: str(h.blockModel) } : {}),
    ...(str(h.blockSerial) ? { serial: str(h.blockSerial) } : {}),
    ...(str(h.cpuModel) ? { cpuModel: str(h.cpuModel) } : {}),
    ...(num(h.numberOfCpuSockets) !== undefined ? { cpuPackages: num(h.numberOfCpuSockets) } : {}),
    ...(num(h.numberOfCpuCores) !== undefined ? { cpuCores: num(h.numberOfCpuCores) } : {}),
    ...(num(h.numberOfCpuThreads) !== undefined ? { cpuThreads: num(h.numberOfCpuThreads) } : {}),
    ...(freq !== undefined ? { cpuMhz: Math.round(freq / 1e6) } : {}),
    ...(mem !== undefined ? { memoryMB: Math.round(mem / MiB) } : {}),
    ...(boot !== undefined ? { bootTime: new Date(boot / 1000).toISOString() } : {}),
    ...(str(hv?.fullName) ? { version: str(hv!.fullName) } : {}),
    ...(enumOf(hv?.acropolisConnectionState) ? { connectionState: enumOf(hv!.acropolisConnectionState)!.toLowerCase() } : {}),
    ...(typeof at(h, 'controllerVm', 'isInMaintenanceMode') === 'boolean' ? { maintenance: at(h, 'controllerVm', 'isInMaintenanceMode') as boolean } : {}),
    ...(ip(at(hv, 'externalAddress')) ? { managementIp: ip(at(hv, 'externalAddress')) } : {}),
    ...(ip(at(h, 'ipmi', 'ip')) ? { ipmiIp: ip(at(h, 'ipmi', 'ip')) } : {}),
    ...(ip(at(h, 'controllerVm', 'externalAddress')) ? { cvmIp: ip(at(h, 'controllerVm', 'externalAddress')) } : {}),
    vmCount,
    datastores: [],
    ...(enumOf(hv?.type) ? { hypervisor: enumOf(hv!.type)!.toLowerCase() } : {}),
  };
}

export function clusterFromV4(c: Obj, hosts: number): ClusterRecord | undefined {
  const ref = str(c.extId);
  if (!ref) return undefined;
  const version = str(at(c, 'config', 'buildInfo', 'version'))
    ?? str(arr(at(c, 'config', 'clusterSoftwareMap')).map((s) => obj(s)).find((s) => s?.softwareType === 'NOS')?.version);
  const hv = arr(at(c, 'config', 'hypervisorTypes')).map(enumOf).filter((x): x is string => !!x);
  return {
    ref,
    name: str(c.name) ?? ref,
    hosts: num(at(c, 'nodes', 'numberOfNodes')) ?? hosts,
    ...(version ? { version } : {}),
    ...(hv.length ? { hypervisors: hv.map((x) => x.toLowerCase()) } : {}),
    ...(ip(at(c, 'network', 'externalAddress')) ? { address: ip(at(c, 'network', 'externalAddress')) } : {}),
  };
}

// ---- v3 ----

function v3Vm(e: Obj): Obj {
  // The v3 entity in the v4 shape, so that one mapping serves both.
  const st = obj(e.status) ?? {};
  const r = obj(st.resources) ?? {};
  const md = obj(e.metadata) ?? {};
  const cats = obj(md.categories) ?? {};
  return {
    extId: md.uuid, name: st.name, description: st.description, powerState: r.power_state,
    numSockets: r.num_sockets, numCoresPerSocket: r.num_vcpus_per_socket, numThreadsPerCore: r.num_threads_per_core,
    memorySizeBytes: num(r.memory_size_mib) !== undefined ? num(r.memory_size_mib)! * MiB : undefined,
    createTime: md.creation_time,
    host: { extId: at(r, 'host_reference', 'uuid') },
    cluster: { extId: at(st, 'cluster_reference', 'uuid') },
    biosUuid: r.bios_uuid,
    guestTools: (() => {
      const n = obj(at(r, 'guest_tools', 'nutanix_guest_tools'));
      if (!n) return undefined;
      return { isInstalled: n.ngt_state === 'INSTALLED' ? true : n.ngt_state === 'UNINSTALLED' ? false : undefined, isEnabled: n.state === 'ENABLED', isReachable: n.is_reachable, guestOsVersion: n.guest_os_version };
    })(),
    disks: arr(r.disk_list).filter((d) => at(d, 'device_properties', 'device_type') === 'DISK' || at(d, 'device_properties', 'device_type') === undefined).map((d) => ({
      extId: at(d, 'uuid'),
      diskAddress: { busType: at(d, 'device_properties', 'disk_address', 'adapter_type'), index: at(d, 'device_properties', 'disk_address', 'device_index') },
      backingInfo: num(at(d, 'disk_size_bytes')) !== undefined || num(at(d, 'disk_size_mib')) !== undefined ? {
        diskSizeBytes: num(at(d, 'disk_size_bytes')) ?? num(at(d, 'disk_size_mib'))! * MiB,
        storageContainer: { extId: at(d, 'storage_config', 'storage_container_reference', 'uuid') },
      } : undefined,
    })),
    nics: arr(r.nic_list).map((n) => {
      const eps = arr(at(n, 'ip_endpoint_list'));
      const v6 = (p: unknown) => String(at(p, 'ip')).includes(':');
      const assigned = eps.find((p) => at(p, 'type') !== 'LEARNED' && !v6(p));
      return {
        extId: at(n, 'uuid'),
        backingInfo: { macAddress: at(n, 'mac_address'), isConnected: at(n, 'is_connected') },
        networkInfo: {
          vlanMode: at(n, 'vlan_mode'),
          subnet: { extId: at(n, 'subnet_reference', 'uuid') },
          ipv4Config: { ipAddress: { value: at(assigned, 'ip') } },
          ipv4Info: { learnedIpAddresses: eps.filter((p) => !v6(p)).map((p) => ({ value: at(p, 'ip') })) },
          ipv6Info: { learnedIpAddresses: eps.filter(v6).map((p) => ({ value: at(p, 'ip') })) },
        },
      };
    }),
    // v3 categories are key -> value on the entity: kept as pseudo category ids resolved below.
    categories: Object.entries(cats).map(([k, val]) => ({ extId: `v3:${k}=${String(val)}` })),
  };
}

function v3Host(e: Obj): Obj {
  const st = obj(e.status) ?? {};
  const r = obj(st.resources) ?? {};
  const md = obj(e.metadata) ?? {};
  const hv = obj(r.hypervisor) ?? {};
  return {
    extId: md.uuid, hostName: st.name ?? md.name,
    cluster: { uuid: at(st, 'cluster_reference', 'uuid'), name: at(st, 'cluster_reference', 'name') },
    hypervisor: { fullName: hv.hypervisor_full_name, externalAddress: { ipv4: { value: hv.ip } }, type: undefined },
    cpuModel: r.cpu_model, numberOfCpuSockets: r.num_cpu_sockets, numberOfCpuCores: r.num_cpu_cores,
    memorySizeBytes: num(r.memory_capacity_mib) !== undefined ? num(r.memory_capacity_mib)! * MiB : undefined,
    blockSerial: at(r, 'block', 'block_serial_number') ?? r.serial_number, blockModel: at(r, 'block', 'block_model'),
    ipmi: { ip: { ipv4: { value: at(r, 'ipmi', 'ip') } } },
    controllerVm: { externalAddress: { ipv4: { value: at(r, 'controller_vm', 'ip') } } },
  };
}

function v3Cluster(e: Obj): Obj {
  const st = obj(e.status) ?? {};
  const r = obj(st.resources) ?? {};
  const cfg = obj(r.config) ?? {};
  const servers = arr(at(r, 'nodes', 'hypervisor_server_list')).filter((s) => at(s, 'ip') !== '127.0.0.1');
  return {
    extId: at(e, 'metadata', 'uuid'), name: st.name,
    nodes: { numberOfNodes: servers.length || undefined },
    config: {
      clusterFunction: cfg.service_list,
      buildInfo: { version: at(cfg, 'software_map', 'NOS', 'version') ?? at(cfg, 'build', 'version') },
      hypervisorTypes: [...new Set(servers.map((s) => at(s, 'type')).filter(Boolean))],
    },
    network: { externalAddress: { ipv4: { value: at(r, 'network', 'external_ip') } } },
  };
}

function v3Subnet(e: Obj): Obj {
  const st = obj(e.status) ?? {};
  const r = obj(st.resources) ?? {};
  return {
    extId: at(e, 'metadata', 'uuid'), name: st.name, subnetType: r.subnet_type, networkId: r.vlan_id,
    clusterReference: at(st, 'cluster_reference', 'uuid'), bridgeName: r.vswitch_name,
  };
}

/** A v3 estate in the v4 shapes (v3 has no storage container list and embeds category values). */
export function estateFromV3(lists: { clusters: Obj[]; hosts: Obj[]; vms: Obj[]; subnets: Obj[] }): PcEstate {
  const vms = lists.vms.map(v3Vm);
  const categories = new Map<string, Obj>();
  for (const v of vms) {
    for (const c of arr(v.categories)) {
      const id = String(at(c, 'extId'));
      const m = /^v3:([^=]*)=(.*)$/s.exec(id);
      if (m) categories.set(id, { extId: id, key: m[1], value: m[2] });
    }
  }
  return {
    clusters: lists.clusters.map(v3Cluster), hosts: lists.hosts.map(v3Host), vms, subnets: lists.subnets.map(v3Subnet),
    containers: [], categories: [...categories.values()], alerts: [],
  };
}

// ---- records ----

export function subnetFromV4(s: Obj, hostsOf: (cluster?: string) => string[], vms: number): PortgroupRecord | undefined {
  const ref = str(s.extId);
  if (!ref) return undefined;
  const type = enumOf(s.subnetType);
  const vlan = num(s.networkId);
  const cluster = str(s.clusterReference) ?? str(at(s, 'clusterReference', 'extId'));
  return {
    ref,
    name: str(s.name) ?? ref,
    kind: 'network',
    ...(str(s.bridgeName) ? { switch: str(s.bridgeName) } : {}),
    ...(type !== 'OVERLAY' && vlan !== undefined ? { vlan } : {}),
    ...(type ? { networkType: type.toLowerCase() } : {}),
    hosts: type === 'OVERLAY' ? [] : hostsOf(cluster),
    vms,
  };
}

export function containerFromV4(c: Obj, hostsOf: (cluster?: string) => string[], provisioned: number, vms: number): DatastoreRecord | undefined {
  const ref = str(c.containerExtId) ?? str(c.extId);
  if (!ref) return undefined;
  const cap = num(c.maxCapacityBytes) ?? 0;
  const used = num(c.usageBytes);
  const hosts = hostsOf(str(c.clusterExtId));
  return {
    ref,
    name: str(c.name) ?? ref,
    type: 'NutanixContainer',
    capacityBytes: cap,
    // Without a usage figure in the list, free is what the VMs' disks have not provisioned.
    freeBytes: Math.max(0, cap - (used ?? provisioned)),
    provisionedBytes: provisioned,
    shared: hosts.length > 1,
    hosts,
    vms,
  };
}

export function alarmFromV4(a: Obj, lk: Lookup): AlarmRecord | undefined {
  const ref = str(a.extId);
  const status = SEVERITY[String(a.severity ?? '').toUpperCase()];
  if (!ref || !status || a.isResolved === true) return undefined;
  const src = obj(a.sourceEntity) ?? obj(arr(a.affectedEntities)[0]);
  const cluster = str(a.clusterUUID);
  const entity = str(src?.name) ?? (cluster ? lk.clusters.get(cluster) : undefined) ?? str(a.clusterName) ?? 'Prism Central';
  return {
    ref,
    entity,
    ...(enumOf(src?.type) ? { entityType: enumOf(src!.type) } : {}),
    alarm: str(a.title) ?? str(a.message) ?? str(a.alertType) ?? 'alert',
    status,
    time: str(a.lastOccurredTime) ?? str(a.creationTime) ?? new Date(0).toISOString(),
    ...(typeof a.isAcknowledged === 'boolean' ? { acknowledged: a.isAcknowledged } : {}),
  };
}

/** The records of one retrieval; Prism Central's own pseudo-cluster and its hosts are left out. */
export function toInventory(e: PcEstate): Inventory {
  const inv = emptyInventory();
  const pcClusters = new Set(e.clusters.filter(isPrismCentralCluster).map((c) => str(c.extId)).filter((x): x is string => !!x));
  const clusters = e.clusters.filter((c) => !pcClusters.has(str(c.extId) ?? ''));
  const hostCluster = (h: Obj) => str(at(h, 'cluster', 'uuid')) ?? str(at(h, 'cluster', 'extId'));
  const hosts = e.hosts.filter((h) => !pcClusters.has(hostCluster(h) ?? ''));
  const lk: Lookup = {
    clusters: new Map(clusters.map((c) => [str(c.extId) ?? '', str(c.name) ?? str(c.extId) ?? ''])),
    hosts: new Map(hosts.map((h) => [str(h.extId) ?? '', { name: str(h.hostName) ?? str(h.extId) ?? '', cluster: hostCluster(h) }])),
    subnets: new Map(e.subnets.map((s) => [str(s.extId) ?? '', { name: str(s.name) ?? str(s.extId) ?? '', vlan: num(s.networkId) }])),
    containers: new Map(e.containers.map((c) => [str(c.containerExtId) ?? str(c.extId) ?? '', str(c.name) ?? ''])),
    categories: new Map(e.categories.map((c) => [str(c.extId) ?? '', { key: str(c.key) ?? '?', value: str(c.value) ?? '' }])),
    pcClusters,
  };
  for (const v of e.vms) {
    const r = vmFromV4(v, lk);
    if (r) inv.vms.push(r);
  }
  const hostNamesOf = new Map<string, string[]>();
  for (const [, h] of lk.hosts) if (h.cluster) (hostNamesOf.get(h.cluster) ?? hostNamesOf.set(h.cluster, []).get(h.cluster)!).push(h.name);
  const hostsOf = (cluster?: string) => (cluster ? hostNamesOf.get(cluster) ?? [] : []);
  const vmsPerHost = new Map<string, number>();
  const vmsPerNet = new Map<string, number>();
  const vmsPerDs = new Map<string, number>();
  const provisioned = new Map<string, number>();
  for (const v of inv.vms) {
    if (v.hostRef) vmsPerHost.set(v.hostRef, (vmsPerHost.get(v.hostRef) ?? 0) + 1);
    for (const ref of new Set(v.nics.map((n) => n.networkRef).filter((x): x is string => !!x))) vmsPerNet.set(ref, (vmsPerNet.get(ref) ?? 0) + 1);
    for (const ref of new Set(v.disks.map((d) => d.datastoreRef).filter((x): x is string => !!x))) vmsPerDs.set(ref, (vmsPerDs.get(ref) ?? 0) + 1);
    for (const d of v.disks) if (d.datastoreRef) provisioned.set(d.datastoreRef, (provisioned.get(d.datastoreRef) ?? 0) + d.sizeGB * GiB);
  }
  for (const h of hosts) {
    const r = hostFromV4(h, lk, vmsPerHost.get(str(h.extId) ?? '') ?? 0);
    if (r) inv.hosts.push(r);
  }
  for (const c of clusters) {
    const r = clusterFromV4(c, hostsOf(str(c.extId)).length);
    if (r) inv.clusters.push(r);
  }
  for (const c of e.containers) {
    if (pcClusters.has(str(c.clusterExtId) ?? '')) continue;
    const ref = str(c.containerExtId) ?? str(c.extId) ?? '';
    const r = containerFromV4(c, hostsOf, Math.round(provisioned.get(ref) ?? 0), vmsPerDs.get(ref) ?? 0);
    if (r) inv.datastores.push(r);
  }
  for (const hs of inv.hosts) hs.datastores = inv.datastores.filter((d) => d.hosts.includes(hs.name)).map((d) => d.name);
  for (const s of e.subnets) {
    const r = subnetFromV4(s, hostsOf, vmsPerNet.get(str(s.extId) ?? '') ?? 0);
    if (r) inv.portgroups.push(r);
  }
  for (const a of e.alerts) {
    const r = alarmFromV4(a, lk);
    if (r) inv.alarms.push(r);
  }
  return inv;
}
