// Overlays (help, search, pickers, forms, confirmations, notices) and the full-screen states
// (unlock, must-change, lock, loading, too small). Overlays take the body's place, so the
// header and the footer stay where they are.
import React from 'react';
import type { Controller, FormState, Overlay } from '../controller.js';
import { COLON_NAMES } from '../controller.js';
import { helpSections } from '../keymap.js';
import type { Line as EditLine } from '../lineedit.js';
import { center, fit, thousands, truncate, width } from '../text.js';
import { Field, Line, Panel, Segs, useTheme, type Seg } from './primitives.js';
import { FILTER_FIELDS } from '../../model/filter.js';

function Title({ cols, text, right }: { cols: number; text: string; right?: string }) {
  const r = right ? ` ${right} ` : '';
  return <Segs parts={[{ text: fit(` ${text}`, Math.max(0, cols - width(r))), tone: 'heading', bold: true }, { text: r, tone: 'muted' }]} />;
}

function InputLine({ cols, label, value }: { cols: number; label: string; value: EditLine }) {
  return <Field label={label} value={value} focused w={cols} labelWidth={Math.min(width(label), Math.floor(cols / 2))} />;
}

export function helpLines(ctrl: Controller): { text: string; tone?: 'heading' | 'muted' | 'accent' | 'warn' }[] {
  const ascii = ctrl.theme.glyphs.hline === '-';
  const out: { text: string; tone?: 'heading' | 'muted' | 'accent' | 'warn' }[] = [];
  // The keys of the view in front come first.
  const first: Record<string, string> = {
    vms: 'VMs', vm: 'VMs', owners: 'Owners', audit: 'Audit', settings: 'Settings', dashboard: 'Everywhere',
  };
  const lead = first[ctrl.view] ?? 'Hosts, storage, networks, changes, alarms';
  const sections = helpSections(ctrl.role, ascii).sort((a, b) => Number(b.group === lead) - Number(a.group === lead));
  for (const s of sections) {
    out.push({ text: ` ${s.group}`, tone: 'heading' });
    for (const r of s.rows) out.push({ text: `   ${r.keys.padEnd(18)} ${r.description}${r.note ? `  (${r.note})` : ''}`, tone: r.note === 'admin only' ? 'muted' : undefined });
    out.push({ text: '' });
  }
  out.push({ text: ' Command line (:)', tone: 'heading' });
  out.push({ text: `   ${COLON_NAMES.join(' ')}` });
  out.push({ text: '' });
  out.push({ text: ' Filter language (f in the VMs view; the same as vmi --filter)', tone: 'heading' });
  out.push({ text: '   terms are ANDed; a,b = either; -term negates; : contains  = equals  ~ regex  > >= < <= numbers' });
  for (const f of FILTER_FIELDS) out.push({ text: `   ${(f.name + (f.aliases.length ? ` (${f.aliases.join(', ')})` : '')).padEnd(28)} ${f.help}  e.g. ${f.example}`, tone: 'muted' });
  return out;
}

/** On wide terminals the help takes two columns, split at a section boundary near the middle. */
function twoColumns(lines: ReturnType<typeof helpLines>, cols: number): ReturnType<typeof helpLines> {
  const half = Math.ceil(lines.length / 2);
  let cut = lines.findIndex((l, i) => i >= half && l.tone === 'heading');
  if (cut < 0) cut = half;
  const left = lines.slice(0, cut);
  const right = lines.slice(cut);
  const w = Math.floor((cols - 2) / 2);
  return Array.from({ length: Math.max(left.length, right.length) }, (_, i) => ({
    text: `${fit(left[i]?.text ?? '', w)}  ${right[i]?.text ?? ''}`,
    tone: left[i]?.tone === 'heading' || right[i]?.tone === 'heading' ? 'accent' as const : undefined,
  }));
}

function HelpOverlay({ ctrl, o, cols, h }: { ctrl: Controller; o: Extract<Overlay, { kind: 'help' }>; cols: number; h: number }) {
  const all = helpLines(ctrl);
  const lines = cols >= 160 ? twoColumns(all, cols) : all;
  const max = Math.max(0, lines.length - (h - 1));
  if (o.scroll > max) o.scroll = max;
  return (
    <Panel height={h}>
      <Title cols={cols} text={`Keys${ctrl.role === 'admin' ? '' : ' (viewer: admin actions say "admin only")'}`} right={`${o.scroll + 1}-${Math.min(lines.length, o.scroll + h - 1)} of ${lines.length}  j/k scroll, esc closes`} />
      {lines.slice(o.scroll, o.scroll + h - 1).map((l, i) => <Line key={i} text={fit(l.text, cols, { ellipsis: ctrl.theme.glyphs.ellipsis })} tone={l.tone} bold={l.tone === 'heading'} />)}
    </Panel>
  );
}

