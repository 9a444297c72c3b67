// Host detail as lines: where it is, its state and hardware, load now and over time, how it is
// wired (switches, portgroups, physical NICs, VMkernel adapters) and what storage it sees. Pure
// given the model; absent facts show as "—".
import type { Obj } from '../../../model/live.js';
import type { HostRecord, SwitchRecord } from '../../../model/records.js';
import type { AppContext } from '../../context.js';
import { vlanText } from '../../data/network.js';
import { bar, capacityBar, usageTone } from '../../widgets/bars.js';
import { chartLines, resample } from '../../widgets/chart.js';
import { alarmAndEventLines, historyLines } from '../../data/entity.js';
import { DetailBuilder, type DetailLine } from '../../widgets/detail.js';
import { bytesText, localTime, memText, thousands } from '../../widgets/text.js';

/** A source with a session: it can answer for the past. */
export function connected(ctx: AppContext, source: string): boolean {
  const st = ctx.statuses.get(source)?.state;
  return st === 'live' || st === 'syncing' || st === 'waiting';
}

export type TrendWindow = 'hour' | 'day' | 'week';
export const WINDOW_MS: Record<TrendWindow, number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

export interface Sample {
  time: number;
  cpuPct: number;
  memPct: number;
}

/** Fields some platforms and collectors add to a host. */
type HostDoc = HostRecord & {
  nics?: { device: string; speedMb?: number; mac?: string; switch?: string; driver?: string }[];
  hbas?: { device: string; type?: string; model?: string; status?: string; wwn?: string }[];
};

