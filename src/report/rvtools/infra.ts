// The infrastructure sheets of the RVTools workbook: the vCenter itself, resource pools,
// clusters, hosts and their adapters, switches and portgroups, VMkernel adapters, datastores and
// licenses, plus the sheets that stay at their header row (vUSB, vMultiPath) or RVTools' own
// "empty" line (vFileInfo), and vMetaData.
import { type Cell, tf, when } from '../cells.js';
import type { ReportData, ReportSource } from '../data.js';
import type { HostRecord, SecurityPolicy } from '../../model/records.js';
import { FILEINFO_EMPTY, headingsOf, type RvSheetName } from './headings.js';
import { mib, pct, RowBuilder } from './columns.js';

type Rows = (data: ReportData, r: RowBuilder) => Iterable<Cell[]>;

function sdk(r: RowBuilder, s: ReportSource): RowBuilder {
  return r.set('VI SDK Server', s.server).set('VI SDK UUID', s.uuid);
}

function security(r: RowBuilder, p: SecurityPolicy | undefined, promiscuous = 'Promiscuous Mode'): RowBuilder {
  return r.set(promiscuous, tf(p?.allowPromiscuous)).set('Mac Changes', tf(p?.macChanges)).set('Forged Transmits', tf(p?.forgedTransmits));
}

/** Hosts by source and name, for the sheets that show a host's datacenter and cluster. */
function hostIndex(data: ReportData): Map<string, HostRecord> {
  const m = new Map<string, HostRecord>();
  for (const h of data.hosts()) m.set(`${h.src.id}|${h.rec.name}`, h.rec);
  return m;
}

function hostCols(r: RowBuilder, h: HostRecord | undefined, name: string | undefined): RowBuilder {
  return r.set('Host', name ?? h?.name).set('Datacenter', h?.datacenter).set('Cluster', h?.cluster);
}

const vSource: Rows = function* (data, r) {
  for (const s of data.sources) {
    const a = s.about;
    r.set('Name', s.server).set('OS type', a.osType).set('API type', a.apiType).set('API version', a.apiVersion)
      .set('Version', a.version).set('Patch level', a.patchLevel).set('Build', a.build).set('Fullname', a.fullName)
      .set('Product name', a.name).set('Product version', a.version).set('Product line', a.productLineId).set('Vendor', a.vendor);
    yield sdk(r, s).take();
  }
};

const vRP: Rows = function* (data, r) {
  for (const s of data.sources) {
    for (const p of s.resourcePools) {
      r.set('Resource Pool name', p.name).set('Resource Pool path', p.path).set('Status', p.status).set('# VMs', p.vms);
      for (const [k, a] of [['CPU', p.cpu], ['Mem', p.mem]] as const) {
        r.set(`${k} limit`, a.limit).set(`${k} reservation`, a.reservation).set(`${k} level`, a.level).set(`${k} shares`, a.shares)
          .set(`${k} expandableReservation`, tf(a.expandable)).set(`${k} maxUsage`, a.maxUsage).set(`${k} overallUsage`, a.overallUsage);
      }
      r.set('Object ID', p.ref);
      yield sdk(r, s).take();
    }
  }
};

const vCluster: Rows = function* (data, r) {
  for (const { src, rec: c } of data.clusters()) {
    r.set('Name', c.name).set('NumHosts', c.hosts).set('TotalCpu', c.cpuMhz).set('TotalMemory', c.memoryMB)
      .set('HA enabled', tf(c.ha)).set('DRS enabled', tf(c.drs)).set('Object ID', c.ref);
    yield sdk(r, src).take();
  }
};

