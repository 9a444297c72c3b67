// Network topology from the live model: distributed switches > portgroups, standard switches
// grouped by name across hosts > portgroups (with the VLAN each host gives them, flagged when it
// differs inside one cluster), and the VMkernel adapters of every host by service. Pure.
import type { Obj } from '../../model/live.js';
import type { HostRecord, PortgroupRecord, SwitchRecord, VmkernelRecord, VmkService } from '../../model/records.js';
import type { TreeNode } from '../widgets/tree.js';

export interface NetModel {
  readonly hosts: Map<number, Obj<HostRecord>>;
  readonly switches: Map<number, Obj<SwitchRecord>>;
  readonly networks: Map<number, Obj<PortgroupRecord>>;
  readonly vmkernels: Map<number, Obj<VmkernelRecord>>;
}

/** One portgroup as the tree shows it: a distributed one, or a standard one on every host that has it. */
export interface PgInfo {
  key: string;
  name: string;
  source: string;
  sourceId: number;
  kind: 'dvportgroup' | 'standard' | 'network';
  switchName?: string;
  /** The records (one per host for a standard portgroup). */
  records: Obj<PortgroupRecord>[];
  /** VLAN text: "120", "trunk 100-110", "pvlan 22", "none", "mixed". */
  vlan: string;
  hosts: string[];
  vms: number;
  /** Clusters whose hosts give it different VLANs: cluster -> "host: vlan" texts. */
  mismatch: { cluster: string; hosts: { host: string; vlan: string }[] }[];
}

export type NetNode =
  | { kind: 'source' | 'group'; name: string; portgroups: number }
  | { kind: 'switch'; name: string; switchKind: 'dvs' | 'vss'; mtu?: string; hosts: number; uplinks?: string; portgroups: number }
  | { kind: 'portgroup'; name: string; pg: PgInfo };

export function vlanText(p: Pick<PortgroupRecord, 'vlan' | 'vlanTrunk' | 'pvlan'>): string {
  if (p.vlanTrunk) return `trunk ${p.vlanTrunk}`;
  if (p.pvlan !== undefined) return `pvlan ${p.pvlan}`;
  if (p.vlan === 0) return 'none';
  return p.vlan !== undefined ? String(p.vlan) : '—';
}

/** Does a portgroup carry this VLAN (its own, or in a trunk's ranges)? */
export function carriesVlan(p: Pick<PortgroupRecord, 'vlan' | 'vlanTrunk' | 'pvlan'>, vlan: number): boolean {
  if (p.vlan === vlan || p.pvlan === vlan) return true;
  if (!p.vlanTrunk) return false;
  return p.vlanTrunk.split(',').some((r) => {
    const [a, b] = r.trim().split('-').map(Number);
    return b === undefined ? a === vlan : vlan >= a && vlan <= b;
  });
}

/** Every portgroup, standard ones merged by (source, switch name, portgroup name). */
export function portgroups(m: NetModel, vmsOn: (sourceId: number, name: string) => number): PgInfo[] {
  const hostCluster = new Map<string, string>();
  for (const h of m.hosts.values()) if (h.deletedAt === null && h.doc.cluster) hostCluster.set(`${h.sourceId}|${h.doc.name}`, h.doc.cluster);
  const merged = new Map<string, PgInfo>();
  for (const o of m.networks.values()) {
    if (o.deletedAt !== null) continue;
    const d = o.doc;
    const key = d.kind === 'standard' ? `pg:${o.sourceId}/vss/${d.switch ?? ''}/${d.name}` : `pg:${o.sourceId}/${d.kind}/${d.switch ?? ''}/${d.name}/${d.ref}`;
    let p = merged.get(key);
    if (!p) merged.set(key, (p = { key, name: d.name, source: o.source, sourceId: o.sourceId, kind: d.kind, switchName: d.switch, records: [], vlan: '', hosts: [], vms: vmsOn(o.sourceId, d.name), mismatch: [] }));
    p.records.push(o);
    for (const h of d.hosts) p.hosts.push(h);
  }
  for (const p of merged.values()) {
    const vlans = new Set(p.records.map((r) => vlanText(r.doc)));
    p.vlan = vlans.size === 1 ? [...vlans][0] : 'mixed';
    p.hosts = [...new Set(p.hosts)].sort();
    if (p.kind !== 'standard' || vlans.size < 2) continue;
    // Per cluster: the hosts' VLANs for this portgroup; more than one is a vMotion failure waiting.
    const byCluster = new Map<string, { host: string; vlan: string }[]>();
    for (const r of p.records) {
      for (const h of r.doc.hosts) {
        const c = hostCluster.get(`${r.sourceId}|${h}`);
        if (!c) continue;
        const list = byCluster.get(c);
        const item = { host: h, vlan: vlanText(r.doc) };
        if (list) list.push(item);
        else byCluster.set(c, [item]);
      }
    }
    for (const [cluster, hosts] of byCluster) if (new Set(hosts.map((x) => x.vlan)).size > 1) p.mismatch.push({ cluster, hosts: hosts.sort((a, b) => a.host.localeCompare(b.host)) });
  }
  return [...merged.values()];
}

