import { parseFilter } from '../model/filter.js';
import type { VmView } from '../model/vm.js';
import { loadVmViews, type VmWithDoc } from '../store/inventory.js';
import type { Store } from '../store/store.js';
import type { IO } from './run.js';
import { mb } from './io.js';

/** Loads the VMs a --filter expression selects; tampered rows are reported on stderr. */
export function selectVms(store: Store, io: IO, filter: string | undefined): { vms: VmWithDoc[]; total: number; tampered: number } {
  const f = parseFilter(filter ?? '');
  const all = loadVmViews(store);
  for (const t of all.tampered) io.err(`vmi: ${t.message}\n`);
  return { vms: all.views.filter(f.test), total: all.views.filter((v) => v.deletedAt === null).length, tampered: all.tampered.length };
}

const mark = (v: VmView, f: VmView['overridden'][number], s: string | undefined) => (v.overridden.includes(f) ? `${s ?? ''}*` : s ?? '');
const power = (p: string) => (p === 'poweredOn' ? 'on' : p === 'poweredOff' ? 'off' : p);

export const VM_TABLE_HEADERS = ['NAME', 'POWER', 'CPU', 'MEM', 'DISK', 'IP', 'HOST', 'CLUSTER', 'VCENTER', 'OS', 'TECH OWNER', 'BUS OWNER', 'TAGS'];

export function vmTableRow(v: VmView): string[] {
  return [
    v.deletedAt ? `${v.name} (deleted)` : v.name,
    mark(v, 'power', power(v.power)),
    String(v.cpus),
    mb(v.memoryMB),
    `${Math.round(v.diskGB)} GB`,
    v.primaryIp ?? '',
    v.host ?? '',
    mark(v, 'cluster', v.cluster),
    v.source,
    mark(v, 'os', v.os),
    v.technicalOwner?.email ?? '',
    v.businessOwner?.email ?? '',
    v.tags.join(','),
  ];
}

/** JSON shape of a VM for scripts: the effective view plus NICs and disks. */
export function vmJson(v: VmWithDoc): Record<string, unknown> {
  const { doc, guestIps: _g, guestPrimaryIp: _p, seq: _s, ...rest } = v;
  return { ...rest, nics: doc.nics, disks: doc.disks, annotation: doc.annotation, guestOsTools: doc.guestOsTools, toolsStatus: doc.toolsStatus, createdAt: doc.createdAt };
}
