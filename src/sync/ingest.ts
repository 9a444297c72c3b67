// JSON ingest: a versioned document ("format": "vmi-ingest/1") of VMs, and optionally hosts,
// datastores and networks, from an n8n workflow, a CMDB export or a script. Validated whole
// (nothing is applied when any part is wrong), then written through the same diff, change history
// and sealing as a sync.
import { z } from 'zod';
import { VmiError } from '../errors.js';
import { emptyInventory, osFamilyOf, type DatastoreRecord, type HostRecord, type Inventory, type PortgroupRecord, type VmRecord } from '../model/records.js';
import type { Store } from '../store/store.js';
import { acquireLease, releaseLease } from '../worker/lease.js';
import { SourceWriter, type ApplyResult } from './apply.js';

export const INGEST_FORMAT = 'vmi-ingest/1';
export const MAX_PROBLEMS = 20;

const id = z.string().min(1).max(512);
const name = z.string().min(1).max(1024);
const text = z.string().max(65_536);
const count = z.number().int().min(0).max(1_000_000);
const size = z.number().min(0).max(1e12);
const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date and time');

const Disk = z.object({ label: name, sizeGB: size, datastore: name.optional(), thin: z.boolean().optional() });
const Nic = z.object({
  label: name, mac: z.string().max(64).optional(), network: name.optional(), connected: z.boolean().optional(),
  ipv4: z.array(z.ipv4()).max(256).default([]), ipv6: z.array(z.ipv6()).max(256).default([]),
});
const Vm = z.object({
  id, name,
  power: z.enum(['on', 'off', 'suspended', 'unknown']).default('unknown'),
  template: z.boolean().default(false),
  cpus: count.default(0), sockets: count.optional(), coresPerSocket: count.optional(),
  memoryMB: size.default(0),
  guestOs: text.optional(), hostname: text.optional(),
  host: name.optional(), cluster: name.optional(), datacenter: name.optional(), folder: text.optional(), resourcePool: text.optional(),
  disks: z.array(Disk).max(1024).default([]),
  nics: z.array(Nic).max(1024).default([]),
  annotation: text.optional(), createdAt: time.optional(),
  instanceUuid: z.string().max(128).optional(), biosUuid: z.string().max(128).optional(),
  attributes: z.record(z.string().max(256), z.string().max(4096)).default({}),
  hypervisor: z.string().max(64).optional(),
});
const Host = z.object({
  id, name, cluster: name.optional(), datacenter: name.optional(), vendor: text.optional(), model: text.optional(), serial: text.optional(),
  cpuModel: text.optional(), cpuPackages: count.optional(), cpuCores: count.optional(), cpuThreads: count.optional(), cpuMhz: size.optional(),
  memoryMB: size.optional(), version: text.optional(), managementIp: z.string().max(64).optional(), hypervisor: z.string().max(64).optional(),
});
const Datastore = z.object({
  id, name, type: z.string().max(64).optional(), capacityGB: size, freeGB: size, hosts: z.array(name).max(100_000).default([]),
  shared: z.boolean().optional(),
});
const Network = z.object({ id, name, vlan: z.number().int().min(0).max(4095).optional(), switch: name.optional() });

export const IngestSchema = z.object({
  format: z.literal(INGEST_FORMAT),
  source: z.string().optional(),
  generatedAt: time.optional(),
  vms: z.array(Vm),
  hosts: z.array(Host).optional(),
  datastores: z.array(Datastore).optional(),
  networks: z.array(Network).optional(),
});
export type IngestDocument = z.infer<typeof IngestSchema>;

export interface Problem {
  path: string;
  reason: string;
}

function pathOf(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || '(top level)';
}

/** Ids must be unique per list: the id is the object's identity in the cache. */
function duplicates(doc: IngestDocument): Problem[] {
  const out: Problem[] = [];
  for (const key of ['vms', 'hosts', 'datastores', 'networks'] as const) {
    const first = new Map<string, number>();
    (doc[key] ?? []).forEach((o, i) => {
      const j = first.get(o.id);
      if (j === undefined) first.set(o.id, i);
      else out.push({ path: `${key}[${i}].id`, reason: `duplicate id "${o.id.slice(0, 80)}" (first at ${key}[${j}])` });
    });
  }
  return out;
}

export class IngestInvalid extends VmiError {
  constructor(readonly problems: Problem[], readonly total: number) {
    super('ingest-invalid', `the ingest document was rejected: ${total} problem${total === 1 ? '' : 's'}; nothing was applied`);
  }
}

/** Parses and validates a document; throws IngestInvalid with the first problems. */
export function parseIngest(textIn: string): IngestDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(textIn);
  } catch (e) {
    throw new IngestInvalid([{ path: '(document)', reason: `not JSON: ${(e as Error).message.slice(0, 200)}` }], 1);
  }
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'format' in raw && (raw as { format: unknown }).format !== INGEST_FORMAT) {
    const f = (raw as { format: unknown }).format;
    throw new IngestInvalid([{ path: 'format', reason: `unsupported format ${JSON.stringify(f)?.slice(0, 80)}; this vmi reads "${INGEST_FORMAT}"` }], 1);
  }
  const r = IngestSchema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => ({ path: pathOf(i.path), reason: i.message }));
    throw new IngestInvalid(problems.slice(0, MAX_PROBLEMS), problems.length);
  }
  const dup = duplicates(r.data);
  if (dup.length) throw new IngestInvalid(dup.slice(0, MAX_PROBLEMS), dup.length);
  return r.data;
}

