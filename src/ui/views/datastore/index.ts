// Datastore detail: capacity, type, scope and state; the hosts that mount it and those of its
// compute clusters that cannot see it (which breaks vMotion); its VMs, alarms and events.
import { vmCounts } from '../../../model/counts.js';
import type { AppContext } from '../../context.js';
import { quoteValue as q } from '../../data/objects.js';
import { clusterIndex, datastoreInfo } from '../../data/storage.js';
import { C } from '../../keys.js';
import { capacityBar, usageTone } from '../../widgets/bars.js';
import { alarmAndEventLines, historyLines } from '../../data/entity.js';
import { DetailBuilder, type DetailLine } from '../../widgets/detail.js';
import { detailView } from '../../widgets/detailview.js';
import { bytesText, thousands } from '../../widgets/text.js';

const MAX_LIST = 50;

export function datastoreLines(ctx: AppContext, id: number): DetailLine[] {
  const m = ctx.model!;
  const ds = m.datastores.get(id);
  if (!ds) return [{ text: 'This datastore is not in the cache any more.', tone: 'muted' }];
  const d = ds.doc as typeof ds.doc & { maintenanceMode?: string };
  const c = clusterIndex(m).get(ds.sourceId);
  const vms = [...m.vms.values()].filter((v) => v.deletedAt === null && v.sourceId === ds.sourceId && v.datastores.includes(d.name)).sort((a, b) => a.name.localeCompare(b.name));
  const info = datastoreInfo(ds, c?.clusterHosts ?? new Map(), c?.hostCluster ?? new Map(), vmCounts(vms).get(ds.sourceId)?.datastores.get(d.name) ?? 0);
  const t = { warn: ctx.config.ui.storageWarnPct, crit: ctx.config.ui.storageCritPct };
  const b = new DetailBuilder();
  b.head('Datastore');
  b.kv('Name', d.name).kv('vCenter', ds.source).kv('Datacenter', d.datacenter).kv('Datastore cluster', d.datastoreCluster);
  b.kv('Type', d.type).kv('Scope', d.shared ? 'shared' : 'local').kv('URL', d.url);
  b.kv('Accessible', d.accessible === undefined ? undefined : d.accessible ? 'yes' : 'NO', d.accessible === false ? 'bad' : undefined);
  b.kv('Maintenance', d.maintenanceMode);
  b.head('Capacity');
  const used = d.capacityBytes - d.freeBytes;
  const bar = capacityBar(d.capacityBytes, used, d.provisionedBytes ?? used, 40, ctx.theme.glyphs);
  b.line(`  ${bar.used}${bar.free}${bar.over}`, usageTone(info.usedPct, t));
  b.kv('Capacity', bytesText(d.capacityBytes)).kv('Used', `${bytesText(used)} (${Number.isFinite(info.usedPct) ? Math.round(info.usedPct) : '—'}%)`, usageTone(info.usedPct, t));
  b.kv('Free', bytesText(d.freeBytes));
  if (d.provisionedBytes !== undefined) {
    const over = d.provisionedBytes > d.capacityBytes;
    b.kv('Provisioned', `${bytesText(d.provisionedBytes)}${over ? ` (${Math.round((d.provisionedBytes / d.capacityBytes) * 100)}% of capacity: overcommitted)` : ''}`, over ? 'warn' : undefined);
  } else b.kv('Provisioned', undefined);
  b.head(`Hosts with a mount (${d.hosts.length})`);
  for (const h of [...d.hosts].sort().slice(0, MAX_LIST)) b.line(`  ${h}${c?.hostCluster.get(h) ? `  (${c.hostCluster.get(h)})` : ''}`);
  if (d.hosts.length > MAX_LIST) b.line(`  ... ${d.hosts.length - MAX_LIST} more`, 'muted');
  if (info.missing.length) {
    b.head('Hosts of its clusters that cannot see it (vMotion to them fails)');
    for (const x of info.missing) b.line(`  ${x.cluster}: ${x.hosts.sort().join(', ')}`, 'warn');
  } else if (d.shared) b.line('  every host of its clusters mounts it', 'good');
  b.head(`VMs (${thousands(vms.length)})  v lists them in the VMs view`);
  for (const v of vms.slice(0, MAX_LIST)) b.line(`  ${v.name}`, v.power === 'poweredOn' ? undefined : 'muted');
  if (vms.length > MAX_LIST) b.line(`  ... ${thousands(vms.length - MAX_LIST)} more`, 'muted');
  alarmAndEventLines(b, m, ds.sourceId, d.name, 20);
  historyLines(b, m, 'datastores', ds.id, ctx.theme.glyphs.arrow);
  return b.lines;
}

export const datastoreView = detailView({
  id: 'datastore', title: 'Datastore',
  keys: [C('datastore.vms', ['v'], 'the datastore\'s VMs in the VMs view', ['datastore'], 'Storage and networks', { footer: 1, short: 'VMs' })],
  heading: (ctx, id) => `Datastore ${ctx.model?.datastores.get(id)?.doc.name ?? ''}`,
  lines: (ctx, id) => datastoreLines(ctx, id),
  commands: (ctx, d) => ({
    'datastore.vms': () => {
      const ds = d.id !== null ? ctx.model?.datastores.get(d.id) : undefined;
      if (ds) ctx.go('vms', { filter: `ds=${q(ds.doc.name)} vcenter=${q(ds.source)}` });
    },
  }),
});
