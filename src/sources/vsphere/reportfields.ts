// Report data read with the inventory (RVTools' sheets): VM firmware, hardware version, CBT,
// state, Tools, guest file systems, snapshots, CD drives and disk controllers; host physical NICs,
// HBAs and BIOS; switch security policies; resource pools. Only the properties named here are
// requested (never `all`), and only the small ones go through live updates' re-reads.
import type {
  CdromRecord, HbaRecord, HostNicRecord, HostRecord, PartitionRecord, PoolAllocation, ResourcePoolRecord, SecurityPolicy,
  SnapshotRecord, SwitchRecord, ToolsRecord, VmRecord,
} from '../../model/records.js';
import { bool, child, children, items, num, path, text, type XNode } from './xml.js';

export const VM_REPORT_PATHS = [
  'config.firmware', 'config.version', 'config.changeTrackingEnabled', 'config.files.vmPathName',
  'config.tools.toolsUpgradePolicy', 'config.tools.syncTimeWithHost', 'runtime.connectionState', 'runtime.bootTime',
  'runtime.consolidationNeeded', 'guest.guestState', 'guestHeartbeatStatus', 'guest.toolsVersion', 'guest.toolsVersionStatus2',
  'guest.disk', 'summary.storage.unshared', 'snapshot',
] as const;

export const HOST_REPORT_PATHS = ['config.network.pnic', 'config.storageDevice.hostBusAdapter', 'hardware.biosInfo'] as const;

export const POOL_REPORT_PATHS = ['config.cpuAllocation', 'config.memoryAllocation', 'runtime', 'vm', 'overallStatus'] as const;

const nonEmpty = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s.trim());

function isoTime(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const d = new Date(s.trim());
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1980 ? undefined : d.toISOString();
}

/** Copies the defined values of `src` onto `dst` (records keep no undefined keys). */
function assign<T extends object>(dst: T, src: Partial<T>): void {
  for (const k of Object.keys(src) as Array<keyof T>) if (src[k] !== undefined) dst[k] = src[k] as T[keyof T];
}

function snapshots(list: XNode[], out: SnapshotRecord[], current: string | undefined, parent?: string): void {
  for (const s of list) {
    const id = text(s, 'id')?.trim() ?? String(out.length + 1);
    const rec: SnapshotRecord = { id, name: text(s, 'name') ?? '' };
    assign(rec, {
      description: nonEmpty(text(s, 'description')), createdAt: isoTime(text(s, 'createTime')), quiesced: bool(s, 'quiesced'),
      state: nonEmpty(text(s, 'state')), parent, current: current !== undefined && text(s, 'snapshot') === current ? true : undefined,
    });
    out.push(rec);
    snapshots(children(s, 'childSnapshotList'), out, current, id);
  }
}

export function vmReportFields(props: Map<string, XNode>, rec: VmRecord): void {
  const str = (p: string) => nonEmpty(props.get(p)?.text);
  assign(rec, {
    firmware: str('config.firmware'), hwVersion: str('config.version'), changeTracking: bool(props.get('config.changeTrackingEnabled')),
    connectionState: str('runtime.connectionState'), guestState: str('guest.guestState'), heartbeat: str('guestHeartbeatStatus'),
    consolidationNeeded: bool(props.get('runtime.consolidationNeeded')), unsharedBytes: num(props.get('summary.storage.unshared')),
    poweredOnAt: isoTime(str('runtime.bootTime')), vmxPath: str('config.files.vmPathName'),
  });
  const tools: ToolsRecord = {};
  assign(tools, {
    status: str('guest.toolsStatus'), runningStatus: str('guest.toolsRunningStatus'), versionStatus: str('guest.toolsVersionStatus2'),
    version: str('guest.toolsVersion'), upgradePolicy: str('config.tools.toolsUpgradePolicy'), syncTime: bool(props.get('config.tools.syncTimeWithHost')),
  });
  if (Object.keys(tools).length) rec.tools = tools;
  const parts: PartitionRecord[] = [];
  for (const d of items(props.get('guest.disk'))) {
    const p: PartitionRecord = { path: text(d, 'diskPath') ?? '', capacityBytes: num(d, 'capacity') ?? 0, freeBytes: num(d, 'freeSpace') ?? 0 };
    const key = nonEmpty(text(children(d, 'mappings')[0], 'key'));
    if (key) p.diskKey = key;
    parts.push(p);
  }
  if (parts.length) rec.partitions = parts;
  const snap = props.get('snapshot');
  if (snap) {
    const out: SnapshotRecord[] = [];
    snapshots(children(snap, 'rootSnapshotList'), out, child(snap, 'currentSnapshot')?.text);
    if (out.length) rec.snapshots = out;
  }
}

export interface Controller {
  key: string;
  label: string;
  bus?: number;
}

/** A disk controller device (SCSI, SATA, NVMe, IDE), or undefined for anything else. */
export function controllerOf(d: XNode, type: string): Controller | undefined {
  if (!/(SCSI|LsiLogic|BusLogic|AHCI|NVME|IDE|Sata)Controller$/i.test(type)) return undefined;
  const key = text(d, 'key')?.trim();
  if (!key) return undefined;
  return { key, label: path(d, 'deviceInfo.label')?.text ?? type, bus: num(d, 'busNumber') };
}

