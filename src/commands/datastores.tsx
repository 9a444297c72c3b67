import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { jsonOption, openSession, unlockOptions } from '../cli/context.js';
import { formatTable } from '../cli/io.js';
import { gb, pct, reportTampered } from '../cli/objects.js';
import { Run } from '../cli/run.js';
import type { DatastoreRecord } from '../model/records.js';
import { vmCounts } from '../model/counts.js';
import { loadObjects, loadVmViews } from '../store/inventory.js';

export const description = 'List datastores (with their datastore cluster, capacity, shared or local) across all sources';
export const options = z.object({
  ...unlockOptions,
  ...jsonOption,
  deleted: z.boolean().optional().describe(option({ description: 'include datastores that left their vCenter' })),
});

export default function Datastores({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      const { rows, tampered } = loadObjects<DatastoreRecord>(s.store, 'datastores', { deleted: o.deleted });
      // VM counts from the VMs' own disks, as every view counts them.
      const loaded = loadVmViews(s.store);
      const counts = vmCounts(loaded.views, 'name');
      for (const r of rows) r.doc = { ...r.doc, vms: counts.get(r.source)?.datastores.get(r.doc.name) ?? 0 };
      tampered.push(...loaded.tampered);
      rows.sort((a, b) => (a.doc.datastoreCluster ?? '').localeCompare(b.doc.datastoreCluster ?? '') || a.doc.name.localeCompare(b.doc.name));
      if (o.json) io.out(JSON.stringify(rows.map((r) => ({ ...r.doc, source: r.source, deletedAt: r.deletedAt })), null, 2) + '\n');
      else io.out(formatTable(['NAME', 'DS CLUSTER', 'VCENTER', 'TYPE', 'CAPACITY', 'FREE', 'FREE%', 'PROVISIONED', 'SCOPE', 'HOSTS', 'VMS'], rows.map(({ doc: d, source }) => [
        d.name, d.datastoreCluster ?? '', source, d.type ?? '', gb(d.capacityBytes), gb(d.freeBytes), pct(d.freeBytes, d.capacityBytes),
        gb(d.provisionedBytes), d.shared ? 'shared' : 'local', d.hosts.length, d.vms,
      ])));
      return reportTampered(io, tampered);
    }} />
  );
}