const vHost: Rows = function* (data, r) {
  for (const { src, rec: h } of data.hosts()) {
    const st = data.hostStats.get(`${src.id}|${h.ref}`) ?? data.hostStats.get(`${src.id}|${h.name}`);
    const cores = h.cpuCores;
    const cpuPct = h.cpuUsageMhz !== undefined && h.cpuMhz && cores ? Math.round((h.cpuUsageMhz / (h.cpuMhz * cores)) * 100) : undefined;
    hostCols(r, h, h.name).set('in Maintenance Mode', tf(h.maintenance)).set('CPU Model', h.cpuModel).set('Speed', h.cpuMhz)
      .set('# CPU', h.cpuPackages).set('Cores per CPU', cores && h.cpuPackages ? Math.round(cores / h.cpuPackages) : undefined)
      .set('# Cores', cores).set('CPU usage %', cpuPct).set('# Memory', h.memoryMB).set('Memory usage %', pct(h.memoryUsageMB, h.memoryMB))
      .set('# NICs', h.nics?.length).set('# HBAs', h.hbas?.length)
      .set('# VMs total', st?.total ?? 0).set('# VMs', st?.on ?? 0)
      .set('VMs per Core', cores ? (st?.on ?? 0) / cores : undefined).set('# vCPUs', st?.vcpus ?? 0)
      .set('vCPUs per Core', cores ? (st?.vcpus ?? 0) / cores : undefined).set('vRAM', st?.vramMB ?? 0)
      .set('ESX Version', h.hypervisor === 'esxi' && h.version ? `VMware ESXi ${h.version}${h.build ? ` build-${h.build}` : ''}` : h.version)
      .set('Boot time', when(h.bootTime)).set('Vendor', h.vendor).set('Model', h.model).set('Serial number', h.serial)
      .set('BIOS Version', h.biosVersion).set('BIOS Date', when(h.biosDate)).set('Object ID', h.ref).set('UUID', h.uuid);
    yield sdk(r, src).take();
  }
};

const vHBA: Rows = function* (data, r) {
  for (const { src, rec: h } of data.hosts()) {
    for (const a of h.hbas ?? []) {
      hostCols(r, h, h.name).set('Device', a.device).set('Type', a.type).set('Status', a.status).set('Bus', a.bus)
        .set('Pci', a.pci).set('Driver', a.driver).set('Model', a.model).set('WWN', a.wwn);
      yield sdk(r, src).take();
    }
  }
};

const vNIC: Rows = function* (data, r) {
  for (const { src, rec: h } of data.hosts()) {
    for (const n of h.nics ?? []) {
      hostCols(r, h, h.name).set('Network Device', n.device).set('Driver', n.driver).set('Speed', n.speedMb)
        .set('Duplex', tf(n.duplex)).set('MAC', n.mac).set('Switch', n.switch).set('PCI', n.pci);
      yield sdk(r, src).take();
    }
  }
};

const vSwitch: Rows = function* (data, r) {
  const hosts = hostIndex(data);
  for (const { src, rec: s } of data.switches()) {
    if (s.kind !== 'vss') continue;
    hostCols(r, hosts.get(`${src.id}|${s.host}`), s.host).set('Switch', s.name).set('# Ports', s.ports).set('Free Ports', s.freePorts);
    security(r, s.security).set('MTU', s.mtu);
    yield sdk(r, src).take();
  }
};

const vPort: Rows = function* (data, r) {
  const hosts = hostIndex(data);
  for (const { src, rec: p } of data.portgroups()) {
    if (p.kind !== 'standard') continue;
    const host = p.hosts[0];
    hostCols(r, hosts.get(`${src.id}|${host}`), host).set('Port Group', p.name).set('Switch', p.switch)
      .set('VLAN', p.vlanTrunk ?? (p.vlan === undefined ? undefined : String(p.vlan)));
    security(r, p.security);
    yield sdk(r, src).take();
  }
};

const dvSwitch: Rows = function* (data, r) {
  for (const { src, rec: s } of data.switches()) {
    if (s.kind !== 'dvs') continue;
    r.set('Switch', s.name).set('Datacenter', s.datacenter).set('Name', s.name).set('Version', s.version)
      .set('Host members', s.hosts.length ? s.hosts.join(', ') : undefined).set('Max MTU', s.mtu).set('Object ID', s.ref);
    yield sdk(r, src).take();
  }
};

