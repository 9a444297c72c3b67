import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { jsonOption, openSession, unlockOptions } from '../cli/context.js';
import { formatTable, isoTime, parseSince } from '../cli/io.js';
import { reportTampered } from '../cli/objects.js';
import { Run } from '../cli/run.js';
import type { EventRecord } from '../model/records.js';
import { loadObjects } from '../store/inventory.js';

export const description = 'List vCenter events across all sources, newest first';
export const options = z.object({
  ...unlockOptions,
  ...jsonOption,
  since: z.string().default('24h').describe(option({ description: 'events newer than this: 30m, 24h, 7d or a date' })),
  severity: z.enum(['critical', 'warning', 'info']).optional().describe(option({ description: 'only this severity or worse' })),
});

const RANK = { critical: 0, warning: 1, info: 2 } as const;

export default function Events({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const since = parseSince(o.since);
      const s = await openSession(io, o, onCleanup);
      const { rows, tampered } = loadObjects<EventRecord>(s.store, 'events', { where: 'created_at >= ?', params: [since] });
      const shown = rows.filter((r) => !o.severity || RANK[r.doc.severity] <= RANK[o.severity])
        .sort((a, b) => (b.cols.created_at as number) - (a.cols.created_at as number));
      if (o.json) io.out(JSON.stringify(shown.map((r) => ({ ...r.doc, source: r.source })), null, 2) + '\n');
      else io.out(formatTable(['TIME', 'SEVERITY', 'TYPE', 'ENTITY', 'MESSAGE', 'VCENTER'], shown.map(({ doc: e, source, cols }) => [
        isoTime(cols.created_at as number), e.severity, e.type, e.entity, e.message, source,
      ])));
      return reportTampered(io, tampered);
    }} />
  );
}
