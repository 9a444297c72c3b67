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
  path?: string; // backing file, "[ds] vm/vm.vmdk"
  mode?: string; // persistent, independent_persistent, ...
  sharing?: string; // sharingNone, sharingMultiWriter
  controller?: string; // controller label, "SCSI controller 0"
  bus?: number; // the controller's bus number
  unit?: number; // unit number on the controller
}

export interface NicRecord {
  key: string; // device key or nic uuid
  label: string;
  mac?: string;
  connected?: boolean;
  network?: string; // network or portgroup name
  networkRef?: string;
  vlanMode?: string;
  adapter?: string; // device type without its prefix: Vmxnet3, E1000e
  startConnected?: boolean;
  ipv4: string[];
  ipv6: string[];
}

/** A guest file system as the guest tools report it (vPartition). */
export interface PartitionRecord {
  path: string; // mount point or drive, "/", "C:\"
  capacityBytes: number;
  freeBytes: number;
  diskKey?: string; // the virtual disk behind it, when the tools say
}

/** A snapshot of a VM, flattened from the snapshot tree (vSnapshot). */
export interface SnapshotRecord {
  id: string; // snapshot number within the VM
  name: string;
  description?: string;
  createdAt?: string; // ISO time
  quiesced?: boolean;
  state?: string; // power state when taken
  parent?: string; // id of the parent snapshot
  current?: boolean; // the one the VM runs from
}

/** VMware Tools in a VM (vTools). */
export interface ToolsRecord {
  status?: string; // toolsOk, toolsOld, toolsNotRunning, toolsNotInstalled
  runningStatus?: string; // guestToolsRunning, guestToolsNotRunning
  versionStatus?: string; // guestToolsCurrent, guestToolsNeedUpgrade, guestToolsUnmanaged...
  version?: string; // build number as reported, "12352"
  upgradePolicy?: string; // manual, upgradeAtPowerCycle
  syncTime?: boolean; // guest time synchronised with the host
}

/** A CD/DVD drive of a VM (vCD). */
export interface CdromRecord {
  key: string;
  label: string;
  connected?: boolean;
  startConnected?: boolean;
  deviceType?: string; // "ISO image [ds] iso/x.iso", "Client Device", "Host device"
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
  // Report fields (RVTools' readers use them); absent when a source does not say.
  firmware?: string; // bios, efi
  hwVersion?: string; // vmx-19
  changeTracking?: boolean; // CBT
  enableUuid?: boolean; // disk.EnableUUID
  connectionState?: string; // connected, disconnected, orphaned, inaccessible, invalid
  guestState?: string; // running, notRunning
  heartbeat?: string; // green, yellow, red, gray
  consolidationNeeded?: boolean;
  unsharedBytes?: number;
  poweredOnAt?: string; // ISO time of the last power-on
  folderRef?: string; // group-v26
  folderPath?: string; // /DC/vm/apps
  resourcePoolPath?: string; // /DC/Cluster/Resources/pool
  vmxPath?: string; // "[ds] vm/vm.vmx"
  tools?: ToolsRecord;
  partitions?: PartitionRecord[];
  snapshots?: SnapshotRecord[];
  cdroms?: CdromRecord[];
}

/** A physical NIC of a host (vNIC). */
export interface HostNicRecord {
  device: string; // vmnic0
  driver?: string;
  speedMb?: number; // link speed; absent when the link is down
  duplex?: boolean;
  mac?: string;
  pci?: string;
  switch?: string; // the standard switch or DVS it is an uplink of
}

/** A storage adapter of a host (vHBA). */
export interface HbaRecord {
  device: string; // vmhba0
  type?: string; // FibreChannel, iScsi, Block, ...
  status?: string;
  bus?: number;
  pci?: string;
  driver?: string;
  model?: string;
  wwn?: string; // port WWN of a FC adapter, iSCSI name of an iSCSI one
}

/** Security policy of a standard switch, a portgroup or a distributed portgroup. */
export interface SecurityPolicy {
  allowPromiscuous?: boolean;
  macChanges?: boolean;
  forgedTransmits?: boolean;
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
  uuid?: string; // hardware.systemInfo.uuid
  biosVersion?: string;
  biosDate?: string; // ISO
  nics?: HostNicRecord[];
  hbas?: HbaRecord[];
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
  maintenanceMode?: string; // normal, enteringMaintenance, inMaintenance (summary.maintenanceMode)
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
  ports?: number; // standard switch: configured ports
  freePorts?: number;
  uplinks?: string[]; // standard switch: vmnics
  security?: SecurityPolicy; // standard switch default policy
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
  security?: SecurityPolicy; // effective policy (standard: own or inherited from the switch)
  ports?: number; // distributed portgroup: number of ports
}

export type VmkService = 'management' | 'vmotion' | 'vsan' | 'provisioning' | 'faultTolerance' | 'replication' | 'other';

export interface VmkernelRecord {
  ref: string; // host ref + device
  host: string;
  device: string;
  ip?: string;
  netmask?: string; // 255.255.255.0
  mac?: string;
  mtu?: number;
  portgroup?: string;
  netStack?: string; // TCP/IP stack (netStackInstanceKey): defaultTcpipStack, vmotion, vSphereProvisioning
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

/** A resource pool (vRP); vApps are resource pools too. */
export interface ResourcePoolRecord {
  ref: string;
  name: string;
  path: string; // /DC/Cluster/Resources/pool
  status?: string; // overall status: green, yellow, red, gray
  vms: number; // VMs directly in the pool
  cpu: PoolAllocation; // MHz
  mem: PoolAllocation; // MiB
}

export interface PoolAllocation {
  reservation?: number;
  limit?: number; // -1: unlimited
  shares?: number;
  level?: string; // low, normal, high, custom
  expandable?: boolean;
  overallUsage?: number;
  maxUsage?: number;
}

/** A license of the vCenter's license manager (vLicense). */
export interface LicenseRecord {
  key: string;
  name: string;
  costUnit?: string;
  total?: number;
  used?: number;
  expiresAt?: string; // ISO, when the license says
  labels?: string[];
  features?: string[];
}

/** The vCenter's (or other source's) own identity (vSource, vMetaData, VI SDK columns). */
export interface SourceAbout {
  host?: string; // the host name vmi connects to (VI SDK Server)
  name?: string; // product name, "VMware VirtualCenter Server"
  fullName?: string; // "VMware vCenter Server 8.0.2 build-24321653"
  version?: string;
  build?: string;
  apiType?: string; // VirtualCenter, HostAgent
  apiVersion?: string;
  instanceUuid?: string;
  osType?: string;
  productLineId?: string;
  vendor?: string;
  patchLevel?: string;
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
  /** Report data kept per source, in one sealed document (not diffed). */
  resourcePools?: ResourcePoolRecord[];
  licenses?: LicenseRecord[];
  about?: SourceAbout;
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
