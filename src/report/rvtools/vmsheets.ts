// The VM sheets of the RVTools workbook (vInfo to vTools): one row per VM, disk, partition, NIC,
// CD drive or snapshot. Columns vmi does not collect stay empty; nothing is guessed.
import { type Cell, tf, when } from '../cells.js';
import type { ReportData, ReportVm } from '../data.js';
import { headingsOf, type RvSheetName } from './headings.js';
import { mib, pct, RowBuilder } from './columns.js';

const power = (p: string) => (p === 'unknown' ? undefined : p);
const folderOf = (v: ReportVm) => v.doc.folderPath ?? v.doc.folder;

/** The columns every VM sheet starts with. */
function head(r: RowBuilder, v: ReportVm): void {
  const d = v.doc;
  r.set('VM', d.name).set('Powerstate', power(d.powerState)).opt('Template', tf(d.template));
}

/** The columns every VM sheet ends with (Annotation ... VI SDK UUID). */
function tail(r: RowBuilder, v: ReportVm): void {
  const d = v.doc;
  r.set('Annotation', d.annotation).set('Datacenter', d.datacenter).set('Cluster', d.cluster).set('Host', d.host)
    .set('Folder', folderOf(v)).set('OS according to the configuration file', d.guestOs)
    .opt('OS according to the VMware Tools', d.guestOsTools).opt('OS according to the VMware tools', d.guestOsTools)
    .set('VM ID', d.ref).set('VM UUID', d.instanceUuid).set('VI SDK Server', v.src.server).set('VI SDK UUID', v.src.uuid);
}

function primaryIp(v: ReportVm): string | undefined {
  for (const n of v.doc.nics) if (n.ipv4.length) return n.ipv4[0];
  return undefined;
}

function* vInfo(v: ReportVm, r: RowBuilder): Generator<Cell[]> {
  const d = v.doc;
  head(r, v);
  const committed = d.committedBytes;
  const provisioned = committed === undefined ? undefined : committed + (d.uncommittedBytes ?? 0);
  r.set('DNS Name', d.hostname).set('Connection state', d.connectionState).set('Guest state', d.guestState)
    .set('Heartbeat', d.heartbeat).set('Consolidation Needed', tf(d.consolidationNeeded)).set('PowerOn', when(d.poweredOnAt))
    .set('Creation date', when(d.createdAt)).set('CPUs', d.cpus).set('Memory', d.memoryMB).set('NICs', d.nics.length)
    .set('Disks', d.disks.length).set('Total disk capacity MiB', Math.round(d.disks.reduce((a, k) => a + k.sizeGB, 0) * 1024))
    .set('EnableUUID', d.enableUuid ? 'TRUE' : undefined).set('CBT', d.changeTracking ? 'TRUE' : undefined)
    .set('Primary IP Address', primaryIp(v));
  for (let i = 0; i < 8; i++) r.set(`Network #${i + 1}`, d.nics[i]?.network);
  r.set('Resource pool', d.resourcePoolPath ?? d.resourcePool).set('Folder ID', d.folderRef)
    .set('Provisioned MiB', mib(provisioned)).set('In Use MiB', mib(committed)).set('Unshared MiB', mib(d.unsharedBytes))
    .set('Firmware', d.firmware).set('HW version', d.hwVersion).set('Path', d.vmxPath)
    .set('SMBIOS UUID', d.biosUuid).set('VI SDK Server type', v.src.about.fullName).set('VI SDK API Version', v.src.about.apiVersion);
  tail(r, v);
  yield r.take();
}

function* vCPU(v: ReportVm, r: RowBuilder): Generator<Cell[]> {
  head(r, v);
  r.set('CPUs', v.doc.cpus).set('Sockets', v.doc.sockets).set('Cores p/s', v.doc.coresPerSocket);
  tail(r, v);
  yield r.take();
}

function* vMemory(v: ReportVm, r: RowBuilder): Generator<Cell[]> {
  head(r, v);
  r.set('Size MiB', v.doc.memoryMB);
  tail(r, v);
  yield r.take();
}

