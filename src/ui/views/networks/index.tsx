// Network topology: distributed switches > portgroups, standard switches grouped by name across
// hosts > portgroups (a VLAN that differs between hosts of one cluster is flagged), and, after
// tab, the VMkernel matrix: hosts x services, what a host lacks and MTU mismatches in a cluster.
import React from 'react';
import type { AppContext, GoParams } from '../../context.js';
import { modelVmCounts, quoteValue as q } from '../../data/objects.js';
import { networkFilter, networkTree, portgroups, SERVICES, vmkMatrix, type NetNode, type PgInfo, type VmkHostRow } from '../../data/network.js';
import { C } from '../../keys.js';
import type { TableData, ViewDef, ViewInstance } from '../../view.js';
import type { ColumnSpec } from '../../widgets/layout.js';
import { Line, Panel, Segs } from '../../widgets/primitives.js';
import { FilterBox, ListCursor, rowFilter, tableRowsOf } from '../../widgets/table/state.js';
import { ErrorLine, FilterLine, Table } from '../../widgets/table/table.js';
import { fit, thousands } from '../../widgets/text.js';
import type { Tone } from '../../widgets/theme.js';
import { branchKeys, revealNode, Tree, treeCommands, TreeState, type TreeNode, type TreeRow } from '../../widgets/tree.js';
import { TREE_KEYS } from '../../widgets/tree.js';

const KEYS = [
  C('network.open', ['enter'], 'open the portgroup / fold the branch', ['network'], 'Storage and networks', { footer: 1, short: 'open' }),
  C('network.mode', ['tab'], 'topology / VMkernel matrix', ['network', 'vmk'], 'Storage and networks', { footer: 2, short: 'matrix' }),
];

export const MATRIX_COLUMNS: ColumnSpec[] = [
  { id: 'host', title: 'HOST', min: 12, pref: 26, max: 44, priority: 0, flex: 2 },
  { id: 'cluster', title: 'CLUSTER', min: 8, pref: 14, max: 24, priority: 3, flex: 1 },
  ...SERVICES.map((s, i): ColumnSpec => ({ id: s.id, title: s.title, min: 4, pref: Math.max(5, s.title.length), priority: i < 3 ? 0 : 4 })),
  { id: 'mtu', title: 'MTU', min: 4, pref: 10, priority: 2 },
  { id: 'flags', title: 'FLAGS', min: 10, pref: 30, priority: 1, flex: 3 },
  { id: 'source', title: 'VCENTER', min: 7, pref: 10, priority: 5 },
];

export function matrixCells(r: VmkHostRow): string[] {
  const mtus = [...new Set(r.adapters.map((a) => a.mtu ?? 1500))].sort((a, b) => a - b).join('/');
  const flags = [...r.lacks.map((s) => `no ${SERVICES.find((x) => x.id === s)?.title.toLowerCase() ?? s}`), ...r.mtuMismatch].join('; ');
  return [r.host, r.cluster, ...SERVICES.map((s) => r.services.get(s.id)?.join(',') ?? '—'), mtus || '—', flags, r.source];
}

const plural = (n: number, w: string) => `${thousands(n)} ${w}${n === 1 ? '' : 's'}`;

function netLine(n: NetNode): { text: string; tone?: Tone } {
  switch (n.kind) {
    case 'source': return { text: plural(n.portgroups, 'portgroup'), tone: 'heading' };
    case 'group': return { text: plural(n.portgroups, 'portgroup') };
    case 'switch': return { text: `${n.switchKind === 'dvs' ? 'DVS' : 'vSwitch'}  ${n.hosts} hosts${n.mtu ? `  MTU ${n.mtu}` : ''}${n.uplinks ? `  uplinks ${n.uplinks}` : ''}` };
    case 'portgroup': {
      const p = n.pg;
      const flag = p.mismatch.length ? `  VLAN differs in ${p.mismatch.map((m) => m.cluster).join(', ')}` : '';
      return { text: `VLAN ${p.vlan.padEnd(14)} ${String(p.hosts.length).padStart(4)} hosts ${thousands(p.vms).padStart(6)} VMs${flag}`, tone: p.mismatch.length ? 'warn' : p.vms === 0 ? 'muted' : undefined };
    }
  }
}

