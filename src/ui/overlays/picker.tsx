// The owner picker: type a few letters of a name, enter assigns it to the marked (or selected)
// VMs; the last rows create a new owner or clear the owner.
import React from 'react';
import type { AppContext } from '../context.js';
import { ownerCounts, ownersByName } from '../data/owners.js';
import { resolveKey } from '../keymap.js';
import { EMPTY, editLine } from '../widgets/lineedit.js';
import { fuzzyFilter } from '../widgets/fuzzy.js';
import { Line, Panel } from '../widgets/primitives.js';
import { fit, thousands } from '../widgets/text.js';
import { assignTo, ownerForm } from './forms/owner.js';
import { InputLine, Title } from './parts.js';
import type { OverlayDef, OverlayOf, PickerRow } from './types.js';

export function pickerRows(ctx: AppContext, o: OverlayOf<'picker'>): PickerRow[] {
  const m = ctx.model;
  if (!m) return [];
  const counts = ownerCounts(m);
  const found = fuzzyFilter(ownersByName(m), o.q.text, (x) => `${x.fullName} ${x.email} ${x.department ?? ''}`);
  const rows: PickerRow[] = found.map((owner) => ({ kind: 'owner', owner, vms: (o.role === 'technical' ? counts.get(owner.id)?.tech : counts.get(owner.id)?.bus) ?? 0 }));
  rows.push({ kind: 'new' });
  if (!o.q.text.trim()) rows.push({ kind: 'none' });
  return rows;
}

export const pickerOverlay: OverlayDef<'picker'> = {
  kind: 'picker', title: 'Owner', scopes: ['picker'],
  key(o, ctx, input, key, name) {
    const cmd = resolveKey(['picker'], name);
    const rows = pickerRows(ctx, o);
    if (cmd?.id === 'search.close') return ctx.close();
    if (cmd?.id === 'search.up') o.cursor = Math.max(0, o.cursor - 1);
    else if (cmd?.id === 'picker.down') o.cursor = Math.min(rows.length - 1, o.cursor + 1);
    else if (cmd?.id === 'picker.new' || (cmd?.id === 'picker.assign' && rows[o.cursor]?.kind === 'new')) {
      if (ctx.role !== 'admin') return ctx.flash('new owner: admin only', 'warn');
      ctx.open(ownerForm(ctx, null, { role: o.role, targets: o.targets }, o.q.text.trim()));
    } else if (cmd?.id === 'picker.assign') {
      if (ctx.role !== 'admin') return ctx.flash(`${o.role} owner: admin only (${ctx.actor?.username} is a ${ctx.role})`, 'warn');
      const r = rows[o.cursor];
      if (!r) return;
      ctx.close();
      if (r.kind === 'none') assignTo(ctx, o.role, o.targets, null, '');
      else if (r.kind === 'owner') assignTo(ctx, o.role, o.targets, r.owner.id, r.owner.fullName);
    } else if (name === 'ctrl+u') {
      o.q = EMPTY;
      o.cursor = 0;
    } else {
      const next = editLine(o.q, input, key);
      if (next) {
        o.q = next;
        o.cursor = 0;
      }
    }
  },
  Component({ ctx, o, cols, h }) {
    const rows = pickerRows(ctx, o);
    if (o.cursor >= rows.length) o.cursor = Math.max(0, rows.length - 1);
    const what = o.targets.length === 1 ? ctx.model?.vms.get(o.targets[0])?.name ?? '1 VM' : `${thousands(o.targets.length)} marked VMs`;
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
      return <Line key={i} text={fit(text, cols, { ellipsis: ctx.theme.glyphs.ellipsis })} tone={tone} inverse={sel} />;
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
  },
};
