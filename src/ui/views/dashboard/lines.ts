// The dashboard as lines of segments; two columns on wide terminals. Pure given its inputs.
import type { SourceStatus } from '../../../worker/protocol.js';
import { bar } from '../../widgets/bars.js';
import { chartLines, resample } from '../../widgets/chart.js';
import { reasonText, pillFor } from '../../widgets/pills.js';
import type { Seg } from '../../widgets/primitives.js';
import { fit, localTime, thousands, width } from '../../widgets/text.js';
import type { Theme, Tone } from '../../widgets/theme.js';
import type { GoParams } from '../../context.js';
import type { DashboardData } from './data.js';

function fmtPct(n: number): string {
  return `${Math.round(n)}%`.padStart(4);
}

/** Where enter goes from a line of the dashboard. */
export interface DashTarget {
  view: string;
  params: GoParams;
}

export interface DashLayout {
  lines: Seg[][];
  /** The lines enter leads somewhere from, in screen order; `side` says which column on wide screens. */
  targets: { line: number; side: 'left' | 'right'; go: DashTarget }[];
}

export function dashboardLines(d: DashboardData, statuses: SourceStatus[], cols: number, theme: Theme, now: number): Seg[][] {
  return dashboardLayout(d, statuses, cols, theme, now).lines;
}