class Networks implements ViewInstance {
  mode: 'topology' | 'vmk' = 'topology';
  readonly tree = new TreeState();
  readonly topoFilter = new FilterBox((src) => networkFilter(src), () => {});
  readonly matrix = { list: new ListCursor(), filter: new FilterBox() };
  private memo: { version: number; pgs: PgInfo[]; matrix: VmkHostRow[] | null } | null = null;
  private treeMemo: { key: string; roots: TreeNode<NetNode>[] } | null = null;

  constructor(readonly ctx: AppContext) {}

  readonly commands: Record<string, () => void> = {
    'network.open': () => {
      const r = this.rows()[this.tree.list.cursor];
      if (!r) return;
      if (r.node.data.kind === 'portgroup') this.ctx.go('portgroup', { id: r.node.data.pg.records[0].id });
      else this.tree.toggle(this.rows());
    },
    'network.mode': () => {
      this.mode = this.mode === 'topology' ? 'vmk' : 'topology';
    },
    ...treeCommands(this.tree, () => this.rows(), () => this.roots()),
    'tree.vms': () => {
      const r = this.rows()[this.tree.list.cursor];
      if (r?.node.data.kind === 'portgroup') this.ctx.go('vms', { filter: `net=${q(r.node.data.name)} vcenter=${q(r.node.data.pg.source)}` });
    },
    'table.filter': () => this.filter.start(),
  };

  /** The filter of the tab in front (the shell sends typing to it). */
  get filter(): FilterBox {
    return this.mode === 'vmk' ? this.matrix.filter : this.topoFilter;
  }

  get activeFilter(): FilterBox {
    return this.filter;
  }

  scopes(): string[] {
    return this.mode === 'vmk' ? ['vmk', 'table', 'list', 'global'] : ['network', 'tree', 'table', 'list', 'global'];
  }

  private base(): { pgs: PgInfo[]; matrix: () => VmkHostRow[] } {
    const m = this.ctx.model;
    if (!m) return { pgs: [], matrix: () => [] };
    if (this.memo?.version !== m.version) {
      // Once per model version, not per frame or key.
      const counts = modelVmCounts(m);
      this.memo = { version: m.version, pgs: portgroups(m, (s, n) => counts.get(s)?.networks.get(n) ?? 0), matrix: null };
    }
    const memo = this.memo;
    return { pgs: memo.pgs, matrix: () => (memo.matrix ??= vmkMatrix(m)) };
  }

  roots(): TreeNode<NetNode>[] {
    const m = this.ctx.model;
    if (!m) return [];
    const key = `${m.version}|${this.topoFilter.applied}`;
    if (this.treeMemo?.key !== key) {
      const keep = this.topoFilter.applied ? networkFilter(this.topoFilter.applied) : undefined;
      this.treeMemo = { key, roots: networkTree(m, this.base().pgs, keep) };
    }
    return this.treeMemo.roots;
  }

  rows(): TreeRow<NetNode>[] {
    const roots = this.roots();
    return this.topoFilter.applied ? this.tree.rows(roots, new Set(branchKeys(roots))) : this.tree.rows(roots);
  }

  matrixRows(): VmkHostRow[] {
    const all = this.base().matrix();
    const test = rowFilter(this.matrix.filter.applied);
    return test ? all.filter((r) => test({ text: matrixCells(r).join(' ').toLowerCase() })) : all;
  }

  move(delta: number): void {
    if (this.mode === 'vmk') this.matrix.list.move(delta, this.matrixRows().length);
    else this.tree.move(this.rows(), delta);
  }

  pageRows(): number {
    return Math.max(1, this.ctx.bodyRows() - 3 - (this.activeFilter.error ? 1 : 0));
  }

  enter(p: GoParams): void {
    if (p.section === 'vmk' || p.section === 'topology') this.mode = p.section;
    if (p.filter !== undefined) {
      this.mode = 'topology';
      this.topoFilter.set(p.filter);
    }
    if (p.id === undefined) return;
    // From the search: the portgroup with its switch open.
    this.mode = 'topology';
    this.topoFilter.set('');
    const pg = this.base().pgs.find((x) => x.records.some((r) => r.id === p.id));
    if (pg) revealNode(this.tree, this.roots(), pg.key, () => this.rows());
  }

