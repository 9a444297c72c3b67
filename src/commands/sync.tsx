import { watchFile, unwatchFile } from 'node:fs';
import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { openSession, unlockOptions } from '../cli/context.js';
import { sourceCredentials } from '../cli/credentials.js';
import { isoTime } from '../cli/io.js';
import { Run } from '../cli/run.js';
import { wipe } from '../crypto/sodium.js';
import { EXIT, VmiError } from '../errors.js';
import { log } from '../log.js';
import { refreshSnapshot } from '../model/snapshot.js';
import { syncOnce } from '../sync/once.js';
import { credentialsFor } from '../sources/collector.js';
import { holderId } from '../worker/lease.js';
import { WorkerHandle } from '../worker/handle.js';
import type { SourceStatus } from '../worker/protocol.js';

export const description = 'Collect the enabled sources into the cache: --once, or --watch to keep syncing without a screen';
export const options = z.object({
  ...unlockOptions,
  once: z.boolean().optional().describe(option({ description: 'one full sync of each source, then exit' })),
  watch: z.boolean().optional().describe(option({ description: 'keep syncing (schedule + live updates) until Ctrl-C or SIGTERM' })),
  source: z.string().optional().describe(option({ description: 'only this source' })),
  vcUser: z.string().optional().describe(option({ description: 'vCenter user (default: the source\'s "user" in config.json)' })),
  vcPasswordStdin: z.boolean().optional().describe(option({ description: 'read the vCenter password from standard input (after the passphrase, if that is read too)' })),
  ntxUser: z.string().optional().describe(option({ description: 'Prism Central user, when it is not the vCenters\' (default: the source\'s "user")' })),
  ntxPasswordStdin: z.boolean().optional().describe(option({ description: 'read a separate Prism Central password from standard input (after the vCenter password); or VMI_NTX_PASSWORD' })),
});

function describeStatus(s: SourceStatus): string {
  switch (s.state) {
    case 'live':
      if (s.detail?.lastIngestAt !== undefined || s.platform === 'ingest') return s.detail?.lastIngestAt ? `last ingest ${isoTime(s.detail.lastIngestAt)}` : 'no document ingested yet';
      return `${s.detail?.polling ? 'synced' : 'live'}, next full sync ${isoTime(s.nextRunAt)}${s.counts ? ` (${s.counts.vms} VMs, ${s.counts.changes} changes)` : ''}${s.detail?.apiFallback ? ` [${s.detail.api} API: Prism Central older than pc.2024.3]` : ''}`;
    case 'backoff': return `failed (${s.lastError?.message ?? 'unknown'}); retrying ${isoTime(s.retryAt)}`;
    case 'leased': return `polled by another vmi process (${s.holder})`;
    case 'syncing': return `syncing${s.progress ? ` (${s.progress} VMs)` : ''}`;
    case 'waiting': return 'waiting for other big syncs to finish (they take turns)';
    case 'unsupported': return s.lastError?.message ?? 'unsupported';
    default: return s.state;
  }
}

export default function Sync({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      if (o.once === o.watch) throw new VmiError('usage', 'say how to sync: --once (one full sync) or --watch (keep syncing)');
      const s = await openSession(io, o, onCleanup);
      // Ingest sources are fed by "vmi ingest": nothing to collect.
      const pick = (all: typeof s.config.sources) => all.filter((x) => x.platform !== 'ingest' && (o.source ? x.name.toLowerCase() === o.source.toLowerCase() : x.enabled));
      const sources = pick(s.config.sources);
      if (o.source && sources.length === 0) throw new VmiError('not-found', `no source named "${o.source}" (see "vmi source list")`);
      if (sources.length === 0) throw new VmiError('usage', 'no enabled source in config.json; add one with "vmi source add"');
      const creds = await sourceCredentials(io, sources, o, true);
      onCleanup(() => {
        wipe(creds.default?.password);
        wipe(creds.nutanix?.password);
      });
      for (const src of sources) if (src.insecure) io.err(`vmi: warning: ${src.name}: certificate verification is OFF (insecure: true); pin its thumbprint instead\n`);

      if (o.once) {
        const holder = holderId();
        // Every source at once: a slow or dead vCenter never holds up the others.
        const outcomes = await Promise.all(sources.map((src) => syncOnce(s.store, src, credentialsFor(src, creds), holder)));
        // The next unlock reads the VM list from the snapshot rather than from every row.
        if (outcomes.some((r) => r.ok && r.result)) await refreshSnapshot(s.store);
        let code: number = EXIT.ok;
        for (const r of outcomes) {
          if (r.leasedBy) io.out(`${r.source}: skipped, polled by another vmi process (${r.leasedBy}); its data is in the cache\n`);
          else if (r.ok && r.result) {
            const v = r.result.counts.vms ?? { added: 0, changed: 0, unchanged: 0, reappeared: 0, deleted: 0 };
            const h = r.result.counts.hosts ?? { added: 0, changed: 0, unchanged: 0, reappeared: 0, deleted: 0 };
            const api = r.detail?.apiFallback ? ` (${r.detail.api} API: Prism Central older than pc.2024.3)` : '';
            io.out(`${r.source}: ${v.added + v.changed + v.unchanged + v.reappeared} VMs (${v.added} new, ${v.changed} changed, ${v.deleted} deleted), ${h.added + h.changed + h.unchanged + h.reappeared} hosts, ${r.result.changes} changes in ${(r.ms / 1000).toFixed(1)} s${api}\n`);
          } else if (r.error) {
            io.err(`vmi: ${r.error.message}\n`);
            code = Math.max(code, r.error.exitCode === EXIT.auth ? EXIT.auth : EXIT.source);
          }
        }
        return code;
      }

      const keyCopy = new Uint8Array(s.store.key.exportRaw());
      const worker = new WorkerHandle({ dbFile: s.home.dbFile, key: keyCopy, sources, logDir: s.home.logDir, logging: s.config.logging });
      keyCopy.fill(0);
      if (creds.default) worker.setCredentials(creds.default.username, Buffer.from(creds.default.password));
      if (creds.nutanix) worker.setCredentials(creds.nutanix.username, Buffer.from(creds.nutanix.password), 'nutanix');
      const last = new Map<string, string>();
      worker.on('status', (st) => {
        const line = describeStatus(st);
        if (last.get(st.source) === line) return;
        last.set(st.source, line);
        io.out(`${isoTime(Date.now())} ${st.source}: ${line}\n`);
      });
      worker.on('fatal', (f) => io.err(`vmi: worker: ${f.message}\n`));
      // config.json edits (vmi source add/set, or by hand) apply without a restart.
      const reload = () => {
        try {
          worker.setSources(pick(loadConfig(s.home.configFile).sources));
        } catch (e) {
          io.err(`vmi: config.json not reloaded: ${(e as Error).message}\n`);
        }
      };
      watchFile(s.home.configFile, { interval: 2000 }, reload);
      io.err(`vmi: syncing ${sources.map((x) => x.name).join(', ')}; Ctrl-C stops\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      unwatchFile(s.home.configFile, reload);
      io.err('vmi: stopping: logging out of every source\n');
      await worker.stop();
      log().info('sync --watch stopped');
      return 0;
    }} />
  );
}
