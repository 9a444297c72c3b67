// The views. Each draws exactly `h` lines of `cols` columns from the controller's memoized rows,
// and only the rows that are visible.
import asciichart from 'asciichart';
import React, { useMemo, useRef } from 'react';
import { HISTORY_MS } from '../../model/live.js';
import type { SourceStatus } from '../../worker/protocol.js';
import { auditCells, AUDIT_COLUMNS } from '../auditview.js';
import type { Controller, ViewId } from '../controller.js';
import { SETTINGS_SECTIONS, UI_SETTINGS } from '../controller.js';
import { bar, resample, type DashboardData } from '../dashboard.js';
import { headerLine, layoutColumns, rowLine, type ColumnSpec } from '../layout.js';
import type { Line as EditLine } from '../lineedit.js';
import { OBJECT_COLUMNS, OBJECT_TITLES, type ObjectKind } from '../objects.js';
import { pillFor, reasonText } from '../pills.js';
import { fit, localTime, thousands, truncate, width } from '../text.js';
import type { Theme, Tone } from '../theme.js';
import { fitToData, RowCache, VM_COLUMN_BY_ID, VM_COLUMNS } from '../vmrows.js';
import { Line, Panel, Segs, useTheme, type Seg } from './primitives.js';
import { splitAtCaret } from '../lineedit.js';

/** The filter line: what is applied (or being typed, with a caret) and the "x of y" count. */
function FilterLine({ cols, label, editing, draft, applied, count, placeholder }: { cols: number; label: string; editing: boolean; draft: EditLine; applied: string; count: string; placeholder: string }) {
  const right = ` ${count} `;
  const lw = Math.max(0, cols - width(right));
  if (editing) {
    const { before, at, after } = splitAtCaret(draft);
    const head = ` ${label}: `;
    const room = Math.max(1, lw - width(head) - 1);
    const b = width(before) > room ? [...before].slice(-room).join('') : before;
    const a = truncate(after, Math.max(0, room - width(b)), '');
    const used = width(head) + width(b) + width(at) + width(a);
    return <Segs parts={[{ text: head, tone: 'accent', bold: true }, { text: b }, { text: at, inverse: true }, { text: a }, { text: ' '.repeat(Math.max(0, lw - used)) }, { text: right, tone: 'heading', bold: true }]} />;
  }
  const text = applied ? ` ${label}: ${applied}` : ` ${placeholder}`;
  return <Segs parts={[{ text: fit(text, lw), tone: applied ? 'accent' : 'muted' }, { text: right, tone: 'heading', bold: true }]} />;
}

function ErrorLine({ cols, text }: { cols: number; text: string }) {
  return <Line text={fit(`   ${text}`, cols)} tone="bad" />;
}