/** vCenter > Distributed switches > DVS > portgroups; vCenter > Standard switches > vSwitch name > portgroups. */
export function networkTree(m: NetModel, pgs: PgInfo[], keep: (p: PgInfo) => boolean = () => true): TreeNode<NetNode>[] {
  const sw = new Map<string, { name: string; kind: 'dvs' | 'vss'; mtus: Set<number>; hosts: Set<string>; uplinks: Set<string> }>();
  for (const s of m.switches.values()) {
    if (s.deletedAt !== null) continue;
    const k = `${s.sourceId}/${s.doc.kind}/${s.doc.name}`;
    let x = sw.get(k);
    if (!x) sw.set(k, (x = { name: s.doc.name, kind: s.doc.kind, mtus: new Set(), hosts: new Set(), uplinks: new Set() }));
    if (s.doc.mtu !== undefined) x.mtus.add(s.doc.mtu);
    for (const h of s.doc.hosts) x.hosts.add(h);
    for (const u of (s.doc as SwitchRecord & { uplinks?: string[] }).uplinks ?? []) x.uplinks.add(u);
  }
  const bySource = new Map<number, { name: string; dvs: Map<string, PgInfo[]>; vss: Map<string, PgInfo[]>; other: PgInfo[] }>();
  for (const p of pgs) {
    if (!keep(p)) continue;
    let s = bySource.get(p.sourceId);
    if (!s) bySource.set(p.sourceId, (s = { name: p.source, dvs: new Map(), vss: new Map(), other: [] }));
    const into = p.kind === 'dvportgroup' ? s.dvs : p.kind === 'standard' ? s.vss : null;
    if (!into) {
      s.other.push(p);
      continue;
    }
    const list = into.get(p.switchName ?? '');
    if (list) list.push(p);
    else into.set(p.switchName ?? '', [p]);
  }
  const leaf = (p: PgInfo): TreeNode<NetNode> => ({ key: p.key, data: { kind: 'portgroup', name: p.name, pg: p } });
  const byName = (a: PgInfo, b: PgInfo) => a.name.localeCompare(b.name);
  const out: TreeNode<NetNode>[] = [];
  for (const [sourceId, s] of [...bySource].sort((a, b) => a[1].name.localeCompare(b[1].name))) {
    const groups: TreeNode<NetNode>[] = [];
    for (const [kind, title, map] of [['dvs', 'Distributed switches', s.dvs], ['vss', 'Standard switches', s.vss]] as const) {
      if (!map.size) continue;
      const switches = [...map].sort((a, b) => a[0].localeCompare(b[0])).map(([name, list]): TreeNode<NetNode> => {
        const x = sw.get(`${sourceId}/${kind}/${name}`);
        const mtu = x && x.mtus.size ? [...x.mtus].sort((a, b) => a - b).join('/') : undefined;
        return {
          key: `sw:${sourceId}/${kind}/${name}`,
          data: { kind: 'switch', name: name || '(no switch)', switchKind: kind, mtu, hosts: x?.hosts.size ?? 0, uplinks: x?.uplinks.size ? [...x.uplinks].sort().join(',') : undefined, portgroups: list.length },
          children: list.sort(byName).map(leaf),
        };
      });
      groups.push({ key: `grp:${sourceId}/${kind}`, data: { kind: 'group', name: title, portgroups: switches.reduce((n, x) => n + (x.children?.length ?? 0), 0) }, children: switches });
    }
    if (s.other.length) groups.push({ key: `grp:${sourceId}/other`, data: { kind: 'group', name: 'Other networks', portgroups: s.other.length }, children: s.other.sort(byName).map(leaf) });
    out.push({ key: `vc:${sourceId}`, data: { kind: 'source', name: s.name, portgroups: groups.reduce((n, g) => n + (g.data as { portgroups: number }).portgroups, 0) }, children: groups });
  }
  return out;
}

