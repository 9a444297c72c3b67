// Report data of the demo estate (RVTools' sheets): derived from each record's own identity, so
// it is deterministic and stable between retrievals (only a new generation of a VM changes it).
import type {
  CdromRecord, HbaRecord, HostNicRecord, HostRecord, LicenseRecord, PartitionRecord, ResourcePoolRecord, SnapshotRecord,
  SourceAbout, SwitchRecord, VmRecord,
} from '../../model/records.js';

function fnv(s: string, salt: number): number {
  let h = (2166136261 ^ salt) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  h ^= h >>> 15;
  return Math.imul(h, 2246822507) >>> 0;
}

const GIB = 2 ** 30;
const HW = ['vmx-13', 'vmx-14', 'vmx-15', 'vmx-17', 'vmx-19', 'vmx-19', 'vmx-20', 'vmx-21'];
const RENAMED = /(-old|-decom|-migrated|_bak|-tobedeleted)$/;
const TOOLS_CURRENT = '12352';
const TOOLS_OLD = '11333';
const SNAPSHOT_NAMES = ['before patching', 'pre-upgrade', 'backup-tmp', 'before app release', 'VEEAM BACKUP TEMPORARY SNAPSHOT'];
const NO_CD: CdromRecord = Object.freeze({ key: '3002', label: 'CD/DVD drive 1', connected: false, startConnected: false, deviceType: 'Client Device' }) as CdromRecord;

/** Adds the report fields to a demo VM record (in place). */
export function addVmReport(rec: VmRecord, toolsStatus: string): void {
  const id = rec.instanceUuid ?? rec.ref;
  const h = fnv(id, 1);
  const on = rec.powerState === 'poweredOn';
  const running = on && (toolsStatus === 'toolsOk' || toolsStatus === 'toolsOld');
  const folderName = rec.name.replace(RENAMED, '');
  const home = rec.disks[0]?.datastore ?? rec.datastores[0] ?? 'datastore1';
  rec.firmware = rec.osFamily === 'windows' || h % 3 === 0 ? 'efi' : 'bios';
  rec.hwVersion = HW[h % HW.length]!;
  rec.changeTracking = h % 4 !== 0;
  if (h % 5 === 0) rec.enableUuid = true;
  rec.connectionState = 'connected';
  rec.guestState = running ? 'running' : 'notRunning';
  rec.heartbeat = running ? 'green' : 'gray';
  rec.consolidationNeeded = h % 997 === 0;
  if (on && rec.createdAt) rec.poweredOnAt = rec.createdAt;
  rec.folderRef = `group-v${100 + (fnv(rec.folder ?? '', 2) % 900)}`;
  rec.folderPath = `/${rec.datacenter}/vm/${rec.folder}`;
  rec.resourcePoolPath = `/${rec.datacenter}/host/${rec.cluster}/Resources${rec.resourcePool && rec.resourcePool !== 'Resources' ? `/${rec.resourcePool}` : ''}`;
  rec.vmxPath = `[${home}] ${folderName}/${folderName}.${rec.template ? 'vmtx' : 'vmx'}`;
  if (rec.committedBytes !== undefined) rec.unsharedBytes = rec.committedBytes;
  rec.disks.forEach((d, j) => {
    d.path = `[${d.datastore ?? home}] ${folderName}/${folderName}${j ? `_${j}` : ''}.vmdk`;
    d.mode = 'persistent';
    d.sharing = 'sharingNone';
    d.controller = 'SCSI controller 0';
    d.bus = 0;
    d.unit = j < 7 ? j : j + 1; // unit 7 is the controller's own
  });
  for (const n of rec.nics) {
    n.adapter = rec.osFamily === 'windows' && h % 7 === 0 ? 'E1000e' : 'Vmxnet3';
    n.startConnected = true;
  }
  const notInstalled = toolsStatus === 'toolsNotInstalled';
  rec.tools = {
    status: toolsStatus,
    runningStatus: running ? 'guestToolsRunning' : 'guestToolsNotRunning',
    versionStatus: notInstalled ? 'guestToolsNotInstalled' : toolsStatus === 'toolsOld' ? 'guestToolsNeedUpgrade' : 'guestToolsCurrent',
    ...(notInstalled ? {} : { version: toolsStatus === 'toolsOld' ? TOOLS_OLD : TOOLS_CURRENT }),
    upgradePolicy: h % 3 === 0 ? 'upgradeAtPowerCycle' : 'manual',
    syncTime: h % 2 === 0,
  };
  if (running && !rec.template) {
    const parts: PartitionRecord[] = [];
    rec.disks.slice(0, 3).forEach((d, j) => {
      const cap = Math.round(d.sizeGB * 0.98 * GIB);
      const usedFrac = 0.15 + ((fnv(id, 10 + j) % 800) / 1000);
      parts.push({
        path: rec.osFamily === 'windows' ? `${String.fromCharCode(67 + j)}:\\` : j === 0 ? '/' : `/data${j}`,
        capacityBytes: cap, freeBytes: Math.round(cap * (1 - usedFrac)), diskKey: d.key,
      });
    });
    rec.partitions = parts;
  }
  if (!rec.template && h % 23 === 0 && rec.createdAt) {
    const taken = new Date(Date.parse(rec.createdAt) + ((h >>> 8) % 7200) * 1000).toISOString();
    const snap: SnapshotRecord = { id: '1', name: SNAPSHOT_NAMES[(h >>> 4) % SNAPSHOT_NAMES.length]!, createdAt: taken, quiesced: h % 2 === 0, state: 'poweredOff', current: true };
    rec.snapshots = [snap];
  }
  rec.cdroms = [h % 41 === 0 ? { key: '3002', label: 'CD/DVD drive 1', connected: on, startConnected: false, deviceType: `ISO [${home}] iso/install.iso` } : NO_CD];
}

