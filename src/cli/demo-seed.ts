// Owners, tags and notes for the demo estate: manual data is not collected from a source, so the
// demo command adds it the way admins would, through the store (and so the audit trail).
import type { VmView } from '../model/vm.js';
import { loadVmViews } from '../store/inventory.js';
import { addOwner, assignOwners, setManual, tagVms } from '../store/manual.js';
import type { Store } from '../store/store.js';
import type { Actor } from '../store/vault.js';

const FIRST = ['Anna', 'Bram', 'Chloé', 'Dmitri', 'Elif', 'Farid', 'Greta', 'Hiroshi', 'Ines', 'Jonas', 'Kavya', 'Lars', 'Maja', 'Nikos', 'Olga', 'Pieter', 'Rania', 'Sven', 'Tomás', 'Zoë'];
const LAST = ['Jansen', 'Müller', 'Novak', 'Okafor', 'Petrov', 'Rossi', 'Schmidt', 'Tanaka', 'Visser', 'Weiß', 'de Vries', 'García'];
const DEPARTMENTS = ['Platform', 'Databases', 'Web', 'Finance IT', 'Security', 'Networks', 'Data', 'Workplace'];
const TITLES = ['Engineer', 'Senior Engineer', 'Team Lead', 'Architect', 'Service Owner'];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The application part of a VM name: "ams-web-014" -> "web", "nyc-k8s-worker-22" -> "k8s-worker". */
function appOf(name: string): string {
  const parts = name.toLowerCase().split(/[-_ ]+/).filter(Boolean);
  return parts.slice(1, -1).join('-') || parts[0] || name;
}

export function seedDemoData(store: Store, actor: Actor, seed: number): { owners: number; assigned: number; tagged: number } {
  const owners: number[] = [];
  for (let i = 0; i < 24; i++) {
    const h = hash(`${seed}:owner:${i}`);
    const first = FIRST[h % FIRST.length];
    const last = LAST[(h >>> 8) % LAST.length];
    const email = `${first}.${last}`.replace(/ß/g, 'ss').normalize('NFD').replace(/[^\w.]/g, '').toLowerCase() + `${i}@corp.example`;
    owners.push(addOwner(store, actor, {
      fullName: `${first} ${last}`, email, department: DEPARTMENTS[(h >>> 12) % DEPARTMENTS.length], designation: TITLES[(h >>> 16) % TITLES.length],
    }));
  }
  const vms = loadVmViews(store).views.filter((v) => v.deletedAt === null && !v.template);
  const byTech = new Map<number, VmView[]>();
  const byBus = new Map<number, VmView[]>();
  const tags = new Map<string, VmView[]>();
  const add = <K>(m: Map<K, VmView[]>, k: K, v: VmView) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  for (const v of vms) {
    const app = appOf(v.name);
    const h = hash(`${seed}:${app}`);
    // About one VM in seven has no technical owner yet: what "owner:none" is for.
    if (hash(`${seed}:${v.name}`) % 7 !== 0) add(byTech, owners[h % owners.length], v);
    if (h % 5 < 3) add(byBus, owners[(h >>> 5) % owners.length], v);
    const cluster = (v.cluster ?? '').toLowerCase();
    if (/prod/.test(cluster) && /web|db|sql|pay|api/.test(app)) add(tags, 'pci', v);
    if (/db|sql|oracle|pg/.test(app)) add(tags, 'backup-gold', v);
    if (/dmz/.test(cluster)) add(tags, 'dmz', v);
    if (/-(old|decom)$/.test(v.name)) add(tags, 'decom', v);
  }
  let assigned = 0;
  for (const [owner, list] of byTech) assigned += assignOwners(store, actor, list, { technical: owner });
  for (const [owner, list] of byBus) assignOwners(store, actor, list, { business: owner });
  let tagged = 0;
  for (const [tag, list] of tags) tagged += tagVms(store, actor, list, tag, true);
  const erp = vms.filter((v) => /erp|sap/.test(appOf(v.name))).slice(0, 50);
  for (const v of erp) setManual(store, actor, v, { project: 'ERP renewal', environment: /dev|test/.test(v.cluster ?? '') ? 'test' : 'production' });
  return { owners: owners.length, assigned, tagged };
}
