// Runs the full-screen app: terminal checks, alternate screen, the Ink instance (remounted on
// resize), the background worker, config.json reloads, and an orderly exit on q, Ctrl-C,
// SIGTERM and SIGHUP. Exceptions restore the terminal before the error is printed.
import { render, type Instance } from 'ink';
import { unwatchFile, watchFile } from 'node:fs';
import React from 'react';
import type { Config } from '../config.js';
import { VmiError, oneLine } from '../errors.js';
import type { Home } from '../home.js';
import { log } from '../log.js';
import type { Store } from '../store/store.js';
import type { Actor } from '../store/vault.js';
import { WorkerHandle } from '../worker/handle.js';
import { App } from './app.js';
import { patchInkCaches } from './inkpatch.js';
import { Shell, type WorkerLike } from './shell.js';
import { AltScreen, ScreenOut } from './terminal.js';
import { detectCaps } from './widgets/theme.js';

export interface RunAppOptions {
  home: Home;
  config: Config;
  store: Store;
  user: string;
  actor?: Actor;
  demoPassphrase?: string;
}

/** Renders the app into a screen writer (the app itself, and the performance tests). */
export async function mountApp(ctrl: Shell, out: ScreenOut, stdin: NodeJS.ReadStream): Promise<Instance> {
  await patchInkCaches();
  return render(<App ctrl={ctrl} />, {
    stdout: out as unknown as NodeJS.WriteStream, stdin, stderr: process.stderr,
    exitOnCtrlC: false, patchConsole: false, maxFps: 60,
  });
}

/** Opens the app and resolves with the exit code when the user quits. */
export async function runApp(o: RunAppOptions): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new VmiError('usage', 'the vmi app needs a terminal; in scripts use the subcommands (vmi --help lists them)');
  }
  const screen = new AltScreen(1, process.stdin);
  let worker: WorkerHandle | null = null;
  let resolveQuit!: () => void;
  const quitting = new Promise<void>((r) => (resolveQuit = r));
  const out = new ScreenOut(process.stdout);
  const ctrl = new Shell({
    home: o.home, store: o.store, config: o.config, caps: detectCaps(), user: o.user, actor: o.actor, demoPassphrase: o.demoPassphrase,
    defer: (fn) => out.afterNextFrame(fn),
    startWorker: (store, config): WorkerLike => {
      const key = new Uint8Array(store.key.exportRaw());
      worker = new WorkerHandle({ dbFile: o.home.dbFile, key, sources: config.sources, logDir: o.home.logDir, logging: config.logging });
      key.fill(0);
      return worker;
    },
    onQuit: () => resolveQuit(),
  });
  ctrl.size = { cols: process.stdout.columns || 80, rows: process.stdout.rows || 24 };

  // Anything that goes wrong from here on leaves the alternate screen first.
  const crash = (e: unknown) => {
    screen.leave();
    process.stderr.write(`vmi: unexpected failure: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    try {
      log().fatal({ err: e }, 'app crashed');
    } catch { /* the log may be closed */ }
    process.exit(1);
  };
  const onExit = () => screen.leave();
  const onSignal = () => ctrl.quit();
  // The terminal went away (SSH dropped, tmux window killed): quit cleanly, do not crash.
  const onOutError = () => ctrl.quit();
  process.stdout.on('error', onOutError);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  process.on('exit', onExit);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('SIGINT', onSignal);

  screen.enter();
  const ink = await mountApp(ctrl, out, process.stdin);
  ink.waitUntilExit().catch(crash);
  const onResize = () => {
    const size = { cols: process.stdout.columns || 80, rows: process.stdout.rows || 24 };
    if (size.cols === ctrl.size.cols && size.rows === ctrl.size.rows) return;
    out.invalidate();
    ctrl.setSize(size);
  };
  process.stdout.on('resize', onResize);
  const reload = () => ctrl.reloadConfig();
  watchFile(o.home.configFile, { interval: 2000 }, reload);

  ctrl.start();
  try {
    await quitting;
  } finally {
    process.stdout.off('resize', onResize);
    unwatchFile(o.home.configFile, reload);
    out.retire();
    ink.unmount();
    // The worker logs out of every vCenter; the user sees the shell at once all the same.
    screen.leave();
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('SIGINT', onSignal);
    process.stdout.off('error', onOutError);
    if (worker) {
      await (worker as WorkerHandle).stop(5000).catch((e) => log().warn({ reason: oneLine(e) }, 'worker did not stop cleanly'));
    }
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
    process.off('exit', onExit);
  }
  return 0;
}