export function VmsView({ ctrl, cols, h }: { ctrl: Controller; cols: number; h: number }) {
  const t = useTheme();
  const f = ctrl.filterState('vms');
  const rows = ctrl.vmRows();
  const inner = Math.max(1, cols - 2);
  // Column widths follow the data of the row set (sampled), not the rows in view.
  const specs = useMemo(() => fitToData(VM_COLUMNS, rows), [rows]);
  const layout = useMemo(() => layoutColumns(specs, inner), [specs, inner]);
  const cache = useRef(new RowCache()).current;
  cache.setLayout(layout, t.glyphs.cut);
  const tableH = Math.max(0, h - 2 - (f.error ? 1 : 0));
  const { top, cursor } = ctrl.window('vms', rows.length, tableH);
  const sortTitle = VM_COLUMN_BY_ID.get(ctrl.sortCol)!.title.toLowerCase();
  const count = `${thousands(rows.length)} of ${thousands(ctrl.vmTotal)} VMs${ctrl.marked.size ? ` ${t.glyphs.sep} ${thousands(ctrl.marked.size)} marked` : ''} ${t.glyphs.sep} ${sortTitle}${ctrl.sortDesc ? t.glyphs.down : t.glyphs.up}`;
  const lines: React.ReactNode[] = [];
  const end = Math.min(rows.length, top + tableH);
  for (let i = top; i < end; i++) {
    const v = rows.at(i)!;
    const marked = ctrl.marked.has(v.id);
    const tone: Tone | undefined = v.deletedAt !== null ? 'muted' : marked ? 'marked' : undefined;
    // Without colours (NO_COLOR, TERM=dumb) reverse video may not show: a ">" marks the cursor too.
    const pointer = i === cursor && !t.color ? '>' : ' ';
    lines.push(<Line key={i - top} text={`${marked ? t.glyphs.mark : ' '}${pointer}${cache.line(v, layout)}`} tone={tone} inverse={i === cursor} />);
  }
  if (rows.length === 0) {
    const why = ctrl.vmTotal > 0 ? 'No VM matches the filter.'
      : ctrl.config.sources.length === 0 ? 'No VMs yet: add a source in Settings (0), or try "vmi demo".'
        : 'No VMs in the cache yet: the sources are syncing (watch the pills above).';
    lines.push(<Line key="empty" text={fit(`  ${why}`, cols)} tone="muted" />);
  }
  return (
    <Panel height={h}>
      <FilterLine cols={cols} label="filter" editing={f.editing} draft={f.draft} applied={f.applied} count={count} placeholder="no filter: f filters (power:off owner:none ip:10.1. tag:pci ...)" />
      {f.error ? <ErrorLine cols={cols} text={f.error} /> : null}
      <Line text={`  ${headerLine(layout, 1, { id: ctrl.sortCol, glyph: ctrl.sortDesc ? t.glyphs.down : t.glyphs.up }, t.glyphs.ellipsis)}`} tone="heading" bold />
      {lines}
    </Panel>
  );
}

export function DetailView({ ctrl, cols, h }: { ctrl: Controller; cols: number; h: number }) {
  const t = useTheme();
  const lines = ctrl.detailLines();
  const l = ctrl.list('vm');
  l.top = Math.max(0, Math.min(l.top, lines.length - h));
  const out: React.ReactNode[] = [];
  for (let i = l.top; i < Math.min(lines.length, l.top + h); i++) {
    const x = lines[i];
    out.push(<Line key={i - l.top} text={fit(x.text, cols, { ellipsis: t.glyphs.ellipsis })} tone={x.tone} bold={x.tone === 'heading'} />);
  }
  return <Panel height={h}>{out}</Panel>;
}

/** A generic table: header plus the visible window of rows. */
function Table({ ctrl, id, cols, h, specs, count, cell, tone, sortId, sortDesc }: {
  ctrl: Controller; id: string; cols: number; h: number; specs: ColumnSpec[]; count: number;
  cell: (i: number) => string[]; tone?: (i: number) => Tone | undefined; sortId?: string; sortDesc?: boolean;
}) {
  const t = useTheme();
  const inner = Math.max(1, cols - 2);
  const layout = useMemo(() => layoutColumns(specs, inner), [specs, inner]);
  // Cells come in the order of `specs`; the layout may have dropped some columns.
  const pick = useMemo(() => layout.map((c) => specs.findIndex((s) => s.id === c.spec.id)), [layout, specs]);
  const tableH = Math.max(0, h - 1);
  const { top, cursor } = ctrl.window(id, count, tableH);
  const lines: React.ReactNode[] = [];
  for (let i = top; i < Math.min(count, top + tableH); i++) {
    const cells = cell(i);
    lines.push(<Line key={i - top} text={`${i === cursor && !t.color ? ' >' : '  '}${rowLine(layout, pick.map((j) => cells[j] ?? ''), 1, t.glyphs.cut)}`} tone={tone?.(i)} inverse={i === cursor} />);
  }
  return (
    <>
      <Line text={`  ${headerLine(layout, 1, sortId ? { id: sortId, glyph: sortDesc ? t.glyphs.down : t.glyphs.up } : undefined, t.glyphs.ellipsis)}`} tone="heading" bold />
      {lines}
    </>
  );
}