function SearchOverlay({ ctrl, o, cols, h }: { ctrl: Controller; o: Extract<Overlay, { kind: 'search' }>; cols: number; h: number }) {
  const { groups, hits } = ctrl.searchResults();
  if (o.cursor >= hits.length) o.cursor = Math.max(0, hits.length - 1);
  const lines: React.ReactNode[] = [];
  let n = 0;
  const labelW = Math.min(40, Math.max(16, Math.floor(cols * 0.35)));
  for (const g of groups) {
    if (lines.length >= h - 2) break;
    lines.push(<Line key={`g${g.kind}`} text={fit(` ${g.title} (${thousands(g.total)})${g.total > g.hits.length ? `  first ${g.hits.length} shown` : ''}`, cols)} tone="heading" bold />);
    for (const hit of g.hits) {
      const sel = n === o.cursor;
      if (lines.length < h - 2) lines.push(<Line key={`h${n}`} text={`${sel ? ' > ' : '   '}${fit(hit.label, labelW, { ellipsis: ctrl.theme.glyphs.ellipsis })}  ${fit(hit.detail, Math.max(0, cols - labelW - 5), { ellipsis: ctrl.theme.glyphs.ellipsis })}`} inverse={sel} />);
      n++;
    }
  }
  // The results shown are those of the query searched, which lags the typed one by a frame.
  const searched = o.applied ?? o.q.text;
  if (!searched.trim()) lines.push(<Line key="hint" text={fit('   Type a name, IP, hostname, UUID, tag, owner or words from the notes. Results update as you type.', cols)} tone="muted" />);
  else if (hits.length === 0) lines.push(<Line key="none" text={fit(`   Nothing matches "${searched}".`, cols)} tone="muted" />);
  // Never more lines than rows: an overfull panel squeezes the input line out of the frame.
  lines.length = Math.min(lines.length, Math.max(0, h - 2));
  return (
    <Panel height={h}>
      <InputLine cols={cols} label="Search:" value={o.q} />
      <Line text=" " />
      {lines}
    </Panel>
  );
}

function PickerOverlay({ ctrl, o, cols, h }: { ctrl: Controller; o: Extract<Overlay, { kind: 'picker' }>; cols: number; h: number }) {
  const rows = ctrl.pickerRows();
  if (o.cursor >= rows.length) o.cursor = Math.max(0, rows.length - 1);
  const what = o.targets.length === 1 ? ctrl.model?.vms.get(o.targets[0])?.name ?? '1 VM' : `${thousands(o.targets.length)} marked VMs`;
  const listH = Math.max(1, h - 3);
  const top = Math.max(0, Math.min(o.cursor - listH + 1, rows.length - listH, o.cursor));
  const ownerRows = rows.filter((r) => r.kind === 'owner').length;
  const nameW = Math.min(30, Math.max(12, Math.floor(cols * 0.3)));
  const mailW = Math.min(34, Math.max(12, Math.floor(cols * 0.3)));
  const lines = rows.slice(Math.max(0, top), Math.max(0, top) + listH).map((r, j) => {
    const i = j + Math.max(0, top);
    const sel = i === o.cursor;
    const lead = sel ? ' > ' : '   ';
    let text: string;
    let tone: 'muted' | 'accent' | undefined;
    if (r.kind === 'owner') {
      text = `${lead}${fit(r.owner.fullName, nameW)}  ${fit(r.owner.email, mailW)}  ${fit(r.owner.department ?? '', 14)}  ${thousands(r.vms)} VMs`;
    } else if (r.kind === 'new') {
      text = `${lead}+ new owner${o.q.text.trim() ? ` "${o.q.text.trim()}"` : ''}...  (^N)`;
      tone = 'accent';
    } else {
      text = `${lead}- no ${o.role} owner (clear it)`;
      tone = 'muted';
    }
    return <Line key={i} text={fit(text, cols, { ellipsis: ctrl.theme.glyphs.ellipsis })} tone={tone} inverse={sel} />;
  });
  return (
    <Panel height={h}>
      <Title cols={cols} text={`${o.role === 'technical' ? 'Technical' : 'Business'} owner for ${what}`} right="enter assigns, esc cancels" />
      <InputLine cols={cols} label="Owner:" value={o.q} />
      {ownerRows === 0 && o.q.text.trim()
        ? <Line text={fit(`   No owner matches "${o.q.text.trim()}": enter creates one, or change the search.`, cols)} tone="warn" />
        : <Line text={fit(`   ${thousands(ownerRows)} owner${ownerRows === 1 ? '' : 's'}${o.q.text.trim() ? ' match' : ''}`, cols)} tone="muted" />}
      {lines}
    </Panel>
  );
}

