// VMs per host, datastore and network, counted from the VMs' own placement, disks and NICs, so
// that every view and command agrees with the VMs view on every platform (vCenter's own counts
// are left empty by some, the simulator among them).
import type { VmView } from './vm.js';

export interface VmCounts {
  hosts: Map<string, number>;
  datastores: Map<string, number>;
  networks: Map<string, number>;
}

type Counted = Pick<VmView, 'sourceId' | 'source' | 'deletedAt' | 'host' | 'datastores' | 'networks'>;

/** Per source id, then object name; deleted VMs do not count. */
export function vmCounts(vms: Iterable<Counted>): Map<number, VmCounts>;
/** Per source name (what the command line reads with each object), then object name. */
export function vmCounts(vms: Iterable<Counted>, by: 'name'): Map<string, VmCounts>;
export function vmCounts(vms: Iterable<Counted>, by: 'id' | 'name' = 'id'): Map<number | string, VmCounts> {
  const out = new Map<number | string, VmCounts>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const v of vms) {
    if (v.deletedAt !== null) continue;
    const key = by === 'id' ? v.sourceId : v.source;
    let c = out.get(key);
    if (!c) out.set(key, (c = { hosts: new Map(), datastores: new Map(), networks: new Map() }));
    if (v.host) add(c.hosts, v.host);
    // A VM with two disks on one datastore (or two NICs on one network) counts once there.
    for (let i = 0; i < v.datastores.length; i++) if (v.datastores.indexOf(v.datastores[i]) === i) add(c.datastores, v.datastores[i]);
    for (let i = 0; i < v.networks.length; i++) if (v.networks.indexOf(v.networks[i]) === i) add(c.networks, v.networks[i]);
  }
  return out;
}
