import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../../cli/context.js';
import { Run } from '../../cli/run.js';
import { verifyAudit } from '../../store/audit.js';

export const description = 'Check the audit hash chain; exits non-zero when an entry was edited, removed or reordered';
export const options = z.object({ ...unlockOptions });

export default function AuditVerify({ options: o }: { options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      const r = verifyAudit(s.store);
      if (r.ok) {
        io.out(`audit trail intact: ${r.checked} entries\n`);
        return 0;
      }
      for (const p of r.problems) io.err(`vmi: ${p}\n`);
      io.out(`audit trail BROKEN: ${r.problems.length} problem(s) in ${r.checked} entries\n`);
      return 1;
    }} />
  );
}
