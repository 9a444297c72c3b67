import React from 'react';
import type { z } from 'zod';
import { TagCommand, tagArgs, tagOptions } from '../../cli/tag.js';

export const description = 'Remove a tag from the VMs a filter selects (admin only)';
export const args = tagArgs;
export const options = tagOptions;

export default function TagRemove({ args: [tag], options: o }: { args: z.infer<typeof args>; options: z.infer<typeof options> }) {
  return <TagCommand tag={tag} options={o} add={false} />;
}
