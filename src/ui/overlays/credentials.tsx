// The vCenter credentials prompt: kept in the worker's memory only, never written anywhere.
import React from 'react';
import { wipe } from '../../crypto/sodium.js';
import type { AppContext } from '../context.js';
import { EMPTY, editLine, line } from '../widgets/lineedit.js';
import { Field, Line, Panel } from '../widgets/primitives.js';
import { fit } from '../widgets/text.js';
import { Title } from './parts.js';
import type { Overlay, OverlayDef } from './types.js';

/** The prompt, with the user name of the sources' config when they have one. */
export function credentialsPrompt(ctx: AppContext): Overlay | null {
  const src = ctx.needsCredentials();
  if (src.length === 0) return null;
  return { kind: 'credentials', user: line(src.find((s) => s.user)?.user ?? ''), pass: EMPTY, field: src.some((s) => s.user) ? 1 : 0, error: null };
}

export const credentialsOverlay: OverlayDef<'credentials'> = {
  kind: 'credentials', title: 'Connect', scopes: ['form'],
  key(o, ctx, input, key, name) {
    if (name === 'esc') {
      ctx.close();
      ctx.flash('running on the cache: vCenter sources stay offline until you press c', 'muted');
      return;
    }
    if (name === 'tab' || name === 'shift+tab' || name === 'up' || name === 'down') {
      o.field = o.field === 0 ? 1 : 0;
      return;
    }
    if (name === 'enter') {
      if (o.field === 0) {
        o.field = 1;
        return;
      }
      if (!o.user.text.trim() || !o.pass.text) {
        o.error = 'enter the vCenter user and password';
        return;
      }
      const pw = Buffer.from(o.pass.text, 'utf8');
      o.pass = EMPTY;
      ctx.close();
      if (!ctx.worker) {
        wipe(pw);
        ctx.flash('background sync is not running', 'warn');
        return;
      }
      ctx.worker.setCredentials(o.user.text.trim(), pw);
      ctx.flash(`connecting to ${ctx.needsCredentials().map((s) => s.name).join(', ')} as ${o.user.text.trim()} (password kept in memory only)`, 'muted');
      return;
    }
    if (o.field === 0) o.user = editLine(o.user, input, key) ?? o.user;
    else o.pass = editLine(o.pass, input, key) ?? o.pass;
    o.error = null;
  },
  Component({ ctx, o, cols, h }) {
    const names = ctx.needsCredentials().map((s) => s.name).join(', ');
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
  },
};
