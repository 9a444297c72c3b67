import React from 'react';
import { Run } from '../../cli/run.js';
import { filterHelp } from '../../model/filter.js';

export const description = 'Explain the filter expression language and list every filterable field';

export default function HelpFilters() {
  return <Run body={async (io) => io.out(filterHelp() + '\n')} />;
}
