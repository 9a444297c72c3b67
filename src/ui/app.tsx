// The root component: one key handler (the controller's), the frame, and the current screen.
import { Box, useInput } from 'ink';
import React, { useSyncExternalStore } from 'react';
import { MIN_COLS, MIN_ROWS, VIEW_TITLES, type Controller } from './controller.js';
import { Footer, Header, StatusLine } from './components/frame.js';
import { CommandLine, LoadingScreen, LockScreen, MustChangeScreen, OverlayBody, TooSmall, UnlockScreen } from './components/overlays.js';
import { ThemeContext } from './components/primitives.js';
import { ViewBody } from './components/views.js';
import { thousands } from './text.js';
import type { Tone } from './theme.js';

const OVERLAY_TITLES: Record<string, string> = {
  help: 'Help', search: 'Search', picker: 'Owner', tags: 'Tags', form: 'Edit', notice: 'Notice', confirm: 'Confirm', credentials: 'Connect',
};

function statusHint(ctrl: Controller): { text: string; tone: Tone } {
  if (ctrl.message) return ctrl.message;
  if (ctrl.view === 'vms' && ctrl.marked.size && !ctrl.overlay) {
    return { text: `${thousands(ctrl.marked.size)} marked: o/b set owners, t tags, e edits them; u clears the marks`, tone: 'marked' };
  }
  if (ctrl.role === 'viewer' && !ctrl.overlay) return { text: 'read-only: you are a viewer', tone: 'muted' };
  return { text: '', tone: 'muted' };
}

export function App({ ctrl }: { ctrl: Controller }) {
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
    let title: string = VIEW_TITLES[ctrl.view];
    if (ctrl.view === 'vm') title = `VM ${ctrl.detailVmView()?.name ?? ''}`;
    if (o && o.kind !== 'command') title = `${title} ${ctrl.theme.glyphs.sep} ${OVERLAY_TITLES[o.kind]}`;
    const statuses = ctrl.config.sources.map((s) => ctrl.statuses.get(s.name)).filter((s) => s !== undefined);
    const hint = statusHint(ctrl);
    screen = (
      <>
        <Header cols={cols} title={title} statuses={statuses} user={ctrl.actor?.username ?? ''} role={ctrl.role} />
        {o && o.kind !== 'command' ? <OverlayBody ctrl={ctrl} o={o} cols={cols} h={body} /> : <ViewBody ctrl={ctrl} view={ctrl.view} cols={cols} h={body} />}
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
