// Keys every table has: filter, and (where the table offers it) sort.
import { C, type KeyCommand } from '../../keys.js';

export const TABLE_KEYS: KeyCommand[] = [
  C('table.filter', ['f'], 'filter (power:off owner:none ip:10.1. ...)', ['table'], 'VMs', { footer: 2, short: 'filter' }),
  C('table.sort', ['s'], 'sort by the next column', ['sortable'], 'VMs', { footer: 3, short: 'sort' }),
  C('table.reverse', ['S'], 'reverse the sort', ['sortable'], 'VMs'),
];
