// Storage topology from the live model: vCenter > datacenter > datastore cluster > datastore,
// with capacity totals, and for each shared datastore the hosts of its compute clusters that
// cannot see it (which breaks vMotion). Pure; computed once per model version.
import type { Obj } from '../../model/live.js';
import type { DatastoreRecord, HostRecord } from '../../model/records.js';
import type { TreeNode } from '../widgets/tree.js';

export interface StorageTotals {
  capacity: number;
  free: number;
  provisioned: number;
  datastores: number;
  vms: number;
}

export interface DsInfo {
  id: number;
  ds: Obj<DatastoreRecord>;
  /** VMs with a disk on it (from the VMs, see model/counts.ts). */
  vms: number;
  /** Hosts of the compute clusters that use it which have no mount: `cluster` -> host names. */
  missing: { cluster: string; hosts: string[] }[];
  usedPct: number;
  freePct: number;
}

export type StorageNode =
  | { kind: 'source' | 'datacenter' | 'pod'; name: string; totals: StorageTotals }
  | { kind: 'datastore'; name: string; info: DsInfo };

export interface StorageModel {
  readonly hosts: Map<number, Obj<HostRecord>>;
  readonly datastores: Map<number, Obj<DatastoreRecord>>;
}

const pctOf = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : Number.NaN);

/** The datastore's facts that the tree, its filter and its detail read. */
export function datastoreInfo(ds: Obj<DatastoreRecord>, clusterHosts: Map<string, string[]>, hostCluster: Map<string, string>, vms: number): DsInfo {
  const d = ds.doc;
  const missing: DsInfo['missing'] = [];
  if (d.shared) {
    // Clusters with at least one host that mounts it: every other host of theirs should too.
    const seen = new Set(d.hosts);
    const clusters = new Set<string>();
    for (const h of d.hosts) {
      const c = hostCluster.get(h);
      if (c) clusters.add(c);
    }
    for (const c of clusters) {
      const lacking = (clusterHosts.get(c) ?? []).filter((h) => !seen.has(h));
      if (lacking.length) missing.push({ cluster: c, hosts: lacking });
    }
  }
  return { id: ds.id, ds, vms, missing, usedPct: pctOf(d.capacityBytes - d.freeBytes, d.capacityBytes), freePct: pctOf(d.freeBytes, d.capacityBytes) };
}

/** Per source id: host name -> compute cluster, and cluster -> its host names. */
export function clusterIndex(m: StorageModel): Map<number, { hostCluster: Map<string, string>; clusterHosts: Map<string, string[]> }> {
  const out = new Map<number, { hostCluster: Map<string, string>; clusterHosts: Map<string, string[]> }>();
  for (const h of m.hosts.values()) {
    if (h.deletedAt !== null || !h.doc.cluster) continue;
    let x = out.get(h.sourceId);
    if (!x) out.set(h.sourceId, (x = { hostCluster: new Map(), clusterHosts: new Map() }));
    x.hostCluster.set(h.doc.name, h.doc.cluster);
    const list = x.clusterHosts.get(h.doc.cluster);
    if (list) list.push(h.doc.name);
    else x.clusterHosts.set(h.doc.cluster, [h.doc.name]);
  }
  return out;
}

function totals(): StorageTotals {
  return { capacity: 0, free: 0, provisioned: 0, datastores: 0, vms: 0 };
}

function addTo(t: StorageTotals, i: DsInfo): void {
  t.capacity += i.ds.doc.capacityBytes;
  t.free += i.ds.doc.freeBytes;
  t.provisioned += i.ds.doc.provisionedBytes ?? i.ds.doc.capacityBytes - i.ds.doc.freeBytes;
  t.datastores++;
  t.vms += i.vms;
}

export type DsOrder = 'name' | 'free';

/**
 * The tree of the datastores `keep` accepts (all by default), sorted by name or by free % (the
 * fullest first). Datastores outside any datastore cluster hang under their datacenter.
 */
