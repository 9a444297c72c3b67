// Host wiring of the demo estate (physical NICs, switch uplinks, VMkernel details) and the
// misconfigurations the topology views exist to find, placed deterministically at every scale:
//  - a datastore of a datastore cluster not mounted on one host of its compute cluster;
//  - a standard portgroup ("VM Network") whose VLAN differs on one host of that cluster;
//  - one vMotion VMkernel adapter of that cluster at MTU 1500 while the others use 9000;
//  - a disconnected host and a host in maintenance (for good, not only in windows);
//  - an inaccessible NFS datastore and an overcommitted VMFS one (provisioned > capacity);
//  - a private-VLAN portgroup (a trunk exists already), and one host of a vSAN cluster
//    without its vSAN adapter (estates of 40 VMs and more have vSAN clusters).
// Runs once in the Estate constructor, before its shared records are frozen.

import type { HostNicRecord, PortgroupRecord, VmkernelRecord } from '../../model/records.js';
import { NIC_OUIS } from './catalog.js';
import type { ClusterInfo, Estate } from './estate.js';
import { hash3, macOf } from './rand.js';

const TIB = 2 ** 40;

/** What topology.ts decided, read by the model when it builds records. */
export interface Anomalies {
  /** the host that is disconnected (no stats, power state unknown) */
  disconnectedHost: number;
  /** the host that stays in maintenance */
  maintenanceHost: number;
  /** datastores by index that are inaccessible */
  inaccessible: Set<number>;
  /** datastore index -> thin-provisioned space beyond what the VMs account for, as a share of its capacity */
  overcommit: Map<number, number>;
  /** per host, its physical NICs (frozen, shared by every retrieval) */
  hostNics: HostNicRecord[][];
}

function mask(bits: number): string {
  const m = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return `${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}`;
}

