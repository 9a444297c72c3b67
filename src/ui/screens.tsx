// The full screens: unlock, the new passphrase of a first unlock, lock, loading, too small.
import React from 'react';
import type { Shell } from './shell.js';
import type { Line as EditLine } from './widgets/lineedit.js';
import { Line, Panel, Segs, useTheme, type Seg } from './widgets/primitives.js';
import { center, truncate, width } from './widgets/text.js';


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

export function UnlockScreen({ ctrl, cols, rows }: { ctrl: Shell; cols: number; rows: number }) {
  const t = useTheme();
  const lines: Seg[][] = [
    [{ text: 'vmi', tone: 'accent', bold: true }, { text: '  VM inventory across your vCenters', tone: 'muted' }],
    [{ text: t.glyphs.hline.repeat(40), tone: 'muted' }],
    [{ text: `Unlock the encrypted cache in ${ctrl.deps.home.dir}`, tone: 'muted' }],
    [{ text: '' }],
    fieldSegs('User', ctrl.gate.user, ctrl.gate.field === 0, false),
    fieldSegs('Passphrase', ctrl.gate.pass, ctrl.gate.field === 1, true),
    [{ text: '' }],
    ctrl.busy ? [{ text: ctrl.busy, tone: 'busy' }] : ctrl.gate.error ? [{ text: ctrl.gate.error, tone: 'bad', bold: true }] : [{ text: '' }],
    [{ text: '' }],
    [{ text: 'enter', tone: 'accent' }, { text: ' unlocks   ', tone: 'muted' }, { text: 'tab', tone: 'accent' }, { text: ' switches field   ', tone: 'muted' }, { text: 'esc', tone: 'accent' }, { text: ' quits', tone: 'muted' }],
  ];
  return <Centered cols={cols} rows={rows} lines={lines} />;
}

export function MustChangeScreen({ ctrl, cols, rows }: { ctrl: Shell; cols: number; rows: number }) {
  const lines: Seg[][] = [
    [{ text: `Welcome, ${ctrl.actor?.username ?? ''}`, tone: 'accent', bold: true }],
    [{ text: 'Your passphrase is a one-time passphrase: choose your own now', tone: 'warn' }],
    [{ text: '(at least 10 characters; a few words are easy to type and hard to guess).', tone: 'muted' }],
    [{ text: '' }],
    fieldSegs('New', ctrl.gate.newPass1, ctrl.gate.newField === 0, true),
    fieldSegs('Repeat', ctrl.gate.newPass2, ctrl.gate.newField === 1, true),
    [{ text: '' }],
    ctrl.busy ? [{ text: ctrl.busy, tone: 'busy' }] : ctrl.gate.error ? [{ text: ctrl.gate.error, tone: 'bad', bold: true }] : [{ text: '' }],
    [{ text: '' }],
    [{ text: 'enter', tone: 'accent' }, { text: ' saves   ', tone: 'muted' }, { text: 'esc', tone: 'accent' }, { text: ' quits', tone: 'muted' }],
  ];
  return <Centered cols={cols} rows={rows} lines={lines} />;
}

export function LockScreen({ ctrl, cols, rows }: { ctrl: Shell; cols: number; rows: number }) {
  const syncing = [...ctrl.statuses.values()].filter((s) => s.state !== 'disabled' && s.state !== 'offline').length;
  const lines: Seg[][] = [
    [{ text: 'vmi is locked', tone: 'accent', bold: true }],
    [{ text: `${syncing} source${syncing === 1 ? '' : 's'} keep syncing in the background.`, tone: 'muted' }],
    [{ text: '' }],
    [{ text: '  ' }, { text: 'User'.padEnd(12), tone: 'muted' }, { text: ctrl.actor?.username ?? '' }],
    fieldSegs('Passphrase', ctrl.gate.pass, true, true),
    [{ text: '' }],
    ctrl.busy ? [{ text: ctrl.busy, tone: 'busy' }] : ctrl.gate.error ? [{ text: ctrl.gate.error, tone: 'bad', bold: true }] : [{ text: '' }],
    [{ text: '' }],
    [{ text: 'enter', tone: 'accent' }, { text: ' unlocks   ', tone: 'muted' }, { text: 'Ctrl-C', tone: 'accent' }, { text: ' quits', tone: 'muted' }],
    ...(ctrl.deps.demoPassphrase ? [[{ text: '' }], [{ text: `demo home: the passphrase is ${ctrl.deps.demoPassphrase}`, tone: 'muted' as const }]] : []),
  ];
  return <Centered cols={cols} rows={rows} lines={lines} />;
}

export function LoadingScreen({ ctrl, cols, rows }: { ctrl: Shell; cols: number; rows: number }) {
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
