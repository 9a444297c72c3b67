// Full inventory retrieval from one vCenter.

import { emptyInventory, type EventRecord, type Inventory, type LicenseRecord, type SourceAbout, type VmRecord } from '../../model/records.js';
import { VmiError } from '../../errors.js';
import {
  Ctx, HOST_PATHS, STRUCTURE_PROPS, STRUCTURE_VIEW_TYPES, addStructure, convertEvent, convertHost, convertVm,
  detach, newStructure, own, resolveAlarm, resolveHost, resolveStructure, resolveVm, vmPaths, vmSkip,
  type AlarmDraft, type HostDraft, type StructureDrafts, type VmDraft,
} from './convert.js';
import {
  createContainerView, destroyView, filterSpecBody, listView, retrieve, retrieveObjects, viewObjects,
  type ObjectContent, type RetrieveOptions,
} from './props.js';
import type { CallOptions, VsphereClient } from './soap.js';
import { child, children, esc, items, moref, num, text, type MoRef } from './xml.js';

export interface EventWindow {
  /** Only events with a larger key (the last key seen by a previous run). */
  sinceKey?: number;
  /** Only events created at or after this time. */
  sinceTime?: string | Date;
  /** First window when nothing is known yet (default 24 h). */
  windowHours?: number;
  /** Most events returned by one run (default 1000). */
  max?: number;
}

export interface CollectOptions {
  signal?: AbortSignal;
  /** Page size for RetrievePropertiesEx (default 500). */
  maxObjects?: number;
  /** VMs per batch of explicit objects (default VM_BATCH). */
  vmBatchSize?: number;
  /** Event window, or false to skip events. */
  events?: EventWindow | false;
  /** Clock for host samples and the event window (tests). */
  now?: () => Date;
  /** Called as objects arrive. */
  onProgress?: (p: { vms: number; hosts: number; objects: number }) => void;
}

/** Names and parents of everything but VMs, used to resolve references (also by watch()). */
export interface Structure {
  ctx: Ctx;
  drafts: StructureDrafts;
  hosts: HostDraft[];
}

async function withView<T>(client: VsphereClient, types: string[], opts: CallOptions, f: (view: MoRef) => Promise<T>): Promise<T> {
  const view = await createContainerView(client, types, opts);
  try {
    return await f(view);
  } finally {
    await destroyView(client, view);
  }
}

/** VMs per RetrievePropertiesEx in a full retrieval. */
export const VM_BATCH = 1000;

/**
 * All VMs: the container view is listed, then the VMs are read in batches of explicit objects
 * (each paged with maxObjects/tokens). Batch k+1 is requested as soon as batch k has been
 * downloaded, so the server builds the next batch while this one is parsed.
 */
export async function retrieveVms(
  client: VsphereClient,
  onObject: (oc: ObjectContent) => void,
  opts: RetrieveOptions & { batchSize?: number } = {},
): Promise<number> {
  const paths = vmPaths({ createDate: client.apiAtLeast(6, 7) });
  const refs = await withView(client, ['VirtualMachine'], opts, (view) => listView(client, view, opts));
  const size = Math.max(1, opts.batchSize ?? VM_BATCH);
  const batches: MoRef[][] = [];
  for (let i = 0; i < refs.length; i += size) batches.push(refs.slice(i, i + size));
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const running: Array<Promise<number>> = [];
  const start = (k: number) => {
    let started = false;
    const next = () => {
      if (!started && k + 1 < batches.length && !signal.aborted) {
        started = true;
        start(k + 1);
      }
    };
    const p = retrieveObjects(client, batches[k]!, [{ type: 'VirtualMachine', paths }], onObject, { ...opts, signal, skip: vmSkip, onReceived: next });
    p.then(next, () => stop.abort());
    running.push(p);
  };
  if (batches.length) start(0);
  let count = 0;
  for (let i = 0; i < running.length; i++) count += await running[i]!;
  return count;
}

