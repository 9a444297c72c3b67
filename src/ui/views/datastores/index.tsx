// Storage topology: vCenter > datacenter > datastore cluster > datastore, with capacity bars
// (used, free, and provisioned beyond capacity), type, scope, state, hosts and VMs. enter opens a
// datastore (or folds a branch), → and ← expand and collapse, + and - all of them.
import React from 'react';
import type { AppContext, GoParams } from '../../context.js';
import { C } from '../../keys.js';
import { modelVmCounts, quoteValue as q } from '../../data/objects.js';
import { clusterIndex, datastoreInfo, storageFilter, storageTree, type DsInfo, type DsOrder, type StorageNode } from '../../data/storage.js';
import type { TableData, ViewDef, ViewInstance } from '../../view.js';
import { capacityBar, usageTone, type Thresholds } from '../../widgets/bars.js';
import { Line, Panel } from '../../widgets/primitives.js';
import { FilterBox } from '../../widgets/table/state.js';
import { ErrorLine, FilterLine } from '../../widgets/table/table.js';
import { bytesText, fit, thousands } from '../../widgets/text.js';
import type { Tone } from '../../widgets/theme.js';
import { branchKeys, revealNode, Tree, TREE_KEYS, treeCommands, TreeState, visibleRows, type TreeNode, type TreeRow } from '../../widgets/tree.js';


/** One line's cells after the name, by what fits: capacity bar, used %, free, capacity, type, scope, state, hosts, VMs. */
interface Cell { w: number; pri: number; get: (n: StorageNode, t: Thresholds, g: { bar: string; barEmpty: string; over: string }) => string }

/** Used and free in 10 cells, then up to 2 cells of provisioned beyond the capacity. */
const BAR_W = 12;
const CELLS: Cell[] = [
  { w: BAR_W, pri: 0, get: (n, _t, g) => {
    const x = totalsOf(n);
    const b = capacityBar(x.capacity, x.capacity - x.free, x.provisioned, BAR_W - 2, g);
    return `${b.used}${b.free}${b.over.slice(0, 2).padEnd(2)}`;
  } },
  { w: 5, pri: 1, get: (n) => pctText(usedPct(n)).padStart(5) },
  { w: 9, pri: 3, get: (n) => bytesText(totalsOf(n).free).padStart(9) },
  { w: 9, pri: 6, get: (n) => bytesText(totalsOf(n).capacity).padStart(9) },
  { w: 6, pri: 5, get: (n) => (n.kind === 'datastore' ? n.info.ds.doc.type ?? '—' : '').padEnd(6).slice(0, 6) },
  { w: 6, pri: 7, get: (n) => (n.kind === 'datastore' ? (n.info.ds.doc.shared ? 'shared' : 'local') : '').padEnd(6) },
  { w: 13, pri: 4, get: (n) => stateText(n).padEnd(13).slice(0, 13) },
  { w: 5, pri: 8, get: (n) => (n.kind === 'datastore' ? String(n.info.ds.doc.hosts.length) : '').padStart(5) },
  { w: 7, pri: 2, get: (n) => thousands(n.kind === 'datastore' ? n.info.vms : n.totals.vms).padStart(7) },
];
const TITLES = ['CAPACITY', 'USED', 'FREE', 'TOTAL', 'TYPE', 'SCOPE', 'STATE', 'HOSTS', 'VMS'];

function totalsOf(n: StorageNode): { capacity: number; free: number; provisioned: number } {
  if (n.kind !== 'datastore') return n.totals;
  const d = n.info.ds.doc;
  return { capacity: d.capacityBytes, free: d.freeBytes, provisioned: d.provisionedBytes ?? d.capacityBytes - d.freeBytes };
}

function usedPct(n: StorageNode): number {
  const t = totalsOf(n);
  return t.capacity > 0 ? ((t.capacity - t.free) / t.capacity) * 100 : Number.NaN;
}

const pctText = (p: number) => (Number.isFinite(p) ? `${Math.round(p)}%` : '—');

function stateText(n: StorageNode): string {
  if (n.kind !== 'datastore') return n.totals.datastores ? `${n.totals.datastores} datastore${n.totals.datastores === 1 ? '' : 's'}` : 'no datastores';
  const d = n.info.ds.doc as typeof n.info.ds.doc & { maintenanceMode?: string };
  if (d.accessible === false) return 'INACCESSIBLE';
  if (d.maintenanceMode && d.maintenanceMode !== 'normal') return 'maintenance';
  if (n.info.missing.length) return `${n.info.missing.reduce((s, m) => s + m.hosts.length, 0)} host(s) lack`;
  return 'ok';
}

