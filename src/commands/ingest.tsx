import { readFileSync } from 'node:fs';
import { argument, option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../cli/context.js';
import { Run } from '../cli/run.js';
import { loadConfig } from '../config.js';
import { VmiError } from '../errors.js';
import { resolveHome } from '../home.js';
import { refreshSnapshot } from '../model/snapshot.js';
import { applyIngest, IngestInvalid, parseIngest, type IngestChange } from '../sync/ingest.js';
import type { TableCounts } from '../sync/apply.js';
import { audit } from '../store/vault.js';
import { holderId } from '../worker/lease.js';

export const description = 'Apply a JSON inventory document ("format": "vmi-ingest/1") to an ingest source, from a file or - (standard input)';
export const args = z.tuple([z.string().describe(argument({ name: 'file', description: 'the document, or - to read standard input' }))]);
export const options = z.object({
  ...unlockOptions,
  source: z.string().describe(option({ description: 'the ingest source (vmi source add NAME --platform ingest)' })),
  dryRun: z.boolean().optional().describe(option({ description: 'print what would change and change nothing' })),
  partial: z.boolean().optional().describe(option({ description: 'update only the VMs (and hosts, datastores, networks) listed; delete nothing' })),
});

async function readInput(file: string): Promise<string> {
  if (file !== '-') {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new VmiError('usage', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const total = (c?: TableCounts) => (c ? c.added + c.changed + c.unchanged + c.reappeared : 0);

function describeChange(c: IngestChange): string {
  const what = c.kind === 'vms' ? 'VM' : c.kind === 'hosts' ? 'host' : c.kind === 'datastores' ? 'datastore' : 'network';
  if (c.type === 'created') return `+ ${what} ${c.name}`;
  if (c.type === 'deleted') return `- ${what} ${c.name}`;
  if (c.type === 'reappeared') return `+ ${what} ${c.name} (back)`;
  return `~ ${what} ${c.name}: ${c.field} ${c.old ?? '—'} -> ${c.new ?? '—'}`;
}

export default function Ingest({ args: [file], options: o }: { args: z.infer<typeof args>; options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      if (file === '-' && o.passphraseStdin) throw new VmiError('usage', 'standard input carries the document: give the passphrase with VMI_PASSPHRASE instead of --passphrase-stdin');
      const cfg = loadConfig(resolveHome(o.home).configFile);
      const src = cfg.sources.find((s) => s.name.toLowerCase() === o.source.toLowerCase());
      if (!src) throw new VmiError('not-found', `no source named "${o.source}"; add one with "vmi source add ${o.source} --platform ingest"`);
      if (src.platform !== 'ingest') throw new VmiError('usage', `${src.name} is a ${src.platform} source; documents go to an ingest source (vmi source add NAME --platform ingest)`);
      // The whole document is checked before the cache is opened: a bad one changes nothing.
      let doc;
      try {
        doc = parseIngest(await readInput(file));
      } catch (e) {
        if (e instanceof IngestInvalid) {
          io.err(`vmi: ${e.message}\n`);
          for (const p of e.problems) io.err(`  ${p.path}: ${p.reason}\n`);
          if (e.total > e.problems.length) io.err(`  ... and ${e.total - e.problems.length} more\n`);
          return e.exitCode;
        }
        throw e;
      }
      if (doc.source !== undefined && doc.source.toLowerCase() !== src.name.toLowerCase()) {
        throw new VmiError('usage', `the document is for source "${doc.source.slice(0, 80)}", not ${src.name}`);
      }
      const s = await openSession(io, o, onCleanup);
      const r = applyIngest(s.store, { name: src.name, url: src.url }, doc, { partial: o.partial, dryRun: o.dryRun, holder: holderId() });
      if (r.leasedBy) throw new VmiError('conflict', `${src.name}: another vmi process is writing this source (${r.leasedBy}); try again`);
      const v = r.result.counts.vms ?? { added: 0, changed: 0, deleted: 0, unchanged: 0, reappeared: 0 };
      if (o.dryRun) {
        for (const c of r.changes.slice(0, 1000)) io.out(`${describeChange(c)}\n`);
        if (r.changes.length > 1000) io.out(`... and ${r.changes.length - 1000} more changes\n`);
        if (r.result.firstSync) io.out(`(first document of ${src.name}: its objects are stored without "created" changes)\n`);
        io.out(`${src.name}: would apply ${total(v)} VMs (${v.added} new, ${v.changed} changed, ${v.deleted} deleted), ${r.result.changes} changes; nothing written (--dry-run)\n`);
        return 0;
      }
      // Who fed which source, and how much: counts only, never the document.
      s.store.write((tx) => audit(s.store, tx, s.actor, {
        action: 'source.ingest', resourceType: 'SOURCE', resourceId: src.name,
        details: { vms: total(v), added: v.added, changed: v.changed, deleted: v.deleted, changes: r.result.changes, partial: !!o.partial },
      }));
      await refreshSnapshot(s.store);
      const h = r.result.counts.hosts;
      io.out(`${src.name}: ${total(v)} VMs (${v.added} new, ${v.changed} changed, ${v.deleted} deleted)${h ? `, ${total(h)} hosts` : ''}, ${r.result.changes} changes${o.partial ? ' (partial)' : ''}\n`);
    }} />
  );
}