export async function retrieveHosts(client: VsphereClient, onObject: (oc: ObjectContent) => void, opts: RetrieveOptions): Promise<number> {
  return withView(client, ['HostSystem'], opts, (view) =>
    retrieve(client, filterSpecBody(viewObjects(view), [{ type: 'HostSystem', paths: HOST_PATHS }]), onObject, opts),
  );
}

/** Folders, datacenters, clusters, pools, pods, datastores (through Datacenter.datastore: a view
 * does not reach datastores inside a StoragePod on every server), networks, switches. */
export async function retrieveStructure(client: VsphereClient, ctx: Ctx, drafts: StructureDrafts, opts: RetrieveOptions): Promise<number> {
  return withView(client, STRUCTURE_VIEW_TYPES, opts, (view) =>
    retrieve(
      client,
      filterSpecBody(viewObjects(view, [{ type: 'Datacenter', path: 'datastore', skip: false }]), STRUCTURE_PROPS),
      (oc) => addStructure(oc, ctx, drafts),
      opts,
    ),
  );
}

export async function loadFieldNames(client: VsphereClient, ctx: Ctx, opts: CallOptions): Promise<void> {
  const cfm = client.serviceContent.customFieldsManager;
  if (!cfm) return;
  await retrieveObjects(client, [cfm], [{ type: 'CustomFieldsManager', paths: ['field'] }], (oc) => {
    for (const f of items(oc.props.get('field'))) {
      const k = text(f, 'key')?.trim();
      const n = text(f, 'name');
      if (k !== undefined && n !== undefined) ctx.fieldNames.set(own(k), own(n));
    }
  }, opts);
}

export async function loadAlarmNames(client: VsphereClient, ctx: Ctx, alarms: AlarmDraft[], opts: CallOptions): Promise<void> {
  const refs = new Map<string, MoRef>();
  for (const a of alarms) if (!ctx.alarmNames.has(a.alarmRef)) refs.set(a.alarmRef, { type: 'Alarm', value: a.alarmRef });
  if (!refs.size) return;
  await retrieveObjects(client, [...refs.values()], [{ type: 'Alarm', paths: ['info.name'] }], (oc) => {
    const n = text(oc.props.get('info.name'));
    if (n !== undefined) ctx.alarmNames.set(own(oc.obj.value), own(n));
  }, opts).catch((e) => {
    // Alarm names are a nicety: keep the alarm refs rather than failing the whole collection.
    if (e instanceof VmiError && e.reason === 'soap-fault') return;
    throw e;
  });
}

/** Registers hosts in ctx (names, parents) and returns host->datastore mounts by datastore. */
function registerHosts(hosts: HostDraft[], ctx: Ctx): Map<string, string[]> {
  const byDs = new Map<string, string[]>();
  for (const h of hosts) {
    ctx.add(h.rec.ref, 'HostSystem', h.rec.name, h.parent);
    for (const ds of h.datastoreRefs) {
      let l = byDs.get(ds);
      if (!l) byDs.set(ds, (l = []));
      l.push(h.rec.ref);
    }
  }
  return byDs;
}

/** Everything needed to resolve VM and host references, without VMs (used by watch()). */
export async function loadStructure(client: VsphereClient, opts: CollectOptions = {}): Promise<Structure> {
  const ctx = new Ctx();
  const drafts = newStructure();
  const hosts: HostDraft[] = [];
  const now = (opts.now ?? (() => new Date()))();
  const ro: RetrieveOptions = { signal: opts.signal, maxObjects: opts.maxObjects };
  await Promise.all([
    retrieveStructure(client, ctx, drafts, ro),
    retrieveHosts(client, (oc) => hosts.push(convertHost(oc, now)), ro),
    loadFieldNames(client, ctx, ro),
  ]);
  registerHosts(hosts, ctx);
  return { ctx, drafts, hosts };
}

