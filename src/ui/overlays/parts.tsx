// Pieces the overlays share: a title line and an input line.
import React from 'react';
import type { Line as EditLine } from '../widgets/lineedit.js';
import { Field, Segs } from '../widgets/primitives.js';
import { fit, width } from '../widgets/text.js';

export function Title({ cols, text, right }: { cols: number; text: string; right?: string }) {
  const r = right ? ` ${right} ` : '';
  return <Segs parts={[{ text: fit(` ${text}`, Math.max(0, cols - width(r))), tone: 'heading', bold: true }, { text: r, tone: 'muted' }]} />;
}

export function InputLine({ cols, label, value }: { cols: number; label: string; value: EditLine }) {
  return <Field label={label} value={value} focused w={cols} labelWidth={Math.min(width(label), Math.floor(cols / 2))} />;
}