  table(): TableData {
    if (this.mode === 'vmk') return tableRowsOf(MATRIX_COLUMNS, this.matrixRows(), matrixCells);
    const pgs = this.base().pgs.filter(this.topoFilter.applied ? networkFilter(this.topoFilter.applied) : () => true);
    const cols = ['vcenter', 'switch', 'kind', 'portgroup', 'vlan', 'hosts', 'vms', 'mismatch'].map((id) => ({ id, title: id.toUpperCase() }));
    return tableRowsOf(cols, pgs, (p) => [p.source, p.switchName ?? '', p.kind, p.name, p.vlan, String(p.hosts.length), String(p.vms), p.mismatch.map((m) => m.cluster).join(' ')]);
  }

  render(cols: number, h: number): React.ReactNode {
    return <NetworksBody s={this} cols={cols} h={h} />;
  }
}

function Tabs({ s }: { s: Networks }) {
  const tab = (id: 'topology' | 'vmk', text: string) => ({ text: ` ${text} `, tone: (s.mode === id ? 'accent' : 'muted') as Tone, inverse: s.mode === id, bold: s.mode === id });
  return <Segs parts={[{ text: ' ' }, tab('topology', 'Topology'), { text: ' ' }, tab('vmk', 'VMkernel adapters'), { text: '  tab switches', tone: 'muted' }]} />;
}

function NetworksBody({ s, cols, h }: { s: Networks; cols: number; h: number }) {
  const ctx = s.ctx;
  const f = s.activeFilter;
  const bodyH = Math.max(0, h - 2 - (f.error ? 1 : 0));
  if (s.mode === 'vmk') {
    const rows = s.matrixRows();
    const all = s['base']().matrix();
    const flagged = rows.filter((r) => r.lacks.length || r.mtuMismatch.length).length;
    return (
      <Panel height={h}>
        <Tabs s={s} />
        <FilterLine cols={cols} f={f} count={`${thousands(rows.length)} of ${thousands(all.length)} hosts ${ctx.theme.glyphs.sep} ${thousands(flagged)} flagged`} placeholder="f filters (a host, a cluster, vsan, no vmotion, mtu)" />
        {f.error ? <ErrorLine cols={cols} text={f.error} /> : null}
        <Table list={s.matrix.list} cols={cols} h={bodyH} specs={MATRIX_COLUMNS} count={rows.length} cell={(i) => matrixCells(rows[i])}
          tone={(i) => (rows[i].mtuMismatch.length ? 'bad' : rows[i].lacks.length ? 'warn' : undefined)} />
        {rows.length === 0 ? <Line text={fit('  No VMkernel adapters in the cache.', cols)} tone="muted" /> : null}
      </Panel>
    );
  }
  const rows = s.rows();
  const pgs = s['base']().pgs;
  const unused = pgs.filter((p) => p.vms === 0).length;
  const shown = s.roots().reduce((n, r) => n + (r.data as { portgroups: number }).portgroups, 0);
  return (
    <Panel height={h}>
      <Tabs s={s} />
      <FilterLine cols={cols} f={f} count={`${thousands(shown)} of ${thousands(pgs.length)} portgroups ${ctx.theme.glyphs.sep} ${thousands(pgs.length - unused)} in use, ${thousands(unused)} not`}
        placeholder="f filters (vlan:120 unused mismatch trunk pvlan name)" />
      {f.error ? <ErrorLine cols={cols} text={f.error} /> : null}
      {rows.length === 0
        ? <Line text={fit(pgs.length ? '  Nothing matches the filter.' : '  No networks in the cache yet.', cols)} tone="muted" />
        : <Tree rows={rows} state={s.tree} cols={cols} h={bodyH} glyphs={ctx.theme.glyphs} color={ctx.theme.color}
          text={(r, room) => {
            // The second column starts at the same place at every depth.
            const col = Math.min(Math.max(24, Math.floor(cols * 0.4)), 52);
            return fit(`${fit(r.node.data.name, Math.max(4, col - (cols - room)))} ${netLine(r.node.data).text}`, room);
          }}
          tone={(r) => netLine(r.node.data).tone} />}
    </Panel>
  );
}

export const networksView: ViewDef = {
  id: 'networks', title: 'Networks', digit: '5', menu: 'network topology', colon: [{ names: ['networks', 'net', 'network', 'portgroups'], help: 'network topology' }, { names: ['vmk', 'vmkernel'], help: 'VMkernel matrix', run: (ctx) => (ctx.go('networks', { section: 'vmk' }), null) }],
  keys: [...KEYS, ...TREE_KEYS],
  create: (ctx) => new Networks(ctx),
};
