import { option } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../cli/context.js';
import { Run } from '../cli/run.js';
import { selectVms } from '../cli/vms.js';
import { VmiError } from '../errors.js';
import type { ManualDoc } from '../model/vm.js';
import { addManualIp, setCustomField, setManual } from '../store/manual.js';

export const description = 'Set project, environment, notes, manual overrides, custom fields or manual IPs of VMs (admin only)';
export const options = z.object({
  ...unlockOptions,
  filter: z.string().describe(option({ description: 'which VMs (vmi help filters)', alias: 'f' })),
  project: z.string().optional().describe(option({ description: 'project ("" clears)' })),
  environment: z.string().optional().describe(option({ description: 'environment ("" clears)' })),
  notes: z.string().optional().describe(option({ description: 'notes ("" clears)' })),
  power: z.enum(['on', 'off', 'suspended', '']).optional().describe(option({ description: 'override the power state ("" clears)' })),
  cluster: z.string().optional().describe(option({ description: 'override the cluster ("" clears)' })),
  hostname: z.string().optional().describe(option({ description: 'override the guest hostname ("" clears)' })),
  os: z.string().optional().describe(option({ description: 'override the OS type ("" clears)' })),
  field: z.array(z.string()).optional().describe(option({ description: 'custom field key=value (key= removes it); repeatable' })),
  ip: z.string().optional().describe(option({ description: 'add a manual IP address (kept across syncs)' })),
  primary: z.boolean().optional().describe(option({ description: 'with --ip: make it the primary IP' })),
});

const POWER = { on: 'poweredOn', off: 'poweredOff', suspended: 'suspended' } as const;

export default function Edit({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const fields = (o.field ?? []).map((f) => {
        const i = f.indexOf('=');
        if (i <= 0) throw new VmiError('usage', `--field "${f}": use key=value`);
        return { key: f.slice(0, i), value: f.slice(i + 1) };
      });
      const patch: ManualDoc = {};
      if (o.project !== undefined) patch.project = o.project;
      if (o.environment !== undefined) patch.environment = o.environment;
      if (o.notes !== undefined) patch.notes = o.notes;
      const ov: NonNullable<ManualDoc['overrides']> = {};
      if (o.power !== undefined) ov.powerState = o.power === '' ? undefined : POWER[o.power];
      if (o.cluster !== undefined) ov.cluster = o.cluster;
      if (o.hostname !== undefined) ov.hostname = o.hostname;
      if (o.os !== undefined) ov.osType = o.os;
      if (Object.keys(ov).length) patch.overrides = ov;
      if (!Object.keys(patch).length && !fields.length && !o.ip) throw new VmiError('usage', 'nothing to change: give at least one option (see vmi edit --help)');
      if (o.ip && !/^[0-9a-fA-F:.]+$/.test(o.ip)) throw new VmiError('usage', `"${o.ip}" is not an IP address`);
      const s = await openSession(io, o, onCleanup);
      const { vms } = selectVms(s.store, io, o.filter);
      if (vms.length === 0) {
        io.err('No VM matches that filter; nothing changed.\n');
        return 0;
      }
      for (const vm of vms) {
        if (Object.keys(patch).length) setManual(s.store, s.actor, vm, patch);
        for (const f of fields) setCustomField(s.store, s.actor, vm, f.key, f.value === '' ? null : f.value);
        if (o.ip) addManualIp(s.store, s.actor, vm, o.ip, { primary: o.primary });
      }
      io.out(`Updated ${vms.length} VM${vms.length === 1 ? '' : 's'}\n`);
    }} />
  );
}