export function buildTopology(e: Estate): Anomalies {
  const hosts = e.hosts;
  // The cluster the anomalies live in: the first one with a datastore cluster (prod comes first).
  const a: ClusterInfo = e.clusters.find((c) => c.pod >= 0) ?? e.clusters[0]!;
  const first = a.hostStart;
  const last = a.hostStart + a.hostCount - 1;
  const lastCluster = e.clusters[e.clusters.length - 1]!;
  const disconnectedHost = lastCluster.hostStart + lastCluster.hostCount - 1;
  const maintenanceHost = lastCluster.hostCount > 2 ? disconnectedHost - 1 : lastCluster.hostStart;

  // Physical NICs: two for vSwitch0, two for the distributed switch; vmnic0 carries vmk0's MAC.
  const oui = NIC_OUIS[hash3(e.key, 610, 0, 0) % NIC_OUIS.length]!;
  const dvsOf = new Map<number, string>();
  for (const s of e.dvs) for (const h of s.hostIdx) dvsOf.set(h, s.rec.name);
  const vmkByRef = new Map(e.vmkernels.map((v, i) => [v.ref, i]));
  const hostNics = hosts.map((h, i) => {
    const fast = e.clusters[h.cluster]!.kind !== 'dev';
    const nics: HostNicRecord[] = [0, 1, 2, 3].map((j) => ({
      device: `vmnic${j}`,
      driver: fast ? 'bnxtnet' : 'ixgben',
      speedMb: fast ? 25000 : 10000,
      duplex: true,
      mac: j === 0 ? e.vmkernels[vmkByRef.get(`${h.ref}/vmk0`)!]!.mac! : macOf(oui, (0x100000 + i * 4 + j) & 0xffffff),
      pci: `0000:${(0x18 + (j >> 1)).toString(16).padStart(2, '0')}:00.${j & 1}`,
      switch: j < 2 ? 'vSwitch0' : dvsOf.get(i) ?? 'vSwitch0',
    }));
    // One uplink of the disconnected host's DVS pair has lost its link.
    if (i === disconnectedHost) delete nics[3]!.speedMb;
    return nics;
  });
  e.vss.forEach((s, k) => {
    e.vss[k] = { ...s, uplinks: ['vmnic0', 'vmnic1'], ports: 128, freePorts: 120 };
  });

  // VMkernel details: netmasks of the address plans, vMotion on its own TCP/IP stack.
  const mgmtBits = 32 - Math.ceil(Math.log2(Math.max(256, 2 ** Math.ceil(Math.log2(hosts.length + 20)))));
  const hostIdx = new Map(hosts.map((h, i) => [h.name, i]));
  const vmks: VmkernelRecord[] = [];
  for (const v of e.vmkernels) {
    const i = hostIdx.get(v.host)!;
    const c = e.clusters[hosts[i]!.cluster]!;
    if (v.device === 'vmk0') vmks.push({ ...v, netmask: mask(mgmtBits), netStack: 'defaultTcpipStack' });
    else if (v.device === 'vmk1') vmks.push({ ...v, netmask: mask(17), netStack: 'vmotion', ...(i === first && a.hostCount > 1 ? { mtu: 1500 } : {}) });
    // The first vSAN cluster's last host has lost its vSAN adapter.
    else if (v.device === 'vmk2' && c === e.clusters.find((x) => x.vsan) && i === c.hostStart + c.hostCount - 1 && c.hostCount > 1) continue;
    else vmks.push({ ...v, netmask: mask(17), netStack: 'defaultTcpipStack' });
  }
  e.vmkernels.splice(0, e.vmkernels.length, ...vmks);

  // "VM Network" on vSwitch0 of the cluster's hosts: VLAN 0, but 20 on its first host.
  for (let h = first; h <= last; h++) {
    const host = hosts[h]!;
    const pg: PortgroupRecord = {
      ref: `${host.ref}/VM Network`, name: 'VM Network', switch: 'vSwitch0', switchRef: `${host.ref}/vSwitch0`, kind: 'standard',
      vlan: h === first && a.hostCount > 1 ? 20 : 0, hosts: [host.name], vms: 0,
    };
    e.standardPgs.push(pg);
  }

  // A private VLAN (promiscuous 3000, isolated 3001) on the first distributed switch.
  const dvs = e.dvs[0];
  if (dvs) {
    e.portgroups.push({
      idx: e.portgroups.length, zone: 'uplinks', dc: dvs.dc, dvs: dvs.idx, net: 0, size: 0, used: 0, trunk: false,
      rec: { ref: `dvportgroup-pvlan-${dvs.idx}`, name: `dvpg-pvlan-isolated-3001`, switch: dvs.rec.name, switchRef: dvs.rec.ref, kind: 'dvportgroup', pvlan: 3001, hosts: dvs.rec.hosts, vms: 0 },
    });
  }

  // Storage: a new LUN of the datastore cluster not presented to its last host; an NFS
  // archive that went away; the first LUN thin-provisioned beyond its capacity.
  const inaccessible = new Set<number>();
  const overcommit = new Map<number, number>();
  const mount = (idx: number) => {
    const ds = e.datastores[idx]!;
    ds.hosts = ds.hostIdx.map((h) => hosts[h]!.name).sort();
    for (const h of ds.hostIdx) hosts[h]!.datastores.push(ds.name);
  };
  const allA = Array.from({ length: a.hostCount }, (_, k) => first + k);
  if (a.pod >= 0) {
    const pod = e.pods[a.pod]!;
    const idx = e.datastores.length;
    e.datastores.push({
      idx, ref: `datastore-new-${idx}`, name: `${a.slug}-vmfs-${String(pod.ds.length + 1).padStart(2, '0')}`, dc: a.dc, pod: a.pod, type: 'VMFS',
      capacity: 4 * TIB, url: `ds:///vmfs/volumes/${(hash3(e.key, 611, idx, 0) >>> 0).toString(16).padStart(8, '0')}-new/`, shared: true,
      hostIdx: a.hostCount > 1 ? allA.slice(0, -1) : allA, hosts: [], fixedUsed: 1.6 * 2 ** 30, vmPool: false,
    });
    pod.ds.push(idx);
    mount(idx);
    overcommit.set(pod.ds[0]!, 1.2); // thin disks promised beyond its size, even in a nearly empty estate
  }
  const nfs = e.datastores.length;
  e.datastores.push({
    idx: nfs, ref: `datastore-nfs-archive-${nfs}`, name: `${e.dcs[a.dc]!.slug}-nfs-archive`, dc: a.dc, pod: -1, type: 'NFS', capacity: 8 * TIB,
    url: `ds:///vmfs/volumes/${(hash3(e.key, 612, nfs, 0) >>> 0).toString(16).padStart(8, '0')}-archive/`, shared: true,
    hostIdx: allA, hosts: [], fixedUsed: 5.2 * TIB, vmPool: false,
  });
  inaccessible.add(nfs);
  mount(nfs);
  return { disconnectedHost, maintenanceHost, inaccessible, overcommit, hostNics };
}
