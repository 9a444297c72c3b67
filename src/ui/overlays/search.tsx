// "/": one search over VMs, hosts, datastores and networks of every source, grouped, as you type.
import React from 'react';
import type { AppContext } from '../context.js';
import { allocate, type SearchGroup, type SearchHit } from '../data/search.js';
import { resolveKey } from '../keymap.js';
import { EMPTY, editLine } from '../widgets/lineedit.js';
import { Line, Panel } from '../widgets/primitives.js';
import { fit, thousands } from '../widgets/text.js';
import { InputLine } from './parts.js';
import type { OverlayDef, OverlayOf } from './types.js';

type Results = { groups: SearchGroup[]; hits: SearchHit[] };
const memo = new WeakMap<object, { key: string; value: Results }>();

/** Search results sized to the screen. */
export function searchResults(ctx: AppContext, o: OverlayOf<'search'>): Results {
  if (!ctx.searcher || !ctx.model) return { groups: [], hits: [] };
  const rows = Math.max(4, ctx.bodyRows() - 2);
  // The query being searched lags the typed one by one frame (see the key handler).
  const q = o.applied ?? o.q.text;
  const key = `${q}|${ctx.model.version}|${rows}`;
  const hit = memo.get(o);
  if (hit && hit.key === key) return hit.value;
  const groups = allocate(ctx.searcher.search(q, rows), rows);
  const value = { groups, hits: groups.flatMap((g) => g.hits) };
  memo.set(o, { key, value });
  return value;
}

const VIEW_OF = { host: 'host', datastore: 'datastores', network: 'networks' } as const;

function jump(ctx: AppContext, h: SearchHit): void {
  if (h.kind === 'vm') {
    // The VMs view's cursor goes to the VM too (when the current filter shows it).
    ctx.tell('vms', { id: h.id });
    ctx.go('vm', { id: h.id });
    return;
  }
  ctx.go(VIEW_OF[h.kind], { id: h.id });
}

export const searchOverlay: OverlayDef<'search'> = {
  kind: 'search', title: 'Search', scopes: ['search'],
  key(o, ctx, input, key, name) {
    const cmd = resolveKey(['search'], name);
    if (cmd?.id === 'search.close') return ctx.close();
    const { hits } = searchResults(ctx, o);
    if (cmd?.id === 'search.up') o.cursor = Math.max(0, o.cursor - 1);
    else if (cmd?.id === 'search.down') o.cursor = Math.min(Math.max(0, hits.length - 1), o.cursor + 1);
    else if (cmd?.id === 'search.jump') {
      if (o.applied !== undefined && o.applied !== o.q.text) {
        o.applied = o.q.text; // enter right after typing: search the final query first
        o.cursor = 0;
      }
      const h = searchResults(ctx, o).hits[o.cursor];
      if (!h) return;
      ctx.close();
      jump(ctx, h);
    } else {
      const next = name === 'ctrl+u' ? EMPTY : editLine(o.q, input, key);
      if (next) {
        o.q = next;
        o.cursor = 0;
        // Echo the key now, search right after that frame (the latest query only).
        if (o.applied === undefined) o.applied = '';
        ctx.later(() => {
          if (ctx.overlay === o) o.applied = o.q.text;
        });
      }
    }
  },
  Component({ ctx, o, cols, h }) {
    const { groups, hits } = searchResults(ctx, o);
    if (o.cursor >= hits.length) o.cursor = Math.max(0, hits.length - 1);
    const lines: React.ReactNode[] = [];
    let n = 0;
    const labelW = Math.min(40, Math.max(16, Math.floor(cols * 0.35)));
    const ell = ctx.theme.glyphs.ellipsis;
    for (const g of groups) {
      if (lines.length >= h - 2) break;
      lines.push(<Line key={`g${g.kind}`} text={fit(` ${g.title} (${thousands(g.total)})${g.total > g.hits.length ? `  first ${g.hits.length} shown` : ''}`, cols)} tone="heading" bold />);
      for (const hit of g.hits) {
        const sel = n === o.cursor;
        if (lines.length < h - 2) lines.push(<Line key={`h${n}`} text={`${sel ? ' > ' : '   '}${fit(hit.label, labelW, { ellipsis: ell })}  ${fit(hit.detail, Math.max(0, cols - labelW - 5), { ellipsis: ell })}`} inverse={sel} />);
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
  },
};
