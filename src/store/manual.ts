import { VmiError } from '../errors.js';
import type { ManualDoc, OwnerDoc, VmView } from '../model/vm.js';
import type { Store } from './store.js';
import { audit, type Actor } from './vault.js';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function requireAdmin(actor: Actor, what: string): void {
  if (actor.role !== 'admin') throw new VmiError('not-admin', `${what} is for admins only; ${actor.username} is a ${actor.role}`);
}

export interface OwnerInput {
  fullName: string;
  email: string;
  department?: string;
  designation?: string;
}

export function addOwner(store: Store, actor: Actor, input: OwnerInput): number {
  requireAdmin(actor, 'adding an owner');
  const fullName = input.fullName.trim();
  const email = input.email.trim();
  if (!fullName) throw new VmiError('usage', 'an owner needs a name (--name)');
  if (!EMAIL_RE.test(email)) throw new VmiError('usage', `"${email}" is not an e-mail address`);
  const doc: OwnerDoc = { fullName, email, ...(input.department ? { department: input.department } : {}), ...(input.designation ? { designation: input.designation } : {}) };
  return store.write((tx) => {
    if (store.db.prepare('SELECT 1 FROM owners WHERE nkey = ?').get(store.nkey('owners', {}, { email }))) {
      throw new VmiError('conflict', `an owner with e-mail ${email} already exists`);
    }
    const id = tx.insert('owners', { created_at: tx.now, updated_at: tx.now }, doc);
    audit(store, tx, actor, { action: 'owner.add', resourceType: 'OWNER', resourceId: String(id), details: { email } });
    return id;
  });
}

