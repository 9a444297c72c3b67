// The ":" line, drawn in the status line's place: tab completes, enter runs.
import React from 'react';
import { COLON_NAMES, runColon } from '../colon.js';
import { editLine, line } from '../widgets/lineedit.js';
import { Field, Segs } from '../widgets/primitives.js';
import { fit } from '../widgets/text.js';
import type { OverlayDef, OverlayOf } from './types.js';

export const commandOverlay: OverlayDef<'command'> = {
  kind: 'command', title: '', scopes: ['input'],
  key(o, ctx, input, key, name) {
    if (name === 'esc') return ctx.close();
    if (name === 'tab') {
      const word = o.q.text.trim().toLowerCase();
      const match = COLON_NAMES.filter((n) => n.startsWith(word));
      if (match.length === 1) o.q = line(`${match[0]} `);
      else if (match.length > 1) o.error = match.join(' ');
      return;
    }
    if (name === 'enter') {
      const err = runColon(ctx, o.q.text);
      if (err) o.error = err;
      else if (ctx.overlay === o) ctx.close();
      return;
    }
    o.q = editLine(o.q, input, key) ?? o.q;
    o.error = null;
  },
  // Drawn by the shell in the status line's place (see CommandLine).
  Component: () => null,
};

export function CommandLine({ o, cols }: { o: OverlayOf<'command'>; cols: number }) {
  if (o.error) return <Segs parts={[{ text: ':', tone: 'accent', bold: true }, { text: fit(`${o.q.text}  ${o.error}`, cols - 1), tone: 'bad' }]} />;
  return <Field label=":" value={o.q} focused w={cols} labelWidth={1} />;
}