export function cdromOf(d: XNode): CdromRecord {
  const b = child(d, 'backing');
  const bt = b?.type ?? '';
  const deviceType = bt.includes('IsoBacking') ? `ISO ${text(b, 'fileName') ?? ''}`.trim()
    : bt.includes('Remote') ? 'Client Device'
    : bt.includes('AtapiBacking') || bt.includes('PassthroughBacking') ? `Host device ${text(b, 'deviceName') ?? ''}`.trim()
    : nonEmpty(path(d, 'deviceInfo.summary')?.text);
  const rec: CdromRecord = { key: text(d, 'key')?.trim() ?? '', label: path(d, 'deviceInfo.label')?.text ?? 'CD/DVD drive' };
  assign(rec, { connected: bool(path(d, 'connectable.connected')), startConnected: bool(path(d, 'connectable.startConnected')), deviceType });
  return rec;
}

/** A security policy: host switches have plain booleans, distributed ones { value } wrappers. */
export function securityOf(n: XNode | undefined): SecurityPolicy | undefined {
  if (!n) return undefined;
  const flag = (name: string) => {
    const c = child(n, name);
    return c ? bool(child(c, 'value') ?? c) : undefined;
  };
  const p: SecurityPolicy = {};
  assign(p, { allowPromiscuous: flag('allowPromiscuous'), macChanges: flag('macChanges'), forgedTransmits: flag('forgedTransmits') });
  return Object.keys(p).length ? p : undefined;
}

const HBA_TYPES: Record<string, string> = {
  HostFibreChannelHba: 'FibreChannel', HostFibreChannelOverEthernetHba: 'FCoE', HostInternetScsiHba: 'iScsi',
  HostBlockHba: 'Block', HostParallelScsiHba: 'ParallelScsi', HostSerialAttachedHba: 'SerialAttached', HostPcieHba: 'PCIe',
  HostTcpHba: 'TCP', HostRdmaHba: 'RDMA',
};

const wwn = (n: string | undefined) => {
  if (!n) return undefined;
  const v = BigInt.asUintN(64, BigInt(n.trim())).toString(16).padStart(16, '0');
  return v.match(/../g)!.join(':');
};

export function hostReportFields(props: Map<string, XNode>, rec: HostRecord, switches: SwitchRecord[]): void {
  const uplinkOf = new Map<string, string>();
  for (const s of switches) for (const u of s.uplinks ?? []) uplinkOf.set(u, s.name);
  const nics: HostNicRecord[] = [];
  for (const p of items(props.get('config.network.pnic'))) {
    const device = text(p, 'device') ?? '';
    const n: HostNicRecord = { device };
    const link = child(p, 'linkSpeed');
    assign(n, {
      driver: nonEmpty(text(p, 'driver')), speedMb: num(link, 'speedMb'), duplex: bool(link, 'duplex'),
      mac: nonEmpty(text(p, 'mac'))?.toLowerCase(), pci: nonEmpty(text(p, 'pci')), switch: uplinkOf.get(device),
    });
    nics.push(n);
  }
  if (nics.length) rec.nics = nics;
  const hbas: HbaRecord[] = [];
  for (const a of items(props.get('config.storageDevice.hostBusAdapter'))) {
    const h: HbaRecord = { device: text(a, 'device') ?? '' };
    let id: string | undefined;
    try {
      id = a.type === 'HostInternetScsiHba' ? nonEmpty(text(a, 'iScsiName')) : wwn(text(a, 'portWorldWideName'));
    } catch {
      id = undefined;
    }
    assign(h, {
      type: a.type ? HBA_TYPES[a.type] ?? a.type.replace(/^Host|Hba$/g, '') : undefined, status: nonEmpty(text(a, 'status')),
      bus: num(a, 'bus'), pci: nonEmpty(text(a, 'pci')), driver: nonEmpty(text(a, 'driver')), model: nonEmpty(text(a, 'model')), wwn: id,
    });
    hbas.push(h);
  }
  if (hbas.length) rec.hbas = hbas;
  const bios = props.get('hardware.biosInfo');
  assign(rec, {
    uuid: nonEmpty(text(props.get('hardware.systemInfo'), 'uuid')), biosVersion: nonEmpty(text(bios, 'biosVersion')),
    biosDate: isoTime(text(bios, 'releaseDate')),
  });
  for (const s of switches) delete s.uplinks;
}

/** Allocation (MHz, MB) and usage; memory usage comes in bytes and is kept in MiB like the rest. */
function allocation(a: XNode | undefined, usage: XNode | undefined, usageScale = 1): PoolAllocation {
  const out: PoolAllocation = {};
  const u = (n: number | undefined) => (n === undefined ? undefined : Math.round(n / usageScale));
  assign(out, {
    reservation: num(a, 'reservation'), limit: num(a, 'limit'), shares: num(child(a, 'shares'), 'shares'),
    level: nonEmpty(text(child(a, 'shares'), 'level')), expandable: bool(a, 'expandableReservation'),
    overallUsage: u(num(usage, 'overallUsage')), maxUsage: u(num(usage, 'maxUsage')),
  });
  return out;
}

/** A resource pool (or vApp); its path is filled in once every parent's name is known. */
export function poolDraft(ref: string, name: string, props: Map<string, XNode>): ResourcePoolRecord {
  const rt = props.get('runtime');
  const rec: ResourcePoolRecord = {
    ref, name, path: name, vms: items(props.get('vm')).length,
    cpu: allocation(props.get('config.cpuAllocation'), child(rt, 'cpu')),
    mem: allocation(props.get('config.memoryAllocation'), child(rt, 'memory'), 1024 * 1024),
  };
  const st = nonEmpty(props.get('overallStatus')?.text) ?? nonEmpty(text(rt, 'overallStatus'));
  if (st) rec.status = st;
  return rec;
}