function sinceDate(w: EventWindow, now: Date): Date {
  if (w.sinceTime !== undefined) {
    const d = new Date(w.sinceTime);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return new Date(now.getTime() - (w.windowHours ?? 24) * 3600_000);
}

/**
 * Events in a bounded window through an event history collector (CreateCollectorForEvents +
 * ReadNextEvents), filtered by key and time on our side too and sorted by key: some servers
 * ignore the time filter and return events out of order.
 */
export async function collectEvents(client: VsphereClient, w: EventWindow = {}, opts: CallOptions & { now?: Date } = {}): Promise<EventRecord[]> {
  const em = client.serviceContent.eventManager;
  if (!em) return [];
  const now = opts.now ?? new Date();
  const since = sinceDate(w, now);
  const max = Math.max(1, Math.min(w.max ?? 1000, 1000));
  const filter =
    `<filter><time><beginTime>${esc(since.toISOString())}</beginTime></time>` +
    `<disableFullMessage>false</disableFullMessage><maxCount>${max}</maxCount></filter>`;
  const res = await client.call('CreateCollectorForEvents', em, filter, opts);
  const collector = moref(child(res, 'returnval'));
  if (!collector) return [];
  const out: EventRecord[] = [];
  const seen = new Set<string>();
  try {
    for (let page = 0; page < 20 && out.length < max; page++) {
      const r = await client.call('ReadNextEvents', collector, `<maxCount>${Math.min(500, max)}</maxCount>`, opts);
      const evs = r.kids?.filter((k) => k.name === 'returnval') ?? [];
      if (!evs.length) break;
      for (const e of evs) {
        const rec = convertEvent(e);
        if (!rec || seen.has(rec.ref)) continue;
        seen.add(rec.ref);
        if (w.sinceKey !== undefined && Number(rec.ref) <= w.sinceKey) continue;
        if (rec.time && new Date(rec.time).getTime() < since.getTime()) continue;
        out.push(rec);
      }
    }
  } finally {
    await client.call('DestroyCollector', collector, '', { timeoutMs: 10_000 }).catch(() => undefined);
  }
  out.sort((a, b) => Number(a.ref) - Number(b.ref));
  return out.length > max ? out.slice(out.length - max) : out;
}

/** The vCenter's identity as its service content says, with the host name vmi connects to. */
export function aboutOf(client: VsphereClient): SourceAbout {
  const a = client.serviceContent.about;
  const out: SourceAbout = {};
  let host: string | undefined;
  try {
    host = new URL(client.origin).host;
  } catch {
    host = undefined;
  }
  const all: SourceAbout = {
    host, name: a.name, fullName: a.fullName, version: a.version, build: a.build, apiType: a.apiType, apiVersion: a.apiVersion,
    instanceUuid: a.instanceUuid, osType: a.osType, productLineId: a.productLineId, vendor: a.vendor,
  };
  for (const k of Object.keys(all) as Array<keyof SourceAbout>) if (all[k]) out[k] = own(all[k]!.trim());
  return out;
}

/** The license manager's licenses (vLicense); an account that may not read them gets none. */
export async function collectLicenses(client: VsphereClient, opts: RetrieveOptions): Promise<LicenseRecord[]> {
  const lm = client.serviceContent.licenseManager;
  if (!lm) return [];
  const out: LicenseRecord[] = [];
  try {
    await retrieveObjects(client, [lm], [{ type: 'LicenseManager', paths: ['licenses'] }], (oc) => {
      for (const l of items(oc.props.get('licenses'))) {
        const rec: LicenseRecord = { key: own(text(l, 'licenseKey') ?? ''), name: own(text(l, 'name') ?? '') };
        const total = num(l, 'total');
        if (total !== undefined) rec.total = total;
        const used = num(l, 'used');
        if (used !== undefined) rec.used = used;
        const cu = text(l, 'costUnit');
        if (cu) rec.costUnit = own(cu);
        const features: string[] = [];
        for (const p of children(l, 'properties')) {
          const k = text(p, 'key');
          const v = child(p, 'value');
          if (k === 'expirationDate' && v?.text) {
            const d = new Date(v.text.trim());
            if (!Number.isNaN(d.getTime())) rec.expiresAt = d.toISOString();
          } else if (k === 'feature' && v) {
            const f = text(v, 'value') ?? text(v, 'key');
            if (f) features.push(own(f));
          }
        }
        if (features.length) rec.features = features;
        const labels = children(l, 'labels').map((x) => `${text(x, 'key') ?? ''}=${text(x, 'value') ?? ''}`);
        if (labels.length) rec.labels = labels.map(own);
        out.push(rec);
      }
    }, opts);
  } catch (e) {
    if (e instanceof VmiError && e.reason === 'soap-fault') return [];
    throw e;
  }
  return out;
}

/**
 * One full retrieval. VMs (in pipelined batches), hosts, the rest of the inventory and events
 * are requested concurrently; each page is parsed incrementally and every object is converted as
 * soon as it is complete, with references kept as morefs and resolved to names at the end.
 */
export async function collectInventory(client: VsphereClient, opts: CollectOptions = {}): Promise<Inventory> {
  const now = (opts.now ?? (() => new Date()))();
  const ro: RetrieveOptions = { signal: opts.signal, maxObjects: opts.maxObjects };
  const ctx = new Ctx();
  const drafts = newStructure();
  const hosts: HostDraft[] = [];
  const vms: VmDraft[] = [];
  let objects = 0;
  const progress = () => {
    objects++;
    if (opts.onProgress && (objects & 255) === 0) opts.onProgress({ vms: vms.length, hosts: hosts.length, objects });
  };

  // Events need nothing else: fetch them alongside.
  const eventsP: Promise<EventRecord[]> =
    opts.events === false
      ? Promise.resolve([])
      : collectEvents(client, opts.events ?? {}, { signal: opts.signal, now }).catch((e) => {
          // A broken event subsystem must not hide the inventory.
          if (e instanceof VmiError && e.reason === 'soap-fault') return [];
          throw e;
        });
  const licensesP = collectLicenses(client, ro);
  const [, , , , events, licenses] = await Promise.all([
    retrieveVms(client, (oc) => {
      vms.push(detach(convertVm(oc)));
      progress();
    }, { ...ro, batchSize: opts.vmBatchSize }),
    retrieveHosts(client, (oc) => {
      hosts.push(detach(convertHost(oc, now)));
      progress();
    }, ro),
    retrieveStructure(client, ctx, drafts, ro).then((n) => {
      objects += n;
    }),
    loadFieldNames(client, ctx, ro),
    eventsP,
    licensesP,
  ]);

  const hostDs = registerHosts(hosts, ctx);
  for (const v of vms) ctx.add(v.rec.ref, 'VirtualMachine', v.rec.name, v.folderRef);
  const alarmDrafts: AlarmDraft[] = [...drafts.alarms];
  for (const h of hosts) alarmDrafts.push(...h.alarms);
  for (const v of vms) alarmDrafts.push(...v.alarms);

  await loadAlarmNames(client, ctx, alarmDrafts, ro);

  const inv = emptyInventory();
  const s = resolveStructure(drafts, ctx, hostDs);
  inv.datacenters = s.datacenters;
  inv.resourcePools = s.resourcePools;
  inv.licenses = licenses;
  inv.about = aboutOf(client);
  inv.clusters = s.clusters;
  inv.datastoreClusters = s.datastoreClusters;
  inv.datastores = s.datastores;
  inv.switches = s.switches;
  inv.portgroups = s.portgroups;
  for (const h of hosts) {
    inv.hosts.push(resolveHost(h, ctx));
    inv.vmkernels.push(...h.vmkernels);
    inv.switches.push(...h.switches);
    inv.portgroups.push(...h.portgroups);
    if (h.sample) inv.hostSamples.push(h.sample);
  }
  const vmRecs: VmRecord[] = new Array(vms.length);
  for (let i = 0; i < vms.length; i++) vmRecs[i] = resolveVm(vms[i]!, ctx);
  inv.vms = vmRecs;
  inv.alarms = alarmDrafts.map((a) => resolveAlarm(a, ctx));
  inv.events = events;
  // Names resolved from ctx and the other records are slices of their (smaller) pages.
  for (const k of ['datacenters', 'clusters', 'datastoreClusters', 'datastores', 'switches', 'portgroups', 'alarms', 'events'] as const) detach(inv[k]);
  return inv;
}

