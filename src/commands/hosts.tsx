import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { jsonOption, openSession, unlockOptions } from '../cli/context.js';
import { formatTable } from '../cli/io.js';
import { duration, pct, reportTampered } from '../cli/objects.js';
import { Run } from '../cli/run.js';
import type { HostRecord } from '../model/records.js';
import { loadObjects, vmCountsBy } from '../store/inventory.js';

export const description = 'List ESXi hosts across all sources';
export const options = z.object({
  ...unlockOptions,
  ...jsonOption,
  deleted: z.boolean().optional().describe(option({ description: 'include hosts that left their vCenter' })),
});

export default function Hosts({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      const { rows, tampered } = loadObjects<HostRecord>(s.store, 'hosts', { deleted: o.deleted });
      const vms = vmCountsBy(s.store, 'host_id');
      rows.sort((a, b) => a.doc.name.localeCompare(b.doc.name));
      if (o.json) io.out(JSON.stringify(rows.map((r) => ({ ...r.doc, source: r.source, vms: vms.get(r.id) ?? 0, deletedAt: r.deletedAt })), null, 2) + '\n');
      else io.out(formatTable(['NAME', 'CLUSTER', 'VCENTER', 'STATE', 'VERSION', 'CPU', 'MEM GB', 'CPU%', 'MEM%', 'UPTIME', 'VMS'], rows.map(({ doc: h, source, id, deletedAt }) => [
        h.name, h.cluster, source,
        deletedAt ? 'deleted' : h.maintenance ? 'maintenance' : h.connectionState ?? '',
        [h.version, h.build].filter(Boolean).join(' build '),
        h.cpuCores ? `${h.cpuCores}c/${h.cpuThreads ?? h.cpuCores}t` : '',
        h.memoryMB ? Math.round(h.memoryMB / 1024) : '',
        pct(h.cpuUsageMhz, h.cpuMhz && h.cpuCores ? h.cpuMhz * h.cpuCores : undefined),
        pct(h.memoryUsageMB, h.memoryMB),
        duration(h.uptimeSeconds), vms.get(id) ?? 0,
      ])));
      return reportTampered(io, tampered);
    }} />
  );
}