export function storageTree(infos: DsInfo[], order: DsOrder = 'name', keep: (i: DsInfo) => boolean = () => true, datacenters: { source: string; name: string }[] = []): TreeNode<StorageNode>[] {
  const bySource = new Map<string, Map<string, { dss: DsInfo[]; pods: Map<string, DsInfo[]> }>>();
  // Datacenters without datastores show too (unfiltered), so an empty one is seen.
  for (const dc of datacenters) {
    let dcs = bySource.get(dc.source);
    if (!dcs) bySource.set(dc.source, (dcs = new Map()));
    if (!dcs.has(dc.name)) dcs.set(dc.name, { dss: [], pods: new Map() });
  }
  for (const i of infos) {
    if (!keep(i)) continue;
    const d = i.ds.doc;
    let dcs = bySource.get(i.ds.source);
    if (!dcs) bySource.set(i.ds.source, (dcs = new Map()));
    const dcName = d.datacenter ?? '(no datacenter)';
    let dc = dcs.get(dcName);
    if (!dc) dcs.set(dcName, (dc = { dss: [], pods: new Map() }));
    if (d.datastoreCluster) {
      const pod = dc.pods.get(d.datastoreCluster);
      if (pod) pod.push(i);
      else dc.pods.set(d.datastoreCluster, [i]);
    } else dc.dss.push(i);
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const dsOrder = order === 'free'
    ? (a: DsInfo, b: DsInfo) => (Number.isNaN(a.freePct) ? -1 : a.freePct) - (Number.isNaN(b.freePct) ? -1 : b.freePct) || a.ds.doc.name.localeCompare(b.ds.doc.name)
    : (a: DsInfo, b: DsInfo) => a.ds.doc.name.localeCompare(b.ds.doc.name);
  const leaf = (i: DsInfo): TreeNode<StorageNode> => ({ key: `ds:${i.id}`, data: { kind: 'datastore', name: i.ds.doc.name, info: i } });
  const out: TreeNode<StorageNode>[] = [];
  for (const [source, dcs] of [...bySource].sort((a, b) => a[0].localeCompare(b[0]))) {
    const st = totals();
    const dcNodes: TreeNode<StorageNode>[] = [];
    for (const [dcName, dc] of [...dcs].sort((a, b) => a[0].localeCompare(b[0]))) {
      const dt = totals();
      const kids: TreeNode<StorageNode>[] = [];
      for (const [pod, list] of [...dc.pods].sort((a, b) => a[0].localeCompare(b[0]))) {
        const pt = totals();
        for (const i of list) addTo(pt, i);
        for (const i of list) addTo(dt, i);
        kids.push({ key: `pod:${source}/${dcName}/${pod}`, data: { kind: 'pod', name: pod, totals: pt }, children: list.sort(dsOrder).map(leaf) });
      }
      for (const i of dc.dss) addTo(dt, i);
      kids.push(...dc.dss.sort(dsOrder).map(leaf));
      for (const k of ['capacity', 'free', 'provisioned', 'datastores', 'vms'] as const) st[k] += dt[k];
      dcNodes.push({ key: `dc:${source}/${dcName}`, data: { kind: 'datacenter', name: dcName, totals: dt }, ...(kids.length ? { children: kids } : {}) });
    }
    out.push({ key: `vc:${source}`, data: { kind: 'source', name: source, totals: st }, children: dcNodes.sort((a, b) => byName(a.data, b.data)) });
  }
  return out;
}

/** The filter of the storage view: words in the name, `type:nfs`, `free<10%`, `used>80%`, `local`, `shared`, `inaccessible`, `maintenance`, `missing`. */
export function storageFilter(src: string): (i: DsInfo) => boolean {
  const tests: ((i: DsInfo) => boolean)[] = [];
  for (const raw of src.toLowerCase().split(/\s+/).filter(Boolean)) {
    const neg = raw.startsWith('-') && raw.length > 1;
    const t = neg ? raw.slice(1) : raw;
    let f: (i: DsInfo) => boolean;
    const m = /^(free|used)([<>]=?)(\d+(?:\.\d+)?)%?$/.exec(t);
    if (m) {
      const [, what, op, n] = m;
      const lim = Number(n);
      f = (i) => {
        const v = what === 'free' ? i.freePct : i.usedPct;
        if (Number.isNaN(v)) return false;
        return op === '<' ? v < lim : op === '<=' ? v <= lim : op === '>' ? v > lim : v >= lim;
      };
    } else if (t.startsWith('type:')) f = (i) => (i.ds.doc.type ?? '').toLowerCase().startsWith(t.slice(5));
    else if (t === 'local') f = (i) => !i.ds.doc.shared;
    else if (t === 'shared') f = (i) => i.ds.doc.shared;
    else if (t === 'inaccessible') f = (i) => i.ds.doc.accessible === false;
    else if (t === 'maintenance') f = (i) => !!(i.ds.doc as { maintenanceMode?: string }).maintenanceMode && (i.ds.doc as { maintenanceMode?: string }).maintenanceMode !== 'normal';
    else if (t === 'missing') f = (i) => i.missing.length > 0;
    else if (t === 'overcommit' || t === 'overcommitted') f = (i) => (i.ds.doc.provisionedBytes ?? 0) > i.ds.doc.capacityBytes;
    else f = (i) => `${i.ds.doc.name} ${i.ds.source} ${i.ds.doc.datastoreCluster ?? ''} ${i.ds.doc.datacenter ?? ''}`.toLowerCase().includes(t);
    tests.push(neg ? (i) => !f(i) : f);
  }
  return (i) => tests.every((f) => f(i));
}
