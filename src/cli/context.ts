import { userInfo } from 'node:os';
import { z } from 'zod';
import { option } from 'pastel';
import { loadConfig, type Config } from '../config.js';
import { initSodium, wipe } from '../crypto/sodium.js';
import { VmiError } from '../errors.js';
import { ensureHomeDirs, resolveHome, type Home } from '../home.js';
import { log, openLog } from '../log.js';
import { openDatabase } from '../store/db.js';
import { Store } from '../store/store.js';
import { changePassphrase, checkNewPassphrase, type Actor, unlock } from '../store/vault.js';
import type { Cleanup, IO } from './run.js';
import { nextStdinSecret, stdinIsTty } from './secrets.js';

/** Options every command takes. */
export const homeOptions = {
  home: z.string().optional().describe(option({ description: 'vmi home folder (default: $VMI_HOME or the per-user data folder)' })),
};
export const unlockOptions = {
  ...homeOptions,
  user: z.string().optional().describe(option({ description: 'vmi user (default: $VMI_USER or your OS user name)', alias: 'u' })),
  passphraseStdin: z.boolean().optional().describe(option({ description: 'read the passphrase from the first line of standard input' })),
};
/** Source edits: there --user names the vCenter account (as in the config), so the vmi user is --vmi-user. */
export const sourceEditOptions = {
  ...homeOptions,
  vmiUser: z.string().optional().describe(option({ description: 'vmi user (default: $VMI_USER or your OS user name)' })),
  passphraseStdin: unlockOptions.passphraseStdin,
};
export const jsonOption = {
  json: z.boolean().optional().describe(option({ description: 'print JSON instead of a table' })),
};

export interface HomeCtx {
  home: Home;
  config: Config;
  store: Store;
}

/** Opens an initialised home: config, log, libsodium and the cache (not yet unlocked). */
export async function openHome(opts: { home?: string }, onCleanup: (c: Cleanup) => void): Promise<HomeCtx> {
  const home = resolveHome(opts.home);
  const config = loadConfig(home.configFile);
  ensureHomeDirs(home);
  openLog(home.logDir, config.logging);
  await initSodium();
  const db = openDatabase(home.dbFile, { onBackup: (p) => log().info({ backup: p }, 'cache copied aside before migrating') });
  const store = new Store(db, home.dbFile);
  onCleanup(() => store.close());
  return { home, config, store };
}

export function defaultUser(flag?: string): string {
  return flag || process.env.VMI_USER || userInfo().username;
}

/** Passphrase from --passphrase-stdin, VMI_PASSPHRASE (automation), the terminal, or piped stdin. */
export async function getPassphrase(io: IO, opts: { passphraseStdin?: boolean }, label: string): Promise<Buffer> {
  if (opts.passphraseStdin) return nextStdinSecret('the passphrase');
  if (process.env.VMI_PASSPHRASE) return Buffer.from(process.env.VMI_PASSPHRASE, 'utf8');
  if (stdinIsTty()) {
    const p = await io.promptSecret(label);
    if (p.length === 0) throw new VmiError('usage', 'no passphrase entered');
    return p;
  }
  return nextStdinSecret('the passphrase');
}

/** A new passphrase: typed twice at a terminal, else the next line of standard input. */
export async function getNewPassphrase(io: IO, label = 'New passphrase:'): Promise<Buffer> {
  if (stdinIsTty()) {
    const a = await io.promptSecret(label);
    checkNewPassphrase(a);
    const b = await io.promptSecret('Repeat it:');
    if (!a.equals(b)) {
      wipe(a, b);
      throw new VmiError('usage', 'the two passphrases differ; nothing was changed');
    }
    wipe(b);
    return a;
  }
  const p = await nextStdinSecret('the new passphrase');
  checkNewPassphrase(p);
  return p;
}

export interface Session extends HomeCtx {
  actor: Actor;
}

/**
 * Unlocks the cache for the chosen user. A one-time passphrase must be replaced first: at a
 * terminal right away, in scripts by "vmi user passwd".
 */
export async function openSession(io: IO, opts: { home?: string; user?: string; passphraseStdin?: boolean }, onCleanup: (c: Cleanup) => void, allowMustChange = false): Promise<Session> {
  const ctx = await openHome(opts, onCleanup);
  const username = defaultUser(opts.user);
  const pass = await getPassphrase(io, opts, `Passphrase for ${username}:`);
  let actor: Actor;
  try {
    actor = unlock(ctx.store, username, pass, { via: 'cli', command: commandName() });
  } catch (e) {
    wipe(pass);
    throw e;
  }
  if (actor.mustChange && !allowMustChange) {
    if (!stdinIsTty()) {
      wipe(pass);
      throw new VmiError('must-change-passphrase', `the passphrase of "${username}" is a one-time passphrase; set your own with "vmi user passwd" first`);
    }
    io.err(`The passphrase of ${username} is a one-time passphrase: choose your own now.\n`);
    const next = await getNewPassphrase(io);
    changePassphrase(ctx.store, actor, pass, next);
    wipe(next);
  }
  wipe(pass);
  log().info({ user: username, role: actor.role }, 'unlocked');
  return { ...ctx, actor };
}

/** "owner add", "vms": the command words of this invocation, without option values. */
export function commandName(argv = process.argv.slice(2)): string {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-') || words.length === 2) break;
    words.push(a);
  }
  return words.join(' ');
}
