// Dashboard: VMs by source, platform and power, networks in use, alarms, the sources' state,
// changes per hour over a week and the busiest hosts.
import React from 'react';
import type { SourceStatus } from '../../../worker/protocol.js';
import type { AppContext } from '../../context.js';
import type { ViewDef, ViewInstance } from '../../view.js';
import { Line, Panel, Segs, type Seg } from '../../widgets/primitives.js';
import { ListCursor } from '../../widgets/table/state.js';
import { fit, width } from '../../widgets/text.js';
import { dashboardData, type DashboardData } from './data.js';
import { dashboardLayout, type DashLayout } from './lines.js';
import { C } from '../../keys.js';

class Dashboard implements ViewInstance {
  readonly list = new ListCursor();
  /** Known once drawn: how far the content scrolls. */
  maxScroll = 0;
  /** The selected target (a line enter leads somewhere from). */
  sel = 0;
  /** The last drawn layout's targets. */
  targets: DashLayout['targets'] = [];
  private memo: { version: number; data: DashboardData } | null = null;

  constructor(readonly ctx: AppContext) {}

  readonly commands: Record<string, () => void> = {
    'dashboard.open': () => {
      const t = this.targets[this.sel];
      if (t) this.ctx.go(t.go.view, t.go.params);
    },
  };

  scopes(): string[] {
    return ['dashboard', 'list', 'global'];
  }

  data(): DashboardData | null {
    const m = this.ctx.model;
    if (!m) return null;
    if (this.memo?.version !== m.version) this.memo = { version: m.version, data: dashboardData(m, this.ctx.now()) };
    return this.memo.data;
  }

  /** j/k go from target to target; the window scrolls to keep the selected one in sight. */
  move(delta: number): void {
    if (!this.targets.length) return this.list.scroll(delta, this.maxScroll);
    const n = this.targets.length;
    // A page moves five targets.
    this.sel = Math.max(0, Math.min(n - 1, delta === -Infinity ? 0 : delta === Infinity ? n - 1 : this.sel + Math.sign(delta) * (Math.abs(delta) === 1 ? 1 : 5)));
  }

  pageRows(): number {
    return Math.max(1, this.ctx.bodyRows());
  }

  render(cols: number, h: number): React.ReactNode {
    return <DashboardBody s={this} cols={cols} h={h} />;
  }
}

function DashboardBody({ s, cols, h }: { s: Dashboard; cols: number; h: number }) {
  const ctx = s.ctx;
  const theme = ctx.theme;
  const d = s.data();
  if (!d) return <Panel height={h}><Line text=" " /></Panel>;
  const statuses = ctx.config.sources.map((x) => ctx.statuses.get(x.name)).filter((x): x is SourceStatus => !!x);
  const layout = dashboardLayout(d, statuses, cols, theme, Date.now());
  const lines = layout.lines;
  s.targets = layout.targets;
  s.sel = Math.min(s.sel, Math.max(0, s.targets.length - 1));
  s.maxScroll = Math.max(0, lines.length - h);
  const l = s.list;
  const cur = s.targets[s.sel];
  if (cur && cur.line < l.top) l.top = Math.max(0, cur.line - 1);
  if (cur && cur.line >= l.top + h) l.top = cur.line - h + 1;
  l.top = Math.min(l.top, s.maxScroll);
  const sep = ` ${theme.glyphs.vline} `;
  const shown = lines.slice(l.top, l.top + h).map((segs, j) => {
    // The selected target shows in reverse video: its line, or its column's half of the line.
    if (cur && cur.line === l.top + j) {
      const cut = segs.findIndex((x) => x.text === sep);
      segs = segs.map((x, k) => (cut < 0 || (cur.side === 'left' ? k < cut : k > cut) ? { ...x, inverse: true } : x));
    }
    // Cut every line to the screen width.
    const res: Seg[] = [];
    let used = 0;
    for (const x of segs) {
      const room = cols - used;
      if (room <= 0) break;
      const tx = width(x.text) > room ? fit(x.text, room, { ellipsis: theme.glyphs.ellipsis }) : x.text;
      res.push({ ...x, text: tx });
      used += width(tx);
    }
    return res;
  });
  return <Panel height={h}>{shown.map((segs, i) => <Segs key={i} parts={segs.length ? segs : [{ text: ' ' }]} />)}</Panel>;
}

export const dashboardView: ViewDef = {
  id: 'dashboard', title: 'Dashboard', digit: '1', menu: 'dashboard', colon: [{ names: ['dashboard', 'dash', 'home'], help: 'dashboard' }],
  keys: [C('dashboard.open', ['enter'], 'open what the selected line is about (a host, the alarms, a source...)', ['dashboard'], 'Everywhere', { footer: 1, short: 'open' })],
  create: (ctx) => new Dashboard(ctx),
};
