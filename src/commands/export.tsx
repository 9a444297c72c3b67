import { dirname } from 'node:path';
import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../cli/context.js';
import { Run } from '../cli/run.js';
import { VmiError } from '../errors.js';
import { requireFolder } from '../report/outfile.js';
import { exportTable, formatOf } from '../report/table.js';
import { EXPORT_VIEWS, viewTable } from '../ui/headless.js';

export const description = 'Export one of the app\'s tables (the same rows, filter and columns as the x key) to CSV, xlsx or JSON';
export const options = z.object({
  ...unlockOptions,
  view: z.enum(Object.keys(EXPORT_VIEWS) as [string, ...string[]]).describe(option({ description: `the table: ${Object.keys(EXPORT_VIEWS).join(', ')}` })),
  filter: z.string().optional().describe(option({ description: 'the view\'s filter (the VMs filter language for vms; words or name:value terms elsewhere)', alias: 'f' })),
  format: z.enum(['csv', 'xlsx', 'json']).optional().describe(option({ description: 'csv, xlsx or json (default: from the file name, else csv)' })),
  out: z.string().describe(option({ description: 'the file to write', alias: 'o' })),
});

export default function Export({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      // A bad folder or format is said before the passphrase is asked for.
      requireFolder(dirname(o.out));
      const format = formatOf(o.out, o.format);
      const s = await openSession(io, o, onCleanup);
      let t;
      try {
        t = await viewTable(s, o.view, o.filter ?? '');
      } catch (e) {
        throw e instanceof VmiError ? e : new VmiError('usage', `--filter: ${(e as Error).message}`);
      }
      try {
        const r = await exportTable(s.store, s.actor, { what: o.view, filter: o.filter }, {
          file: o.out, format, columns: t.table.columns.map((c) => ({ header: c.title })), rows: t.table.rows(), sheet: o.view,
        });
        io.out(`${r.file}: ${r.rows.toLocaleString('en')} rows (${o.view}${o.filter ? `, filter ${o.filter}` : ''})\n`);
      } finally {
        t.close();
      }
      return 0;
    }} />
  );
}