const dvPort: Rows = function* (data, r) {
  for (const { src, rec: p } of data.portgroups()) {
    if (p.kind !== 'dvportgroup') continue;
    r.set('Port', p.name).set('Switch', p.switch).set('# Ports', p.ports)
      .set('VLAN', p.vlan ?? p.vlanTrunk ?? (p.pvlan !== undefined ? `pvlan ${p.pvlan}` : undefined));
    security(r, p.security, 'Allow Promiscuous').set('Object ID', p.ref);
    yield sdk(r, src).take();
  }
};

const vSC_VMK: Rows = function* (data, r) {
  const hosts = hostIndex(data);
  for (const { src, rec: k } of data.vmkernels()) {
    hostCols(r, hosts.get(`${src.id}|${k.host}`), k.host).set('Port Group', k.portgroup).set('Device', k.device)
      .set('Mac Address', k.mac).set('IP Address', k.ip).set('MTU', k.mtu);
    yield sdk(r, src).take();
  }
};

const vDatastore: Rows = function* (data, r) {
  const pods = new Map(data.datastoreClusters().map((p) => [`${p.src.id}|${p.rec.name}`, p.rec]));
  for (const { src, rec: d } of data.datastores()) {
    const pod = d.datastoreCluster ? pods.get(`${src.id}|${d.datastoreCluster}`) : undefined;
    r.set('Name', d.name).set('Accessible', tf(d.accessible)).set('Type', d.type).set('# VMs', d.vms)
      .set('Capacity MiB', mib(d.capacityBytes)).set('Provisioned MiB', mib(d.provisionedBytes))
      .set('In Use MiB', mib(d.capacityBytes - d.freeBytes)).set('Free MiB', mib(d.freeBytes)).set('Free %', pct(d.freeBytes, d.capacityBytes))
      .set('# Hosts', d.hosts.length).set('Hosts', d.hosts.length ? d.hosts.join(', ') : undefined).set('Cluster name', d.datastoreCluster)
      .set('Cluster capacity MiB', mib(pod?.capacityBytes)).set('Cluster free space MiB', mib(pod?.freeBytes))
      .set('URL', d.url).set('Object ID', d.ref);
    yield sdk(r, src).take();
  }
};

const vLicense: Rows = function* (data, r) {
  for (const s of data.sources) {
    for (const l of s.licenses) {
      r.set('Name', l.name).set('Key', l.key).set('Labels', l.labels?.join(', ')).set('Cost Unit', l.costUnit)
        .set('Total', l.total).set('Used', l.used).set('Expiration Date', when(l.expiresAt)).set('Features', l.features?.join(', '));
      yield sdk(r, s).take();
    }
  }
};

const vFileInfo: Rows = function* (_data, r) {
  yield r.set('Friendly Path Name', FILEINFO_EMPTY).take();
};

/** RVTools' version fields describe the layout followed; the text says which program wrote it. */
export const LAYOUT_VERSION = 4.7;

export function vMetaData(version: string, now: Date): Rows {
  return function* (data, r) {
    for (const s of data.sources) {
      yield r.set('RVTools major version', LAYOUT_VERSION).set('RVTools version', `vmi ${version} (RVTools 4.7 layout)`)
        .set('xlsx creation datetime', now).set('Server', s.server).take();
    }
  };
}

const none: Rows = function* () {};

export const INFRA_SHEETS: Partial<Record<RvSheetName, Rows>> = {
  vSource, vRP, vCluster, vHost, vHBA, vNIC, vSwitch, vPort, dvSwitch, dvPort, vSC_VMK, vDatastore,
  vMultiPath: none, vLicense, vFileInfo,
};

export function infraRows(sheet: RvSheetName, data: ReportData, rows: Rows = INFRA_SHEETS[sheet]!): Iterable<Cell[]> {
  return rows(data, new RowBuilder(headingsOf(sheet)));
}
