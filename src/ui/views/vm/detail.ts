// One VM -> the lines of its detail view: facts, NICs, disks, placement, owners, tags, custom
// fields, manual data, overrides beside the synced values, change history and alarms. Pure.
import type { ChangeEntry, Obj } from '../../../model/live.js';
import type { AlarmRecord } from '../../../model/records.js';
import type { VmDoc, VmView } from '../../../model/vm.js';
import type { Tone } from '../../widgets/theme.js';
import { gbText, localTime, memText } from '../../widgets/text.js';

export interface DetailLine {
  text: string;
  tone?: Tone;
}

export const LIFECYCLE = new Set(['created', 'deleted', 'reappeared']);
const POWER: Record<string, string> = { poweredOn: 'on', poweredOff: 'off', suspended: 'suspended', unknown: 'unknown' };

/** `d` is the VM's synced document, read from the cache for this view. */
export function vmDetailLines(v: VmView, d: VmDoc, history: ChangeEntry[], alarms: Obj<AlarmRecord>[], arrow = '->'): DetailLine[] {
  const out: DetailLine[] = [];
  const head = (t: string) => {
    if (out.length) out.push({ text: '' });
    out.push({ text: t, tone: 'heading' });
  };
  const kv = (k: string, val: string | number | undefined | null, tone?: Tone) => {
    if (val === undefined || val === null || val === '') return;
    out.push({ text: `  ${k.padEnd(16)} ${val}`, tone });
  };
  const withSynced = (k: string, field: VmView['overridden'][number], eff: string | undefined, synced: string | undefined) => {
    if (v.overridden.includes(field)) out.push({ text: `  ${k.padEnd(16)} ${eff ?? ''}*  (manual; synced: ${synced || '-'})`, tone: 'marked' });
    else kv(k, eff);
  };

  head('Facts');
  if (v.deletedAt) kv('Deleted', `${localTime(v.deletedAt)}${d.deleteReason ? `: ${d.deleteReason}` : ''} (kept in the cache)`, 'bad');
  withSynced('Power', 'power', POWER[v.power], POWER[v.synced.power]);
  kv('vCPU', `${v.cpus}${v.sockets ? ` (${v.sockets} sockets x ${v.coresPerSocket ?? 1} cores)` : ''}`);
  kv('Memory', memText(v.memoryMB));
  kv('Disk', `${gbText(Math.round(v.diskGB * 10) / 10)} in ${v.diskCount} disk${v.diskCount === 1 ? '' : 's'}`);
  withSynced('Guest OS', 'os', v.os, v.synced.os);
  kv('OS family', v.osFamily);
  withSynced('Hostname', 'hostname', v.hostname, v.synced.hostname);
  kv('Primary IP', v.primaryIp);
  kv('Template', v.template ? 'yes' : undefined);
  kv('Tools', d.toolsStatus);
  kv('Instance UUID', v.instanceUuid);
  kv('BIOS UUID', v.biosUuid);
  kv('Id in source', v.ref);
  kv('Platform', v.platform);
  kv('vCenter', v.source);
  kv('Created', d.createdAt ? localTime(Date.parse(d.createdAt)) : undefined);
  kv('First seen', localTime(v.firstSeenAt));
  kv('Last seen', localTime(v.lastSeenAt));
  if (d.annotation) kv('Annotation', d.annotation.replace(/\s+/g, ' '));

  head('Placement');
  kv('Datacenter', v.datacenter);
  withSynced('Cluster', 'cluster', v.cluster, v.synced.cluster);
  kv('Host', v.host);
  kv('Resource pool', d.resourcePoolPath ?? d.resourcePool);
  kv('Folder', d.folderPath ?? d.folder);

  head('Owners, tags and manual data');
  kv('Technical owner', v.technicalOwner ? `${v.technicalOwner.name} <${v.technicalOwner.email}>` : '(none)');
  kv('Business owner', v.businessOwner ? `${v.businessOwner.name} <${v.businessOwner.email}>` : '(none)');
  kv('Tags', v.tags.length ? v.tags.join(', ') : '(none)');
  kv('Project', v.project);
  kv('Environment', v.environment);
  kv('Notes', v.notes?.replace(/\s+/g, ' '));
  for (const [k, val] of Object.entries(v.customFields).sort()) kv(`field ${k}`, val);
  for (const [k, val] of Object.entries(d.customAttributes ?? {}).sort()) kv(`attr ${k}`, val);

  // Report facts, after what people edit: only when the source gave any.
  const hwAt = out.length;
  head('Hardware and guest');
  const hwHead = out.length;
  const yn = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'yes' : 'no');
  kv('Firmware', d.firmware);
  kv('HW version', d.hwVersion);
  kv('CBT', yn(d.changeTracking));
  kv('EnableUUID', yn(d.enableUuid));
  kv('Connection', d.connectionState, d.connectionState && d.connectionState !== 'connected' ? 'bad' : undefined);
  kv('Guest state', d.guestState);
  kv('Heartbeat', d.heartbeat, d.heartbeat === 'red' ? 'bad' : d.heartbeat === 'yellow' ? 'warn' : undefined);
  kv('Consolidation', d.consolidationNeeded ? 'needed' : undefined, 'warn');
  kv('Powered on at', d.poweredOnAt ? localTime(Date.parse(d.poweredOnAt)) : undefined);
  kv('Storage', d.committedBytes !== undefined ? `${gbText(Math.round(d.committedBytes / 1024 ** 3))} in use${d.uncommittedBytes !== undefined ? `, ${gbText(Math.round((d.committedBytes + d.uncommittedBytes) / 1024 ** 3))} provisioned` : ''}${d.unsharedBytes !== undefined ? `, ${gbText(Math.round(d.unsharedBytes / 1024 ** 3))} unshared` : ''}` : undefined);
  kv('VMX', d.vmxPath);
  if (d.tools) {
    const t = d.tools;
    kv('VMware Tools', [t.version ? `version ${t.version}` : undefined, t.status, t.runningStatus, t.versionStatus, t.upgradePolicy ? `upgrade: ${t.upgradePolicy}` : undefined].filter(Boolean).join(', '),
      t.status === 'toolsNotRunning' || t.status === 'toolsOld' ? 'warn' : undefined);
  }

  if (out.length === hwHead) out.length = hwAt;

  head(`Network adapters (${d.nics.length})`);
  for (const n of d.nics) {
    out.push({ text: `  ${n.label}  ${n.network ?? '(no network)'}${n.mac ? `  ${n.mac}` : ''}${n.connected === false ? '  disconnected' : ''}`, tone: n.connected === false ? 'muted' : undefined });
    const ips = [...n.ipv4, ...n.ipv6];
    if (ips.length) out.push({ text: `      ${ips.join('  ')}` });
  }
  const guest = new Set(d.nics.flatMap((n) => [...n.ipv4, ...n.ipv6]));
  const manualIps = v.ips.filter((ip) => !guest.has(ip));
  if (manualIps.length) out.push({ text: `  Manual IPs  ${manualIps.join('  ')}`, tone: 'marked' });

  head(`Disks (${d.disks.length})`);
  for (const k of d.disks) {
    out.push({ text: `  ${k.label}  ${gbText(k.sizeGB)}  ${k.datastore ?? ''}${k.thin ? '  thin' : ''}${k.backing ? `  ${k.backing}` : ''}${k.mode && k.mode !== 'persistent' ? `  ${k.mode}` : ''}${k.sharing && k.sharing !== 'sharingNone' ? `  ${k.sharing}` : ''}` });
    if (k.path || k.controller) out.push({ text: `      ${[k.path, k.controller].filter(Boolean).join('  ')}`, tone: 'muted' });
  }

  if (d.partitions?.length) {
    head(`Guest partitions (${d.partitions.length})`);
    for (const p of d.partitions) {
      const used = p.capacityBytes > 0 ? Math.round(((p.capacityBytes - p.freeBytes) / p.capacityBytes) * 100) : 0;
      out.push({ text: `  ${p.path.padEnd(16)} ${gbText(Math.round(p.capacityBytes / 1024 ** 3))}  ${gbText(Math.round(p.freeBytes / 1024 ** 3))} free  ${used}% used`, tone: used >= 90 ? 'bad' : used >= 80 ? 'warn' : undefined });
    }
  }
  if (d.snapshots?.length) {
    head(`Snapshots (${d.snapshots.length})`);
    for (const sn of d.snapshots) {
      out.push({ text: `  ${sn.current ? '*' : ' '} ${sn.name}  ${sn.createdAt ? localTime(Date.parse(sn.createdAt)) : ''}${sn.quiesced ? '  quiesced' : ''}${sn.state ? `  ${POWER[sn.state] ?? sn.state}` : ''}${sn.description ? `  ${sn.description.replace(/\s+/g, ' ')}` : ''}`, tone: 'warn' });
    }
  }
  if (d.cdroms?.length) {
    head(`CD/DVD drives (${d.cdroms.length})`);
    for (const c of d.cdroms) out.push({ text: `  ${c.label}  ${c.deviceType ?? ''}${c.connected ? '  connected' : ''}`, tone: c.connected ? 'warn' : 'muted' });
  }

  head(`Alarms (${alarms.length})`);
  for (const a of alarms) out.push({ text: `  ${a.doc.status.padEnd(8)} ${a.doc.alarm}  ${a.doc.time ? localTime(Date.parse(a.doc.time)) : ''}`, tone: a.doc.status === 'critical' ? 'bad' : a.doc.status === 'warning' ? 'warn' : 'info' });
  if (alarms.length === 0) out.push({ text: '  none', tone: 'muted' });

  head(`Change history (${history.length})`);
  for (const c of history) {
    const what = LIFECYCLE.has(c.type) ? c.type : `${c.field}: ${c.old || '(none)'} ${arrow} ${c.new || '(none)'}`;
    out.push({ text: `  ${localTime(c.time)}  ${what}`, tone: c.type === 'deleted' ? 'bad' : c.type === 'created' || c.type === 'reappeared' ? 'good' : undefined });
  }
  if (history.length === 0) out.push({ text: '  no changes recorded', tone: 'muted' });
  return out;
}
