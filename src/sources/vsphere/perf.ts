// Host CPU and memory history from vCenter's PerformanceManager (QueryPerf), for trend charts.

import { VmiError } from '../../errors.js';
import type { HostSampleRecord } from '../../model/records.js';
import { retrieveObjects } from './props.js';
import type { CallOptions, VsphereClient } from './soap.js';
import { morefXml } from './soap.js';
import { child, children, esc, items, num, text, type XNode } from './xml.js';

/** The two counters a host chart needs; both are percentages in hundredths (level 1, every interval). */
const CPU = 'cpu.usage.average';
const MEM = 'mem.usage.average';

// Counter keys differ between vCenters in principle: looked up once per client by name.
const counterCache = new WeakMap<VsphereClient, Promise<Map<string, number>>>();

/** "group.name.rollup" -> counter key, from PerformanceManager.perfCounter. */
export function counterKeys(client: VsphereClient, opts: CallOptions = {}): Promise<Map<string, number>> {
  let p = counterCache.get(client);
  if (!p) {
    p = readCounters(client, opts);
    counterCache.set(client, p);
    // A failed lookup is not remembered: the next backfill asks again.
    p.catch(() => counterCache.delete(client));
  }
  return p;
}

async function readCounters(client: VsphereClient, opts: CallOptions): Promise<Map<string, number>> {
  const pm = client.serviceContent.perfManager;
  if (!pm) throw new VmiError('bad-response', `vCenter ${client.label}: no PerformanceManager`);
  const out = new Map<string, number>();
  await retrieveObjects(client, [pm], [{ type: 'PerformanceManager', paths: ['perfCounter'] }], (oc) => {
    for (const c of items(oc.props.get('perfCounter'))) {
      const key = num(c, 'key');
      const group = text(child(c, 'groupInfo'), 'key');
      const name = text(child(c, 'nameInfo'), 'key');
      const rollup = text(c, 'rollupType');
      if (key !== undefined && group && name && rollup) out.set(`${group}.${name}.${rollup}`, key);
    }
  }, opts);
  return out;
}

export interface PerfWindow {
  /** Sample interval: 20 (realtime), 300, 1800, ... */
  intervalS: number;
  start: Date;
  end: Date;
}

/** The QueryPerf arguments for one host's CPU and memory usage (exported for tests). */
export function queryPerfArgs(hostRef: string, cpu: number, mem: number, w: PerfWindow): string {
  // vcsim answers at most maxSample samples and none without it; vCenter ignores it for
  // historical intervals and uses it to cap realtime ones.
  const maxSample = Math.ceil((w.end.getTime() - w.start.getTime()) / (w.intervalS * 1000)) + 1;
  const metric = (id: number) => `<metricId><counterId>${id}</counterId><instance></instance></metricId>`;
  return `<querySpec>${morefXml('entity', { type: 'HostSystem', value: hostRef })}` +
    `<startTime>${esc(w.start.toISOString())}</startTime><endTime>${esc(w.end.toISOString())}</endTime>` +
    `<maxSample>${maxSample}</maxSample>${metric(cpu)}${metric(mem)}<intervalId>${w.intervalS}</intervalId><format>normal</format></querySpec>`;
}

/** Percent from hundredths of a percent; -1 (no value) and garbage are dropped. */
function pct(v: number | undefined): number | undefined {
  if (v === undefined || !Number.isFinite(v) || v < 0) return undefined;
  return Math.min(100, Math.round(v) / 100);
}

/**
 * Samples of a QueryPerf response for one host: PerfEntityMetric (format "normal") or
 * PerfEntityMetricCSV, CPU and memory by counter key, oldest first. A time with either value
 * missing is left out.
 */
export function parseQueryPerf(res: XNode, hostRef: string, cpu: number, mem: number): HostSampleRecord[] {
  const byTime = new Map<number, { cpu?: number; mem?: number }>();
  for (const m of children(res, 'returnval')) {
    let times: number[];
    const series: Array<{ id: number | undefined; values: number[] }> = [];
    if (m.type === 'PerfEntityMetricCSV' || child(m, 'sampleInfoCSV')) {
      // "interval,timestamp,interval,timestamp,..."
      const parts = (text(m, 'sampleInfoCSV') ?? '').split(',');
      times = [];
      for (let i = 1; i < parts.length; i += 2) times.push(Date.parse(parts[i]!.trim()));
      for (const v of children(m, 'value')) {
        series.push({ id: num(child(v, 'id'), 'counterId'), values: (text(v, 'value') ?? '').split(',').map((x) => (x.trim() === '' ? NaN : Number(x))) });
      }
    } else {
      times = children(m, 'sampleInfo').map((s) => Date.parse(text(s, 'timestamp') ?? ''));
      for (const v of children(m, 'value')) {
        series.push({ id: num(child(v, 'id'), 'counterId'), values: children(v, 'value').map((x) => Number(x.text)) });
      }
    }
    for (const s of series) {
      const field = s.id === cpu ? 'cpu' : s.id === mem ? 'mem' : undefined;
      if (!field) continue;
      s.values.forEach((raw, i) => {
        const t = times[i];
        const v = pct(raw);
        if (t === undefined || !Number.isFinite(t) || v === undefined) return;
        let e = byTime.get(t);
        if (!e) byTime.set(t, (e = {}));
        e[field] = v;
      });
    }
  }
  const out: HostSampleRecord[] = [];
  for (const t of [...byTime.keys()].sort((a, b) => a - b)) {
    const e = byTime.get(t)!;
    if (e.cpu !== undefined && e.mem !== undefined) out.push({ host: hostRef, time: new Date(t).toISOString(), cpuPct: e.cpu, memPct: e.mem });
  }
  return out;
}

/**
 * A host's CPU and memory usage history over a window. The end is rounded down to the
 * interval, so samples fall on the interval's grid and a second backfill meets the same times.
 */
export async function queryHostHistory(client: VsphereClient, hostRef: string, w: PerfWindow, opts: CallOptions = {}): Promise<HostSampleRecord[]> {
  const keys = await counterKeys(client, opts);
  const cpu = keys.get(CPU);
  const mem = keys.get(MEM);
  if (cpu === undefined || mem === undefined) {
    throw new VmiError('bad-response', `vCenter ${client.label}: the performance counters ${CPU} and ${MEM} are not available`);
  }
  const step = w.intervalS * 1000;
  const end = new Date(Math.floor(w.end.getTime() / step) * step);
  const start = new Date(Math.floor(w.start.getTime() / step) * step);
  const res = await client.call('QueryPerf', client.serviceContent.perfManager!, queryPerfArgs(hostRef, cpu, mem, { intervalS: w.intervalS, start, end }), opts);
  return parseQueryPerf(res, hostRef, cpu, mem);
}