const POWER = { on: 'poweredOn', off: 'poweredOff', suspended: 'suspended', unknown: 'unknown' } as const;
const GiB = 1024 ** 3;

export function toInventory(doc: IngestDocument): Inventory {
  const inv = emptyInventory();
  for (const v of doc.vms) {
    const rec: VmRecord = {
      ref: v.id, name: v.name, powerState: POWER[v.power], template: v.template, osFamily: osFamilyOf(v.guestOs),
      cpus: v.cpus, memoryMB: v.memoryMB,
      disks: v.disks.map((d, i) => ({ key: String(i), label: d.label, sizeGB: d.sizeGB, ...(d.datastore ? { datastore: d.datastore } : {}), ...(d.thin !== undefined ? { thin: d.thin } : {}) })),
      nics: v.nics.map((n, i) => ({ key: String(i), label: n.label, ...(n.mac ? { mac: n.mac.toLowerCase() } : {}), ...(n.network ? { network: n.network } : {}), ...(n.connected !== undefined ? { connected: n.connected } : {}), ipv4: n.ipv4, ipv6: n.ipv6 })),
      datastores: [...new Set(v.disks.map((d) => d.datastore).filter((x): x is string => !!x))],
      networks: [...new Set(v.nics.map((n) => n.network).filter((x): x is string => !!x))],
      customAttributes: v.attributes,
    };
    for (const k of ['sockets', 'coresPerSocket', 'guestOs', 'hostname', 'host', 'cluster', 'datacenter', 'folder', 'resourcePool', 'annotation', 'createdAt', 'instanceUuid', 'biosUuid', 'hypervisor'] as const) {
      if (v[k] !== undefined) (rec as unknown as Record<string, unknown>)[k] = v[k];
    }
    inv.vms.push(rec);
  }
  for (const h of doc.hosts ?? []) {
    const { id: ref, ...rest } = h;
    inv.hosts.push({ ref, ...rest, datastores: (doc.datastores ?? []).filter((d) => d.hosts.includes(h.name)).map((d) => d.name) } as HostRecord);
  }
  for (const d of doc.datastores ?? []) {
    const vms = doc.vms.filter((v) => v.disks.some((k) => k.datastore === d.name)).length;
    inv.datastores.push({ ref: d.id, name: d.name, ...(d.type ? { type: d.type } : {}), capacityBytes: Math.round(d.capacityGB * GiB), freeBytes: Math.round(d.freeGB * GiB), shared: d.shared ?? d.hosts.length > 1, hosts: d.hosts, vms } satisfies DatastoreRecord);
  }
  for (const n of doc.networks ?? []) {
    const vms = doc.vms.filter((v) => v.nics.some((k) => k.network === n.name)).length;
    inv.portgroups.push({ ref: n.id, name: n.name, kind: 'network', ...(n.vlan !== undefined ? { vlan: n.vlan } : {}), ...(n.switch ? { switch: n.switch } : {}), hosts: [], vms } satisfies PortgroupRecord);
  }
  return inv;
}

export interface IngestChange {
  kind: string;
  name: string;
  type: string;
  field: string;
  old: string | null;
  new: string | null;
}

export interface IngestOutcome {
  result: ApplyResult;
  /** The change rows the document made (or would make, with dryRun). */
  changes: IngestChange[];
  leasedBy?: string;
}

const ROLLBACK = Symbol('dry run');

/**
 * Applies a document to an ingest source. Complete (default): the VMs (and each list the document
 * has) are the source's whole content, so those missing are marked deleted; lists it does not
 * have are left as they are. Partial: only the objects listed are written. dryRun: everything is
 * computed in a transaction that is rolled back.
 */
export function applyIngest(store: Store, source: { name: string; url?: string }, doc: IngestDocument, o: { partial?: boolean; dryRun?: boolean; holder: string }): IngestOutcome {
  const inv = toInventory(doc);
  const tables = new Set<keyof Inventory>(['vms']);
  if (doc.hosts) tables.add('hosts');
  if (doc.datastores) tables.add('datastores');
  if (doc.networks) tables.add('portgroups');
  const run = (): IngestOutcome => {
    const seq = store.currentSeq();
    const writer = new SourceWriter(store, { name: source.name, platform: 'ingest', url: source.url });
    const lease = acquireLease(store.db, writer.sourceId, o.holder);
    if (!lease.ok) return { result: undefined as never, changes: [], leasedBy: lease.holder };
    try {
      const runId = writer.startRun('ingest');
      const started = Date.now();
      let result: ApplyResult;
      try {
        result = o.partial ? writer.applyPartial(inv, runId) : writer.applyFull(inv, runId, started, { tables });
      } catch (e) {
        const err = e instanceof VmiError ? e : new VmiError('internal', String((e as Error)?.message ?? e));
        writer.failRun(runId, err.reason, err.message);
        throw err;
      }
      const changes = store.read<{ type: string; field: string; old: string | null; new: string | null; name?: string }, { object_table: string }>('changes', 'WHERE seq > ? AND source_id = ? ORDER BY id', [seq, writer.sourceId]).rows
        .map((r) => ({ kind: r.object_table, name: r.doc.name ?? '?', type: r.doc.type, field: r.doc.field, old: r.doc.old, new: r.doc.new }));
      return { result, changes };
    } finally {
      if (!o.dryRun) releaseLease(store.db, writer.sourceId, o.holder);
    }
  };
  if (!o.dryRun) return run();
  let out: IngestOutcome | undefined;
  try {
    store.db.transaction(() => {
      out = run();
      throw ROLLBACK;
    })();
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return out!;
}
