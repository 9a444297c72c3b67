// The frame around every view: header (view, source pills, user), status line, footer keys.
import React, { useEffect, useState } from 'react';
import type { SourceStatus } from '../../worker/protocol.js';
import { footerItems, type FooterItem, type Scope } from '../keymap.js';
import { pillFor, type Pill } from './pills.js';
import { fit, truncate, width } from './text.js';
import type { Tone } from './theme.js';
import { Line, Segs, useTheme, type Seg } from './primitives.js';

/** Current time, ticking once a second only while `active` (a countdown is on screen). */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/** Fits the pills into `room` columns: full texts, else short ones, else as many as fit and "+N". */
export function fitPills(pills: Pill[], room: number, dot: string): { parts: Seg[]; used: number } {
  const render = (texts: string[], more: number): Seg[] => {
    const parts: Seg[] = [];
    texts.forEach((t, i) => {
      parts.push({ text: `${i ? '  ' : ''}${dot} `, tone: pills[i].tone });
      parts.push({ text: t, tone: pills[i].tone === 'muted' ? 'muted' : 'text' });
    });
    if (more) parts.push({ text: `  +${more}`, tone: 'muted' });
    return parts;
  };
  const w = (parts: Seg[]) => parts.reduce((a, p) => a + width(p.text), 0);
  for (const pick of [(p: Pill) => p.text, (p: Pill) => p.short]) {
    const parts = render(pills.map(pick), 0);
    if (w(parts) <= room) return { parts, used: w(parts) };
  }
  for (let n = pills.length - 1; n >= 0; n--) {
    const parts = render(pills.slice(0, n).map((p) => p.short), pills.length - n);
    if (w(parts) <= room) return { parts, used: w(parts) };
  }
  return { parts: [], used: 0 };
}

export function Header({ cols, title, statuses, user, role, extra }: { cols: number; title: string; statuses: SourceStatus[]; user: string; role: string; extra?: string }) {
  const t = useTheme();
  const probe = statuses.map((s) => pillFor(s, Date.now()));
  const now = useNow(probe.some((p) => p.needsTick));
  const pills = statuses.map((s) => pillFor(s, now));
  const left = ` vmi ${t.glyphs.sep} ${title}${extra ? ` ${extra}` : ''} ${t.glyphs.sep} `;
  const right = user ? ` ${user} (${role}) ` : ' ';
  const leftW = Math.min(width(left), Math.max(0, cols - width(right)));
  const room = Math.max(0, cols - leftW - width(right));
  const { parts, used } = fitPills(pills, room, t.glyphs.dot);
  const pad = ' '.repeat(Math.max(0, room - used));
  return (
    <Segs parts={[
      { text: fit(left, leftW), tone: 'accent', bold: true },
      ...parts,
      { text: pad },
      { text: truncate(right, cols - leftW - used), tone: role === 'admin' ? 'warn' : 'muted', bold: true },
    ]} />
  );
}

export function StatusLine({ cols, text, tone, right }: { cols: number; text: string; tone: Tone; right?: string }) {
  const r = right ? ` ${right} ` : '';
  const lw = Math.max(0, cols - width(r));
  return <Segs parts={[{ text: fit(` ${text}`, lw), tone }, { text: r, tone: 'muted' }]} />;
}

/** The keys that work here, from the key map, as many as fit; "? help" always last when it fits. */
export function footerParts(items: FooterItem[], cols: number): Seg[] {
  const helpIdx = items.findIndex((i) => i.key === '?');
  const help = helpIdx >= 0 ? items[helpIdx] : null;
  const rest = items.filter((_, i) => i !== helpIdx);
  const itemW = (i: FooterItem) => width(i.key) + 1 + width(i.label) + 2;
  let room = cols - 1 - (help ? itemW(help) : 0);
  const chosen: FooterItem[] = [];
  for (const i of rest) {
    if (itemW(i) > room) break;
    chosen.push(i);
    room -= itemW(i);
  }
  if (help && itemW(help) <= cols - 1) chosen.push(help);
  const parts: Seg[] = [{ text: ' ' }];
  for (const i of chosen) parts.push({ text: i.key, tone: 'accent', bold: true }, { text: ` ${i.label}  `, tone: 'muted' });
  return parts;
}

export function Footer({ cols, scopes, role, ascii }: { cols: number; scopes: Scope[]; role: 'admin' | 'viewer'; ascii: boolean }) {
  const parts = footerParts(footerItems(scopes, role, ascii), cols);
  return <Segs parts={parts} />;
}

export function Rule({ cols, title }: { cols: number; title?: string }) {
  const t = useTheme();
  const text = title ? `${t.glyphs.hline.repeat(2)} ${title} ${t.glyphs.hline.repeat(Math.max(0, cols - width(title) - 4))}` : t.glyphs.hline.repeat(cols);
  return <Line text={fit(text, cols)} tone="muted" />;
}
