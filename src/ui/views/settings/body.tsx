// The settings screen: section tabs, then the section's table or list.
import React from 'react';
import type { SourceStatus } from '../../../worker/protocol.js';
import type { ColumnSpec } from '../../widgets/layout.js';
import { pillFor } from '../../widgets/pills.js';
import { Line, Panel, Segs, type Seg } from '../../widgets/primitives.js';
import { Table } from '../../widgets/table/table.js';
import { fit, localTime } from '../../widgets/text.js';
import { SETTINGS_SECTIONS, UI_SETTINGS, type Settings } from './index.js';

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

export function SettingsBody({ s, cols, h }: { s: Settings; cols: number; h: number }) {
  const ctx = s.ctx;
  const t = ctx.theme;
  const tabs: Seg[] = [{ text: ' ' }];
  for (const x of SETTINGS_SECTIONS) {
    const active = x === s.section;
    tabs.push({ text: ` ${SECTION_TITLES[x]} `, tone: active ? 'accent' : 'muted', inverse: active, bold: active }, { text: ' ' });
  }
  tabs.push({ text: '  tab switches', tone: 'muted' });
  let body: React.ReactNode;
  if (s.section === 'sources') {
    const src = ctx.config.sources;
    body = (
      <>
        <Table list={s.lists.sources} cols={cols} h={h - 2} specs={SOURCE_COLUMNS} count={src.length}
          cell={(i) => {
            const x = src[i];
            return [x.name, x.platform, x.enabled ? 'yes' : 'no', statusText(ctx.statuses.get(x.name)), x.url, x.user ?? '', `${x.refreshSeconds}s`,
              x.insecure ? 'INSECURE' : x.thumbprint ? `pinned ${x.thumbprint.slice(0, 5)}` : x.platform === 'demo' || x.platform === 'ingest' ? '' : 'verified'];
          }}
          tone={(i) => {
            const st = ctx.statuses.get(src[i].name)?.state;
            return !src[i].enabled ? 'muted' : st === 'backoff' ? 'bad' : src[i].insecure ? 'warn' : undefined;
          }} />
        {src.length === 0 ? <Line text={fit('  No sources yet: a adds one (admins).', cols)} tone="muted" /> : null}
      </>
    );
  } else if (s.section === 'users') {
    const users = s.userRows();
    body = (
      <Table list={s.lists.users} cols={cols} h={h - 2} specs={USER_COLUMNS} count={users.length}
        cell={(i) => {
          const u = users[i];
          return [u.username, u.role, u.disabledAt ? `disabled ${localTime(u.disabledAt).slice(0, 10)}` : u.mustChange ? 'one-time passphrase' : 'active', localTime(u.lastLoginAt), localTime(u.createdAt)];
        }}
        tone={(i) => (users[i].disabledAt ? 'muted' : users[i].username === ctx.actor?.username ? 'accent' : undefined)} />
    );
  } else {
    const { cursor } = s.lists.ui.window(UI_SETTINGS.length, h - 2);
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
            { text: fit(s.uiSettingValue(k), 14), tone: k === 'accent' ? 'accent' : 'text', bold: true, inverse: i === cursor },
            { text: fit(`  ${hints[k]}`, Math.max(0, cols - 32)), tone: 'muted' },
          ]} />
        ))}
        <Line text=" " />
        <Line text={fit(`  Glyphs: ${t.glyphs.hline === '-' ? 'ASCII (VMI_ASCII=1 or a non-UTF-8 locale)' : 'Unicode (VMI_ASCII=1 forces ASCII)'}`, cols)} tone="muted" />
        <Line text={fit(`  Config file: ${ctx.home.configFile}`, cols)} tone="muted" />
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