export function ObjectsView({ ctrl, kind, cols, h }: { ctrl: Controller; kind: ObjectKind; cols: number; h: number }) {
  const f = ctrl.filterState(kind);
  const rows = ctrl.objRows(kind);
  const sort = ctrl.objSortOf(kind);
  const specs = OBJECT_COLUMNS[kind];
  const total = ctrl.objTotal(kind);
  const empty = rows.length === 0;
  const inWindow = kind === 'changes' ? ctrl.changesInWindow() : 0;
  const held = inWindow > total ? ` (the newest; ${thousands(inWindow)} in ${HISTORY_MS / 86_400_000} days)` : '';
  return (
    <Panel height={h}>
      <FilterLine cols={cols} label="filter" editing={f.editing} draft={f.draft} applied={f.applied} count={`${thousands(rows.length)} of ${thousands(total)} ${OBJECT_TITLES[kind].toLowerCase()}${held}`}
        placeholder={`${OBJECT_TITLES[kind]}: f filters, s sorts, enter opens`} />
      {f.error ? <ErrorLine cols={cols} text={f.error} /> : null}
      <Table ctrl={ctrl} id={kind} cols={cols} h={h - 1 - (f.error ? 1 : 0)} specs={specs} count={rows.length} sortId={sort.col} sortDesc={sort.desc}
        cell={(i) => specs.map((c) => rows[i].cells[c.id] ?? '')} tone={(i) => rows[i].tone} />
      {empty ? <Line text={fit(total ? '  Nothing matches the filter.' : `  No ${OBJECT_TITLES[kind].toLowerCase()} in the cache yet.`, cols)} tone="muted" /> : null}
    </Panel>
  );
}

const OWNER_COLUMNS: ColumnSpec[] = [
  { id: 'name', title: 'NAME', min: 10, pref: 22, max: 40, priority: 0, flex: 2 },
  { id: 'email', title: 'E-MAIL', min: 10, pref: 26, max: 44, priority: 0, flex: 2 },
  { id: 'department', title: 'DEPARTMENT', min: 8, pref: 14, max: 28, priority: 2, flex: 1 },
  { id: 'designation', title: 'DESIGNATION', min: 8, pref: 14, max: 28, priority: 3, flex: 1 },
  { id: 'tech', title: 'TECH VMS', min: 8, pref: 8, priority: 1, align: 'right' },
  { id: 'bus', title: 'BUS. VMS', min: 8, pref: 8, priority: 1, align: 'right' },
];

export function OwnersView({ ctrl, cols, h }: { ctrl: Controller; cols: number; h: number }) {
  const f = ctrl.filterState('owners');
  const rows = ctrl.ownerRows();
  return (
    <Panel height={h}>
      <FilterLine cols={cols} label="filter" editing={f.editing} draft={f.draft} applied={f.applied} count={`${thousands(rows.length)} owners`}
        placeholder="Owners: enter = their VMs, u = VMs without an owner, n = new owner" />
      <Table ctrl={ctrl} id="owners" cols={cols} h={h - 1} specs={OWNER_COLUMNS} count={rows.length}
        cell={(i) => {
          const r = rows[i];
          return [r.owner.fullName, r.owner.email, r.owner.department ?? '', r.owner.designation ?? '', thousands(r.tech), thousands(r.bus)];
        }} />
      {rows.length === 0 ? <Line text={fit('  No owners yet. n adds one (admins).', cols)} tone="muted" /> : null}
    </Panel>
  );
}

export function AuditView({ ctrl, cols, h }: { ctrl: Controller; cols: number; h: number }) {
  const f = ctrl.filterState('audit');
  const rows = ctrl.auditRows();
  return (
    <Panel height={h}>
      <FilterLine cols={cols} label="filter" editing={f.editing} draft={f.draft} applied={f.applied} count={`${thousands(rows.length)} of ${thousands(ctrl.auditTotal)} entries`}
        placeholder="Audit trail, newest first: f filters (user:alice action:vm.assign object:VM since:24h words)" />
      {f.error ? <ErrorLine cols={cols} text={f.error} /> : null}
      <Table ctrl={ctrl} id="audit" cols={cols} h={h - 1 - (f.error ? 1 : 0)} specs={AUDIT_COLUMNS} count={rows.length}
        cell={(i) => auditCells(rows[i], (id) => ctrl.model?.vms.get(id)?.name)} tone={(i) => (rows[i].action.endsWith('.failed') ? 'bad' : undefined)} />
    </Panel>
  );
}

