// Natural keys of sealed rows. The database keeps only a keyed hash of them (column nkey), which
// gives unique constraints and lookups without storing names or e-mails in plaintext. Re-keying
// recomputes them from here, so this is the one definition.

type Cols = Record<string, unknown>;
type Doc = Record<string, any>;

export const NATURAL_KEYS: Partial<Record<string, (cols: Cols, doc: Doc) => string>> = {
  sources: (_c, d) => String(d.name).toLowerCase(),
  owners: (_c, d) => String(d.email).toLowerCase(),
  settings: (_c, d) => String(d.key),
  vm_tags: (c, d) => `${c.vm_id}|${String(d.tag).toLowerCase()}`,
  vm_custom_fields: (c, d) => `${c.vm_id}|${String(d.key)}`,
  // Inventory: the object's id inside its source. A VM also carries its instance UUID, so a
  // moref reused by a new VM is a new row.
  vms: (c, d) => `${c.source_id}|${d.ref}|${d.instanceUuid ?? ''}`,
  datacenters: (c, d) => `${c.source_id}|${d.ref}`,
  clusters: (c, d) => `${c.source_id}|${d.ref}`,
  hosts: (c, d) => `${c.source_id}|${d.ref}`,
  datastore_clusters: (c, d) => `${c.source_id}|${d.ref}`,
  datastores: (c, d) => `${c.source_id}|${d.ref}`,
  switches: (c, d) => `${c.source_id}|${d.ref}`,
  networks: (c, d) => `${c.source_id}|${d.ref}`,
  vmkernel_adapters: (c, d) => `${c.source_id}|${d.ref}`,
  alarms: (c, d) => `${c.source_id}|${d.ref}`,
  events: (c, d) => `${c.source_id}|${d.ref}`,
};
