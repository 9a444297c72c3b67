// What a report reads from the cache: the sources it covers, their VMs (limited by --filter),
// the infrastructure objects, and vmi's own history. VM documents are opened once; their JSON is
// kept deflated in blocks of 256 VMs (about 300 bytes a VM instead of 2 KB of text or 4 KB as
// objects) and parsed again when the VM sheets are written (once: one pass feeds them all).
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { TamperedRowError } from '../crypto/keys.js';
import { TamperedRowError as Tampered } from '../crypto/keys.js';
import { VmiError } from '../errors.js';
import { parseFilter } from '../model/filter.js';
import type {
  ClusterRecord, DatastoreClusterRecord, DatastoreRecord, HostRecord, LicenseRecord, Platform, PortgroupRecord,
  ResourcePoolRecord, SourceAbout, SwitchRecord, VmkernelRecord,
} from '../model/records.js';
import { buildVmView, type ManualDoc, type ManualIp, type OwnerDoc, type OwnerRef, type VmDoc } from '../model/vm.js';
import { loadObjects } from '../store/inventory.js';
import { readSourceInfo } from '../store/sourceinfo.js';
import type { Store } from '../store/store.js';

export interface ReportSource {
  id: number;
  name: string;
  platform: Platform;
  /** VI SDK Server: the host name vmi connects to. */
  server: string;
  /** VI SDK UUID: the vCenter's instance UUID (see sourceUuid). */
  uuid: string;
  about: SourceAbout;
  licenses: LicenseRecord[];
  resourcePools: ResourcePoolRecord[];
}

export interface ReportVm {
  id: number;
  src: ReportSource;
  doc: VmDoc;
}

/** Owners sheet: the hand-set data of each VM. */
export interface OwnerLine {
  vmId: number;
  technical?: OwnerRef;
  business?: OwnerRef;
  project?: string;
  environment?: string;
  tags: string[];
}

/** VMs on one host (vHost's counts), over all VMs of the covered sources. */
export interface HostStat {
  total: number;
  on: number;
  vcpus: number; // of powered-on VMs
  vramMB: number;
}

export interface Placed<T> {
  src: ReportSource;
  rec: T;
}

export interface ReportOptions {
  /** Source names (case-insensitive); default all. */
  sources?: string[];
  /** A VMs-view filter expression; limits the VM sheets. */
  filter?: string;
}

/**
 * The vCenter's instance UUID when a sync recorded it; before that (a cache synced by an older
 * vmi), a stable UUID made from the source's name, so that readers that need the column can tell
 * sources apart.
 */
