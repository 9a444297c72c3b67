// The vCenter credentials prompt: kept in the worker's memory only, never written anywhere.
import React from 'react';
import { wipe } from '../../crypto/sodium.js';
import type { AppContext } from '../context.js';
import { EMPTY, editLine, line, type Line as EditLine } from '../widgets/lineedit.js';
import { Field, Line, Panel } from '../widgets/primitives.js';
import { fit } from '../widgets/text.js';
import { Title } from './parts.js';
import type { Overlay, OverlayDef, OverlayOf } from './types.js';

/** Who is asked for: vCenters, Prism Centrals, and whether Prism Central has an account of its own. */
function who(ctx: AppContext): { vs: string[]; ntx: string[]; separate: boolean; title: string } {
  const src = ctx.needsCredentials();
  const vs = src.filter((s) => s.platform === 'vsphere');
  const ntx = src.filter((s) => s.platform === 'nutanix');
  const vsUser = vs.find((s) => s.user)?.user;
  const separate = vs.length > 0 && ntx.length > 0 && ntx.some((s) => s.user && s.user !== vsUser);
  const title = vs.length && ntx.length ? 'vCenter and Prism Central credentials' : ntx.length ? 'Prism Central credentials' : 'vCenter credentials';
  return { vs: vs.map((s) => s.name), ntx: ntx.map((s) => s.name), separate, title };
}

/** The prompt, with the user names of the sources' config when they have them. */
export function credentialsPrompt(ctx: AppContext): Overlay | null {
  const src = ctx.needsCredentials();
  if (src.length === 0) return null;
  const w = who(ctx);
  const first = src.find((s) => s.user && (!w.separate || s.platform === 'vsphere'))?.user ?? '';
  const ntxUser = src.find((s) => s.platform === 'nutanix' && s.user)?.user ?? '';
  return {
    kind: 'credentials', user: line(first), pass: EMPTY, error: null, field: first ? 1 : 0,
    ...(w.separate ? { ntx: { user: line(ntxUser), pass: EMPTY } } : {}),
  };
}

/** The fields in order: user, password, then Prism Central's user and password when asked. */
function fields(o: OverlayOf<'credentials'>): [EditLine, EditLine, ...EditLine[]] {
  return o.ntx ? [o.user, o.pass, o.ntx.user, o.ntx.pass] : [o.user, o.pass];
}

function setField(o: OverlayOf<'credentials'>, i: number, v: EditLine): void {
  if (i === 0) o.user = v;
  else if (i === 1) o.pass = v;
  else if (o.ntx && i === 2) o.ntx.user = v;
  else if (o.ntx) o.ntx.pass = v;
}

export const credentialsOverlay: OverlayDef<'credentials'> = {
  kind: 'credentials', title: 'Connect', scopes: ['form'],
  key(o, ctx, input, key, name) {
    if (name === 'esc') {
      ctx.close();
      ctx.flash('running on the cache: the sources stay offline until you press c', 'muted');
      return;
    }
    const n = fields(o).length;
    if (name === 'tab' || name === 'down') {
      o.field = (o.field + 1) % n;
      return;
    }
    if (name === 'shift+tab' || name === 'up') {
      o.field = (o.field + n - 1) % n;
      return;
    }
    if (name === 'enter') {
      if (o.field < n - 1) {
        o.field++;
        return;
      }
      if (!o.user.text.trim() || !o.pass.text || (o.ntx && (!o.ntx.user.text.trim() || !o.ntx.pass.text))) {
        o.error = o.ntx ? 'enter both users and passwords' : 'enter the user and password';
        return;
      }
      const pw = Buffer.from(o.pass.text, 'utf8');
      const ntx = o.ntx ? { user: o.ntx.user.text.trim(), pw: Buffer.from(o.ntx.pass.text, 'utf8') } : null;
      o.pass = EMPTY;
      if (o.ntx) o.ntx.pass = EMPTY;
      ctx.close();
      if (!ctx.worker) {
        wipe(pw, ntx?.pw);
        ctx.flash('background sync is not running', 'warn');
        return;
      }
      ctx.worker.setCredentials(o.user.text.trim(), pw);
      if (ntx) ctx.worker.setCredentials(ntx.user, ntx.pw, 'nutanix');
      const w = who(ctx);
      ctx.flash(ntx
        ? `connecting to ${w.vs.join(', ')} as ${o.user.text.trim()} and ${w.ntx.join(', ')} as ${ntx.user} (passwords kept in memory only)`
        : `connecting to ${ctx.needsCredentials().map((s) => s.name).join(', ')} as ${o.user.text.trim()} (password kept in memory only)`, 'muted');
      return;
    }
    const cur = fields(o)[o.field];
    setField(o, o.field, editLine(cur, input, key) ?? cur);
    o.error = null;
  },
  Component({ ctx, o, cols, h }) {
    const w = who(ctx);
    const names = ctx.needsCredentials().map((s) => s.name).join(', ');
    const lw = o.ntx ? 16 : 10;
    return (
      <Panel height={h}>
        <Title cols={cols} text={w.title} right="enter connects, esc skips (offline)" />
        <Line text={fit(o.ntx ? ` One account for ${w.vs.join(', ')}, one for ${w.ntx.join(', ')}. Kept in memory only, never written anywhere.` : ` One user and password for ${names}. Kept in memory only, never written anywhere.`, cols)} tone="muted" />
        <Line text=" " />
        <Field label={o.ntx ? 'vCenter user' : 'User'} value={o.user} focused={o.field === 0} w={cols} labelWidth={lw} />
        <Field label="Password" value={o.pass} focused={o.field === 1} secret w={cols} labelWidth={lw} />
        {o.ntx ? <Field label="Prism user" value={o.ntx.user} focused={o.field === 2} w={cols} labelWidth={lw} /> : null}
        {o.ntx ? <Field label="Prism password" value={o.ntx.pass} focused={o.field === 3} secret w={cols} labelWidth={lw} /> : null}
        <Line text=" " />
        {o.error ? <Line text={fit(`   ${o.error}`, cols)} tone="bad" /> : <Line text={fit('   Without them vmi shows the cached inventory; press c later to connect.', cols)} tone="muted" />}
      </Panel>
    );
  },
};