/** The filter of the network view: `vlan:120` (trunks that carry it too), `unused`, `mismatch`, `trunk`, `pvlan`, words. */
export function networkFilter(src: string): (p: PgInfo) => boolean {
  const tests: ((p: PgInfo) => boolean)[] = [];
  for (const raw of src.toLowerCase().split(/\s+/).filter(Boolean)) {
    const neg = raw.startsWith('-') && raw.length > 1;
    const t = neg ? raw.slice(1) : raw;
    let f: (p: PgInfo) => boolean;
    const v = /^vlan[:=](\d+)$/.exec(t);
    if (v) {
      const id = Number(v[1]);
      f = (p) => p.records.some((r) => carriesVlan(r.doc, id));
    } else if (t === 'unused') f = (p) => p.vms === 0;
    else if (t === 'used' || t === 'inuse') f = (p) => p.vms > 0;
    else if (t === 'mismatch') f = (p) => p.mismatch.length > 0;
    else if (t === 'trunk') f = (p) => p.records.some((r) => !!r.doc.vlanTrunk);
    else if (t === 'pvlan') f = (p) => p.records.some((r) => r.doc.pvlan !== undefined);
    else f = (p) => `${p.name} ${p.switchName ?? ''} ${p.source}`.toLowerCase().includes(t);
    tests.push(neg ? (p) => !f(p) : f);
  }
  return (p) => tests.every((f) => f(p));
}

export const SERVICES: { id: VmkService; title: string }[] = [
  { id: 'management', title: 'MGMT' }, { id: 'vmotion', title: 'VMOTION' }, { id: 'vsan', title: 'VSAN' },
  { id: 'provisioning', title: 'PROV' }, { id: 'faultTolerance', title: 'FT' }, { id: 'replication', title: 'REPL' },
];

export interface VmkHostRow {
  source: string;
  cluster: string;
  host: string;
  /** Service -> the adapters that carry it ("vmk1"). */
  services: Map<VmkService, string[]>;
  adapters: VmkernelRecord[];
  /** Services other hosts of the cluster have and this one lacks. */
  lacks: VmkService[];
  /** MTUs of its vMotion/vSAN adapters that differ from the cluster's most common one. */
  mtuMismatch: string[];
}

/** Hosts x services, grouped by cluster, with what a host lacks that its cluster's others have. */
export function vmkMatrix(m: NetModel): VmkHostRow[] {
  const byHost = new Map<string, VmkernelRecord[]>();
  for (const v of m.vmkernels.values()) {
    if (v.deletedAt !== null) continue;
    const k = `${v.sourceId}|${v.doc.host}`;
    const list = byHost.get(k);
    if (list) list.push(v.doc);
    else byHost.set(k, [v.doc]);
  }
  const rows: VmkHostRow[] = [];
  for (const h of m.hosts.values()) {
    if (h.deletedAt !== null) continue;
    const adapters = (byHost.get(`${h.sourceId}|${h.doc.name}`) ?? []).sort((a, b) => a.device.localeCompare(b.device));
    const services = new Map<VmkService, string[]>();
    for (const a of adapters) for (const s of a.services) services.set(s, [...(services.get(s) ?? []), a.device]);
    rows.push({ source: h.source, cluster: h.doc.cluster ?? '', host: h.doc.name, services, adapters, lacks: [], mtuMismatch: [] });
  }
  const clusters = new Map<string, VmkHostRow[]>();
  for (const r of rows) {
    if (!r.cluster) continue;
    const k = `${r.source}|${r.cluster}`;
    const list = clusters.get(k);
    if (list) list.push(r);
    else clusters.set(k, [r]);
  }
  for (const list of clusters.values()) {
    const have = new Set<VmkService>();
    for (const r of list) for (const s of r.services.keys()) have.add(s);
    const mtus = new Map<number, number>();
    const mtuOf = (a: VmkernelRecord) => a.mtu ?? 1500;
    for (const r of list) for (const a of r.adapters) if (a.services.some((s) => s === 'vmotion' || s === 'vsan')) mtus.set(mtuOf(a), (mtus.get(mtuOf(a)) ?? 0) + 1);
    const common = [...mtus].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
    for (const r of list) {
      r.lacks = [...have].filter((s) => s !== 'other' && !r.services.has(s));
      if (common !== undefined) r.mtuMismatch = r.adapters.filter((a) => a.services.some((s) => s === 'vmotion' || s === 'vsan') && mtuOf(a) !== common).map((a) => `${a.device} MTU ${mtuOf(a)} (cluster: ${common})`);
    }
  }
  return rows.sort((a, b) => a.source.localeCompare(b.source) || a.cluster.localeCompare(b.cluster) || a.host.localeCompare(b.host));
}