export function sourceUuid(name: string, about: SourceAbout): string {
  if (about.instanceUuid) return about.instanceUuid;
  const h = createHash('sha256').update(`vmi-source:${name.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    // With its port when it is not the default one (two vCenters behind one address).
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

const BLOCK = 256;

export class ReportData {
  readonly sources: ReportSource[] = [];
  readonly tampered: TamperedRowError[] = [];
  readonly owners: OwnerLine[] = [];
  private readonly byId = new Map<number, ReportSource>();
  private blocks: Buffer[] = [];
  private pendingJson: string[] = [];
  private vmIds: number[] = [];
  private vmSrc: ReportSource[] = [];
  /** VMs of the covered sources before --filter. */
  totalVms = 0;
  /** By `${sourceId}|${hostRef}`. */
  readonly hostStats = new Map<string, HostStat>();

  constructor(readonly store: Store, readonly opts: ReportOptions = {}) {
    this.loadSources();
    this.loadVms();
  }

  private take<T>(r: { rows: T[]; tampered: TamperedRowError[] }): T[] {
    this.tampered.push(...r.tampered);
    return r.rows;
  }

  private loadSources(): void {
    const want = this.opts.sources?.length ? new Set(this.opts.sources.map((s) => s.toLowerCase())) : null;
    const rows = this.take(this.store.read<{ name: string; platform: Platform; url?: string }>('sources', 'ORDER BY id'));
    const found = new Set<string>();
    for (const r of rows) {
      const lname = r.doc.name.toLowerCase();
      if (want && !want.has(lname)) continue;
      found.add(lname);
      const info = readSourceInfo(this.store, r.id);
      const about = info?.about ?? {};
      const src: ReportSource = {
        id: r.id, name: r.doc.name, platform: r.doc.platform,
        server: about.host ?? hostOf(r.doc.url) ?? r.doc.name,
        uuid: sourceUuid(r.doc.name, about),
        about, licenses: info?.licenses ?? [], resourcePools: info?.resourcePools ?? [],
      };
      this.sources.push(src);
      this.byId.set(r.id, src);
    }
    if (want) {
      const missing = [...want].filter((w) => !found.has(w));
      if (missing.length) throw new VmiError('usage', `--source "${missing[0]}": no such source in the cache (see vmi source list)`);
    }
  }

  private loadVms(): void {
    const filter = parseFilter(this.opts.filter ?? '');
    const store = this.store;
    const owners = new Map<number, OwnerRef>(this.take(store.read<OwnerDoc>('owners')).map((o) => [o.id, { id: o.id, name: o.doc.fullName, email: o.doc.email }]));
    const manual = new Map(this.take(store.read<ManualDoc, { business_owner_id: number | null; technical_owner_id: number | null }>('vm_manual', '', [], 'vm_id')).map((m) => [m.id, m]));
    const group = <T>(rows: Array<{ vm_id: number; doc: T }>) => {
      const m = new Map<number, T[]>();
      for (const r of rows) (m.get(r.vm_id) ?? m.set(r.vm_id, []).get(r.vm_id)!).push(r.doc);
      return m;
    };
    const tags = group(this.take(store.read<{ tag: string }, { vm_id: number }>('vm_tags', 'ORDER BY id')));
    const ips = group(this.take(store.read<ManualIp, { vm_id: number }>('vm_manual_ips', 'ORDER BY id')));
    const fields = group(this.take(store.read<{ key: string; value: string }, { vm_id: number }>('vm_custom_fields', 'ORDER BY id')));
    const rows = store.db.prepare('SELECT id, source_id, first_seen_at, last_seen_at, doc FROM vms WHERE deleted_at IS NULL ORDER BY id')
      .iterate() as IterableIterator<{ id: number; source_id: number; first_seen_at: number; last_seen_at: number; doc: Buffer }>;
    const dec = new TextDecoder();
    for (const r of rows) {
      const src = this.byId.get(r.source_id);
      if (!src) continue;
      let json: string;
      let doc: VmDoc;
      try {
        json = dec.decode(store.key.openBytes('vms', r.id, r.doc));
        doc = JSON.parse(json) as VmDoc;
      } catch (e) {
        this.tampered.push(e instanceof Tampered ? e : new Tampered('vms', r.id));
        continue;
      }
      this.totalVms++;
      this.countOnHost(r.source_id, doc);
      const m = manual.get(r.id);
      const view = buildVmView({
        id: r.id, sourceId: r.source_id, sourceName: src.name, doc, deletedAt: null, firstSeenAt: r.first_seen_at, lastSeenAt: r.last_seen_at,
        manual: m?.doc,
        technicalOwner: m?.technical_owner_id ? owners.get(m.technical_owner_id) : undefined,
        businessOwner: m?.business_owner_id ? owners.get(m.business_owner_id) : undefined,
        tags: (tags.get(r.id) ?? []).map((t) => t.tag),
        manualIps: ips.get(r.id) ?? [],
        customFields: Object.fromEntries((fields.get(r.id) ?? []).map((f) => [f.key, f.value])),
      });
      if (!filter.test(view)) continue;
      this.vmIds.push(r.id);
      this.keep(json);
      this.vmSrc.push(src);
      this.owners.push({
        vmId: r.id, technical: view.technicalOwner, business: view.businessOwner, project: view.project, environment: view.environment, tags: view.tags,
      });
    }
  }

  private keep(json: string): void {
    this.pendingJson.push(json);
    if (this.pendingJson.length === BLOCK) this.seal();
  }

  private seal(): void {
    if (!this.pendingJson.length) return;
    // JSON text has no raw line breaks: one document per line.
    this.blocks.push(deflateRawSync(this.pendingJson.join('\n'), { level: 1 }));
    this.pendingJson = [];
  }

  private countOnHost(sourceId: number, d: VmDoc): void {
    const h = d.hostRef ?? d.host;
    if (!h || d.template) return;
    const k = `${sourceId}|${h}`;
    let st = this.hostStats.get(k);
    if (!st) this.hostStats.set(k, (st = { total: 0, on: 0, vcpus: 0, vramMB: 0 }));
    st.total++;
    if (d.powerState === 'poweredOn') {
      st.on++;
      st.vcpus += d.cpus;
      st.vramMB += d.memoryMB;
    }
  }

  /** VMs selected by --filter, in cache order; each call parses the documents again. */
  *vms(): Generator<ReportVm> {
    this.seal();
    let i = 0;
    for (const b of this.blocks) {
      for (const line of inflateRawSync(b).toString('utf8').split('\n')) {
        yield { id: this.vmIds[i]!, src: this.vmSrc[i]!, doc: JSON.parse(line) as VmDoc };
        i++;
      }
    }
  }

  get vmCount(): number {
    return this.vmIds.length;
  }

  /** Live objects of one inventory table in the covered sources. */
  objects<T>(table: string): Placed<T>[] {
    const r = loadObjects<T>(this.store, table);
    this.tampered.push(...r.tampered);
    const out: Placed<T>[] = [];
    for (const x of r.rows) {
      const src = this.byId.get(x.cols.source_id as number);
      if (src) out.push({ src, rec: x.doc });
    }
    return out;
  }

  hosts(): Placed<HostRecord>[] { return this.objects<HostRecord>('hosts'); }
  clusters(): Placed<ClusterRecord>[] { return this.objects<ClusterRecord>('clusters'); }
  datastores(): Placed<DatastoreRecord>[] { return this.objects<DatastoreRecord>('datastores'); }
  datastoreClusters(): Placed<DatastoreClusterRecord>[] { return this.objects<DatastoreClusterRecord>('datastore_clusters'); }
  switches(): Placed<SwitchRecord>[] { return this.objects<SwitchRecord>('switches'); }
  portgroups(): Placed<PortgroupRecord>[] { return this.objects<PortgroupRecord>('networks'); }
  vmkernels(): Placed<VmkernelRecord>[] { return this.objects<VmkernelRecord>('vmkernel_adapters'); }

  source(id: number): ReportSource | undefined {
    return this.byId.get(id);
  }
}
