// Global search: VMs by name, IP, hostname, UUID, tag, owner and notes, plus hosts, datastores
// and networks, across all sources. In the app VMs are found in the columns the VMs view filters
// with (vmcolumns.ts); without them (tests, small models) each VM's lower-cased search text is
// computed once per VM object and a query that extends the previous one rescans its matches.
import type { Obj } from '../../model/live.js';
import type { DatastoreRecord, HostRecord, PortgroupRecord } from '../../model/records.js';
import type { VmView } from '../../model/vm.js';
import { nameSlots, searchSlots, type VmColumns } from './vmcolumns.js';

export type HitKind = 'vm' | 'host' | 'datastore' | 'network';

export interface SearchHit {
  kind: HitKind;
  id: number;
  label: string;
  detail: string;
}

export interface SearchGroup {
  kind: HitKind;
  title: string;
  total: number;
  hits: SearchHit[];
}

export interface SearchSource {
  readonly vms: Map<number, VmView>;
  readonly hosts: Map<number, Obj<HostRecord>>;
  readonly datastores: Map<number, Obj<DatastoreRecord>>;
  readonly networks: Map<number, Obj<PortgroupRecord>>;
  readonly version: number;
}

const keys = new WeakMap<VmView, string>();

/** Everything a VM can be found by, lower-cased, fields separated by a newline. */
export function vmSearchText(v: VmView): string {
  let k = keys.get(v);
  if (k === undefined) {
    k = [
      v.name, v.ips.join(' '), v.hostname ?? '', v.instanceUuid ?? '', v.biosUuid ?? '', v.tags.join(' '),
      v.technicalOwner ? `${v.technicalOwner.name} ${v.technicalOwner.email}` : '',
      v.businessOwner ? `${v.businessOwner.name} ${v.businessOwner.email}` : '',
      v.notes ?? '',
    ].join('\n').toLowerCase();
    keys.set(v, k);
  }
  return k;
}

export function queryTerms(q: string): string[] {
  return q.toLowerCase().split(/\s+/).filter(Boolean);
}

/** Why a VM matched, for the result line. */
export function vmMatchDetail(v: VmView, terms: string[]): string {
  const has = (s: string | undefined) => !!s && terms.some((t) => s.toLowerCase().includes(t));
  const parts: string[] = [];
  const ip = v.ips.find((i) => has(i));
  if (ip) parts.push(`ip ${ip}`);
  if (!has(v.name) && has(v.hostname)) parts.push(`hostname ${v.hostname}`);
  if (has(v.instanceUuid)) parts.push(`uuid ${v.instanceUuid}`);
  else if (has(v.biosUuid)) parts.push(`bios uuid ${v.biosUuid}`);
  const tag = v.tags.find((t) => has(t));
  if (tag) parts.push(`tag ${tag}`);
  for (const [label, o] of [['tech', v.technicalOwner], ['business', v.businessOwner]] as const) {
    if (o && (has(o.name) || has(o.email))) parts.push(`${label} owner ${o.name}`);
  }
  if (has(v.notes)) parts.push(`notes: ${v.notes}`);
  if (parts.length === 0) parts.push(v.primaryIp ?? '');
  return `${parts.join(', ')}  ${v.source}${v.deletedAt ? ' (deleted)' : ''}`.trim();
}

function matchesAll(text: string, terms: string[]): boolean {
  for (const t of terms) if (!text.includes(t)) return false;
  return true;
}

export class Searcher {
  private last: { q: string; version: number; vms: VmView[] } | null = null;

  /** With `columns`, VMs are found in the columns the VMs view filters with (see vmcolumns.ts). */
  constructor(private readonly model: SearchSource, private readonly columns?: () => VmColumns) {}

  /**
   * The VMs whose search text holds every term, in three buckets: the name starts with the
   * first term, the name contains it, the rest. From the columns, or VM by VM.
   */
  private buckets(terms: string[], norm: string): [VmView[], VmView[], VmView[]] {
    const out: [VmView[], VmView[], VmView[]] = [[], [], []];
    const first = terms[0]!;
    if (this.columns) {
      const cols = this.columns();
      const keep = searchSlots(cols, terms, (v, t) => vmSearchText(v).includes(t));
      const { starts, inName } = nameSlots(cols, first, keep);
      for (let s = 0; s < keep.length; s++) if (keep[s]) out[starts[s] ? 0 : inName[s] ? 1 : 2].push(cols.view(s)!);
      return out;
    }
    const pool = this.last && this.last.version === this.model.version && norm.startsWith(this.last.q) && this.last.q !== ''
      ? this.last.vms
      : this.model.vms.values();
    for (const v of pool) {
      if (!matchesAll(vmSearchText(v), terms)) continue;
      const at = v.name.toLowerCase().indexOf(first);
      out[at === 0 ? 0 : at > 0 ? 1 : 2].push(v);
    }
    return out;
  }

