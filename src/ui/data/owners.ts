// Owners with the number of VMs each owns, counted once per model version.
import type { LiveModel, OwnerEntry } from '../../model/live.js';

export type OwnerCounts = Map<number, { tech: number; bus: number }>;

const memo = new WeakMap<object, { version: number; counts: OwnerCounts; sorted: OwnerEntry[] }>();

function get(m: LiveModel) {
  const hit = memo.get(m);
  if (hit && hit.version === m.version) return hit;
  const counts: OwnerCounts = new Map();
  const of = (id: number) => {
    let x = counts.get(id);
    if (!x) counts.set(id, (x = { tech: 0, bus: 0 }));
    return x;
  };
  for (const v of m.vms.values()) {
    if (v.deletedAt !== null) continue;
    if (v.technicalOwner) of(v.technicalOwner.id).tech++;
    if (v.businessOwner) of(v.businessOwner.id).bus++;
  }
  const sorted = [...m.owners.values()].sort((a, b) => a.fullName.localeCompare(b.fullName));
  const value = { version: m.version, counts, sorted };
  memo.set(m, value);
  return value;
}

/** VMs per owner, as technical and as business owner. */
export function ownerCounts(m: LiveModel): OwnerCounts {
  return get(m).counts;
}

/** Every owner, by name. */
export function ownersByName(m: LiveModel): OwnerEntry[] {
  return get(m).sorted;
}
