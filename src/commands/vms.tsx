import { option } from 'pastel';
import React from 'react';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { jsonOption, openSession, unlockOptions } from '../cli/context.js';
import { formatTable } from '../cli/io.js';
import { Run } from '../cli/run.js';
import { selectVms, VM_TABLE_HEADERS, vmJson, vmTableRow } from '../cli/vms.js';
import { VmiError } from '../errors.js';
import { audit } from '../store/vault.js';

export const description = 'List VMs across all sources (effective values; * marks a manual override)';
export const options = z.object({
  ...unlockOptions,
  ...jsonOption,
  filter: z.string().optional().describe(option({ description: 'filter expression, e.g. "power:off owner:none" (vmi help filters)', alias: 'f' })),
  csv: z.boolean().optional().describe(option({ description: 'export as CSV (audited)' })),
});

export default function Vms({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      if (o.json && o.csv) throw new VmiError('usage', '--json and --csv cannot be combined');
      const s = await openSession(io, o, onCleanup);
      const { vms, total, tampered } = selectVms(s.store, io, o.filter);
      if (o.json) {
        io.out(JSON.stringify(vms.map(vmJson), null, 2) + '\n');
      } else if (o.csv) {
        io.out(stringify([VM_TABLE_HEADERS, ...vms.map(vmTableRow)]));
        s.store.write((tx) => audit(s.store, tx, s.actor, { action: 'export', resourceType: 'VM', details: { format: 'csv', filter: o.filter ?? '', rows: vms.length } }));
      } else {
        io.out(formatTable(VM_TABLE_HEADERS, vms.map(vmTableRow)));
        io.err(`${vms.length} of ${total} VMs\n`);
      }
      return tampered ? 1 : 0;
    }} />
  );
}
