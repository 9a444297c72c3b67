import { argument } from 'pastel';
import React from 'react';
import { z } from 'zod';
import { openSession, unlockOptions } from '../../cli/context.js';
import { Run } from '../../cli/run.js';
import { editSources, findSourceIndex } from '../../cli/sources.js';

export const description = 'Remove a source from config.json (admin only); what it collected stays in the cache';
export const args = z.tuple([z.string().describe(argument({ name: 'name', description: 'source name' }))]);
export const options = z.object({ ...unlockOptions });

export default function SourceRemove({ args: [name], options: o }: { args: z.infer<typeof args>; options: z.infer<typeof options> }) {
  return (
    <Run body={async (io, onCleanup) => {
      const s = await openSession(io, o, onCleanup);
      editSources(s, 'config.source.remove', name, {}, (sources) => {
        sources.splice(findSourceIndex(sources, name), 1);
      });
      io.out(`Removed source ${name}\n`);
    }} />
  );
}
