// "Are you sure?" before a dangerous command: y runs it, n or esc cancels.
import React from 'react';
import { resolveKey } from '../keymap.js';
import { Line, Panel, Segs } from '../widgets/primitives.js';
import { fit } from '../widgets/text.js';
import { Title } from './parts.js';
import type { OverlayDef } from './types.js';

export const confirmOverlay: OverlayDef<'confirm'> = {
  kind: 'confirm', title: 'Confirm', scopes: ['confirm'],
  key(o, ctx, _input, _key, name) {
    const cmd = resolveKey(['confirm'], name);
    if (cmd?.id === 'confirm.yes') {
      ctx.close();
      o.run();
    } else if (cmd?.id === 'confirm.no' || name === 'enter') {
      ctx.close();
      ctx.flash('cancelled', 'muted');
    }
  },
  Component({ o, cols, h }) {
    return (
      <Panel height={h}>
        <Title cols={cols} text="Are you sure?" />
        <Line text=" " />
        <Line text={fit(` ${o.text}`, cols)} tone="warn" bold />
        <Line text=" " />
        <Segs parts={[{ text: ' y', tone: 'accent', bold: true }, { text: ' yes    ', tone: 'muted' }, { text: 'n', tone: 'accent', bold: true }, { text: ' / esc no', tone: 'muted' }]} />
      </Panel>
    );
  },
};
