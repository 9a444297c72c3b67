// Forms (VM edit, owner, source, user, session timeout): fields with a caret or a fixed set of
// choices; enter moves on and saves on the last field; a failed save keeps the form with its error.
import React from 'react';
import { isVmiError, oneLine } from '../../errors.js';
import { log } from '../../log.js';
import { resolveKey } from '../keymap.js';
import { EMPTY, editLine, line } from '../widgets/lineedit.js';
import { Field, Line, Panel } from '../widgets/primitives.js';
import { fit, width } from '../widgets/text.js';
import { Title } from './parts.js';
import type { OverlayDef } from './types.js';

export const formOverlay: OverlayDef<'form'> = {
  kind: 'form', title: 'Edit', scopes: ['form'],
  key(o, ctx, input, key, name) {
    const f = o.form;
    const cmd = resolveKey(['form'], name);
    const submit = () => {
      const values = Object.fromEntries(f.fields.map((x) => [x.id, x.value.text]));
      try {
        f.submit(values);
        if (ctx.overlay === o) ctx.close();
      } catch (e) {
        f.error = oneLine(e);
        if (!isVmiError(e)) log().error({ err: e }, 'form failed');
      }
    };
    switch (cmd?.id) {
      case 'form.cancel': return ctx.close();
      case 'form.next': f.focus = (f.focus + 1) % f.fields.length; return;
      case 'form.prev': f.focus = (f.focus + f.fields.length - 1) % f.fields.length; return;
      case 'form.enter':
        if (f.focus < f.fields.length - 1) f.focus++;
        else submit();
        return;
      case 'form.submit': return submit();
      default: break;
    }
    const field = f.fields[f.focus];
    if (field.choices) {
      const c = field.choices;
      const i = Math.max(0, c.indexOf(field.value.text));
      if (name === 'space' || name === 'right') field.value = line(c[(i + 1) % c.length]);
      else if (name === 'left') field.value = line(c[(i + c.length - 1) % c.length]);
      else if (input.length === 1 && !key.ctrl) {
        const hit = c.find((x) => x.toLowerCase().startsWith(input.toLowerCase()));
        if (hit !== undefined) field.value = line(hit);
      }
      f.error = null;
      return;
    }
    if (name === 'ctrl+u') field.value = EMPTY;
    else field.value = editLine(field.value, input, key) ?? field.value;
    f.error = null;
  },
  Component({ o, cols, h }) {
    const f = o.form;
    const labelWidth = Math.min(18, Math.max(...f.fields.map((x) => width(x.label))) + 1);
    return (
      <Panel height={h}>
        <Title cols={cols} text={f.title} right="enter next/save, ^S saves, esc cancels" />
        <Line text={fit(f.note ? ` ${f.note}` : ' ', cols)} tone="muted" />
        {f.fields.map((x, i) => <Field key={x.id} label={x.label} value={x.value} focused={i === f.focus} secret={x.secret} w={cols} labelWidth={labelWidth} hint={x.hint} choices={x.choices} />)}
        <Line text=" " />
        {f.error ? <Line text={fit(`   ${f.error}`, cols)} tone="bad" /> : null}
      </Panel>
    );
  },
};
