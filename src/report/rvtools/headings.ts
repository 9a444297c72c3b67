// The 27 sheets of an RVTools 4.7 workbook, in RVTools' order, with every heading in order.
// Readers find columns by heading text, so these are exact (case and spelling included); the
// tests check them against the reference file (test/reference/rvtools-workbook.md).

export const RVTOOLS_SHEETS = [
  { name: 'vInfo', headings: [
    'VM', 'Powerstate', 'Template', 'SRM Placeholder', 'Config status', 'DNS Name', 'Connection state',
    'Guest state', 'Heartbeat', 'Consolidation Needed', 'PowerOn', 'Suspended To Memory', 'Suspend time',
    'Suspend Interval', 'Creation date', 'Change Version', 'CPUs', 'Overall Cpu Readiness', 'Memory',
    'Active Memory', 'NICs', 'Disks', 'Total disk capacity MiB', 'Fixed Passthru HotPlug',
    'min Required EVC Mode Key', 'Latency Sensitivity', 'Op Notification Timeout', 'EnableUUID', 'CBT',
    'Primary IP Address', 'Network #1', 'Network #2', 'Network #3', 'Network #4', 'Network #5', 'Network #6',
    'Network #7', 'Network #8', 'Num Monitors', 'Video Ram KiB', 'Resource pool', 'Folder ID', 'Folder',
    'vApp', 'DAS protection', 'FT State', 'FT Role', 'FT Latency', 'FT Bandwidth', 'FT Sec. Latency',
    'Vm Failover In Progress', 'Provisioned MiB', 'In Use MiB', 'Unshared MiB', 'HA Restart Priority',
    'HA Isolation Response', 'HA VM Monitoring', 'Cluster rule(s)', 'Cluster rule name(s)', 'Boot Required',
    'Boot delay', 'Boot retry delay', 'Boot retry enabled', 'Boot BIOS setup', 'Reboot PowerOff',
    'EFI Secure boot', 'Firmware', 'HW version', 'HW upgrade status', 'HW upgrade policy', 'HW target',
    'Path', 'Log directory', 'Snapshot directory', 'Suspend directory', 'Annotation', 'Datacenter',
    'Cluster', 'Host', 'OS according to the configuration file', 'OS according to the VMware Tools',
    'Customization Info', 'Guest Detailed Data', 'VM ID', 'SMBIOS UUID', 'VM UUID', 'VI SDK Server type',
    'VI SDK API Version', 'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vCPU', headings: [
    'VM', 'Powerstate', 'Template', 'SRM Placeholder', 'CPUs', 'Sockets', 'Cores p/s', 'Max', 'Overall',
    'Level', 'Shares', 'Reservation', 'Entitlement', 'DRS Entitlement', 'Limit', 'Hot Add', 'Hot Remove',
    'Numa Hotadd Exposed', 'Annotation', 'Datacenter', 'Cluster', 'Host', 'Folder',
    'OS according to the configuration file', 'OS according to the VMware Tools', 'VM ID', 'VM UUID',
    'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vMemory', headings: [
    'VM', 'Powerstate', 'Template', 'SRM Placeholder', 'Size MiB', 'Memory Reservation Locked To Max',
    'Overhead', 'Max', 'Consumed', 'Consumed Overhead', 'Private', 'Shared', 'Swapped', 'Ballooned',
    'Active', 'Entitlement', 'DRS Entitlement', 'Level', 'Shares', 'Reservation', 'Limit', 'Hot Add',
    'Annotation', 'Datacenter', 'Cluster', 'Host', 'Folder', 'OS according to the configuration file',
    'OS according to the VMware Tools', 'VM ID', 'VM UUID', 'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vDisk', headings: [
    'VM', 'Powerstate', 'Template', 'SRM Placeholder', 'Disk', 'Disk Key', 'Disk UUID', 'Disk Path',
    'Capacity MiB', 'Raw', 'Disk Mode', 'Sharing mode', 'Thin', 'Eagerly Scrub', 'Split', 'Write Through',
    'Level', 'Shares', 'Reservation', 'Limit', 'Controller', 'Label', 'SCSI Unit #', 'Unit #', 'Shared Bus',
    'Path', 'Raw LUN ID', 'Raw Comp. Mode', 'Internal Sort Column', 'Annotation', 'Datacenter', 'Cluster',
    'Host', 'Folder', 'OS according to the configuration file', 'OS according to the VMware Tools', 'VM ID',
    'VM UUID', 'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vPartition', headings: [
    'VM', 'Powerstate', 'Template', 'SRM Placeholder', 'Disk Key', 'Disk', 'Capacity MiB', 'Consumed MiB',
    'Free MiB', 'Free %', 'Internal Sort Column', 'Annotation', 'Datacenter', 'Cluster', 'Host', 'Folder',
    'OS according to the configuration file', 'OS according to the VMware Tools', 'VM ID', 'VM UUID',
    'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vNetwork', headings: [
    'VM', 'Powerstate', 'Template', 'SRM Placeholder', 'NIC label', 'Adapter', 'Network', 'Switch',
    'Connected', 'Starts Connected', 'Mac Address', 'Type', 'IPv4 Address', 'IPv6 Address', 'Direct Path IO',
    'Internal Sort Column', 'Annotation', 'Datacenter', 'Cluster', 'Host', 'Folder',
    'OS according to the configuration file', 'OS according to the VMware Tools', 'VM ID', 'VM UUID',
    'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vCD', headings: [
    'VM', 'Powerstate', 'Template', 'SRM Placeholder', 'Device Node', 'Connected', 'Starts Connected',
    'Device Type', 'Annotation', 'Datacenter', 'Cluster', 'Host', 'Folder',
    'OS according to the configuration file', 'OS according to the VMware Tools', 'VMRef', 'VM ID',
    'VM UUID', 'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vUSB', headings: [
    'VM', 'Powerstate', 'Template', 'SRM Placeholder', 'Device Node', 'Device Type', 'Connected', 'Family',
    'Speed', 'EHCI enabled', 'Auto connect', 'Bus number', 'Unit number', 'Annotation', 'Datacenter',
    'Cluster', 'Host', 'Folder', 'OS according to the configuration file',
    'OS according to the VMware tools', 'VMRef', 'VM ID', 'VM UUID', 'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vSnapshot', headings: [
    'VM', 'Powerstate', 'Name', 'Description', 'Date / time', 'Filename', 'Size MiB (vmsn)',
    'Size MiB (total)', 'Quiesced', 'State', 'Annotation', 'Datacenter', 'Cluster', 'Host', 'Folder',
    'OS according to the configuration file', 'OS according to the VMware Tools', 'VM ID', 'VM UUID',
    'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vTools', headings: [
    'VM', 'Powerstate', 'Template', 'SRM Placeholder', 'VM Version', 'Tools', 'Tools Version',
    'Required Version', 'Upgradeable', 'Upgrade Policy', 'Sync time', 'App status', 'Heartbeat status',
    'Kernel Crash state', 'Operation Ready', 'State change support', 'Interactive Guest', 'Annotation',
    'Datacenter', 'Cluster', 'Host', 'Folder', 'OS according to the configuration file',
    'OS according to the VMware Tools', 'VMRef', 'VM ID', 'VM UUID', 'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vSource', headings: [
    'Name', 'OS type', 'API type', 'API version', 'Version', 'Patch level', 'Build', 'Fullname',
    'Product name', 'Product version', 'Product line', 'Vendor', 'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vRP', headings: [
    'Resource Pool name', 'Resource Pool path', 'Status', '# VMs total', '# VMs', '# vCPUs', 'CPU limit',
    'CPU overheadLimit', 'CPU reservation', 'CPU level', 'CPU shares', 'CPU expandableReservation',
    'CPU maxUsage', 'CPU overallUsage', 'CPU reservationUsed', 'CPU reservationUsedForVm',
    'CPU unreservedForPool', 'CPU unreservedForVm', 'Mem Configured', 'Mem limit', 'Mem overheadLimit',
    'Mem reservation', 'Mem level', 'Mem shares', 'Mem expandableReservation', 'Mem maxUsage',
    'Mem overallUsage', 'Mem reservationUsed', 'Mem reservationUsedForVm', 'Mem unreservedForPool',
    'Mem unreservedForVm', 'QS overallCpuDemand', 'QS overallCpuUsage', 'QS staticCpuEntitlement',
    'QS distributedCpuEntitlement', 'QS balloonedMemory', 'QS compressedMemory', 'QS consumedOverheadMemory',
    'QS distributedMemoryEntitlement', 'QS guestMemoryUsage', 'QS hostMemoryUsage', 'QS overheadMemory',
    'QS privateMemory', 'QS sharedMemory', 'QS staticMemoryEntitlement', 'QS swappedMemory', 'Object ID',
    'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vCluster', headings: [
    'Name', 'Config status', 'OverallStatus', 'NumHosts', 'numEffectiveHosts', 'TotalCpu', 'NumCpuCores',
    'NumCpuThreads', 'Effective Cpu', 'TotalMemory', 'Effective Memory', 'Num VMotions', 'HA enabled',
    'Failover Level', 'AdmissionControlEnabled', 'Host monitoring', 'HB Datastore Candidate Policy',
    'Isolation Response', 'Restart Priority', 'Cluster Settings', 'Max Failures', 'Max Failure Window',
    'Failure Interval', 'Min Up Time', 'VM Monitoring', 'DRS enabled', 'DRS default VM behavior',
    'DRS vmotion rate', 'DPM enabled', 'DPM default behavior', 'DPM Host Power Action Rate', 'Object ID',
    'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vHost', headings: [
    'Host', 'Datacenter', 'Cluster', 'Config status', 'Compliance Check State', 'in Maintenance Mode',
    'in Quarantine Mode', 'vSAN Fault Domain Name', 'CPU Model', 'Speed', 'HT Available', 'HT Active',
    '# CPU', 'Cores per CPU', '# Cores', 'CPU usage %', '# Memory', 'Memory Tiering Type', 'Memory usage %',
    'Console', '# NICs', '# HBAs', '# VMs total', '# VMs', 'VMs per Core', '# vCPUs', 'vCPUs per Core',
    'vRAM', 'VM Used memory', 'VM Memory Swapped', 'VM Memory Ballooned', 'VMotion support',
    'Storage VMotion support', 'Current EVC', 'Max EVC', 'Assigned License(s)', 'ATS Heartbeat',
    'ATS Locking', 'Current CPU power man. policy', 'Supported CPU power man.', 'Host Power Policy',
    'ESX Version', 'Boot time', 'DNS Servers', 'DHCP', 'Domain', 'Domain List', 'DNS Search Order',
    'NTP Server(s)', 'NTPD running', 'Time Zone', 'Time Zone Name', 'GMT Offset', 'Vendor', 'Model',
    'Serial number', 'Service tag', 'OEM specific string', 'BIOS Vendor', 'BIOS Version', 'BIOS Date',
    'Certificate Issuer', 'Certificate Start Date', 'Certificate Expiry Date', 'Certificate Status',
    'Certificate Subject', 'Object ID', 'UUID', 'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vHBA', headings: [
    'Host', 'Datacenter', 'Cluster', 'Device', 'Type', 'Status', 'Bus', 'Pci', 'Driver', 'Model', 'WWN',
    'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vNIC', headings: [
    'Host', 'Datacenter', 'Cluster', 'Network Device', 'Driver', 'Speed', 'Duplex', 'MAC', 'Switch',
    'Uplink port', 'PCI', 'WakeOn', 'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vSwitch', headings: [
    'Host', 'Datacenter', 'Cluster', 'Switch', '# Ports', 'Free Ports', 'Promiscuous Mode', 'Mac Changes',
    'Forged Transmits', 'Traffic Shaping', 'Width', 'Peak', 'Burst', 'Policy', 'Reverse Policy',
    'Notify Switch', 'Rolling Order', 'Offload', 'TSO', 'Zero Copy Xmit', 'MTU', 'VI SDK Server',
    'VI SDK UUID',
  ] },
  { name: 'vPort', headings: [
    'Host', 'Datacenter', 'Cluster', 'Port Group', 'Switch', 'VLAN', 'Promiscuous Mode', 'Mac Changes',
    'Forged Transmits', 'Traffic Shaping', 'Width', 'Peak', 'Burst', 'Policy', 'Reverse Policy',
    'Notify Switch', 'Rolling Order', 'Offload', 'TSO', 'Zero Copy Xmit', 'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'dvSwitch', headings: [
    'Switch', 'Datacenter', 'Name', 'Vendor', 'Version', 'Description', 'Created', 'Host members',
    'Max Ports', '# Ports', '# VMs', 'In Traffic Shaping', 'In Avg', 'In Peak', 'In Burst',
    'Out Traffic Shaping', 'Out Avg', 'Out Peak', 'Out Burst', 'CDP Type', 'CDP Operation', 'LACP Name',
    'LACP Mode', 'LACP Load Balance Alg.', 'Max MTU', 'Contact', 'Admin Name', 'Object ID', 'VI SDK Server',
    'VI SDK UUID',
  ] },
  { name: 'dvPort', headings: [
    'Port', 'Switch', 'Type', '# Ports', 'VLAN', 'Speed', 'Full Duplex', 'Blocked', 'Allow Promiscuous',
    'Mac Changes', 'Active Uplink', 'Standby Uplink', 'Policy', 'Forged Transmits', 'In Traffic Shaping',
    'In Avg', 'In Peak', 'In Burst', 'Out Traffic Shaping', 'Out Avg', 'Out Peak', 'Out Burst',
    'Reverse Policy', 'Notify Switch', 'Rolling Order', 'Check Beacon', 'Live Port Moving', 'Check Duplex',
    'Check Error %', 'Check Speed', 'Percentage', 'Block Override', 'Config Reset', 'Shaping Override',
    'Vendor Config Override', 'Sec. Policy Override', 'Teaming Override', 'Vlan Override', 'Object ID',
    'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vSC_VMK', headings: [
    'Host', 'Datacenter', 'Cluster', 'Port Group', 'Device', 'Mac Address', 'DHCP', 'IP Address',
    'IP 6 Address', 'Subnet mask', 'Gateway', 'IP 6 Gateway', 'MTU', 'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vDatastore', headings: [
    'Name', 'Config status', 'Address', 'Accessible', 'Type', '# VMs total', '# VMs', 'Capacity MiB',
    'Provisioned MiB', 'In Use MiB', 'Free MiB', 'Free %', 'SIOC enabled', 'SIOC Threshold', '# Hosts',
    'Hosts', 'Cluster name', 'Cluster capacity MiB', 'Cluster free space MiB', 'Block size', 'Max Blocks',
    '# Extents', 'Major Version', 'Version', 'VMFS Upgradeable', 'MHA', 'URL', 'Object ID', 'VI SDK Server',
    'VI SDK UUID',
  ] },
  { name: 'vMultiPath', headings: [
    'Host', 'Cluster', 'Datacenter', 'Datastore', 'Disk', 'Display name', 'Policy', 'Oper. State', 'Path 1',
    'Path 1 state', 'Path 2', 'Path 2 state', 'Path 3', 'Path 3 state', 'Path 4', 'Path 4 state', 'Path 5',
    'Path 5 state', 'Path 6', 'Path 6 state', 'Path 7', 'Path 7 state', 'Path 8', 'Path 8 state', 'vStorage',
    'Queue depth', 'Vendor', 'Model', 'Revision', 'Level', 'Serial #', 'UUID', 'Object ID', 'VI SDK Server',
    'VI SDK UUID',
  ] },
  { name: 'vLicense', headings: [
    'Name', 'Key', 'Labels', 'Cost Unit', 'Total', 'Used', 'Expiration Date', 'Features', 'VI SDK Server',
    'VI SDK UUID',
  ] },
  { name: 'vFileInfo', headings: [
    'Friendly Path Name', 'File Name', 'File Type', 'File Size in bytes', 'Path', 'Internal Sort Column',
    'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vHealth', headings: [
    'Name', 'Message', 'Message type', 'VI SDK Server', 'VI SDK UUID',
  ] },
  { name: 'vMetaData', headings: [
    'RVTools major version', 'RVTools version', 'xlsx creation datetime', 'Server',
  ] },
] as const satisfies ReadonlyArray<{ name: string; headings: readonly string[] }>;

export type RvSheetName = (typeof RVTOOLS_SHEETS)[number]['name'];

/** RVTools' own line on vFileInfo when file information was not collected (trailing space included). */
export const FILEINFO_EMPTY = 'This tab page is empty when GetFileInfo option is not set in preferences or when using the CLI the switch -GetFileInfo is not passed. ';

export function headingsOf(sheet: RvSheetName): readonly string[] {
  return RVTOOLS_SHEETS.find((s) => s.name === sheet)!.headings;
}
