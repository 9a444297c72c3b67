import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { jsonOption, openSession, unlockOptions } from '../cli/context.js';
import { formatTable, isoTime } from '../cli/io.js';
import { reportTampered } from '../cli/objects.js';
import { Run } from '../cli/run.js';
import type { AlarmRecord } from '../model/records.js';
import { loadObjects } from '../store/inventory.js';

export const description = 'List triggered alarms across all sources, newest first';
export const options = z.object({
  ...unlockOptions,
  ...jsonOption,
  all: z.boolean().optional().describe(option({ description: 'include cleared alarms' })),
});

const RANK = { critical: 0, warning: 1, info: 2 } as const;

export default function Alarms({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      const { rows, tampered } = loadObjects<AlarmRecord>(s.store, 'alarms', { where: o.all ? undefined : 'cleared_at IS NULL' });
      rows.sort((a, b) => (RANK[a.doc.status] ?? 3) - (RANK[b.doc.status] ?? 3) || (b.cols.triggered_at as number) - (a.cols.triggered_at as number));
      if (o.json) io.out(JSON.stringify(rows.map((r) => ({ ...r.doc, source: r.source, clearedAt: r.cols.cleared_at ?? null })), null, 2) + '\n');
      else io.out(formatTable(['TIME', 'STATUS', 'ENTITY', 'ALARM', 'VCENTER', 'CLEARED'], rows.map(({ doc: a, source, cols }) => [
        isoTime(cols.triggered_at as number), a.status, a.entity, a.alarm, source, isoTime(cols.cleared_at as number | null),
      ])));
      return reportTampered(io, tampered);
    }} />
  );
}