/** Adds physical NICs, HBAs and BIOS details to a demo host record (in place). */
export function addHostReport(rec: HostRecord): void {
  const h = fnv(rec.ref + rec.name, 3);
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  const nics: HostNicRecord[] = [];
  for (let j = 0; j < 4; j++) {
    nics.push({
      device: `vmnic${j}`, driver: h % 2 ? 'i40en' : 'bnxtnet', speedMb: j < 2 ? 25000 : 10000, duplex: true,
      mac: `b4:96:91:${hex((h >>> 8) & 255)}:${hex(h & 255)}:${hex(j * 2)}`, pci: `0000:${hex(0x3b + (j >> 1))}:00.${j & 1}`,
      switch: j < 2 ? 'vSwitch0' : undefined,
    });
    if (!nics[j]!.switch) delete nics[j]!.switch;
  }
  const hbas: HbaRecord[] = [
    { device: 'vmhba0', type: 'Block', status: 'unknown', bus: 0, pci: '0000:00:17.0', driver: 'vmw_ahci', model: 'Lewisburg SATA AHCI Controller' },
  ];
  for (let j = 1; j <= 2; j++) {
    hbas.push({
      device: `vmhba${j + 1}`, type: 'FibreChannel', status: 'online', bus: 0x5e + j, pci: `0000:${hex(0x5e + j)}:00.0`, driver: 'qlnativefc',
      model: 'QLogic QLE2772 32Gb FC HBA', wwn: `21:00:00:24:ff:${hex((h >>> 16) & 255)}:${hex((h >>> 8) & 255)}:${hex(j)}`,
    });
  }
  // The topology's wiring (switches, a link down) wins; the report's driver, PCI and duplex fill in.
  rec.nics = rec.nics ? rec.nics.map((n, j) => ({ ...(nics[j] ? { driver: nics[j]!.driver, pci: nics[j]!.pci, duplex: nics[j]!.duplex } : {}), ...n })) : nics;
  rec.hbas = hbas;
  rec.uuid = `4c4c4544-${hex(h >>> 24)}${hex((h >>> 16) & 255)}-${hex((h >>> 8) & 255)}${hex(h & 255)}-8000-${rec.ref.replace(/\D/g, '').padStart(12, '0').slice(-12)}`;
  rec.biosVersion = `U30 v2.${h % 9}`;
  rec.biosDate = `2023-0${1 + (h % 9)}-15T00:00:00.000Z`;
}

export function addSwitchReport(sw: SwitchRecord): void {
  if (sw.kind !== 'vss') return;
  sw.ports = 2560;
  sw.freePorts = 2560 - 8;
  sw.security = { allowPromiscuous: false, macChanges: false, forgedTransmits: false };
}

/** The demo vCenter's identity, licenses and resource pools. */
export function demoSourceInfo(host: string, site: string, seed: number, vms: VmRecord[], hosts: HostRecord[]): {
  about: SourceAbout; licenses: LicenseRecord[]; resourcePools: ResourcePoolRecord[];
} {
  const a = fnv(`${site}:${seed}`, 4).toString(16).padStart(8, '0');
  const b = fnv(`${site}:${seed}`, 5).toString(16).padStart(8, '0');
  const about: SourceAbout = {
    host, name: 'VMware vCenter Server', fullName: 'VMware vCenter Server 8.0.2 build-22617221', version: '8.0.2', build: '22617221',
    apiType: 'VirtualCenter', apiVersion: '8.0.2.0', instanceUuid: `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${a.slice(1, 4)}-${b}${a.slice(0, 4)}`,
    osType: 'linux-x64', productLineId: 'vpx', vendor: 'VMware, Inc.',
  };
  const sockets = hosts.reduce((n, x) => n + (x.cpuPackages ?? 0), 0);
  const licenses: LicenseRecord[] = [
    { key: `M${a.slice(0, 4).toUpperCase()}-0H1DN-K8A4A-0J2RH-3C8N4`, name: 'VMware vCenter Server 8 Standard', costUnit: 'server', total: 1, used: 1, features: ['vCenter Server Standard'] },
    { key: `4${b.slice(0, 4).toUpperCase()}-4L2DJ-08E4Q-0A8A2-2V6JH`, name: 'VMware vSphere 8 Enterprise Plus', costUnit: 'cpuPackage', total: sockets + 16, used: sockets, features: ['vMotion', 'DRS', 'vSphere HA'] },
  ];
  const pools = new Map<string, ResourcePoolRecord>();
  for (const v of vms) {
    if (!v.resourcePoolPath || !v.cluster) continue;
    let p = pools.get(v.resourcePoolPath);
    if (!p) {
      const name = v.resourcePool ?? 'Resources';
      pools.set(v.resourcePoolPath, (p = {
        ref: `resgroup-${100 + (fnv(v.resourcePoolPath, 6) % 9000)}`, name, path: v.resourcePoolPath, status: 'green', vms: 0,
        cpu: { reservation: 0, limit: -1, shares: name === 'Resources' ? 4000 : 8000, level: name === 'Resources' ? 'normal' : 'high', expandable: true },
        mem: { reservation: 0, limit: -1, shares: name === 'Resources' ? 163840 : 327680, level: name === 'Resources' ? 'normal' : 'high', expandable: true },
      }));
    }
    p.vms++;
  }
  return { about, licenses, resourcePools: [...pools.values()].sort((x, y) => x.path.localeCompare(y.path)) };
}