function TagsOverlay({ ctrl, o, cols, h }: { ctrl: Controller; o: Extract<Overlay, { kind: 'tags' }>; cols: number; h: number }) {
  const rows = ctrl.tagRows();
  if (o.cursor >= rows.length) o.cursor = Math.max(0, rows.length - 1);
  const n = o.targets.length;
  const what = n === 1 ? ctrl.model?.vms.get(o.targets[0])?.name ?? '1 VM' : `${thousands(n)} marked VMs`;
  const listH = Math.max(1, h - 4);
  const top = Math.max(0, Math.min(o.cursor, rows.length - listH));
  const lines = rows.slice(top, top + listH).map((r, j) => {
    const i = j + top;
    const sel = i === o.cursor;
    const lead = sel ? ' > ' : '   ';
    const text = r.kind === 'typed'
      ? `${lead}${r.add === false ? 'remove' : r.add === true ? 'add' : 'add / remove'} "${r.tag}"`
      : `${lead}${fit(r.tag, 30)}  ${r.count ? `on ${thousands(r.count)} of ${thousands(n)}` : ''}`;
    return <Line key={i} text={fit(text, cols)} tone={r.kind === 'typed' ? 'accent' : r.count ? undefined : 'muted'} inverse={sel} />;
  });
  return (
    <Panel height={h}>
      <Title cols={cols} text={`Tags of ${what}`} right="enter adds (removes when all have it), esc closes" />
      <InputLine cols={cols} label="Tag (+add -remove):" value={o.q} />
      <Line text={fit(o.note ? `   ${o.note}` : rows.length ? '' : '   No tags yet: type one.', cols)} tone={o.note ? 'good' : 'muted'} />
      {lines}
    </Panel>
  );
}

function FormOverlay({ f, cols, h }: { f: FormState; cols: number; h: number }) {
  const labelWidth = Math.min(18, Math.max(...f.fields.map((x) => width(x.label))) + 1);
  return (
    <Panel height={h}>
      <Title cols={cols} text={f.title} right="enter next/save, ^S saves, esc cancels" />
      <Line text={fit(f.note ? ` ${f.note}` : ' ', cols)} tone="muted" />
      {f.fields.map((x, i) => <Field key={x.id} label={x.label} value={x.value} focused={i === f.focus} secret={x.secret} w={cols} labelWidth={labelWidth} hint={x.hint} choices={x.choices} />)}
      <Line text=" " />
      {f.error ? <Line text={fit(`   ${f.error}`, cols)} tone="bad" /> : null}
    </Panel>
  );
}

function NoticeOverlay({ o, cols, h }: { o: Extract<Overlay, { kind: 'notice' }>; cols: number; h: number }) {
  return (
    <Panel height={h}>
      <Title cols={cols} text={o.title} right="enter or esc closes" />
      <Line text=" " />
      {o.lines.slice(o.scroll, o.scroll + h - 2).map((l, i) => <Line key={i} text={fit(` ${l}`, cols)} tone={l.startsWith('    ') ? 'accent' : undefined} bold={l.startsWith('    ')} />)}
    </Panel>
  );
}

function ConfirmOverlay({ o, cols, h }: { o: Extract<Overlay, { kind: 'confirm' }>; cols: number; h: number }) {
  return (
    <Panel height={h}>
      <Title cols={cols} text="Are you sure?" />
      <Line text=" " />
      <Line text={fit(` ${o.text}`, cols)} tone="warn" bold />
      <Line text=" " />
      <Segs parts={[{ text: ' y', tone: 'accent', bold: true }, { text: ' yes    ', tone: 'muted' }, { text: 'n', tone: 'accent', bold: true }, { text: ' / esc no', tone: 'muted' }]} />
    </Panel>
  );
}