const SOURCE_COLUMNS: ColumnSpec[] = [
  { id: 'name', title: 'NAME', min: 8, pref: 12, max: 24, priority: 0, flex: 1 },
  { id: 'platform', title: 'PLATFORM', min: 7, pref: 8, priority: 3 },
  { id: 'on', title: 'ON', min: 3, pref: 3, priority: 0 },
  { id: 'status', title: 'STATUS', min: 10, pref: 26, max: 60, priority: 0, flex: 2 },
  { id: 'url', title: 'URL', min: 10, pref: 28, max: 60, priority: 1, flex: 2 },
  { id: 'user', title: 'USER', min: 6, pref: 16, max: 32, priority: 4, flex: 1 },
  { id: 'refresh', title: 'REFRESH', min: 7, pref: 7, priority: 5, align: 'right' },
  { id: 'tls', title: 'TLS', min: 6, pref: 12, priority: 2 },
];
const USER_COLUMNS: ColumnSpec[] = [
  { id: 'name', title: 'USER', min: 8, pref: 16, max: 32, priority: 0, flex: 1 },
  { id: 'role', title: 'ROLE', min: 6, pref: 6, priority: 0 },
  { id: 'state', title: 'STATE', min: 8, pref: 18, priority: 0 },
  { id: 'last', title: 'LAST UNLOCK', min: 10, pref: 19, priority: 1 },
  { id: 'created', title: 'CREATED', min: 10, pref: 19, priority: 2 },
];
const SECTION_TITLES = { sources: 'Sources', ui: 'Appearance & session', users: 'Users' };

function statusText(s: SourceStatus | undefined): string {
  if (!s) return '';
  const p = pillFor(s, Date.now()).text.replace(`${s.source} `, '');
  if (s.lastError && (s.state === 'backoff' || s.state === 'unsupported')) return `${p}: ${s.lastError.message}`;
  return p;
}

export function SettingsView({ ctrl, cols, h }: { ctrl: Controller; cols: number; h: number }) {
  const t = useTheme();
  const tabs: Seg[] = [{ text: ' ' }];
  for (const s of SETTINGS_SECTIONS) {
    const active = s === ctrl.settingsSection;
    tabs.push({ text: ` ${SECTION_TITLES[s]} `, tone: active ? 'accent' : 'muted', inverse: active, bold: active }, { text: ' ' });
  }
  tabs.push({ text: '  tab switches', tone: 'muted' });
  let body: React.ReactNode;
  if (ctrl.settingsSection === 'sources') {
    const src = ctrl.config.sources;
    body = (
      <>
        <Table ctrl={ctrl} id="settings.sources" cols={cols} h={h - 2} specs={SOURCE_COLUMNS} count={src.length}
          cell={(i) => {
            const s = src[i];
            return [s.name, s.platform, s.enabled ? 'yes' : 'no', statusText(ctrl.statuses.get(s.name)), s.url, s.user ?? '', `${s.refreshSeconds}s`,
              s.insecure ? 'INSECURE' : s.thumbprint ? `pinned ${s.thumbprint.slice(0, 5)}` : s.platform === 'demo' ? '' : 'verified'];
          }}
          tone={(i) => {
            const st = ctrl.statuses.get(src[i].name)?.state;
            return !src[i].enabled ? 'muted' : st === 'backoff' ? 'bad' : src[i].insecure ? 'warn' : undefined;
          }} />
        {src.length === 0 ? <Line text={fit('  No sources yet: a adds one (admins).', cols)} tone="muted" /> : null}
      </>
    );
  } else if (ctrl.settingsSection === 'users') {
    const users = ctrl.userRows();
    body = (
      <Table ctrl={ctrl} id="settings.users" cols={cols} h={h - 2} specs={USER_COLUMNS} count={users.length}
        cell={(i) => {
          const u = users[i];
          return [u.username, u.role, u.disabledAt ? `disabled ${localTime(u.disabledAt).slice(0, 10)}` : u.mustChange ? 'one-time passphrase' : 'active', localTime(u.lastLoginAt), localTime(u.createdAt)];
        }}
        tone={(i) => (users[i].disabledAt ? 'muted' : users[i].username === ctrl.actor?.username ? 'accent' : undefined)} />
    );
  } else {
    const { cursor } = ctrl.window('settings.ui', UI_SETTINGS.length, h - 2);
    const labels = { theme: 'Theme', accent: 'Accent colour', timeout: 'Lock after' };
    const hints = {
      theme: 'dark or light; NO_COLOR turns colours off',
      accent: 'highlight colour',
      timeout: 'minutes without a key press before the screen locks (admin)',
    };
    body = (
      <>
        {UI_SETTINGS.map((k, i) => (
          <Segs key={k} parts={[
            { text: fit(`  ${labels[k]}`, 18), tone: 'muted', inverse: i === cursor },
            { text: fit(ctrl.uiSettingValue(k), 14), tone: k === 'accent' ? 'accent' : 'text', bold: true, inverse: i === cursor },
            { text: fit(`  ${hints[k]}`, Math.max(0, cols - 32)), tone: 'muted' },
          ]} />
        ))}
        <Line text=" " />
        <Line text={fit(`  Glyphs: ${t.glyphs.hline === '-' ? 'ASCII (VMI_ASCII=1 or a non-UTF-8 locale)' : 'Unicode (VMI_ASCII=1 forces ASCII)'}`, cols)} tone="muted" />
        <Line text={fit(`  Config file: ${ctrl.deps.home.configFile}`, cols)} tone="muted" />
      </>
    );
  }
  return (
    <Panel height={h}>
      <Segs parts={tabs} />
      {body}
    </Panel>
  );
}

