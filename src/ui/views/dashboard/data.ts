// Model -> dashboard figures. Pure; computed once per model version.
import type { Obj, SampleEntry, SyncRunEntry } from '../../../model/live.js';
import type { AlarmRecord, HostRecord, PortgroupRecord } from '../../../model/records.js';
import type { VmView } from '../../../model/vm.js';

export interface DashSource {
  readonly vms: Map<number, VmView>;
  readonly hosts: Map<number, Obj<HostRecord>>;
  readonly networks: Map<number, Obj<PortgroupRecord>>;
  readonly alarms: Map<number, Obj<AlarmRecord>>;
  readonly changeMinutes: Map<number, number>;
  readonly syncRuns: Map<number, SyncRunEntry>;
  readonly samples: Map<number, SampleEntry>;
  readonly sources: Map<number, string>;
}

export interface SourceCount {
  source: string;
  platform: string;
  vms: number;
  on: number;
  off: number;
}

export interface HostLoad {
  id: number;
  name: string;
  source: string;
  cpuPct: number;
  memPct: number;
}

export interface DashboardData {
  vms: number;
  templates: number;
  deleted: number;
  byPlatform: { platform: string; vms: number }[];
  bySource: SourceCount[];
  power: { on: number; off: number; suspended: number; unknown: number };
  networks: { total: number; inUse: number; unused: number };
  changes24h: number;
  changes7d: number;
  /** Changes per hour over the last 7 days, oldest first (168 values). */
  hourly: number[];
  alarms: { critical: number; warning: number; info: number };
  busiestCpu: HostLoad[];
  busiestMem: HostLoad[];
  lastRun: Map<string, SyncRunEntry>;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

export function dashboardData(m: DashSource, now: number, top = 5): DashboardData {
  const power = { on: 0, off: 0, suspended: 0, unknown: 0 };
  const bySource = new Map<string, SourceCount>();
  const byPlatform = new Map<string, number>();
  // Per source, without a string per VM: this runs on every model update while the dashboard shows.
  const usedNets = new Map<number, Set<string>>();
  let vms = 0;
  let templates = 0;
  let deleted = 0;
  for (const v of m.vms.values()) {
    if (v.deletedAt !== null) {
      deleted++;
      continue;
    }
    vms++;
    if (v.template) templates++;
    if (v.power === 'poweredOn') power.on++;
    else if (v.power === 'poweredOff') power.off++;
    else if (v.power === 'suspended') power.suspended++;
    else power.unknown++;
    let s = bySource.get(v.source);
    if (!s) bySource.set(v.source, (s = { source: v.source, platform: v.platform, vms: 0, on: 0, off: 0 }));
    s.vms++;
    if (v.power === 'poweredOn') s.on++;
    else if (v.power === 'poweredOff') s.off++;
    byPlatform.set(v.platform, (byPlatform.get(v.platform) ?? 0) + 1);
    if (v.networks.length) {
      let nets = usedNets.get(v.sourceId);
      if (!nets) usedNets.set(v.sourceId, (nets = new Set()));
      for (const n of v.networks) nets.add(n);
    }
  }
  let netTotal = 0;
  let inUse = 0;
  for (const n of m.networks.values()) {
    if (n.deletedAt !== null) continue;
    netTotal++;
    if ((n.doc.vms ?? 0) > 0 || usedNets.get(n.sourceId)?.has(n.doc.name)) inUse++;
  }
  const hourly = new Array<number>(168).fill(0);
  let changes24h = 0;
  let changes7d = 0;
  const start = now - 168 * HOUR;
  // Counted per minute by the model over its whole history window, not from the changes it holds.
  for (const [minute, n] of m.changeMinutes) {
    const t = minute * MINUTE;
    if (t + MINUTE <= start || t > now) continue;
    const at = Math.max(t, start);
    changes7d += n;
    if (at >= now - 24 * HOUR) changes24h += n;
    hourly[Math.min(167, Math.floor((at - start) / HOUR))] += n;
  }
  const alarms = { critical: 0, warning: 0, info: 0 };
  for (const a of m.alarms.values()) {
    if (a.deletedAt !== null || a.doc.acknowledged) continue;
    if (a.doc.status in alarms) alarms[a.doc.status]++;
  }
  const loads: HostLoad[] = [];
  for (const h of m.hosts.values()) {
    if (h.deletedAt !== null) continue;
    const d = h.doc;
    const capMhz = (d.cpuMhz ?? 0) * (d.cpuCores ?? 0);
    let cpuPct = capMhz > 0 && d.cpuUsageMhz !== undefined ? (d.cpuUsageMhz / capMhz) * 100 : Number.NaN;
    let memPct = d.memoryMB && d.memoryUsageMB !== undefined ? (d.memoryUsageMB / d.memoryMB) * 100 : Number.NaN;
    const last = m.samples.get(h.id);
    if (Number.isNaN(cpuPct) && last) cpuPct = last.cpuPct;
    if (Number.isNaN(memPct) && last) memPct = last.memPct;
    loads.push({ id: h.id, name: d.name, source: h.source, cpuPct: Number.isNaN(cpuPct) ? 0 : cpuPct, memPct: Number.isNaN(memPct) ? 0 : memPct });
  }
  const lastRun = new Map<string, SyncRunEntry>();
  for (const r of m.syncRuns.values()) {
    const name = m.sources.get(r.sourceId);
    if (!name || r.finishedAt === null) continue;
    const prev = lastRun.get(name);
    if (!prev || (prev.finishedAt ?? 0) < r.finishedAt) lastRun.set(name, r);
  }
  return {
    vms, templates, deleted,
    byPlatform: [...byPlatform].map(([platform, n]) => ({ platform, vms: n })).sort((a, b) => b.vms - a.vms),
    bySource: [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source)),
    power,
    networks: { total: netTotal, inUse, unused: netTotal - inUse },
    changes24h, changes7d, hourly, alarms,
    busiestCpu: loads.slice().sort((a, b) => b.cpuPct - a.cpuPct).slice(0, top),
    busiestMem: loads.slice().sort((a, b) => b.memPct - a.memPct).slice(0, top),
    lastRun,
  };
}