function CredentialsOverlay({ ctrl, o, cols, h }: { ctrl: Controller; o: Extract<Overlay, { kind: 'credentials' }>; cols: number; h: number }) {
  const names = ctrl.needsCredentials().map((s) => s.name).join(', ');
  return (
    <Panel height={h}>
      <Title cols={cols} text="vCenter credentials" right="enter connects, esc skips (offline)" />
      <Line text={fit(` One user and password for ${names}. Kept in memory only, never written anywhere.`, cols)} tone="muted" />
      <Line text=" " />
      <Field label="User" value={o.user} focused={o.field === 0} w={cols} labelWidth={10} />
      <Field label="Password" value={o.pass} focused={o.field === 1} secret w={cols} labelWidth={10} />
      <Line text=" " />
      {o.error ? <Line text={fit(`   ${o.error}`, cols)} tone="bad" /> : <Line text={fit('   Without them vmi shows the cached inventory; press c later to connect.', cols)} tone="muted" />}
    </Panel>
  );
}

export function OverlayBody({ ctrl, o, cols, h }: { ctrl: Controller; o: Overlay; cols: number; h: number }) {
  switch (o.kind) {
    case 'help': return <HelpOverlay ctrl={ctrl} o={o} cols={cols} h={h} />;
    case 'search': return <SearchOverlay ctrl={ctrl} o={o} cols={cols} h={h} />;
    case 'picker': return <PickerOverlay ctrl={ctrl} o={o} cols={cols} h={h} />;
    case 'tags': return <TagsOverlay ctrl={ctrl} o={o} cols={cols} h={h} />;
    case 'form': return <FormOverlay f={o.form} cols={cols} h={h} />;
    case 'notice': return <NoticeOverlay o={o} cols={cols} h={h} />;
    case 'confirm': return <ConfirmOverlay o={o} cols={cols} h={h} />;
    case 'credentials': return <CredentialsOverlay ctrl={ctrl} o={o} cols={cols} h={h} />;
    case 'command': return null;
  }
}

/** The ":" line, drawn in the status line's place. */
export function CommandLine({ o, cols }: { o: Extract<Overlay, { kind: 'command' }>; cols: number }) {
  if (o.error) return <Segs parts={[{ text: ':', tone: 'accent', bold: true }, { text: fit(`${o.q.text}  ${o.error}`, cols - 1), tone: 'bad' }]} />;
  return <Field label=":" value={o.q} focused w={cols} labelWidth={1} />;
}

// ------------------------------------------------------------------------------- full screens

function Centered({ cols, rows, lines }: { cols: number; rows: number; lines: Seg[][] }) {
  const w = Math.min(cols, 76);
  const left = Math.max(0, Math.floor((cols - w) / 2));
  const topPad = Math.max(0, Math.floor((rows - lines.length) / 3));
  const out: React.ReactNode[] = [];
  for (let i = 0; i < topPad; i++) out.push(<Line key={`p${i}`} text=" " />);
  lines.forEach((segs, i) => {
    let used = 0;
    const parts: Seg[] = [{ text: ' '.repeat(left) }];
    for (const s of segs) {
      const room = w - used;
      if (room <= 0) break;
      const t = truncate(s.text, room);
      parts.push({ ...s, text: t });
      used += width(t);
    }
    out.push(<Segs key={i} parts={parts} />);
  });
  return <Panel height={rows}>{out}</Panel>;
}

function fieldSegs(label: string, value: EditLine, focused: boolean, secret: boolean): Seg[] {
  const shown = secret ? '*'.repeat([...value.text].length) : value.text;
  const chars = [...shown];
  const p = Math.min(value.pos, chars.length);
  return [
    { text: focused ? '> ' : '  ', tone: 'accent' },
    { text: label.padEnd(12), tone: focused ? 'accent' : 'muted', bold: focused },
    ...(focused ? [{ text: chars.slice(0, p).join('') }, { text: chars[p] ?? ' ', inverse: true }, { text: chars.slice(p + 1).join('') }] : [{ text: shown }]),
  ];
}

