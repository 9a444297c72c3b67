// vSphere collector figures against vcsim (npm run bench -- vsphere [--vms 10000] [--runs 3]).
// For a topology of 1 DC, 2 clusters x 10 hosts and N VMs it reports
//  - collector: wall time of connect + collectInventory (first full retrieval), run where the app
//    runs it: in a worker thread with the app worker's resource limits (WORKER_RESOURCE_LIMITS;
//    `vmi sync --once` runs it on the main thread, with V8's default limits),
//  - raw: the same SOAP requests (login, views, view listing, VM batches, hosts, structure,
//    fields, events) sent with undici in the same order and concurrency, bodies read but not
//    parsed,
//  - the ratio, and the process's peak RSS.
// Also checks the 1,000-VM first retrieval.

import { Pool } from 'undici';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { buildVcsim, startVcsim, type Vcsim } from '../test/vcsim/vcsim.js';
import { report } from './util.js';
import { VsphereClient } from '../src/sources/vsphere/soap.js';
import { VM_BATCH, collectInventory } from '../src/sources/vsphere/collect.js';
import { HOST_PATHS, STRUCTURE_PROPS, vmPaths } from '../src/sources/vsphere/convert.js';
import { filterSpecBody, viewObjects, type PropSpec, type Traversal } from '../src/sources/vsphere/props.js';
import { NS, child, esc, moref, parseDocument, text, type MoRef } from '../src/sources/vsphere/xml.js';
import { WORKER_RESOURCE_LIMITS } from '../src/worker/handle.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const ms = (t: number) => Math.round(performance.now() - t);

const batch = arg('batch', VM_BATCH);

type SimAddress = Pick<Vcsim, 'url' | 'username' | 'password' | 'thumbprint'>;
interface CollectorRun {
  total: number;
  connect: number;
  vms: number;
}

export async function collector(sim: SimAddress): Promise<CollectorRun> {
  const t0 = performance.now();
  const c = await VsphereClient.connect({ url: sim.url, username: sim.username, password: sim.password, thumbprint: sim.thumbprint, maxResponseBytes: 1024 * 1024 * 1024 });
  const connect = ms(t0);
  const inv = await collectInventory(c, { vmBatchSize: batch });
  const total = ms(t0);
  await c.close();
  return { total, connect, vms: inv.vms.length };
}

// The collector's side of the bench, in a worker thread like the app's (see CollectorThread).
if (!isMainThread && (workerData as { role?: string } | null)?.role === 'vsphere-collector') {
  const port = parentPort!;
  port.on('message', (sim: SimAddress) => {
    collector(sim).then(
      (r) => port.postMessage({ ok: r }),
      (e: unknown) => port.postMessage({ error: String((e as Error)?.stack ?? e) }),
    );
  });
  port.postMessage({ ready: true });
}

/** A worker thread made like the app's worker, running collector() on request. */
class CollectorThread {
  private readonly worker = new Worker(new URL(import.meta.url), { workerData: { role: 'vsphere-collector' }, resourceLimits: WORKER_RESOURCE_LIMITS });
  private readonly ready = new Promise<void>((resolve, reject) => {
    this.worker.once('message', () => resolve());
    this.worker.once('error', reject);
  });