/** The tone of a row: red when inaccessible or critical, yellow when lacking hosts, warning or overcommitted. */
export function storageTone(n: StorageNode, t: Thresholds): Tone | undefined {
  const used = usedPct(n);
  if (n.kind === 'datastore') {
    const d = n.info.ds.doc;
    if (d.accessible === false) return 'bad';
    const tone = usageTone(used, t);
    if (tone === 'bad') return 'bad';
    if (tone === 'warn' || n.info.missing.length || (d.provisionedBytes ?? 0) > d.capacityBytes) return 'warn';
    return undefined;
  }
  const tone = usageTone(used, t);
  return tone === 'good' || tone === 'muted' ? (n.kind === 'source' ? 'heading' : undefined) : tone;
}

/** The cells that fit next to a name of at least 24 columns, the most useful first; in display order. */
export function storageCells(cols: number): number[] {
  const out: number[] = [];
  let used = 0;
  for (const i of CELLS.map((_, j) => j).sort((a, b) => CELLS[a].pri - CELLS[b].pri)) {
    if (cols - used - CELLS[i].w - 1 < 24) continue;
    out.push(i);
    used += CELLS[i].w + 1;
  }
  return out.sort((a, b) => a - b);
}

export function storageLine(r: TreeRow<StorageNode>, room: number, cells: number[], t: Thresholds, g: { bar: string; barEmpty: string; over: string }): string {
  const rest = cells.map((i) => CELLS[i].get(r.node.data, t, g)).join(' ');
  const nameW = Math.max(4, room - (rest ? rest.length + 1 : 0));
  return `${fit(r.node.data.name, nameW)}${rest ? ` ${rest}` : ''}`;
}

class Storage implements ViewInstance {
  readonly tree = new TreeState();
  readonly filter = new FilterBox((src) => storageFilter(src), () => {});
  order: DsOrder = 'name';
  private memo: { key: string; infos: DsInfo[]; roots: TreeNode<StorageNode>[] } | null = null;

  constructor(readonly ctx: AppContext) {}

  readonly commands: Record<string, () => void> = {
    'storage.open': () => {
      const r = this.rows()[this.tree.list.cursor];
      if (!r) return;
      if (r.node.data.kind === 'datastore') this.ctx.go('datastore', { id: r.node.data.info.id });
      else this.tree.toggle(this.rows());
    },
    ...treeCommands(this.tree, () => this.rows(), () => this.roots()),
    'tree.vms': () => {
      const r = this.rows()[this.tree.list.cursor];
      if (r?.node.data.kind === 'datastore') this.ctx.go('vms', { filter: `ds=${q(r.node.data.name)} vcenter=${q(r.node.data.info.ds.source)}` });
    },
    'table.filter': () => this.filter.start(),
    'table.sort': () => {
      this.order = this.order === 'name' ? 'free' : 'name';
      this.ctx.flash(this.order === 'free' ? 'datastores by free space, the fullest first' : 'datastores by name', 'muted');
    },
    'table.reverse': () => this.commands['table.sort'](),
  };

  scopes(): string[] {
    return ['storage', 'tree', 'table', 'sortable', 'list', 'global'];
  }

  data(): { infos: DsInfo[]; roots: TreeNode<StorageNode>[] } {
    const m = this.ctx.model;
    if (!m) return { infos: [], roots: [] };
    const key = `${m.version}|${this.order}|${this.filter.applied}`;
    if (this.memo?.key === key) return this.memo;
    // Once per model version (and filter): not per frame or per key.
    const infos = this.memo?.key.startsWith(`${m.version}|`) ? this.memo.infos : allInfos(m);
    const keep = this.filter.applied ? storageFilter(this.filter.applied) : undefined;
    const dcs = keep ? [] : [...m.datacenters.values()].filter((d) => d.deletedAt === null).map((d) => ({ source: d.source, name: d.doc.name }));
    this.memo = { key, infos, roots: storageTree(infos, this.order, keep, dcs) };
    return this.memo;
  }

  roots(): TreeNode<StorageNode>[] {
    return this.data().roots;
  }

  rows(): TreeRow<StorageNode>[] {
    const roots = this.roots();
    // A filter shows every match with its parents, open.
    if (this.filter.applied) return this.tree.rows(roots, new Set(branchKeys(roots)));
    return this.tree.rows(roots);
  }

  move(delta: number): void {
    this.tree.move(this.rows(), delta);
  }

  pageRows(): number {
    return Math.max(1, this.ctx.bodyRows() - 2 - (this.filter.error ? 1 : 0));
  }