export function UnlockScreen({ ctrl, cols, rows }: { ctrl: Controller; cols: number; rows: number }) {
  const t = useTheme();
  const lines: Seg[][] = [
    [{ text: 'vmi', tone: 'accent', bold: true }, { text: '  VM inventory across your vCenters', tone: 'muted' }],
    [{ text: t.glyphs.hline.repeat(40), tone: 'muted' }],
    [{ text: `Unlock the encrypted cache in ${ctrl.deps.home.dir}`, tone: 'muted' }],
    [{ text: '' }],
    fieldSegs('User', ctrl.unlockUser, ctrl.unlockField === 0, false),
    fieldSegs('Passphrase', ctrl.unlockPass, ctrl.unlockField === 1, true),
    [{ text: '' }],
    ctrl.busy ? [{ text: ctrl.busy, tone: 'busy' }] : ctrl.unlockError ? [{ text: ctrl.unlockError, tone: 'bad', bold: true }] : [{ text: '' }],
    [{ text: '' }],
    [{ text: 'enter', tone: 'accent' }, { text: ' unlocks   ', tone: 'muted' }, { text: 'tab', tone: 'accent' }, { text: ' switches field   ', tone: 'muted' }, { text: 'esc', tone: 'accent' }, { text: ' quits', tone: 'muted' }],
  ];
  return <Centered cols={cols} rows={rows} lines={lines} />;
}

export function MustChangeScreen({ ctrl, cols, rows }: { ctrl: Controller; cols: number; rows: number }) {
  const lines: Seg[][] = [
    [{ text: `Welcome, ${ctrl.actor?.username ?? ''}`, tone: 'accent', bold: true }],
    [{ text: 'Your passphrase is a one-time passphrase: choose your own now', tone: 'warn' }],
    [{ text: '(at least 10 characters; a few words are easy to type and hard to guess).', tone: 'muted' }],
    [{ text: '' }],
    fieldSegs('New', ctrl.newPass1, ctrl.newPassField === 0, true),
    fieldSegs('Repeat', ctrl.newPass2, ctrl.newPassField === 1, true),
    [{ text: '' }],
    ctrl.busy ? [{ text: ctrl.busy, tone: 'busy' }] : ctrl.unlockError ? [{ text: ctrl.unlockError, tone: 'bad', bold: true }] : [{ text: '' }],
    [{ text: '' }],
    [{ text: 'enter', tone: 'accent' }, { text: ' saves   ', tone: 'muted' }, { text: 'esc', tone: 'accent' }, { text: ' quits', tone: 'muted' }],
  ];
  return <Centered cols={cols} rows={rows} lines={lines} />;
}

export function LockScreen({ ctrl, cols, rows }: { ctrl: Controller; cols: number; rows: number }) {
  const syncing = [...ctrl.statuses.values()].filter((s) => s.state !== 'disabled' && s.state !== 'offline').length;
  const lines: Seg[][] = [
    [{ text: 'vmi is locked', tone: 'accent', bold: true }],
    [{ text: `${syncing} source${syncing === 1 ? '' : 's'} keep syncing in the background.`, tone: 'muted' }],
    [{ text: '' }],
    [{ text: '  ' }, { text: 'User'.padEnd(12), tone: 'muted' }, { text: ctrl.actor?.username ?? '' }],
    fieldSegs('Passphrase', ctrl.unlockPass, true, true),
    [{ text: '' }],
    ctrl.busy ? [{ text: ctrl.busy, tone: 'busy' }] : ctrl.unlockError ? [{ text: ctrl.unlockError, tone: 'bad', bold: true }] : [{ text: '' }],
    [{ text: '' }],
    [{ text: 'enter', tone: 'accent' }, { text: ' unlocks   ', tone: 'muted' }, { text: 'Ctrl-C', tone: 'accent' }, { text: ' quits', tone: 'muted' }],
    ...(ctrl.deps.demoPassphrase ? [[{ text: '' }], [{ text: `demo home: the passphrase is ${ctrl.deps.demoPassphrase}`, tone: 'muted' as const }]] : []),
  ];
  return <Centered cols={cols} rows={rows} lines={lines} />;
}

export function LoadingScreen({ ctrl, cols, rows }: { ctrl: Controller; cols: number; rows: number }) {
  return <Centered cols={cols} rows={rows} lines={[[{ text: 'vmi', tone: 'accent', bold: true }], [{ text: '' }], [{ text: ctrl.busy ?? 'Loading...', tone: 'busy' }]]} />;
}

export function TooSmall({ cols, rows, minCols, minRows }: { cols: number; rows: number; minCols: number; minRows: number }) {
  const lines = ['terminal too small', `${cols}x${rows}`, `vmi needs ${minCols}x${minRows}`, 'Ctrl-C quits'];
  const top = Math.max(0, Math.floor((rows - lines.length) / 2));
  return (
    <Panel height={rows}>
      {Array.from({ length: top }, (_, i) => <Line key={`p${i}`} text=" " />)}
      {lines.map((l, i) => <Line key={i} text={center(l, cols)} tone={i === 0 ? 'warn' : 'muted'} bold={i === 0} />)}
    </Panel>
  );
}