export function updateOwner(store: Store, actor: Actor, id: number, patch: Partial<OwnerInput>): void {
  requireAdmin(actor, 'editing an owner');
  store.write((tx) => {
    const cur = store.readOne<OwnerDoc>('owners', id);
    if (!cur) throw new VmiError('not-found', `no owner #${id}`);
    const next: OwnerDoc = { ...cur.doc, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as OwnerDoc;
    if (!EMAIL_RE.test(next.email)) throw new VmiError('usage', `"${next.email}" is not an e-mail address`);
    if (next.email.toLowerCase() !== cur.doc.email.toLowerCase() && store.db.prepare('SELECT 1 FROM owners WHERE nkey = ?').get(store.nkey('owners', {}, { email: next.email }))) {
      throw new VmiError('conflict', `an owner with e-mail ${next.email} already exists`);
    }
    tx.update('owners', id, { updated_at: tx.now }, next);
    audit(store, tx, actor, { action: 'owner.edit', resourceType: 'OWNER', resourceId: String(id), details: { fields: Object.keys(patch) } });
  });
}

export function findOwnerByEmail(store: Store, email: string): { id: number; doc: OwnerDoc } {
  const row = store.db.prepare('SELECT id FROM owners WHERE nkey = ?').get(store.nkey('owners', {}, { email: email.trim() })) as { id: number } | undefined;
  if (!row) throw new VmiError('not-found', `no owner with e-mail ${email}; add one with "vmi owner add"`);
  return { id: row.id, doc: store.readOne<OwnerDoc>('owners', row.id)!.doc };
}

export interface OwnerListItem extends OwnerDoc {
  id: number;
  technicalVms: number;
  businessVms: number;
}

export function listOwners(store: Store): { owners: OwnerListItem[]; tampered: string[] } {
  const r = store.read<OwnerDoc>('owners');
  const count = (col: string) => new Map((store.db.prepare(
    `SELECT m.${col} AS id, count(*) AS n FROM vm_manual m JOIN vms v ON v.id = m.vm_id WHERE v.deleted_at IS NULL AND m.${col} IS NOT NULL GROUP BY m.${col}`,
  ).all() as { id: number; n: number }[]).map((x) => [x.id, x.n]));
  const tech = count('technical_owner_id');
  const bus = count('business_owner_id');
  const owners = r.rows.map((o) => ({ ...o.doc, id: o.id, technicalVms: tech.get(o.id) ?? 0, businessVms: bus.get(o.id) ?? 0 }))
    .sort((a, b) => a.fullName.localeCompare(b.fullName));
  return { owners, tampered: r.tampered.map((t) => t.message) };
}

function manualOf(store: Store, vmId: number) {
  return store.readOne<ManualDoc, { business_owner_id: number | null; technical_owner_id: number | null }>('vm_manual', vmId, 'vm_id');
}

/** Sets (or clears, with null) the technical and/or business owner of many VMs in one transaction. */
export function assignOwners(store: Store, actor: Actor, vms: VmView[], owners: { technical?: number | null; business?: number | null }): number {
  requireAdmin(actor, 'assigning owners');
  if (owners.technical === undefined && owners.business === undefined) throw new VmiError('usage', 'say which owner to set: --technical EMAIL and/or --business EMAIL');
  let changed = 0;
  store.write((tx) => {
    for (const vm of vms) {
      const cur = manualOf(store, vm.id);
      const tech = owners.technical !== undefined ? owners.technical : (cur?.technical_owner_id ?? null);
      const bus = owners.business !== undefined ? owners.business : (cur?.business_owner_id ?? null);
      if (cur && cur.technical_owner_id === tech && cur.business_owner_id === bus) continue;
      tx.put('vm_manual', 'vm_id', vm.id, { technical_owner_id: tech, business_owner_id: bus, updated_at: tx.now, updated_by: actor.userId }, cur?.doc ?? {});
      audit(store, tx, actor, {
        action: 'vm.assign', resourceType: 'VM', resourceId: String(vm.id),
        details: { technicalOwnerId: { from: cur?.technical_owner_id ?? null, to: tech }, businessOwnerId: { from: cur?.business_owner_id ?? null, to: bus } },
      });
      changed++;
    }
  });
  return changed;
}

export function setManual(store: Store, actor: Actor, vm: VmView, patch: ManualDoc): void {
  requireAdmin(actor, 'editing VM details');
  store.write((tx) => {
    const cur = manualOf(store, vm.id);
    const doc: ManualDoc = { ...(cur?.doc ?? {}), ...patch, overrides: { ...(cur?.doc.overrides ?? {}), ...(patch.overrides ?? {}) } };
    for (const k of Object.keys(doc) as (keyof ManualDoc)[]) if (doc[k] === '' || doc[k] === null) delete doc[k];
    for (const k of Object.keys(doc.overrides!) as (keyof NonNullable<ManualDoc['overrides']>)[]) if (!doc.overrides![k]) delete doc.overrides![k];
    tx.put('vm_manual', 'vm_id', vm.id, {
      technical_owner_id: cur?.technical_owner_id ?? null, business_owner_id: cur?.business_owner_id ?? null, updated_at: tx.now, updated_by: actor.userId,
    }, doc);
    audit(store, tx, actor, { action: 'vm.edit', resourceType: 'VM', resourceId: String(vm.id), details: { fields: Object.keys(patch) } });
  });
}

const TAG_RE = /^[^\s,]{1,64}$/;

export function tagVms(store: Store, actor: Actor, vms: VmView[], tag: string, add: boolean): number {
  requireAdmin(actor, add ? 'adding tags' : 'removing tags');
  if (!TAG_RE.test(tag)) throw new VmiError('usage', `invalid tag "${tag}": 1-64 characters, no spaces or commas`);
  let changed = 0;
  store.write((tx) => {
    for (const vm of vms) {
      const nkey = store.nkey('vm_tags', { vm_id: vm.id }, { tag });
      const row = store.db.prepare('SELECT id FROM vm_tags WHERE nkey = ?').get(nkey) as { id: number } | undefined;
      if (add && !row) {
        tx.insert('vm_tags', { vm_id: vm.id, nkey, created_by: actor.userId, created_at: tx.now }, { tag, createdBy: actor.username });
      } else if (!add && row) {
        tx.delete('vm_tags', row.id);
      } else continue;
      audit(store, tx, actor, { action: add ? 'vm.tag.add' : 'vm.tag.remove', resourceType: 'VM', resourceId: String(vm.id), details: { tag } });
      changed++;
    }
  });
  return changed;
}

export function addManualIp(store: Store, actor: Actor, vm: VmView, ip: string, opts: { primary?: boolean; label?: string } = {}): void {
  requireAdmin(actor, 'editing VM IPs');
  store.write((tx) => {
    tx.insert('vm_manual_ips', { vm_id: vm.id, created_at: tx.now }, { ip, ...opts });
    audit(store, tx, actor, { action: 'vm.ip.add', resourceType: 'VM', resourceId: String(vm.id), details: { ip } });
  });
}

export function setCustomField(store: Store, actor: Actor, vm: VmView, key: string, value: string | null): void {
  requireAdmin(actor, 'editing custom fields');
  store.write((tx) => {
    const nkey = store.nkey('vm_custom_fields', { vm_id: vm.id }, { key });
    const row = store.db.prepare('SELECT id FROM vm_custom_fields WHERE nkey = ?').get(nkey) as { id: number } | undefined;
    if (value === null) {
      if (row) tx.delete('vm_custom_fields', row.id);
    } else if (row) {
      tx.update('vm_custom_fields', row.id, { updated_at: tx.now }, { key, value });
    } else {
      tx.insert('vm_custom_fields', { vm_id: vm.id, nkey, updated_at: tx.now }, { key, value });
    }
    audit(store, tx, actor, { action: 'vm.field', resourceType: 'VM', resourceId: String(vm.id), details: { key } });
  });
}
