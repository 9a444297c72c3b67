import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { jsonOption, openSession, unlockOptions } from '../cli/context.js';
import { formatTable } from '../cli/io.js';
import { reportTampered } from '../cli/objects.js';
import { Run } from '../cli/run.js';
import type { PortgroupRecord, VmkernelRecord } from '../model/records.js';
import { vmCounts } from '../model/counts.js';
import { loadObjects, loadVmViews } from '../store/inventory.js';

export const description = 'List networks and portgroups with VLANs (or VMkernel adapters and their services) across all sources';
export const options = z.object({
  ...unlockOptions,
  ...jsonOption,
  vmkernel: z.boolean().optional().describe(option({ description: 'list VMkernel adapters and their services instead' })),
});

const vlanText = (p: PortgroupRecord) => (p.vlanTrunk ? `trunk ${p.vlanTrunk}` : p.pvlan !== undefined ? `pvlan ${p.pvlan}` : p.vlan ? String(p.vlan) : p.vlan === 0 ? 'none' : '');

export default function Networks({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      if (o.vmkernel) {
        const { rows, tampered } = loadObjects<VmkernelRecord>(s.store, 'vmkernel_adapters');
        rows.sort((a, b) => a.doc.host.localeCompare(b.doc.host) || a.doc.device.localeCompare(b.doc.device));
        if (o.json) io.out(JSON.stringify(rows.map((r) => ({ ...r.doc, source: r.source })), null, 2) + '\n');
        else io.out(formatTable(['HOST', 'DEVICE', 'IP', 'MAC', 'MTU', 'PORTGROUP', 'SERVICES', 'VCENTER'], rows.map(({ doc: v, source }) => [
          v.host, v.device, v.ip, v.mac, v.mtu, v.portgroup, v.services.join(','), source,
        ])));
        return reportTampered(io, tampered);
      }
      const { rows, tampered } = loadObjects<PortgroupRecord>(s.store, 'networks');
      // VM counts from the VMs' own NICs, as every view counts them.
      const loaded = loadVmViews(s.store);
      const counts = vmCounts(loaded.views, 'name');
      for (const r of rows) r.doc = { ...r.doc, vms: counts.get(r.source)?.networks.get(r.doc.name) ?? 0 };
      tampered.push(...loaded.tampered);
      rows.sort((a, b) => (a.doc.switch ?? '').localeCompare(b.doc.switch ?? '') || a.doc.name.localeCompare(b.doc.name));
      if (o.json) io.out(JSON.stringify(rows.map((r) => ({ ...r.doc, source: r.source })), null, 2) + '\n');
      else io.out(formatTable(['NAME', 'KIND', 'SWITCH', 'VLAN', 'HOSTS', 'VMS', 'VCENTER'], rows.map(({ doc: p, source }) => [
        p.name, p.kind, p.switch ?? '', vlanText(p), p.hosts.length, p.vms, source,
      ])));
      return reportTampered(io, tampered);
    }} />
  );
}
