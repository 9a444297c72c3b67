// VirtualMachine ObjectContent -> VmRecord: drafts while the rest streams in, resolved to names
// once the context is known.
import { osFamilyOf, type DiskRecord, type NicRecord, type PowerState, type VmRecord } from '../../model/records.js';
import { alarmDrafts, Ctx, isoTime, nonEmpty, refList, refVal, str, type AlarmDraft } from './ctx.js';
import type { ObjectContent } from './props.js';
import { cdromOf, controllerOf, vmReportFields, type Controller } from './reportfields.js';
import { bool, child, children, items, num, path, text, type XNode } from './xml.js';

const GIB = 1024 * 1024 * 1024;

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