function* vDisk(v: ReportVm, r: RowBuilder): Generator<Cell[]> {
  for (const k of v.doc.disks) {
    head(r, v);
    r.set('Disk', k.label).set('Disk Key', k.key).set('Disk UUID', k.uuid).set('Disk Path', k.path)
      .set('Capacity MiB', Math.round(k.sizeGB * 1024)).set('Raw', k.backing ? tf(k.backing === 'rdm') : undefined)
      .set('Disk Mode', k.mode).set('Sharing mode', k.sharing).set('Thin', tf(k.thin))
      .set('Controller', k.controller).set('Unit #', k.unit).set('Path', v.doc.vmxPath);
    tail(r, v);
    yield r.take();
  }
}

function* vPartition(v: ReportVm, r: RowBuilder): Generator<Cell[]> {
  // RVTools lists guest file systems of running VMs only.
  if (v.doc.template || v.doc.powerState !== 'poweredOn') return;
  for (const p of v.doc.partitions ?? []) {
    head(r, v);
    const cap = mib(p.capacityBytes);
    const free = mib(p.freeBytes);
    r.set('Disk Key', p.diskKey).set('Disk', p.path).set('Capacity MiB', cap)
      .set('Consumed MiB', cap === undefined || free === undefined ? undefined : cap - free).set('Free MiB', free)
      .set('Free %', pct(p.freeBytes, p.capacityBytes));
    tail(r, v);
    yield r.take();
  }
}

function* vNetwork(v: ReportVm, r: RowBuilder): Generator<Cell[]> {
  for (const n of v.doc.nics) {
    head(r, v);
    r.set('NIC label', n.label).set('Adapter', n.adapter).set('Network', n.network).set('Connected', tf(n.connected))
      .set('Starts Connected', tf(n.startConnected)).set('Mac Address', n.mac)
      .set('IPv4 Address', n.ipv4.length ? n.ipv4.join(', ') : undefined).set('IPv6 Address', n.ipv6.length ? n.ipv6.join(', ') : undefined);
    tail(r, v);
    yield r.take();
  }
}

function* vCD(v: ReportVm, r: RowBuilder): Generator<Cell[]> {
  for (const c of v.doc.cdroms ?? []) {
    head(r, v);
    r.set('Device Node', c.label).set('Connected', tf(c.connected)).set('Starts Connected', tf(c.startConnected)).set('Device Type', c.deviceType);
    tail(r, v);
    yield r.take();
  }
}

function* vSnapshot(v: ReportVm, r: RowBuilder): Generator<Cell[]> {
  if (v.doc.template) return;
  for (const s of v.doc.snapshots ?? []) {
    head(r, v);
    r.set('Name', s.name).set('Description', s.description).set('Date / time', when(s.createdAt))
      .set('Quiesced', tf(s.quiesced)).set('State', s.state);
    tail(r, v);
    yield r.take();
  }
}

function* vTools(v: ReportVm, r: RowBuilder): Generator<Cell[]> {
  const t = v.doc.tools;
  head(r, v);
  const upgradeable = t?.versionStatus === undefined ? undefined : t.versionStatus === 'guestToolsNeedUpgrade' ? 'Yes' : 'No';
  r.set('VM Version', v.doc.hwVersion).set('Tools', t?.status ?? v.doc.toolsStatus).set('Tools Version', t?.version)
    .set('Upgradeable', upgradeable).set('Upgrade Policy', t?.upgradePolicy).set('Sync time', tf(t?.syncTime))
    .set('Heartbeat status', v.doc.heartbeat);
  tail(r, v);
  yield r.take();
}

function* none(): Generator<Cell[]> {}

/** A VM sheet's rows of one VM; `r` is the sheet's RowBuilder. */
export type VmRows = (v: ReportVm, r: RowBuilder) => Iterable<Cell[]>;

export const VM_SHEETS: Partial<Record<RvSheetName, VmRows>> = {
  vInfo, vCPU, vMemory, vDisk, vPartition, vNetwork, vCD, vUSB: none, vSnapshot, vTools,
};

/** One VM sheet's rows of one VM at a time, with the sheet's own RowBuilder. */
export function vmRowsOf(sheet: RvSheetName): (v: ReportVm) => Iterable<Cell[]> {
  const rows = VM_SHEETS[sheet]!;
  const r = new RowBuilder(headingsOf(sheet));
  return (v) => rows(v, r);
}

/** A VM sheet's rows, over all VMs of the report (one pass over the documents per call). */
export function* vmSheetRows(sheet: RvSheetName, data: ReportData): Generator<Cell[]> {
  const rows = vmRowsOf(sheet);
  for (const v of data.vms()) yield* rows(v);
}