  enter(p: GoParams): void {
    if (p.filter !== undefined) this.filter.set(p.filter);
    if (p.id === undefined) return;
    // From the search: open the way to the datastore and put the cursor on it.
    this.filter.set('');
    revealNode(this.tree, this.roots(), `ds:${p.id}`, () => this.rows());
  }

  table(): TableData {
    const rows = visibleRows(this.roots(), new Set(branchKeys(this.roots())));
    const ds = rows.filter((r) => r.node.data.kind === 'datastore').map((r) => (r.node.data as Extract<StorageNode, { kind: 'datastore' }>).info);
    return {
      columns: ['vcenter', 'datacenter', 'cluster', 'name', 'type', 'capacity', 'free', 'used', 'provisioned', 'scope', 'accessible', 'hosts', 'vms'].map((id) => ({ id, title: id.toUpperCase() })),
      count: ds.length,
      rows: () => ds.map((i) => {
        const d = i.ds.doc;
        return [i.ds.source, d.datacenter ?? '', d.datastoreCluster ?? '', d.name, d.type ?? '', bytesText(d.capacityBytes), bytesText(d.freeBytes), pctText(i.usedPct), d.provisionedBytes !== undefined ? bytesText(d.provisionedBytes) : '', d.shared ? 'shared' : 'local', d.accessible === false ? 'no' : 'yes', String(d.hosts.length), String(i.vms)];
      }),
    };
  }

  render(cols: number, h: number): React.ReactNode {
    return <StorageBody s={this} cols={cols} h={h} />;
  }
}

function allInfos(m: NonNullable<AppContext['model']>): DsInfo[] {
  const idx = clusterIndex(m);
  const counts = modelVmCounts(m);
  const out: DsInfo[] = [];
  for (const ds of m.datastores.values()) {
    if (ds.deletedAt !== null) continue;
    const c = idx.get(ds.sourceId);
    out.push(datastoreInfo(ds, c?.clusterHosts ?? new Map(), c?.hostCluster ?? new Map(), counts.get(ds.sourceId)?.datastores.get(ds.doc.name) ?? 0));
  }
  return out;
}

function StorageBody({ s, cols, h }: { s: Storage; cols: number; h: number }) {
  const ctx = s.ctx;
  const g = ctx.theme.glyphs;
  const t = { warn: ctx.config.ui.storageWarnPct, crit: ctx.config.ui.storageCritPct };
  const rows = s.rows();
  const cells = storageCells(cols - 2);
  const n = s.data().infos.length;
  const shown = rows.length ? s.roots().reduce((a, r) => a + (r.data.kind === 'source' ? r.data.totals.datastores : 0), 0) : 0;
  const head = cells.map((i) => (i === 0 ? fit(TITLES[i], CELLS[i].w) : i === 4 || i === 5 || i === 6 ? TITLES[i].padEnd(CELLS[i].w) : TITLES[i].padStart(CELLS[i].w))).join(' ');
  const treeH = Math.max(0, h - 2 - (s.filter.error ? 1 : 0));
  return (
    <Panel height={h}>
      <FilterLine cols={cols} f={s.filter} count={`${thousands(shown)} of ${thousands(n)} datastores ${g.sep} ${s.order === 'free' ? 'fullest first' : 'by name'}`}
        placeholder="Storage: f filters (free<10% type:nfs local inaccessible missing), s sorts by free space" />
      {s.filter.error ? <ErrorLine cols={cols} text={s.filter.error} /> : null}
      <Line text={`  ${fit('NAME', Math.max(4, cols - 2 - (head ? head.length + 1 : 0)))}${head ? ` ${head}` : ''}`} tone="heading" bold />
      {rows.length === 0
        ? <Line text={fit(n ? '  Nothing matches the filter.' : '  No datastores in the cache yet.', cols)} tone="muted" />
        : <Tree rows={rows} state={s.tree} cols={cols} h={treeH} glyphs={g} color={ctx.theme.color}
          text={(r, room) => storageLine(r, room, cells, t, g)} tone={(r) => storageTone(r.node.data, t)} />}
    </Panel>
  );
}

export const datastoresView: ViewDef = {
  id: 'datastores', title: 'Storage', digit: '4', menu: 'storage topology', colon: [{ names: ['datastores', 'ds', 'storage'], help: 'storage topology' }],
  keys: [C('storage.open', ['enter'], 'open the datastore / fold the branch', ['storage'], 'Storage and networks', { footer: 1, short: 'open' }), ...TREE_KEYS],
  create: (ctx) => new Storage(ctx),
};
