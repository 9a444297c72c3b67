// "?": every key, generated from the key map, the keys of the view in front first; and the
// notice overlay (one-time passphrases, audit entries), which scrolls the same way.
import React from 'react';
import { FILTER_FIELDS } from '../../model/filter.js';
import { COLON_NAMES } from '../colon.js';
import type { AppContext } from '../context.js';
import { helpSections, KEYMAP, resolveKey } from '../keymap.js';
import { Line, Panel } from '../widgets/primitives.js';
import { fit } from '../widgets/text.js';
import { Title } from './parts.js';
import type { OverlayDef } from './types.js';

type HelpLine = { text: string; tone?: 'heading' | 'muted' | 'accent' | 'warn' };

/** Scopes every view shares: they say nothing about which view is in front. */
const SHARED = new Set(['list', 'global', 'table', 'sortable']);

export function helpLines(ctx: AppContext, scopes: string[]): HelpLine[] {
  const ascii = ctx.theme.glyphs.hline === '-';
  const out: HelpLine[] = [];
  // The keys of the view in front come first: the help group of its first own command.
  const own = scopes.filter((s) => !SHARED.has(s));
  const lead = KEYMAP.find((c) => c.scopes.some((s) => own.includes(s)))?.group ?? 'Everywhere';
  const sections = helpSections(ctx.role, ascii).sort((a, b) => Number(b.group === lead) - Number(a.group === lead));
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
function twoColumns(lines: HelpLine[], cols: number): HelpLine[] {
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

/** j/k and PgUp/PgDn scroll; any other key of the overlay (or enter) closes it. */
function scrollKey(o: { scroll: number }, max: number, ctx: AppContext, kind: 'help' | 'notice', name: string): void {
  const cmd = resolveKey([kind], name);
  if (cmd?.id === 'help.scrollUp') o.scroll = Math.max(0, o.scroll - (name === 'pgup' ? ctx.bodyRows() : 1));
  else if (cmd?.id === 'help.scrollDown') o.scroll = Math.min(max, o.scroll + (name === 'pgdn' ? ctx.bodyRows() : 1));
  else if (cmd || name === 'enter') ctx.close();
}

export const helpOverlay: OverlayDef<'help'> = {
  kind: 'help', title: 'Help', scopes: ['help'],
  key: (o, ctx, _input, _key, name) => scrollKey(o, 200, ctx, 'help', name),
  Component({ ctx, o, cols, h }) {
    const all = helpLines(ctx, ctx.viewScopes());
    const lines = cols >= 160 ? twoColumns(all, cols) : all;
    const max = Math.max(0, lines.length - (h - 1));
    if (o.scroll > max) o.scroll = max;
    return (
      <Panel height={h}>
        <Title cols={cols} text={`Keys${ctx.role === 'admin' ? '' : ' (viewer: admin actions say "admin only")'}`} right={`${o.scroll + 1}-${Math.min(lines.length, o.scroll + h - 1)} of ${lines.length}  j/k scroll, esc closes`} />
        {lines.slice(o.scroll, o.scroll + h - 1).map((l, i) => <Line key={i} text={fit(l.text, cols, { ellipsis: ctx.theme.glyphs.ellipsis })} tone={l.tone} bold={l.tone === 'heading'} />)}
      </Panel>
    );
  },
};

export const noticeOverlay: OverlayDef<'notice'> = {
  kind: 'notice', title: 'Notice', scopes: ['notice'],
  key: (o, ctx, _input, _key, name) => scrollKey(o, o.lines.length, ctx, 'notice', name),
  Component({ o, cols, h }) {
    return (
      <Panel height={h}>
        <Title cols={cols} text={o.title} right="enter or esc closes" />
        <Line text=" " />
        {o.lines.slice(o.scroll, o.scroll + h - 2).map((l, i) => <Line key={i} text={fit(` ${l}`, cols)} tone={l.startsWith('    ') ? 'accent' : undefined} bold={l.startsWith('    ')} />)}
      </Panel>
    );
  },
};
