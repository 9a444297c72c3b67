import { existsSync } from 'node:fs';
import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { defaultConfig, writeFileAtomic } from '../config.js';
import { initSodium, wipe } from '../crypto/sodium.js';
import { VmiError } from '../errors.js';
import { ensureHomeDirs, resolveHome } from '../home.js';
import { openLog } from '../log.js';
import { openDatabase } from '../store/db.js';
import { Store } from '../store/store.js';
import { initVault, isInitialised } from '../store/vault.js';
import { defaultUser, getNewPassphrase, homeOptions } from '../cli/context.js';
import { Run } from '../cli/run.js';
import { loadConfig } from '../config.js';

export const description = 'Create a vmi home (config, encrypted cache, logs) and its first admin user';

export const options = z.object({
  ...homeOptions,
  user: z.string().optional().describe(option({ description: 'name of the first admin (default: $VMI_USER or your OS user name)', alias: 'u' })),
});

export default function Init({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const home = resolveHome(o.home);
      ensureHomeDirs(home);
      await initSodium();
      if (!existsSync(home.configFile)) writeFileAtomic(home.configFile, JSON.stringify(defaultConfig(), null, 2) + '\n');
      const config = loadConfig(home.configFile);
      openLog(home.logDir, config.logging);
      const store = new Store(openDatabase(home.dbFile), home.dbFile);
      onCleanup(() => store.close());
      if (isInitialised(store)) throw new VmiError('already-initialised', `${home.dir} is already set up; add users with "vmi user add"`);
      const username = defaultUser(o.user);
      const pass = await getNewPassphrase(io, `Choose a passphrase for ${username}:`);
      try {
        initVault(store, username, pass);
      } finally {
        wipe(pass);
      }
      io.out(`Created vmi home ${home.dir}\n  config: ${home.configFile}\n  cache:  ${home.dbFile}\n  logs:   ${home.logDir}\nAdmin user: ${username}\nNext: add a source with "vmi source add", or try "vmi demo".\n`);
    }} />
  );
}
