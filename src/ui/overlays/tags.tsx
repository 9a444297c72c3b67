// Tags of the marked (or selected) VMs: type a tag, enter adds it (or removes it when every
// target has it); +tag always adds, -tag always removes.
import React from 'react';
import type { VmView } from '../../model/vm.js';
import { tagVms } from '../../store/manual.js';
import type { AppContext } from '../context.js';
import { resolveKey } from '../keymap.js';
import { EMPTY, editLine } from '../widgets/lineedit.js';
import { fuzzyFilter } from '../widgets/fuzzy.js';
import { Line, Panel } from '../widgets/primitives.js';
import { fit, thousands } from '../widgets/text.js';
import { InputLine, Title } from './parts.js';
import type { OverlayDef, OverlayOf, TagRow } from './types.js';

const allTags = new WeakMap<object, { version: number; tags: string[] }>();

export function tagRows(ctx: AppContext, o: OverlayOf<'tags'>): TagRow[] {
  const m = ctx.model;
  if (!m) return [];
  const onTargets = new Map<string, number>();
  for (const id of o.targets) for (const t of m.vms.get(id)?.tags ?? []) onTargets.set(t, (onTargets.get(t) ?? 0) + 1);
  let all = allTags.get(m);
  if (!all || all.version !== m.version) {
    const s = new Set<string>();
    for (const v of m.vms.values()) for (const t of v.tags) s.add(t);
    all = { version: m.version, tags: [...s].sort() };
    allTags.set(m, all);
  }
  const q = o.q.text.trim();
  const rows: TagRow[] = [];
  if (q) {
    const sign = q[0] === '+' ? true : q[0] === '-' ? false : null;
    const tag = sign === null ? q : q.slice(1).trim();
    if (tag) rows.push({ kind: 'typed', tag, add: sign });
  }
  const names = q ? fuzzyFilter([...new Set([...onTargets.keys(), ...all.tags])], q.replace(/^[+-]/, ''), (x) => x) : [...onTargets.keys()].sort();
  for (const t of names.slice(0, 200)) rows.push({ kind: 'tag', tag: t, count: onTargets.get(t) ?? 0 });
  return rows;
}

function toggleTag(ctx: AppContext, o: OverlayOf<'tags'>, tag: string, add: boolean | null): void {
  const vms = o.targets.map((id) => ctx.model?.vms.get(id)).filter((v): v is VmView => !!v);
  const all = vms.every((v) => v.tags.includes(tag));
  const doAdd = add ?? !all;
  const n = tagVms(ctx.store, ctx.actor!, vms, tag, doAdd);
  ctx.reload();
  o.note = `${doAdd ? 'added' : 'removed'} "${tag}" ${doAdd ? 'to' : 'from'} ${n} VM${n === 1 ? '' : 's'}`;
  o.q = EMPTY;
  o.cursor = 0;
}

export const tagsOverlay: OverlayDef<'tags'> = {
  kind: 'tags', title: 'Tags', scopes: ['tags'],
  key(o, ctx, input, key, name) {
    const cmd = resolveKey(['tags'], name);
    const rows = tagRows(ctx, o);
    if (cmd?.id === 'search.close') return ctx.close();
    if (cmd?.id === 'search.up') o.cursor = Math.max(0, o.cursor - 1);
    else if (cmd?.id === 'search.down') o.cursor = Math.min(Math.max(0, rows.length - 1), o.cursor + 1);
    else if (cmd?.id === 'tags.toggle') {
      if (ctx.role !== 'admin') return ctx.flash('tags: admin only', 'warn');
      const r = rows[o.cursor];
      if (!r) return;
      toggleTag(ctx, o, r.tag, r.kind === 'typed' ? r.add : null);
    } else if (name === 'ctrl+u') o.q = EMPTY;
    else {
      const next = editLine(o.q, input, key);
      if (next) {
        o.q = next;
        o.cursor = 0;
        o.note = null;
      }
    }
  },
  Component({ ctx, o, cols, h }) {
    const rows = tagRows(ctx, o);
    if (o.cursor >= rows.length) o.cursor = Math.max(0, rows.length - 1);
    const n = o.targets.length;
    const what = n === 1 ? ctx.model?.vms.get(o.targets[0])?.name ?? '1 VM' : `${thousands(n)} marked VMs`;
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
  },
};