  async run(sim: Vcsim): Promise<CollectorRun> {
    await this.ready;
    const addr: SimAddress = { url: sim.url, username: sim.username, password: sim.password, thumbprint: sim.thumbprint };
    return new Promise((resolve, reject) => {
      this.worker.once('message', (m: { ok?: CollectorRun; error?: string }) => (m.ok ? resolve(m.ok) : reject(new Error(m.error))));
      this.worker.postMessage(addr);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/** The collector's requests, sent raw: bodies are read and counted, not parsed (small replies
 * such as CreateContainerView are parsed to get the refs the next request needs). */
export async function raw(sim: SimAddress): Promise<{ total: number; bytes: number }> {
  const t0 = performance.now();
  const u = new URL(sim.url);
  const pool = new Pool(u.origin, { connections: 4, connect: { rejectUnauthorized: false }, bodyTimeout: 300_000, headersTimeout: 300_000 });
  let cookie = '';
  let bytes = 0;
  let apiVersion = '6.5';
  const post = async (method: string, thisRef: MoRef, args: string, parse: boolean) => {
    const body = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS.soapenv}" xmlns:xsd="${NS.xsd}" xmlns:xsi="${NS.xsi}"><soapenv:Body><${method} xmlns="${NS.vim}"><_this type="${thisRef.type}">${esc(thisRef.value)}</_this>${args}</${method}></soapenv:Body></soapenv:Envelope>`;
    const res = await pool.request({
      method: 'POST', path: u.pathname, body,
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"urn:vim25/${apiVersion}"`, ...(cookie ? { cookie } : {}) },
    });
    const sc = res.headers['set-cookie'];
    if (sc) cookie = String(Array.isArray(sc) ? sc[0] : sc).split(';')[0]!;
    if (!parse) {
      for await (const chunk of res.body) bytes += (chunk as Buffer).length;
      return undefined;
    }
    const s = await res.body.text();
    bytes += s.length;
    return child(child(parseDocument(s), 'Body')?.kids?.[0], 'returnval');
  };
  const si = { type: 'ServiceInstance', value: 'ServiceInstance' };
  const scn = await post('RetrieveServiceContent', si, '', true);
  apiVersion = text(child(scn, 'about'), 'apiVersion') ?? apiVersion;
  const ref = (n: string) => moref(child(scn, n))!;
  const pc = ref('propertyCollector');
  await post('Login', ref('sessionManager'), `<userName>${esc(sim.username)}</userName><password>${esc(sim.password)}</password>`, true);
  /** Like the collector: list the VM view, then batches of explicit VMs, the next batch sent
   * as soon as the previous body is in (here: read, never parsed). */
  const vmBatches = async () => {
    const v = moref(await post('CreateContainerView', ref('viewManager'), `<container type="Folder">${esc(ref('rootFolder').value)}</container><type>VirtualMachine</type><recursive>true</recursive>`, true))!;
    const listed = await post('RetrievePropertiesEx', pc, `<specSet>${filterSpecBody([{ obj: v }], [{ type: 'ContainerView', paths: ['view'] }])}</specSet><options><maxObjects>500</maxObjects></options>`, true);
    const refs = (child(child(child(listed, 'objects'), 'propSet'), 'val')?.kids ?? []).map((k) => moref(k)!);
    await post('DestroyView', v, '', true);
    for (let i = 0; i < refs.length; i += batch) {
      const objs = refs.slice(i, i + batch).map((obj) => ({ obj }));
      await post('RetrievePropertiesEx', pc, `<specSet>${filterSpecBody(objs, [{ type: 'VirtualMachine', paths: vmPaths({ createDate: false }) }])}</specSet><options><maxObjects>500</maxObjects></options>`, false);
    }
  };
  const view = async (types: string[], props: readonly PropSpec[], more: Traversal[] = []) => {
    const v = moref(await post('CreateContainerView', ref('viewManager'), `<container type="Folder">${esc(ref('rootFolder').value)}</container>${types.map((t) => `<type>${t}</type>`).join('')}<recursive>true</recursive>`, true))!;
    await post('RetrievePropertiesEx', pc, `<specSet>${filterSpecBody(viewObjects(v, more), props)}</specSet><options><maxObjects>500</maxObjects></options>`, false);
    await post('DestroyView', v, '', true);
  };
  const events = async () => {
    const coll = moref(await post('CreateCollectorForEvents', ref('eventManager'), `<filter><time><beginTime>${new Date(Date.now() - 86400_000).toISOString()}</beginTime></time><disableFullMessage>false</disableFullMessage><maxCount>1000</maxCount></filter>`, true))!;
    await post('ReadNextEvents', coll, '<maxCount>500</maxCount>', false);
    await post('ReadNextEvents', coll, '<maxCount>500</maxCount>', false);
    await post('ReadNextEvents', coll, '<maxCount>500</maxCount>', false);
    await post('DestroyCollector', coll, '', true);
  };
  await Promise.all([
    vmBatches(),
    view(['HostSystem'], [{ type: 'HostSystem', paths: HOST_PATHS }]),
    view(['Folder', 'Datacenter', 'ComputeResource', 'ResourcePool', 'StoragePod', 'Network', 'DistributedVirtualSwitch'], STRUCTURE_PROPS, [{ type: 'Datacenter', path: 'datastore' }]),
    post('RetrievePropertiesEx', pc, `<specSet>${filterSpecBody([{ obj: ref('customFieldsManager') }], [{ type: 'CustomFieldsManager', paths: ['field'] }])}</specSet><options><maxObjects>500</maxObjects></options>`, false),
    events(),
  ]);
  await post('Logout', ref('sessionManager'), '', true);
  await pool.close();
  return { total: ms(t0), bytes };
}

export async function vsphereBench(): Promise<void> {
  if (!(await buildVcsim())) {
    console.log('SKIP  vSphere collector figures: Go is not installed, vcsim cannot be built');
    return;
  }
  const vms = arg('vms', 10000);
  const runs = arg('runs', 3);
  const out: Record<string, unknown> = {};
  // One thread for every collector run, like the app's long-lived worker: the 1,000-VM retrieval
  // is its first (cold) one.
  const thread = new CollectorThread();
  try {
    await measure(thread, vms, runs, out);
  } finally {
    await thread.close();
  }
  const r = out as { vms1k: { firstRetrievalMs: number }; vms: number; collectorMs: number[]; rawMs: number[]; ratioMedian: number; peakRssMB: number };
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  report('first full retrieval, 1,000 VMs', `${(r.vms1k.firstRetrievalMs / 1000).toFixed(2)} s`, '< 2 s', r.vms1k.firstRetrievalMs < 2000);
  report(`collector ${r.vms.toLocaleString('en')} VMs vs raw SOAP transfer (${(med(r.rawMs) / 1000).toFixed(2)} s)`, `${(med(r.collectorMs) / 1000).toFixed(2)} s = ${r.ratioMedian}x`, '<= 1.5x raw', r.ratioMedian <= 1.5);
  console.log(`      runs (ms): collector ${r.collectorMs.join(', ')}; raw ${r.rawMs.join(', ')}`);
  console.log(`      peak RSS of the bench process: ${r.peakRssMB} MB`);
}

async function measure(thread: CollectorThread, vms: number, runs: number, out: Record<string, unknown>): Promise<void> {
  // 1,000 VMs: first full retrieval.
  {
    const sim = await startVcsim({ dc: 1, cluster: 2, host: 5, vm: 500, standaloneHost: 0, pod: 0 });
    try {
      const r = await thread.run(sim);
      out['vms1k'] = { vms: r.vms, firstRetrievalMs: r.total, connectMs: r.connect };
    } finally {
      await sim.stop();
    }
  }

  const t = performance.now();
  const sim = await startVcsim({ dc: 1, cluster: 2, host: 10, vm: Math.ceil(vms / 2), standaloneHost: 0, pod: 0, startTimeoutMs: 600_000 });
  out['vcsimStartMs'] = ms(t);
  try {
    const coll: number[] = [];
    const rawT: number[] = [];
    let bytes = 0;
    let n = 0;
    for (let i = 0; i < runs; i++) {
      const r = await raw(sim);
      rawT.push(r.total);
      bytes = r.bytes;
      const c = await thread.run(sim);
      coll.push(c.total);
      n = c.vms;
    }
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    out['vms'] = n;
    out['vmBatch'] = batch;
    out['responseBytes'] = bytes;
    out['collectorMs'] = coll;
    out['rawMs'] = rawT;
    out['ratioMedian'] = Math.round((med(coll) / med(rawT)) * 100) / 100;
    out['peakRssMB'] = Math.round(process.resourceUsage().maxRSS / 1024);
  } finally {
    await sim.stop();
  }
}

