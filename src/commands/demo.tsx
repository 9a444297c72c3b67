import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { defaultUser, openHome } from '../cli/context.js';
import { Run } from '../cli/run.js';
import { defaultConfig, loadConfig, writeFileAtomic } from '../config.js';
import { seedDemoData } from '../cli/demo-seed.js';
import { syncOnce } from '../sync/once.js';
import { holderId } from '../worker/lease.js';
import { generatePassphrase } from '../crypto/keys.js';
import { initSodium, wipe } from '../crypto/sodium.js';
import { ensureHomeDirs, resolveHome } from '../home.js';
import { demoSources } from '../sources/demo/index.js';
import { demoPrismSource } from '../sources/nutanix/demo.js';
import { initVault } from '../store/vault.js';
import { runApp } from '../ui/run.js';

export const description = 'Open the app on a generated demo estate (3 demo vCenters and a Prism Central) in a throwaway home, removed on exit';
export const options = z.object({
  vms: z.number().int().min(1).max(1_000_000).optional().describe(option({ description: 'VMs in the demo estate (default 3000)' })),
  seed: z.number().int().optional().describe(option({ description: 'seed of the generator (the same seed, the same estate)' })),
  dense: z.boolean().optional().describe(option({ description: 'the benchmark topology: 50 VMs per host, a local datastore on every host, many datastores and portgroups' })),
  user: z.string().optional().describe(option({ description: 'name of the demo admin (default: your OS user name)', alias: 'u' })),
});

// Argon2id parameters are stored per keyslot: a throwaway home can afford cheap ones.
const DEMO_KDF = { opslimit: 1, memlimit: 8 * 1024 * 1024 };

export default function Demo({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const dir = mkdtempSync(join(tmpdir(), 'vmi-demo-'));
      // Registered first, so it runs last: after the cache is closed. The exit hook covers a crash
      // or a terminal that went away (SSH dropped) before the cleanups could run.
      const remove = () => rmSync(dir, { recursive: true, force: true });
      process.once('exit', remove);
      onCleanup(remove);
      const home = resolveHome(dir);
      ensureHomeDirs(home);
      const sources = [
        ...demoSources(o.vms ?? 3000, o.seed ?? 1, { dense: o.dense === true }).map((s) => ({ name: s.name, platform: 'demo', url: s.url, refreshSeconds: 300, enabled: true })),
        // Prism Central is polled: a shorter refresh shows its changes arrive.
        { ...demoPrismSource(o.vms ?? 3000, o.seed ?? 1), platform: 'demo', refreshSeconds: 120, enabled: true },
      ];
      writeFileAtomic(home.configFile, JSON.stringify({ ...defaultConfig(), sources }, null, 2) + '\n');
      await initSodium();
      const ctx = await openHome({ home: dir }, onCleanup);
      let user = defaultUser(o.user);
      if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(user)) user = 'admin';
      // VMI_DEMO_PASSPHRASE lets scripts (and the end-to-end tests) unlock the lock screen.
      const passphrase = process.env.VMI_DEMO_PASSPHRASE || generatePassphrase();
      const pass = Buffer.from(passphrase, 'utf8');
      const actor = initVault(ctx.store, user, pass, DEMO_KDF);
      wipe(pass);
      // A first sync and the manual data admins would have added (owners, tags, projects), so
      // that every view has something to show from the first frame.
      io.err(`vmi demo: generating ${(o.vms ?? 3000).toLocaleString('en')} VMs over ${sources.length - 1} demo vCenters, and a demo Prism Central...\n`);
      const holder = holderId();
      for (const src of loadConfig(home.configFile).sources) await syncOnce(ctx.store, src, null, holder);
      seedDemoData(ctx.store, actor, o.seed ?? 1);
      const code = await runApp({ home: ctx.home, config: ctx.config, store: ctx.store, user, actor, demoPassphrase: passphrase });
      setTimeout(() => process.exit(process.exitCode ?? code), 3000).unref();
      return code;
    }} />
  );
}
