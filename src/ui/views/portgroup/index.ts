// Portgroup detail: its switch and VLAN (per host for a standard portgroup, with the clusters
// whose hosts disagree), its hosts, its VMs and the VMkernel adapters on it.
import type { AppContext } from '../../context.js';
import { portgroups, vlanText } from '../../data/network.js';
import { quoteValue as q } from '../../data/objects.js';
import { C } from '../../keys.js';
import { DetailBuilder, type DetailLine } from '../../widgets/detail.js';
import { detailView } from '../../widgets/detailview.js';
import { thousands } from '../../widgets/text.js';

const MAX_LIST = 60;

export function portgroupLines(ctx: AppContext, id: number): DetailLine[] {
  const m = ctx.model!;
  const rec = m.networks.get(id);
  if (!rec) return [{ text: 'This portgroup is not in the cache any more.', tone: 'muted' }];
  const vms = [...m.vms.values()].filter((v) => v.deletedAt === null && v.sourceId === rec.sourceId && v.networks.includes(rec.doc.name)).sort((a, b) => a.name.localeCompare(b.name));
  const pg = portgroups({ ...m, networks: new Map([...m.networks].filter(([, o]) => o.sourceId === rec.sourceId && o.doc.name === rec.doc.name && o.doc.switch === rec.doc.switch)) }, () => vms.length)
    .find((p) => p.records.some((r) => r.id === id))!;
  const b = new DetailBuilder();
  b.head('Portgroup');
  b.kv('Name', pg.name).kv('vCenter', pg.source).kv('Kind', pg.kind === 'dvportgroup' ? 'distributed portgroup' : pg.kind === 'standard' ? 'standard portgroup' : 'network');
  b.kv('Switch', pg.switchName).kv('VLAN', pg.vlan, pg.vlan === 'mixed' ? 'warn' : undefined);
  if (rec.doc.networkType) b.kv('Network type', rec.doc.networkType);
  if (pg.kind === 'standard' && pg.records.length > 1) {
    const byVlan = new Map<string, string[]>();
    for (const r of pg.records) for (const h of r.doc.hosts) byVlan.set(vlanText(r.doc), [...(byVlan.get(vlanText(r.doc)) ?? []), h]);
    if (byVlan.size > 1) {
      b.head('VLAN by host');
      for (const [v, hosts] of byVlan) b.line(`  VLAN ${v.padEnd(12)} ${hosts.length} host${hosts.length === 1 ? '' : 's'}: ${hosts.sort().slice(0, 8).join(', ')}${hosts.length > 8 ? ', ...' : ''}`);
    }
  }
  if (pg.mismatch.length) {
    b.head('VLAN differs between hosts of one cluster (vMotion between them breaks the VMs\' network)');
    for (const x of pg.mismatch) b.line(`  ${x.cluster}: ${x.hosts.map((h) => `${h.host} VLAN ${h.vlan}`).join(', ')}`, 'warn');
  }
  b.head(`Hosts (${pg.hosts.length})`);
  for (const h of pg.hosts.slice(0, MAX_LIST)) b.line(`  ${h}`);
  if (pg.hosts.length > MAX_LIST) b.line(`  ... ${pg.hosts.length - MAX_LIST} more`, 'muted');
  const vmks = [...m.vmkernels.values()].filter((v) => v.deletedAt === null && v.sourceId === rec.sourceId && v.doc.portgroup === pg.name);
  if (vmks.length) {
    b.head(`VMkernel adapters (${vmks.length})`);
    for (const v of vmks.slice(0, MAX_LIST)) b.line(`  ${v.doc.host}  ${v.doc.device}  ${v.doc.ip ?? '—'}  MTU ${v.doc.mtu ?? '—'}  ${v.doc.services.join(', ')}`);
  }
  b.head(`VMs (${thousands(vms.length)})  v lists them in the VMs view`);
  for (const v of vms.slice(0, MAX_LIST)) b.line(`  ${v.name}`, v.power === 'poweredOn' ? undefined : 'muted');
  if (vms.length > MAX_LIST) b.line(`  ... ${thousands(vms.length - MAX_LIST)} more`, 'muted');
  return b.lines;
}

export const portgroupView = detailView({
  id: 'portgroup', title: 'Portgroup',
  keys: [C('portgroup.vms', ['v'], 'the portgroup\'s VMs in the VMs view', ['portgroup'], 'Storage and networks', { footer: 1, short: 'VMs' })],
  heading: (ctx, id) => `Portgroup ${ctx.model?.networks.get(id)?.doc.name ?? ''}`,
  lines: (ctx, id) => portgroupLines(ctx, id),
  commands: (ctx, d) => ({
    'portgroup.vms': () => {
      const p = d.id !== null ? ctx.model?.networks.get(d.id) : undefined;
      if (p) ctx.go('vms', { filter: `net=${q(p.doc.name)} vcenter=${q(p.source)}` });
    },
  }),
});
