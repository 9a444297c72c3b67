// vHealth: findings vmi can compute from the cache, with RVTools' message types (Snapshot,
// VM Tools, CDROM, Storage, Foldername) and its wording where it is known.
import { type Cell, localStamp } from '../cells.js';
import type { ReportData, ReportVm } from '../data.js';
import { headingsOf } from './headings.js';
import { RowBuilder } from './columns.js';

export interface HealthOptions {
  now: Date;
  /** A datastore whose used space is above this percentage of its capacity is reported. */
  datastoreUsedPct: number;
}

const DAY = 86_400_000;

const TOOLS: Record<string, string> = {
  toolsNotRunning: 'VMware tools are not running!',
  toolsOld: 'VMware tools are out of date!',
  toolsNotInstalled: 'VMware tools are not installed!',
};

/** The folder of the VM's configuration file: "[ds1] web01/web01.vmx" -> "web01". */
export function vmxFolder(vmxPath: string | undefined): string | undefined {
  if (!vmxPath) return undefined;
  const m = /^\s*\[[^\]]*\]\s*(.*)$/.exec(vmxPath);
  const parts = (m ? m[1]! : vmxPath).split('/').filter(Boolean);
  return parts.length >= 2 ? parts[parts.length - 2] : undefined;
}

/** The findings about one VM, as [message, message type]. */
export function vmFindings(v: ReportVm, now: Date): Array<[string, string]> {
  const d = v.doc;
  const out: Array<[string, string]> = [];
  if (d.template) return out;
  for (const s of d.snapshots ?? []) {
    const t = s.createdAt ? new Date(s.createdAt) : undefined;
    const age = t ? Math.max(0, Math.floor((now.getTime() - t.getTime()) / DAY)) : undefined;
    out.push([`VM has an active snapshot! ${s.name}${t ? ` created on ${localStamp(t)} (${age} days old)` : ''}`, 'Snapshot']);
  }
  const tools = d.tools?.status ?? d.toolsStatus;
  if (d.powerState === 'poweredOn' && tools && TOOLS[tools]) out.push([TOOLS[tools]!, 'VM Tools']);
  for (const c of d.cdroms ?? []) {
    if (c.connected) out.push([`CD-ROM connected! ${c.label}${c.deviceType ? `: ${c.deviceType}` : ''}`, 'CDROM']);
  }
  const folder = vmxFolder(d.vmxPath);
  if (folder !== undefined && folder !== d.name) out.push([`VM name is not equal to its folder name ${folder}`, 'Foldername']);
  return out;
}

/** vHealth's rows about one VM; `r` is the sheet's RowBuilder. */
export function* vmHealthRows(v: ReportVm, now: Date, r: RowBuilder): Generator<Cell[]> {
  for (const [msg, type] of vmFindings(v, now)) {
    yield r.set('Name', v.doc.name).set('Message', msg).set('Message type', type)
      .set('VI SDK Server', v.src.server).set('VI SDK UUID', v.src.uuid).take();
  }
}

/** vHealth's rows about datastores, after the VMs'. */
export function* datastoreHealthRows(data: ReportData, o: HealthOptions, r = new RowBuilder(headingsOf('vHealth'))): Generator<Cell[]> {
  for (const { src, rec: d } of data.datastores()) {
    if (!d.capacityBytes) continue;
    const used = ((d.capacityBytes - d.freeBytes) / d.capacityBytes) * 100;
    if (used <= o.datastoreUsedPct) continue;
    const free = Math.round((d.freeBytes / d.capacityBytes) * 1000) / 10;
    yield r.set('Name', d.name).set('Message', `Datastore has only ${free}% free space! (more than ${o.datastoreUsedPct}% used)`)
      .set('Message type', 'Storage').set('VI SDK Server', src.server).set('VI SDK UUID', src.uuid).take();
  }
}

export function* healthRows(data: ReportData, o: HealthOptions): Generator<Cell[]> {
  const r = new RowBuilder(headingsOf('vHealth'));
  for (const v of data.vms()) yield* vmHealthRows(v, o.now, r);
  yield* datastoreHealthRows(data, o, r);
}
