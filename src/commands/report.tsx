import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../cli/context.js';
import { parseSince } from '../cli/io.js';
import { Run } from '../cli/run.js';
import { VmiError } from '../errors.js';
import { parseFilter } from '../model/filter.js';
import { requireFolder } from '../report/outfile.js';
import { runReport } from '../report/workbook.js';

export const description = 'Write an RVTools-compatible report of all sources (xlsx workbook, or --format csv: one file per sheet in a folder)';
export const options = z.object({
  ...unlockOptions,
  out: z.string().describe(option({ description: 'the .xlsx file to write (with --format csv: the folder for the CSV files)', alias: 'o' })),
  format: z.enum(['xlsx', 'csv']).optional().describe(option({ description: 'xlsx (default) or csv' })),
  source: z.array(z.string()).optional().describe(option({ description: 'only this source (repeatable); default all' })),
  filter: z.string().optional().describe(option({ description: 'limit the VM sheets with a filter expression (vmi help filters)', alias: 'f' })),
  since: z.string().default('30d').describe(option({ description: 'changes, events and audit entries newer than this: 24h, 30d or a date' })),
});

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0';
  }
}

export default function Report({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const format = o.format ?? 'xlsx';
      if (format === 'xlsx' && !/\.xlsx$/i.test(o.out)) throw new VmiError('usage', `--out "${o.out}": a workbook file name ends with .xlsx (for CSV files use --format csv --out FOLDER)`);
      // Checked before the passphrase is asked for: a typo in the path costs nothing.
      requireFolder(format === 'xlsx' ? dirname(o.out) : o.out);
      const sinceMs = parseSince(o.since);
      parseFilter(o.filter ?? '');
      const s = await openSession(io, o, onCleanup);
      const t0 = performance.now();
      const r = await runReport(s.store, s.actor, {
        out: o.out, format, sources: o.source, filter: o.filter, sinceMs, version: version(),
        datastoreUsedPct: s.config.reports.datastoreUsedPct,
      });
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      io.out(`${r.target}: ${r.sheets.length} sheets, ${r.vms.toLocaleString('en')} VMs in ${secs} s\n`);
      if (r.tampered) io.err(`vmi: ${r.tampered} cache rows failed authentication and were left out\n`);
      return r.tampered ? 1 : 0;
    }} />
  );
}
