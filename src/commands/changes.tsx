import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { jsonOption, openSession, unlockOptions } from '../cli/context.js';
import { formatTable, isoTime, parseSince } from '../cli/io.js';
import { reportTampered } from '../cli/objects.js';
import { Run } from '../cli/run.js';
import { loadObjects } from '../store/inventory.js';

export const description = 'Show the change history recorded by syncs (VMs, hosts, datastores, portgroups), newest first';
export const options = z.object({
  ...unlockOptions,
  ...jsonOption,
  since: z.string().default('24h').describe(option({ description: 'changes newer than this: 30m, 24h, 7d or a date' })),
  vm: z.string().optional().describe(option({ description: 'only changes of objects with this name' })),
  field: z.string().optional().describe(option({ description: 'only this field (e.g. powerState, memoryMB) or change type (power, placement)' })),
});

interface ChangeDoc { type: string; field: string; old: string | null; new: string | null; name?: string }

export default function Changes({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const since = parseSince(o.since);
      const s = await openSession(io, o, onCleanup);
      const { rows, tampered } = loadObjects<ChangeDoc>(s.store, 'changes', { where: 'changed_at >= ?', params: [since] });
      const shown = rows
        .filter((r) => (!o.vm || r.doc.name === o.vm) && (!o.field || r.doc.field === o.field || r.doc.type === o.field))
        .sort((a, b) => (b.cols.changed_at as number) - (a.cols.changed_at as number) || b.id - a.id);
      const kind = (t: unknown) => ({ vms: 'VM', hosts: 'host', datastores: 'datastore', networks: 'portgroup' } as Record<string, string>)[String(t)] ?? String(t);
      if (o.json) io.out(JSON.stringify(shown.map((r) => ({ ...r.doc, object: kind(r.cols.object_table), objectId: r.cols.object_id, source: r.source, time: new Date(r.cols.changed_at as number).toISOString(), syncRunId: r.cols.sync_run_id })), null, 2) + '\n');
      else io.out(formatTable(['TIME', 'OBJECT', 'NAME', 'TYPE', 'FIELD', 'OLD', 'NEW', 'VCENTER'], shown.map(({ doc: c, source, cols }) => [
        isoTime(cols.changed_at as number), kind(cols.object_table), c.name, c.type, c.field, c.old, c.new, source,
      ])));
      return reportTampered(io, tampered);
    }} />
  );
}