// ------------------------------------------------------------------------------- dashboard

function fmtPct(n: number): string {
  return `${Math.round(n)}%`.padStart(4);
}

/** The dashboard as lines of segments; two columns on wide terminals. Pure given its inputs. */
export function dashboardLines(d: DashboardData, statuses: SourceStatus[], cols: number, theme: Theme, now: number): Seg[][] {
  const g = theme.glyphs;
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
  left.push([{ text: `   ${fit('vCenter', nameW)}  ${'VMs'.padStart(8)}  ${'on'.padStart(8)}  ${'off'.padStart(8)}`, tone: 'muted' }]);
  for (const s of d.bySource) left.push([{ text: `   ${fit(s.source, nameW)}  ${thousands(s.vms).padStart(8)}  ${thousands(s.on).padStart(8)}  ${thousands(s.off).padStart(8)}` }]);
  head(left, 'Power');
  const bw = Math.max(5, Math.min(30, colW - 32));
  for (const [label, n, tone] of [['on', d.power.on, 'good'], ['off', d.power.off, 'muted'], ['suspended', d.power.suspended, 'warn']] as const) {
    left.push([{ text: `   ${label.padEnd(10)}${thousands(n).padStart(8)}  ` }, { text: bar((n / total) * 100, bw, g.bar, g.barEmpty), tone }, { text: ` ${fmtPct((n / total) * 100)}` }]);
  }
  head(left, 'Networks', `${thousands(d.networks.total)} total`);
  left.push([{ text: `   ${thousands(d.networks.inUse)} in use`, tone: 'good' }, { text: `   ${thousands(d.networks.unused)} not in use`, tone: d.networks.unused ? 'warn' : 'muted' }]);
  head(left, 'Alarms', 'triggered, not acknowledged');
  left.push([
    { text: `   ${thousands(d.alarms.critical)} critical`, tone: d.alarms.critical ? 'bad' : 'muted' },
    { text: `   ${thousands(d.alarms.warning)} warning`, tone: d.alarms.warning ? 'warn' : 'muted' },
    { text: `   ${thousands(d.alarms.info)} info`, tone: 'muted' },
  ]);
  head(left, 'Sources');
  for (const s of statuses) {
    const p = pillFor(s, now);
    const run = d.lastRun.get(s.source);
    const last = run ? `last sync ${localTime(run.finishedAt).slice(11)} ${run.status}` : 'no sync yet';
    const err = s.lastError ? `  ${reasonText(s.lastError.reason)}` : '';
    left.push([{ text: `   ${g.dot} `, tone: p.tone }, { text: fit(p.text, Math.max(10, Math.min(30, colW - 30))) }, { text: `  ${last}${err}`, tone: 'muted' }]);
  }
  if (statuses.length === 0) left.push([{ text: '   no sources configured (Settings, 0)', tone: 'muted' }]);

  head(right, 'Changes', `${thousands(d.changes24h)} in 24 h   ${thousands(d.changes7d)} in 7 days`);
  const chartW = Math.max(10, colW - 12);
  const series = resample(d.hourly, chartW);
  if (d.changes7d > 0 && series.length > 1) {
    const ascii = g.hline === '-';
    const peak = Math.max(...series);
    const chart = asciichart.plot(series, {
      height: Math.max(1, Math.min(5, peak)), min: 0, padding: '       ', format: (x: number) => `${Math.round(x)}`.padStart(7),
      ...(ascii ? { symbols: ['+', '|', '-', '-', '-', '\'', '.', '.', '\'', '|'] } : {}),
    });
    for (const l of chart.split('\n')) right.push([{ text: ` ${l}`, tone: 'accent' }]);
    right.push([{ text: `${' '.repeat(9)}${fit('7 days ago', Math.floor(chartW / 2))}${fit('now', chartW - Math.floor(chartW / 2), { align: 'right' })}`, tone: 'muted' }]);
  } else right.push([{ text: '   no changes in the last 7 days', tone: 'muted' }]);
  const hostLines = (title: string, list: DashboardData['busiestCpu'], get: (h: DashboardData['busiestCpu'][number]) => number) => {
    head(right, title);
    const hw = Math.max(8, Math.min(28, colW - 24));
    for (const h of list) {
      const v = get(h);
      right.push([{ text: `   ${fit(h.name, hw)} ` }, { text: bar(v, 10, g.bar, g.barEmpty), tone: v >= 90 ? 'bad' : v >= 75 ? 'warn' : 'good' }, { text: ` ${fmtPct(v)}  ${h.source}`, tone: 'muted' }]);
    }
    if (list.length === 0) right.push([{ text: '   no hosts in the cache yet', tone: 'muted' }]);
  };
  hostLines('Busiest hosts by CPU', d.busiestCpu, (h) => h.cpuPct);
  hostLines('Busiest hosts by memory', d.busiestMem, (h) => h.memPct);
  if (!twoCols) return left;
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
  return out;
}

