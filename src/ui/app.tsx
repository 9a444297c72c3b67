// The root component: one key handler (the shell's), the frame, and the current screen.
import { Box, useInput } from 'ink';
import React, { useSyncExternalStore } from 'react';
import { CommandLine } from './overlays/command.js';
import { overlayDef } from './overlays/index.js';
import { LoadingScreen, LockScreen, MustChangeScreen, TooSmall, UnlockScreen } from './screens.js';
import { MIN_COLS, MIN_ROWS, type Shell } from './shell.js';
import { Footer, Header, StatusLine } from './widgets/frame.js';
import { ThemeContext } from './widgets/primitives.js';
import type { Tone } from './widgets/theme.js';

function statusHint(ctrl: Shell): { text: string; tone: Tone } {
  if (ctrl.message) return ctrl.message;
  if (!ctrl.overlay) {
    const h = ctrl.view().hint?.();
    if (h) return h;
  }
  if (ctrl.role === 'viewer' && !ctrl.overlay) return { text: 'read-only: you are a viewer', tone: 'muted' };
  return { text: '', tone: 'muted' };
}

function Body({ ctrl, cols, h }: { ctrl: Shell; cols: number; h: number }) {
  const o = ctrl.overlay;
  if (o && o.kind !== 'command') {
    const Comp = overlayDef(o.kind).Component as (p: { ctx: Shell; o: typeof o; cols: number; h: number }) => React.ReactNode;
    return <Comp ctx={ctrl} o={o} cols={cols} h={h} />;
  }
  return <>{ctrl.view().render(cols, h)}</>;
}

export function App({ ctrl }: { ctrl: Shell }) {
  useSyncExternalStore(ctrl.subscribe, ctrl.getRev);
  useInput((input, key) => ctrl.onKey(input, key));
  const { cols } = ctrl.size;
  const h = Math.max(1, ctrl.size.rows);
  let screen: React.ReactNode;
  if (ctrl.tooSmall) screen = <TooSmall cols={cols} rows={h} minCols={MIN_COLS} minRows={MIN_ROWS} />;
  else if (ctrl.phase === 'unlock') screen = <UnlockScreen ctrl={ctrl} cols={cols} rows={h} />;
  else if (ctrl.phase === 'mustChange') screen = <MustChangeScreen ctrl={ctrl} cols={cols} rows={h} />;
  else if (ctrl.phase === 'locked') screen = <LockScreen ctrl={ctrl} cols={cols} rows={h} />;
  else if (ctrl.phase === 'loading' || !ctrl.model) screen = <LoadingScreen ctrl={ctrl} cols={cols} rows={h} />;
  else {
    const o = ctrl.overlay;
    const body = h - 3;
    let title = ctrl.viewTitle();
    if (o && o.kind !== 'command') title = `${title} ${ctrl.theme.glyphs.sep} ${overlayDef(o.kind).title}`;
    const statuses = ctrl.config.sources.map((s) => ctrl.statuses.get(s.name)).filter((s) => s !== undefined);
    const hint = statusHint(ctrl);
    screen = (
      <>
        <Header cols={cols} title={title} statuses={statuses} user={ctrl.actor?.username ?? ''} role={ctrl.role} />
        <Body ctrl={ctrl} cols={cols} h={body} />
        {o?.kind === 'command' ? <CommandLine o={o} cols={cols} /> : <StatusLine cols={cols} text={hint.text} tone={hint.tone} />}
        <Footer cols={cols} scopes={ctrl.scopes()} role={ctrl.role} ascii={ctrl.theme.glyphs.hline === '-'} />
      </>
    );
  }
  return (
    <ThemeContext.Provider value={ctrl.theme}>
      <Box flexDirection="column" width={cols} height={h} overflowY="hidden">{screen}</Box>
    </ThemeContext.Provider>
  );
}
