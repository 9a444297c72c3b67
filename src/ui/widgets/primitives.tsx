// Drawing primitives: one <Text> per screen line, colours from the theme's semantic tokens.
import { Box, Text } from 'ink';
import React, { createContext, memo, useContext } from 'react';
import { splitAtCaret, type Line as EditLine } from './lineedit.js';
import { fit, truncate, width } from './text.js';
import { makeTheme, type Theme, type Tone } from './theme.js';

export const ThemeContext = createContext<Theme>(makeTheme('dark', 'cyan', { color: true, ascii: false }));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

export interface LineProps {
  text: string;
  tone?: Tone;
  inverse?: boolean;
  bold?: boolean;
}

/** One screen line; memoized, so an unchanged row costs nothing on the next frame. */
export const Line = memo(function Line({ text, tone, inverse, bold }: LineProps) {
  const t = useTheme();
  return <Text color={t.colors[tone ?? 'text']} inverse={inverse} bold={bold} wrap="truncate-end">{text || ' '}</Text>;
});

export interface Seg {
  text: string;
  tone?: Tone;
  bold?: boolean;
  inverse?: boolean;
}

/** One line made of coloured segments (still one line of output). */
export const Segs = memo(function Segs({ parts }: { parts: Seg[] }) {
  const t = useTheme();
  // An empty line must still take its row (Ink gives empty text no height).
  if (parts.every((p) => p.text === '')) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {parts.map((p, i) => <Text key={i} color={t.colors[p.tone ?? 'text']} bold={p.bold} inverse={p.inverse}>{p.text}</Text>)}
    </Text>
  );
}, (a, b) => a.parts.length === b.parts.length && a.parts.every((p, i) => {
  const q = b.parts[i];
  return p.text === q.text && p.tone === q.tone && p.bold === q.bold && p.inverse === q.inverse;
}));

/** A text field on one line: label, value (masked for secrets), caret when focused. */
export function Field({ label, value, focused, secret, w, labelWidth, hint, choices }: { label: string; value: EditLine; focused: boolean; secret?: boolean; w: number; labelWidth: number; hint?: string; choices?: string[] }) {
  if (choices) {
    const lab = fit(label, labelWidth);
    const v = `< ${value.text || 'none'} >`;
    const room = Math.max(0, w - labelWidth - 5 - width(v));
    return <Segs parts={[
      { text: `${focused ? '>' : ' '} `, tone: 'accent' }, { text: `${lab} `, tone: focused ? 'accent' : 'muted', bold: focused },
      { text: v, inverse: focused, bold: true }, { text: `  ${truncate(`${focused ? 'space or <- -> changes' : ''}${hint ? `${focused ? '; ' : ''}${hint}` : ''}`, room)}`, tone: 'muted' },
    ]} />;
  }
  const shown: EditLine = secret ? { text: '*'.repeat([...value.text].length), pos: value.pos } : value;
  const lab = fit(label, labelWidth);
  const room = Math.max(1, w - labelWidth - 3);
  // Keep the caret in view for long values: show the tail.
  let { before, at, after } = splitAtCaret(shown);
  if (width(before) > room - 1) {
    const chars = [...before];
    while (chars.length && width(chars.join('')) > room - 1) chars.shift();
    before = chars.join('');
  }
  after = truncate(after, Math.max(0, room - width(before) - 1), '');
  const used = width(before) + (focused ? width(at) : 0) + width(after);
  const parts: Seg[] = [{ text: `${focused ? '>' : ' '} `, tone: 'accent' }, { text: `${lab} `, tone: focused ? 'accent' : 'muted', bold: focused }];
  if (focused) parts.push({ text: before }, { text: at, inverse: true }, { text: after });
  else parts.push({ text: truncate(shown.text, room) });
  if (hint && w - labelWidth - 3 - used > 6) parts.push({ text: `  ${truncate(hint, w - labelWidth - 5 - used)}`, tone: 'muted' });
  return <Segs parts={parts} />;
}

/** A fixed-height column of lines (pads below so the frame never moves). */
export function Panel({ height, children }: { height: number; children: React.ReactNode }) {
  return <Box flexDirection="column" height={height} overflowY="hidden">{children}</Box>;
}
