import React from 'react';
import { z } from 'zod';
import { jsonOption, openSession, unlockOptions } from '../../cli/context.js';
import { formatTable } from '../../cli/io.js';
import { Run } from '../../cli/run.js';
import { listOwners } from '../../store/manual.js';

export const isDefault = true;
export const description = 'List owners with the number of VMs they own';
export const options = z.object({ ...unlockOptions, ...jsonOption });

export default function OwnerList({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      const { owners, tampered } = listOwners(s.store);
      if (o.json) io.out(JSON.stringify(owners, null, 2) + '\n');
      else io.out(formatTable(['ID', 'NAME', 'E-MAIL', 'DEPARTMENT', 'DESIGNATION', 'TECH VMS', 'BUS VMS'],
        owners.map((x) => [x.id, x.fullName, x.email, x.department, x.designation, x.technicalVms, x.businessVms])));
      for (const t of tampered) io.err(`vmi: ${t}\n`);
      return tampered.length ? 1 : 0;
    }} />
  );
}
