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
import { dashboardLines } from './lines.js';

class Dashboard implements ViewInstance {
  readonly list = new ListCursor();
  /** Known once drawn: how far the content scrolls. */
  maxScroll = 0;
  private memo: { version: number; data: DashboardData } | null = null;

  constructor(readonly ctx: AppContext) {}

  readonly commands = {};

  scopes(): string[] {
    return ['dashboard', 'list', 'global'];
  }

  data(): DashboardData | null {
    const m = this.ctx.model;
    if (!m) return null;
    if (this.memo?.version !== m.version) this.memo = { version: m.version, data: dashboardData(m, this.ctx.now()) };
    return this.memo.data;
  }

  move(delta: number): void {
    this.list.scroll(delta, this.maxScroll);
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
  const lines = dashboardLines(d, statuses, cols, theme, Date.now());
  s.maxScroll = Math.max(0, lines.length - h);
  const l = s.list;
  l.top = Math.min(l.top, s.maxScroll);
  const shown = lines.slice(l.top, l.top + h).map((segs) => {
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
  keys: [], create: (ctx) => new Dashboard(ctx),
};