export function dashboardLayout(d: DashboardData, statuses: SourceStatus[], cols: number, theme: Theme, now: number): DashLayout {
  const g = theme.glyphs;
  const to = new Map<Seg[], DashTarget>();
  const link = (line: Seg[], view: string, params: GoParams = {}) => {
    to.set(line, { view, params });
    return line;
  };
  const twoCols = cols >= 110;
  const colW = twoCols ? Math.floor((cols - 3) / 2) : cols;
  const left: Seg[][] = [];
  const right: Seg[][] = twoCols ? [] : left;
  const head = (into: Seg[][], text: string, extra?: string) => {
    if (into.length) into.push([{ text: '' }]);
    into.push([{ text: ` ${text}`, tone: 'heading', bold: true }, ...(extra ? [{ text: `  ${extra}`, tone: 'muted' as Tone }] : [])]);
  };
  const total = Math.max(1, d.vms);
  head(left, `VMs ${thousands(d.vms)}`, `${thousands(d.templates)} templates${d.deleted ? `, ${thousands(d.deleted)} deleted (kept)` : ''}`);
  left.push([{ text: `   by platform: ${d.byPlatform.map((p) => `${p.platform} ${thousands(p.vms)}`).join('   ') || '-'}`, tone: 'muted' }]);
  const nameW = Math.max(8, ...d.bySource.map((s) => width(s.source)));
  left.push([{ text: `   ${fit('Source', nameW)}  ${'VMs'.padStart(8)}  ${'on'.padStart(8)}  ${'off'.padStart(8)}`, tone: 'muted' }]);
  for (const s of d.bySource) left.push(link([{ text: `   ${fit(s.source, nameW)}  ${thousands(s.vms).padStart(8)}  ${thousands(s.on).padStart(8)}  ${thousands(s.off).padStart(8)}` }], 'vms', { filter: `vcenter=${s.source}` }));
  head(left, 'Power');
  const bw = Math.max(5, Math.min(30, colW - 32));
  for (const [label, n, tone] of [['on', d.power.on, 'good'], ['off', d.power.off, 'muted'], ['suspended', d.power.suspended, 'warn']] as const) {
    left.push(link([{ text: `   ${label.padEnd(10)}${thousands(n).padStart(8)}  ` }, { text: bar((n / total) * 100, bw, g.bar, g.barEmpty), tone }, { text: ` ${fmtPct((n / total) * 100)}` }], 'vms', { filter: `power:${label}` }));
  }
  head(left, 'Networks', `${thousands(d.networks.total)} total`);
  left.push(link([{ text: `   ${thousands(d.networks.inUse)} in use`, tone: 'good' }, { text: `   ${thousands(d.networks.unused)} not in use`, tone: d.networks.unused ? 'warn' : 'muted' }], 'networks', { section: 'topology' }));
  head(left, 'Alarms', 'triggered, not acknowledged');
  left.push(link([
    { text: `   ${thousands(d.alarms.critical)} critical`, tone: d.alarms.critical ? 'bad' : 'muted' },
    { text: `   ${thousands(d.alarms.warning)} warning`, tone: d.alarms.warning ? 'warn' : 'muted' },
    { text: `   ${thousands(d.alarms.info)} info`, tone: 'muted' },
  ], 'alarms', { section: 'alarms' }));
  head(left, 'Sources');
  statuses.forEach((s, i) => {
    const p = pillFor(s, now);
    const run = d.lastRun.get(s.source);
    const last = run ? `last sync ${localTime(run.finishedAt).slice(11)} ${run.status}` : 'no sync yet';
    const err = s.lastError ? `  ${reasonText(s.lastError.reason)}` : '';
    left.push(link([{ text: `   ${g.dot} `, tone: p.tone }, { text: fit(p.text, Math.max(10, Math.min(30, colW - 30))) }, { text: `  ${last}${err}`, tone: 'muted' }], 'settings', { section: 'sources', id: i }));
  });
  if (statuses.length === 0) left.push([{ text: '   no sources configured (Settings, 0)', tone: 'muted' }]);

  head(right, 'Changes', `${thousands(d.changes24h)} in 24 h   ${thousands(d.changes7d)} in 7 days`);
  const chartW = Math.max(10, colW - 12);
  const series = resample(d.hourly, chartW);
  if (d.changes7d > 0 && series.length > 1) {
    const peak = Math.max(...series);
    for (const l of chartLines(series, { height: Math.min(5, peak), ascii: g.hline === '-' })) right.push([{ text: ` ${l}`, tone: 'accent' }]);
    right.push([{ text: `${' '.repeat(9)}${fit('7 days ago', Math.floor(chartW / 2))}${fit('now', chartW - Math.floor(chartW / 2), { align: 'right' })}`, tone: 'muted' }]);
  } else right.push([{ text: '   no changes in the last 7 days', tone: 'muted' }]);
  const hostLines = (title: string, list: DashboardData['busiestCpu'], get: (h: DashboardData['busiestCpu'][number]) => number) => {
    head(right, title);
    const hw = Math.max(8, Math.min(28, colW - 24));
    for (const h of list) {
      const v = get(h);
      right.push(link([{ text: `   ${fit(h.name, hw)} ` }, { text: bar(v, 10, g.bar, g.barEmpty), tone: v >= 90 ? 'bad' : v >= 75 ? 'warn' : 'good' }, { text: ` ${fmtPct(v)}  ${h.source}`, tone: 'muted' }], 'host', { id: h.id }));
    }
    if (list.length === 0) right.push([{ text: '   no hosts in the cache yet', tone: 'muted' }]);
  };
  hostLines('Busiest hosts by CPU', d.busiestCpu, (h) => h.cpuPct);
  hostLines('Busiest hosts by memory', d.busiestMem, (h) => h.memPct);
  const targets: DashLayout['targets'] = [];
  if (!twoCols) {
    left.forEach((l, i) => {
      const t = to.get(l);
      if (t) targets.push({ line: i, side: 'left', go: t });
    });
    return { lines: left, targets };
  }
  const out: Seg[][] = [];
  const fitSegs = (segs: Seg[], w: number): Seg[] => {
    const res: Seg[] = [];
    let used = 0;
    for (const s of segs) {
      const room = w - used;
      if (room <= 0) break;
      const t = width(s.text) > room ? fit(s.text, room, { ellipsis: g.ellipsis }) : s.text;
      res.push({ ...s, text: t });
      used += width(t);
    }
    if (used < w) res.push({ text: ' '.repeat(w - used) });
    return res;
  };
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    out.push([...fitSegs(left[i] ?? [], colW), { text: ` ${g.vline} `, tone: 'muted' }, ...(right[i] ?? [])]);
  }
  // Down the left column, then the right one.
  for (const side of ['left', 'right'] as const) {
    (side === 'left' ? left : right).forEach((l, i) => {
      const t = to.get(l);
      if (t) targets.push({ line: i, side, go: t });
    });
  }
  return { lines: out, targets };
}