  /** Matching VMs (all of them), best first: name starts with the query, name contains it, the rest. */
  searchVms(q: string): VmView[] {
    const terms = queryTerms(q);
    if (terms.length === 0) return [];
    const norm = terms.join(' ');
    const [starts, inName, rest] = this.buckets(terms, norm);
    const byName = (a: VmView, b: VmView) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id);
    // Only the small buckets are worth sorting; live VMs before deleted ones.
    const order = (arr: VmView[]) => (arr.length <= 5000 ? arr.sort((a, b) => (a.deletedAt === null ? 0 : 1) - (b.deletedAt === null ? 0 : 1) || byName(a, b)) : arr);
    const all = [...order(starts), ...order(inName), ...order(rest)];
    this.last = { q: norm, version: this.model.version, vms: all };
    return all;
  }

  search(q: string, perGroup: number): SearchGroup[] {
    const terms = queryTerms(q);
    if (terms.length === 0) return [];
    const vms = this.searchVms(q);
    const groups: SearchGroup[] = [{
      kind: 'vm', title: 'VMs', total: vms.length,
      hits: vms.slice(0, perGroup).map((v) => ({ kind: 'vm', id: v.id, label: v.name, detail: vmMatchDetail(v, terms) })),
    }];
    const objGroup = <T extends { name: string }>(kind: HitKind, title: string, m: Map<number, Obj<T>>, text: (o: Obj<T>) => string, detail: (o: Obj<T>) => string) => {
      const found: Obj<T>[] = [];
      for (const o of m.values()) if (o.deletedAt === null && matchesAll(text(o).toLowerCase(), terms)) found.push(o);
      found.sort((a, b) => (a.doc.name < b.doc.name ? -1 : a.doc.name > b.doc.name ? 1 : a.id - b.id));
      groups.push({ kind, title, total: found.length, hits: found.slice(0, perGroup).map((o) => ({ kind, id: o.id, label: o.doc.name, detail: detail(o) })) });
    };
    objGroup<HostRecord>('host', 'Hosts', this.model.hosts, (o) => `${o.doc.name} ${o.doc.managementIp ?? ''} ${o.doc.cluster ?? ''}`,
      (o) => [o.doc.cluster, o.doc.managementIp, o.source].filter(Boolean).join('  '));
    objGroup<DatastoreRecord>('datastore', 'Datastores', this.model.datastores, (o) => `${o.doc.name} ${o.doc.type ?? ''}`,
      (o) => [o.doc.type, o.source].filter(Boolean).join('  '));
    objGroup<PortgroupRecord>('network', 'Networks', this.model.networks, (o) => `${o.doc.name} ${o.doc.vlan !== undefined ? `vlan${o.doc.vlan}` : ''} ${o.doc.switch ?? ''}`,
      (o) => [o.doc.vlan !== undefined ? `VLAN ${o.doc.vlan}` : o.doc.vlanTrunk ? `trunk ${o.doc.vlanTrunk}` : '', o.doc.switch, o.source].filter(Boolean).join('  '));
    return groups;
  }
}

/**
 * Fits grouped results into `rows` lines (one title line per group): every group gets up to
 * `min` hits first, then the room left goes to the groups in order (VMs first). Pure.
 */
export function allocate(groups: SearchGroup[], rows: number, min = 3): SearchGroup[] {
  let room = Math.max(0, rows - groups.length);
  const take = groups.map(() => 0);
  groups.forEach((g, i) => {
    const n = Math.min(g.hits.length, min, room);
    take[i] = n;
    room -= n;
  });
  groups.forEach((g, i) => {
    const n = Math.min(g.hits.length - take[i], room);
    take[i] += n;
    room -= n;
  });
  return groups.map((g, i) => ({ ...g, hits: g.hits.slice(0, take[i]) }));
}