/** "41 d 3 h", "5 h 12 min". */
export function uptimeText(seconds: number | undefined): string | undefined {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return undefined;
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const min = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d} d ${h} h` : `${h} h ${min} min`;
}

function loadNow(d: HostRecord): { cpu: number; mem: number } {
  const cap = (d.cpuMhz ?? 0) * (d.cpuCores ?? 0);
  return {
    cpu: cap > 0 && d.cpuUsageMhz !== undefined ? (d.cpuUsageMhz / cap) * 100 : Number.NaN,
    mem: d.memoryMB && d.memoryUsageMB !== undefined ? (d.memoryUsageMB / d.memoryMB) * 100 : Number.NaN,
  };
}

/** The chart lines of one series over the window, as wide as `w`. */
export function trendLines(samples: Sample[], pick: (s: Sample) => number, w: number, ascii: boolean): string[] {
  const series = samples.map(pick).filter(Number.isFinite);
  if (series.length < 2) return [];
  // Averages per column: resample sums, so divide by how many went in.
  const n = Math.max(2, Math.min(w, series.length));
  const sums = resample(series, n);
  const counts = resample(series.map(() => 1), n);
  return chartLines(sums.map((s, i) => s / (counts[i] || 1)), { height: 5, ascii, min: 0, max: 100, label: (x) => `${Math.round(x)}%` });
}

export function hostLines(ctx: AppContext, h: Obj<HostRecord>, opts: { window: TrendWindow; samples: Sample[]; cols: number; backfill: string | null }): DetailLine[] {
  const m = ctx.model!;
  const d = h.doc as HostDoc;
  const g = ctx.theme.glyphs;
  const b = new DetailBuilder();
  const ascii = g.hline === '-';
  b.head('Host');
  b.kv('Name', d.name).kv('Where', [h.source, d.datacenter ?? '—', d.cluster ?? '(standalone)'].join(` ${g.arrow} `));
  const conn = d.connectionState ?? undefined;
  b.kv('Connection', conn, conn && conn !== 'connected' ? 'bad' : undefined);
  b.kv('Power', d.powerState, d.powerState && d.powerState !== 'poweredOn' ? 'warn' : undefined);
  b.kv('Maintenance', d.maintenance === undefined ? undefined : d.maintenance ? 'YES' : 'no', d.maintenance ? 'warn' : undefined);
  b.kv('Hypervisor', [d.hypervisor === 'ahv' ? 'AHV' : d.hypervisor === 'esxi' ? 'ESXi' : d.hypervisor, d.version, d.build ? `build ${d.build}` : undefined].filter(Boolean).join(' ') || undefined);
  b.kv('Vendor / model', [d.vendor, d.model].filter(Boolean).join(' ') || undefined).kv('Serial', d.serial);
  b.kv('CPU', d.cpuModel);
  b.kv('Sockets / cores', d.cpuPackages !== undefined || d.cpuCores !== undefined ? `${d.cpuPackages ?? '—'} sockets, ${d.cpuCores ?? '—'} cores, ${d.cpuThreads ?? '—'} threads${d.cpuMhz ? ` at ${d.cpuMhz} MHz` : ''}` : undefined);
  b.kv('Memory', d.memoryMB ? memText(d.memoryMB) : undefined).kv('Management IP', d.managementIp);
  // Nutanix nodes: the BMC and the controller VM.
  if (d.ipmiIp !== undefined || d.cvmIp !== undefined) b.kv('IPMI', d.ipmiIp).kv('CVM', d.cvmIp);
  const boot = d.bootTime ? Date.parse(d.bootTime) : Number.NaN;
  const up = d.uptimeSeconds ?? (Number.isFinite(boot) ? (ctx.now() - boot) / 1000 : undefined);
  b.kv('Boot time', Number.isFinite(boot) ? localTime(boot) : undefined).kv('Uptime', uptimeText(up));

  const now = loadNow(d);
  b.head('Load now');
  const bw = 30;
  for (const [label, v] of [['CPU', now.cpu], ['Memory', now.mem]] as const) {
    b.line(`  ${label.padEnd(8)} ${Number.isFinite(v) ? bar(v, bw, g.bar, g.barEmpty) : g.barEmpty.repeat(bw)} ${Number.isFinite(v) ? `${Math.round(v)}%` : '—'}`, usageTone(v, { warn: 75, crit: 90 }));
  }

  const win = opts.window;
  b.head(`Trend, last ${win}  (w: hour, day, week)${opts.backfill ? `  ${opts.backfill}` : ''}`);
  const samples = opts.samples;
  if (samples.length < 2) b.line(`  ${samples.length ? 'one sample' : 'no samples'} in the cache for the last ${win}${connected(ctx, h.source) ? '' : ' (the source is not connected: no history to fetch)'}`, 'muted');
  else {
    const w = Math.max(10, Math.min(opts.cols - 12, 120));
    const span = `${localTime(samples[0].time)} to ${localTime(samples[samples.length - 1].time).slice(11)}, ${thousands(samples.length)} samples`;
    b.line(`  CPU %   ${span}`, 'muted');
    for (const l of trendLines(samples, (s) => s.cpuPct, w, ascii)) b.line(` ${l}`, 'accent');
    b.line('  Memory %', 'muted');
    for (const l of trendLines(samples, (s) => s.memPct, w, ascii)) b.line(` ${l}`, 'info');
  }

  // Networking profile
  const switches = [...m.switches.values()].filter((s) => s.deletedAt === null && s.sourceId === h.sourceId && (s.doc.kind === 'dvs' ? s.doc.hosts.includes(d.name) : s.doc.host === d.name));
  const pgs = [...m.networks.values()].filter((p) => p.deletedAt === null && p.sourceId === h.sourceId && p.doc.hosts.includes(d.name));
  b.head('Networking');
  if (!switches.length && !pgs.length) b.line('  no switches or portgroups in the cache for this host', 'muted');
  const pgLine = (name: string, vlan: string) => `      ${name.padEnd(28)} VLAN ${vlan}`;
  for (const s of switches.sort((a, c) => a.doc.kind.localeCompare(c.doc.kind) || a.doc.name.localeCompare(c.doc.name))) {
    const sw = s.doc as SwitchRecord & { uplinks?: string[] };
    b.line(`  ${sw.kind === 'dvs' ? 'DVS' : 'vSwitch'} ${sw.name}${sw.mtu ? `  MTU ${sw.mtu}` : ''}${sw.uplinks?.length ? `  uplinks ${sw.uplinks.join(', ')}` : ''}`);
    for (const p of pgs.filter((x) => x.doc.switch === sw.name).sort((a, c) => a.doc.name.localeCompare(c.doc.name))) b.line(pgLine(p.doc.name, vlanText(p.doc)));
  }
  const orphan = pgs.filter((p) => !switches.some((s) => s.doc.name === p.doc.switch));
  if (orphan.length) {
    b.line('  other portgroups');
    for (const p of orphan) b.line(pgLine(p.doc.name, vlanText(p.doc)));
  }
  b.head('Physical NICs');
  if (!d.nics) b.line('  — (not collected for this host)', 'muted');
  for (const n of d.nics ?? []) b.line(`  ${n.device.padEnd(8)} ${n.speedMb ? `${n.speedMb >= 1000 ? `${n.speedMb / 1000} Gb/s` : `${n.speedMb} Mb/s`}`.padEnd(10) : 'link down '.padEnd(10)} ${(n.mac ?? '—').padEnd(18)} ${n.switch ?? '(unused)'}`, n.speedMb ? undefined : 'warn');
  b.head('VMkernel adapters');
  const vmks = [...m.vmkernels.values()].filter((v) => v.deletedAt === null && v.sourceId === h.sourceId && v.doc.host === d.name).sort((a, c) => a.doc.device.localeCompare(c.doc.device));
  if (!vmks.length) b.line('  none in the cache', 'muted');
  for (const v of vmks) {
    const x = v.doc as typeof v.doc & { netmask?: string; netStack?: string };
    b.line(`  ${x.device.padEnd(6)} ${(x.ip ? `${x.ip}${x.netmask ? `/${x.netmask}` : ''}` : '—').padEnd(32)} ${(x.mac ?? '—').padEnd(18)} MTU ${String(x.mtu ?? '—').padEnd(5)} ${(x.portgroup ?? '—').padEnd(20)} ${x.netStack ?? 'default'}  ${x.services.join(', ') || 'no services'}`);
  }

  // Storage profile
  b.head('Datastores');
  const byName = new Map([...m.datastores.values()].filter((x) => x.deletedAt === null && x.sourceId === h.sourceId).map((x) => [x.doc.name, x]));
  for (const name of [...d.datastores].sort()) {
    const ds = byName.get(name);
    if (!ds) {
      b.line(`  ${name}`, 'muted');
      continue;
    }
    const x = ds.doc;
    const used = x.capacityBytes - x.freeBytes;
    const pct = x.capacityBytes > 0 ? (used / x.capacityBytes) * 100 : Number.NaN;
    const cb = capacityBar(x.capacityBytes, used, x.provisionedBytes ?? used, 10, g);
    b.line(`  ${name.padEnd(28).slice(0, 28)} ${cb.used}${cb.free}${cb.over.slice(0, 2).padEnd(2)} ${Number.isFinite(pct) ? `${Math.round(pct)}%`.padStart(4) : '   —'} ${bytesText(x.capacityBytes).padStart(8)} ${(x.type ?? '—').padEnd(6)} ${x.shared ? 'shared' : 'local '} ${x.accessible === false ? 'INACCESSIBLE' : ''}`,
      x.accessible === false ? 'bad' : usageTone(pct, { warn: ctx.config.ui.storageWarnPct, crit: ctx.config.ui.storageCritPct }) === 'good' ? undefined : usageTone(pct, { warn: ctx.config.ui.storageWarnPct, crit: ctx.config.ui.storageCritPct }));
  }
  if (!d.datastores.length) b.line('  none', 'muted');
  if (d.hbas?.length) {
    b.head('Storage adapters');
    for (const a of d.hbas) b.line(`  ${a.device.padEnd(8)} ${(a.type ?? '—').padEnd(14)} ${(a.model ?? '—').slice(0, 40).padEnd(40)} ${a.status ?? ''}`);
  }

  // Its VMs, alarms, events
  let vms = 0;
  let on = 0;
  for (const v of m.vms.values()) {
    if (v.deletedAt !== null || v.sourceId !== h.sourceId || v.host !== d.name) continue;
    vms++;
    if (v.power === 'poweredOn') on++;
  }
  b.head(`VMs: ${thousands(vms)} (${thousands(on)} on)  v lists them in the VMs view`);
  alarmAndEventLines(b, m, h.sourceId, d.name, 15);
  historyLines(b, m, 'hosts', h.id, g.arrow);
  return b.lines;
}
