// VMs -> table rows: the columns of the VMs view, their cell texts (effective values, "*" after
// an overridden one), sort keys, and memoized row lines. Pure; the view only slices and prints.
import type { VmView } from '../../model/vm.js';
import { layoutKey, rowLine, type ColumnSpec, type PlacedColumn } from '../widgets/layout.js';
import { gbText, memText, width } from '../widgets/text.js';

export type VmColumnId = 'name' | 'power' | 'cpu' | 'mem' | 'disk' | 'ip' | 'host' | 'cluster' | 'vcenter' | 'os' | 'towner' | 'bowner' | 'tags';

export interface VmColumn extends ColumnSpec {
  id: VmColumnId;
  cell: (v: VmView) => string;
  /** Numbers sort numerically; strings lower-cased; empty values always last. */
  sortKey: (v: VmView) => number | string;
}

const ov = (v: VmView, f: VmView['overridden'][number], s: string | undefined) => (v.overridden.includes(f) ? `${s ?? ''}*` : s ?? '');
const POWER: Record<string, string> = { poweredOn: 'on', poweredOff: 'off', suspended: 'susp', unknown: '?' };
const POWER_ORDER: Record<string, number> = { poweredOn: 0, suspended: 1, poweredOff: 2, unknown: 3 };
const LAST = '\uffff';
const low = (s: string | undefined) => (s ? s.toLowerCase() : LAST);

/** IPv4 as a number for sorting; other addresses after all IPv4 ones, missing ones last. */
export function ipSortKey(ip: string | undefined): number {
  if (!ip) return Number.MAX_SAFE_INTEGER;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return 2 ** 33;
  return ((+m[1] * 256 + +m[2]) * 256 + +m[3]) * 256 + +m[4];
}

export const VM_COLUMNS: VmColumn[] = [
  { id: 'name', title: 'NAME', min: 12, pref: 20, max: 48, priority: 0, flex: 4, cell: (v) => (v.deletedAt ? `${v.name} (deleted)` : v.name), sortKey: (v) => v.name.toLowerCase() },
  { id: 'power', title: 'PWR', min: 4, pref: 4, priority: 0, cell: (v) => ov(v, 'power', POWER[v.power] ?? v.power), sortKey: (v) => POWER_ORDER[v.power] ?? 9 },
  { id: 'cpu', title: 'CPU', min: 3, pref: 3, priority: 2, align: 'right', cell: (v) => String(v.cpus), sortKey: (v) => v.cpus },
  { id: 'mem', title: 'MEM', min: 6, pref: 6, priority: 2, align: 'right', cell: (v) => memText(v.memoryMB), sortKey: (v) => v.memoryMB },
  { id: 'disk', title: 'DISK', min: 6, pref: 7, priority: 6, align: 'right', cell: (v) => gbText(Math.round(v.diskGB)), sortKey: (v) => v.diskGB },
  { id: 'ip', title: 'IP', min: 7, pref: 15, max: 39, priority: 1, cell: (v) => v.primaryIp ?? '', sortKey: (v) => ipSortKey(v.primaryIp) },
  { id: 'host', title: 'HOST', min: 8, pref: 16, max: 32, priority: 7, flex: 1, cell: (v) => v.host ?? '', sortKey: (v) => low(v.host) },
  { id: 'cluster', title: 'CLUSTER', min: 7, pref: 12, max: 24, priority: 4, flex: 1, cell: (v) => ov(v, 'cluster', v.cluster), sortKey: (v) => low(v.cluster) },
  { id: 'vcenter', title: 'VCENTER', min: 7, pref: 10, max: 20, priority: 2, cell: (v) => v.source, sortKey: (v) => v.source.toLowerCase() },
  { id: 'os', title: 'OS', min: 8, pref: 16, max: 40, priority: 5, flex: 2, cell: (v) => ov(v, 'os', v.os), sortKey: (v) => low(v.os) },
  { id: 'towner', title: 'TECH OWNER', min: 8, pref: 14, max: 28, priority: 1, flex: 1, cell: (v) => v.technicalOwner?.name ?? '', sortKey: (v) => low(v.technicalOwner?.name) },
  { id: 'bowner', title: 'BUS. OWNER', min: 8, pref: 16, max: 28, priority: 5, flex: 1, cell: (v) => v.businessOwner?.name ?? '', sortKey: (v) => low(v.businessOwner?.name) },
  { id: 'tags', title: 'TAGS', min: 6, pref: 12, max: 40, priority: 6, flex: 1, cell: (v) => v.tags.join(','), sortKey: (v) => (v.tags.length ? v.tags.slice().sort().join(',').toLowerCase() : LAST) },
];

export const VM_COLUMN_BY_ID = new Map(VM_COLUMNS.map((c) => [c.id, c]));
export const SORTABLE: VmColumnId[] = VM_COLUMNS.map((c) => c.id);

/**
 * Preferred widths from the data: each column as wide as (the 95th percentile of) its cells in an
 * even sample of the rows, bounded by the column's min and max, so empty columns give their room
 * to full ones.
 * Stable while scrolling: it depends on the row set, not on the visible window. Pure.
 */
export function fitToData(cols: VmColumn[], rows: { readonly length: number; at(i: number): VmView | undefined }, sample = 1000): VmColumn[] {
  if (rows.length === 0) return cols;
  const step = Math.max(1, Math.floor(rows.length / sample));
  const widths: number[][] = cols.map(() => []);
  for (let i = 0; i < rows.length; i += step) {
    const v = rows.at(i)!;
    for (let c = 0; c < cols.length; c++) {
      // Percentiles of the values that exist: a column filled on two rows still fits them.
      const w = width(cols[c].cell(v));
      if (w) widths[c].push(w);
    }
  }
  // A high percentile, not the maximum: one very long value does not take every other column's
  // room. Names, the column people read, are cut least.
  const pct = widths.map((w, i) => {
    const q = cols[i].id === 'name' ? 0.99 : 0.95;
    return w.sort((a, b) => a - b)[Math.min(w.length - 1, Math.floor(w.length * q))] ?? 0;
  });
  return cols.map((c, i) => {
    const want = Math.max(pct[i], width(c.title) + 1);
    return { ...c, pref: Math.max(c.min, Math.min(c.max ?? c.pref, want)) };
  });
}

export function vmCells(v: VmView, cols: PlacedColumn[]): string[] {
  return cols.map((c) => (c.spec as VmColumn).cell(v));
}

/**
 * Row lines memoized per VM object and layout: the model replaces a VM's object when it changes,
 * so an unchanged VM is formatted once per layout, however often the screen redraws.
 */
export class RowCache {
  private cache = new WeakMap<VmView, { key: string; line: string }>();
  private key = '';

  constructor(private ellipsis = '…') {}

  setLayout(cols: PlacedColumn[], ellipsis: string): void {
    const k = `${layoutKey(cols)}|${ellipsis}`;
    if (k !== this.key) {
      this.key = k;
      this.ellipsis = ellipsis;
      this.cache = new WeakMap();
    }
  }

  line(v: VmView, cols: PlacedColumn[]): string {
    const hit = this.cache.get(v);
    if (hit && hit.key === this.key) return hit.line;
    const line = rowLine(cols, vmCells(v, cols), 1, this.ellipsis);
    this.cache.set(v, { key: this.key, line });
    return line;
  }
}