export function DashboardView({ ctrl, cols, h }: { ctrl: Controller; cols: number; h: number }) {
  const theme = useTheme();
  const d = ctrl.dashboard();
  if (!d) return <Panel height={h}><Line text=" " /></Panel>;
  const statuses = ctrl.config.sources.map((s) => ctrl.statuses.get(s.name)).filter((s): s is SourceStatus => !!s);
  const lines = dashboardLines(d, statuses, cols, theme, Date.now());
  ctrl.dashMaxScroll = Math.max(0, lines.length - h);
  const l = ctrl.list('dashboard');
  l.top = Math.min(l.top, ctrl.dashMaxScroll);
  const shown = lines.slice(l.top, l.top + h).map((segs) => {
    // Cut every line to the screen width.
    const res: Seg[] = [];
    let used = 0;
    for (const s of segs) {
      const room = cols - used;
      if (room <= 0) break;
      const tx = width(s.text) > room ? fit(s.text, room, { ellipsis: theme.glyphs.ellipsis }) : s.text;
      res.push({ ...s, text: tx });
      used += width(tx);
    }
    return res;
  });
  return <Panel height={h}>{shown.map((segs, i) => <Segs key={i} parts={segs.length ? segs : [{ text: ' ' }]} />)}</Panel>;
}

export function ViewBody({ ctrl, view, cols, h }: { ctrl: Controller; view: ViewId; cols: number; h: number }) {
  switch (view) {
    case 'vms': return <VmsView ctrl={ctrl} cols={cols} h={h} />;
    case 'vm': return <DetailView ctrl={ctrl} cols={cols} h={h} />;
    case 'dashboard': return <DashboardView ctrl={ctrl} cols={cols} h={h} />;
    case 'owners': return <OwnersView ctrl={ctrl} cols={cols} h={h} />;
    case 'audit': return <AuditView ctrl={ctrl} cols={cols} h={h} />;
    case 'settings': return <SettingsView ctrl={ctrl} cols={cols} h={h} />;
    default: return <ObjectsView ctrl={ctrl} kind={view} cols={cols} h={h} />;
  }
}

