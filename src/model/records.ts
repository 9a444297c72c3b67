// Platform-neutral inventory records. Every source (vSphere, Nutanix, ingest, demo) produces these;
// the store seals them as one document per object.

export type Platform = 'vsphere' | 'nutanix' | 'ingest' | 'demo';
export type PowerState = 'poweredOn' | 'poweredOff' | 'suspended' | 'unknown';
export type OsFamily = 'windows' | 'linux' | 'other' | 'unknown';

export interface DiskRecord {
  key: string; // device key or disk uuid: stable within the VM
  label: string;
  sizeGB: number;
  datastore?: string; // datastore name
  datastoreRef?: string;
  thin?: boolean;
  backing?: string; // e.g. flat, rdm, nutanix-vdisk
  uuid?: string;
}

export interface NicRecord {
  key: string; // device key or nic uuid
  label: string;
  mac?: string;
  connected?: boolean;
  network?: string; // network or portgroup name
  networkRef?: string;
  vlanMode?: string;
  ipv4: string[];
  ipv6: string[];
}

export interface VmRecord {
  ref: string; // moref (vm-123) or platform uuid: the object's id inside its source
  name: string;
  instanceUuid?: string;
  biosUuid?: string;
  powerState: PowerState;
  template: boolean;
  guestOs?: string; // configured guest OS full name
  guestOsTools?: string; // as reported by the guest tools
  osFamily: OsFamily;
  toolsStatus?: string;
  hostname?: string;
  cpus: number;
  sockets?: number;
  coresPerSocket?: number;
  memoryMB: number;
  disks: DiskRecord[];
  nics: NicRecord[];
  host?: string;
  hostRef?: string;
  cluster?: string;
  resourcePool?: string;
  folder?: string;
  datacenter?: string;
  datastores: string[];
  networks: string[];
  committedBytes?: number;
  uncommittedBytes?: number;
  createdAt?: string; // ISO time
  annotation?: string;
  customAttributes: Record<string, string>;
  hypervisor?: string; // 'esxi', 'ahv'
}

export interface HostRecord {
  ref: string;
  name: string;
  cluster?: string;
  datacenter?: string;
  vendor?: string;
  model?: string;
  serial?: string;
  cpuModel?: string;
  cpuPackages?: number;
  cpuCores?: number;
  cpuThreads?: number;
  cpuMhz?: number;
  memoryMB?: number;
  cpuUsageMhz?: number;
  memoryUsageMB?: number;
  uptimeSeconds?: number;
  bootTime?: string;
  version?: string;
  build?: string;
  connectionState?: string;
  powerState?: string;
  maintenance?: boolean;
  managementIp?: string;
  datastores: string[];
  hypervisor?: string;
  ipmiIp?: string; // Nutanix: the node's IPMI (BMC) address
  cvmIp?: string; // Nutanix: the node's controller VM
  vmCount?: number;
}

export interface ClusterRecord {
  ref: string;
  name: string;
  datacenter?: string;
  hosts: number;
  cpuMhz?: number;
  memoryMB?: number;
  drs?: boolean;
  ha?: boolean;
  version?: string; // Nutanix: AOS version
  hypervisors?: string[]; // Nutanix: hypervisor types of its nodes (ahv, esxi, hyperv)
  address?: string; // Nutanix: the cluster's external (virtual) IP
}

export interface DatacenterRecord {
  ref: string;
  name: string;
}

export interface DatastoreClusterRecord {
  ref: string;
  name: string;
  datacenter?: string;
  capacityBytes: number;
  freeBytes: number;
}

export interface DatastoreRecord {
  ref: string;
  name: string;
  datacenter?: string;
  datastoreCluster?: string;
  type?: string; // VMFS, NFS, vsan, VVOL
  capacityBytes: number;
  freeBytes: number;
  provisionedBytes?: number;
  url?: string;
  accessible?: boolean;
  shared: boolean;
  hosts: string[]; // host names with a mount
  vms: number;
}

export interface SwitchRecord {
  ref: string; // DVS moref, or host ref + vSwitch name for a standard switch
  name: string;
  kind: 'dvs' | 'vss';
  host?: string; // standard switches belong to one host
  datacenter?: string;
  version?: string;
  mtu?: number;
  hosts: string[];
}

export interface PortgroupRecord {
  ref: string;
  name: string;
  switch?: string; // switch name
  switchRef?: string;
  kind: 'dvportgroup' | 'standard' | 'network';
  vlan?: number; // single VLAN ID (0 = none)
  vlanTrunk?: string; // e.g. "0-4094" or "100-110,200"
  pvlan?: number;
  networkType?: string; // Nutanix subnets: vlan or overlay
  hosts: string[];
  vms: number;
}

export type VmkService = 'management' | 'vmotion' | 'vsan' | 'provisioning' | 'faultTolerance' | 'replication' | 'other';

export interface VmkernelRecord {
  ref: string; // host ref + device
  host: string;
  device: string;
  ip?: string;
  mac?: string;
  mtu?: number;
  portgroup?: string;
  services: VmkService[];
}

export type Severity = 'critical' | 'warning' | 'info';

export interface AlarmRecord {
  ref: string; // alarm key
  entity: string;
  entityType?: string;
  alarm: string;
  status: Severity;
  time: string;
  acknowledged?: boolean;
}

export interface EventRecord {
  ref: string; // event key
  time: string;
  type: string;
  severity: Severity;
  message: string;
  entity?: string;
  user?: string;
}

export interface HostSampleRecord {
  host: string; // host ref
  time: string;
  cpuPct: number;
  memPct: number;
}

/** Everything one full retrieval of one source yields. */
export interface Inventory {
  datacenters: DatacenterRecord[];
  clusters: ClusterRecord[];
  hosts: HostRecord[];
  vms: VmRecord[];
  datastoreClusters: DatastoreClusterRecord[];
  datastores: DatastoreRecord[];
  switches: SwitchRecord[];
  portgroups: PortgroupRecord[];
  vmkernels: VmkernelRecord[];
  alarms: AlarmRecord[];
  events: EventRecord[];
  hostSamples: HostSampleRecord[];
}

export function emptyInventory(): Inventory {
  return {
    datacenters: [], clusters: [], hosts: [], vms: [], datastoreClusters: [], datastores: [],
    switches: [], portgroups: [], vmkernels: [], alarms: [], events: [], hostSamples: [],
  };
}

export function osFamilyOf(guest: string | undefined): OsFamily {
  if (!guest) return 'unknown';
  const g = guest.toLowerCase();
  if (g.includes('windows') || g.startsWith('win')) return 'windows';
  if (/linux|ubuntu|debian|centos|rhel|red ?hat|suse|sles|photon|rocky|alma|oracle|fedora|coreos/.test(g)) return 'linux';
  return 'other';
}
