import envPaths from 'env-paths';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VmiError } from './errors.js';

export interface Home {
  dir: string;
  configFile: string;
  cacheDir: string;
  dbFile: string;
  logDir: string;
}

/** The vmi home: --home, else VMI_HOME, else the per-OS data folder (XDG on Linux, %LOCALAPPDATA% on Windows). */
export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): Home {
  const dir = resolve(flag || env.VMI_HOME || envPaths('vmi', { suffix: '' }).data);
  return {
    dir,
    configFile: join(dir, 'config.json'),
    cacheDir: join(dir, 'cache'),
    dbFile: join(dir, 'cache', 'vmi.db'),
    logDir: join(dir, 'logs'),
  };
}

/** Creates the home's folders (owner-only permissions) and checks that they are writable. */
export function ensureHomeDirs(home: Home): void {
  for (const d of [home.dir, home.cacheDir, home.logDir]) {
    try {
      mkdirSync(d, { recursive: true, mode: 0o700 });
      accessSync(d, constants.W_OK);
    } catch (e) {
      throw new VmiError('home-not-writable', `the vmi home ${d} is not writable (${(e as NodeJS.ErrnoException).code ?? 'error'}); pick another with --home DIR or VMI_HOME`);
    }
  }
}
