// A detail screen: lines of text that scroll (j/k, PgUp/PgDn, g/G), drawn only where visible.
import React from 'react';
import { Line, Panel } from './primitives.js';
import type { ListCursor } from './table/state.js';
import { fit } from './text.js';
import type { Tone } from './theme.js';

export interface DetailLine {
  text: string;
  tone?: Tone;
}

/** Section heading, then "  Label           value" lines. */
export class DetailBuilder {
  readonly lines: DetailLine[] = [];

  head(text: string): this {
    if (this.lines.length) this.lines.push({ text: '' });
    this.lines.push({ text, tone: 'heading' });
    return this;
  }

  /** A fact; an absent value shows as "—" (never invented). */
  kv(label: string, value: string | number | undefined | null, tone?: Tone): this {
    const v = value === undefined || value === null || value === '' ? '—' : String(value);
    this.lines.push({ text: `  ${label.padEnd(19)}${v}`, tone });
    return this;
  }

  line(text: string, tone?: Tone): this {
    this.lines.push({ text, tone });
    return this;
  }
}

export function DetailPanel({ lines, list, cols, h, ellipsis }: { lines: DetailLine[]; list: ListCursor; cols: number; h: number; ellipsis: string }) {
  list.top = Math.max(0, Math.min(list.top, lines.length - h));
  const out: React.ReactNode[] = [];
  for (let i = list.top; i < Math.min(lines.length, list.top + h); i++) {
    const x = lines[i];
    out.push(<Line key={i - list.top} text={fit(x.text, cols, { ellipsis })} tone={x.tone} bold={x.tone === 'heading'} />);
  }
  return <Panel height={h}>{out}</Panel>;
}
