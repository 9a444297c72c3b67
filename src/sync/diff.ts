// Field-level differences between two versions of an inventory object, for the change history.
// Each object type flattens to named fields; a change row is written per field that differs.
import type { DatastoreRecord, HostRecord, PortgroupRecord, VmRecord } from '../model/records.js';

export type ChangeType =
  | 'created' | 'deleted' | 'reappeared' | 'rename' | 'power' | 'hardware' | 'disk' | 'network'
  | 'placement' | 'os' | 'state' | 'capacity' | 'vlan' | 'other';

export interface FieldChange {
  type: ChangeType;
  field: string;
  old: string | null;
  new: string | null;
}

/** optional: a field older documents lack; it is compared only when both sides have it, so that
 * the first sync after an upgrade does not record a change for every VM. */
type Flat = Map<string, { type: ChangeType; value: string; optional?: boolean }>;

const list = (xs: (string | undefined)[]) => xs.filter(Boolean).slice().sort().join(', ');
const num = (n: number | undefined) => (n === undefined || n === null ? '' : String(n));

function put(m: Flat, field: string, type: ChangeType, value: unknown): void {
  const v = value === undefined || value === null ? '' : String(value);
  m.set(field, { type, value: v });
}

export function flattenVm(v: VmRecord): Flat {
  const m: Flat = new Map();
  put(m, 'name', 'rename', v.name);
  put(m, 'powerState', 'power', v.powerState);
  put(m, 'template', 'other', v.template);
  put(m, 'cpus', 'hardware', v.cpus);
  put(m, 'sockets', 'hardware', num(v.sockets));
  put(m, 'coresPerSocket', 'hardware', num(v.coresPerSocket));
  put(m, 'memoryMB', 'hardware', v.memoryMB);
  put(m, 'diskCount', 'disk', v.disks.length);
  put(m, 'diskTotalGB', 'disk', Math.round(v.disks.reduce((a, d) => a + d.sizeGB, 0) * 100) / 100);
  for (const d of v.disks) {
    put(m, `disk[${d.label}].sizeGB`, 'disk', d.sizeGB);
    put(m, `disk[${d.label}].datastore`, 'placement', d.datastore);
  }
  put(m, 'nicCount', 'network', v.nics.length);
  for (const n of v.nics) {
    put(m, `nic[${n.label}].network`, 'network', n.network);
    put(m, `nic[${n.label}].mac`, 'network', n.mac);
    put(m, `nic[${n.label}].connected`, 'network', n.connected);
  }
  put(m, 'ips', 'network', list(v.nics.flatMap((n) => [...n.ipv4, ...n.ipv6])));
  put(m, 'host', 'placement', v.host);
  put(m, 'cluster', 'placement', v.cluster);
  put(m, 'resourcePool', 'placement', v.resourcePool);
  put(m, 'folder', 'placement', v.folder);
  put(m, 'datastores', 'placement', list(v.datastores));
  put(m, 'guestOs', 'os', v.guestOs);
  put(m, 'hostname', 'os', v.hostname);
  // Report fields that change because someone acted. Not diffed, because they change by
  // themselves all the time: heartbeat, guest state, guest free space, storage use, power-on
  // time, Tools running state, CD drive connection.
  if (v.hwVersion !== undefined) m.set('hwVersion', { type: 'hardware', value: v.hwVersion, optional: true });
  if (v.firmware !== undefined) m.set('firmware', { type: 'hardware', value: v.firmware, optional: true });
  if (v.changeTracking !== undefined) m.set('changeTracking', { type: 'other', value: String(v.changeTracking), optional: true });
  if (v.tools?.version !== undefined) m.set('toolsVersion', { type: 'os', value: v.tools.version, optional: true });
  // Taken and removed snapshots; never their sizes.
  put(m, 'snapshots', 'other', list((v.snapshots ?? []).map((s) => s.name)));
  return m;
}

export function flattenHost(h: HostRecord): Flat {
  const m: Flat = new Map();
  put(m, 'name', 'rename', h.name);
  put(m, 'connectionState', 'state', h.connectionState);
  put(m, 'powerState', 'state', h.powerState);
  put(m, 'maintenance', 'state', h.maintenance);
  put(m, 'version', 'other', h.version);
  put(m, 'build', 'other', h.build);
  put(m, 'cpuCores', 'capacity', num(h.cpuCores));
  put(m, 'cpuThreads', 'capacity', num(h.cpuThreads));
  put(m, 'memoryMB', 'capacity', num(h.memoryMB));
  put(m, 'cluster', 'placement', h.cluster);
  return m;
}

export function flattenDatastore(d: DatastoreRecord): Flat {
  const m: Flat = new Map();
  put(m, 'name', 'rename', d.name);
  put(m, 'capacityBytes', 'capacity', d.capacityBytes);
  put(m, 'shared', 'state', d.shared);
  put(m, 'accessible', 'state', d.accessible);
  // Optional: caches written before vmi read it record no change when it first appears.
  if (d.maintenanceMode !== undefined) m.set('maintenanceMode', { type: 'state', value: d.maintenanceMode, optional: true });
  put(m, 'hosts', 'placement', list(d.hosts));
  put(m, 'datastoreCluster', 'placement', d.datastoreCluster);
  return m;
}

export function flattenPortgroup(p: PortgroupRecord): Flat {
  const m: Flat = new Map();
  put(m, 'name', 'rename', p.name);
  put(m, 'vlan', 'vlan', num(p.vlan));
  put(m, 'vlanTrunk', 'vlan', p.vlanTrunk);
  put(m, 'pvlan', 'vlan', num(p.pvlan));
  put(m, 'switch', 'placement', p.switch);
  return m;
}

/** Fields that differ; a field missing on one side counts as empty. */
export function diffFlat(before: Flat, after: Flat): FieldChange[] {
  const out: FieldChange[] = [];
  const keys = new Set([...before.keys(), ...after.keys()]);
  for (const k of keys) {
    const a = before.get(k);
    const b = after.get(k);
    if ((!a && b?.optional) || (!b && a?.optional)) continue;
    const av = a?.value ?? '';
    const bv = b?.value ?? '';
    if (av !== bv) out.push({ type: (b ?? a)!.type, field: k, old: a ? av : null, new: b ? bv : null });
  }
  return out;
}
