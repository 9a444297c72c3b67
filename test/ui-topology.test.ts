// Topology and host views with fixed data: what an admin must be able to see at a glance.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Obj } from '../src/model/live.js';
import type { DatastoreRecord, HostRecord, PortgroupRecord, SwitchRecord, VmkernelRecord } from '../src/model/records.js';
import { carriesVlan, networkFilter, networkTree, portgroups, vlanText, vmkMatrix } from '../src/ui/data/network.js';
import { clusterIndex, datastoreInfo, storageFilter, storageTree } from '../src/ui/data/storage.js';
import { storageCells, storageLine, storageTone } from '../src/ui/views/datastores/index.js';
import { uptimeText } from '../src/ui/views/host/lines.js';
import { visibleRows, branchKeys } from '../src/ui/widgets/tree.js';
import { makeTheme } from '../src/ui/widgets/theme.js';

let nextId = 1;
const obj = <T>(doc: T, source = 'vc1', sourceId = 1): Obj<T> => ({ id: nextId++, seq: 1, sourceId, source, deletedAt: null, doc, cols: {} });
const TB = 1024 ** 4;
const host = (name: string, cluster?: string, extra: Partial<HostRecord> = {}) => obj<HostRecord>({ ref: name, name, cluster, datacenter: 'dc1', datastores: [], ...extra });
const ds = (name: string, d: Partial<DatastoreRecord>) => obj<DatastoreRecord>({ ref: name, name, datacenter: 'dc1', capacityBytes: 10 * TB, freeBytes: 5 * TB, shared: true, hosts: [], vms: 0, ...d });
const g = makeTheme('dark', 'cyan', { color: false, ascii: true }).glyphs;
const T = { warn: 80, crit: 90 };

describe('storage topology', () => {
  const hosts = new Map([host('esx1', 'prod'), host('esx2', 'prod'), host('esx3', 'prod'), host('esx9', 'dev')].map((h) => [h.id, h]));
  const stores = [
    ds('empty', { freeBytes: 10 * TB, datastoreCluster: 'pod1', hosts: ['esx1', 'esx2', 'esx3'] }),
    ds('full', { freeBytes: 0, datastoreCluster: 'pod1', hosts: ['esx1', 'esx2', 'esx3'] }),
    ds('over', { freeBytes: 2 * TB, provisionedBytes: 15 * TB, hosts: ['esx1', 'esx2', 'esx3'] }),
    ds('gone', { accessible: false, hosts: ['esx1', 'esx2', 'esx3'] }),
    ds('partial', { hosts: ['esx1', 'esx2'] }),
    ds('local', { shared: false, hosts: ['esx9'] }),
  ];
  const m = { hosts, datastores: new Map(stores.map((d) => [d.id, d])) };
  const idx = clusterIndex(m).get(1)!;
  const infos = stores.map((d) => datastoreInfo(d, idx.clusterHosts, idx.hostCluster, 0));
  const byName = (n: string) => infos.find((i) => i.ds.doc.name === n)!;
  const line = (n: string) => {
    const roots = storageTree(infos);
    const r = visibleRows(roots, new Set(branchKeys(roots))).find((x) => x.node.data.name === n)!;
    return storageLine(r, 100, storageCells(120), T, g);
  };

  it('capacity bars at 0 %, 100 % and overcommitted', () => {
    assert.match(line('empty'), / \.{10}  +0%/);
    assert.match(line('full'), / #{10}  +100%/);
    assert.match(line('over'), / #{8}\.\.!! +80%/, 'provisioned beyond capacity is drawn past the end');
  });
  it('an inaccessible datastore is red and says so', () => {
    const n = { kind: 'datastore' as const, name: 'gone', info: byName('gone') };
    assert.equal(storageTone(n, T), 'bad');
    assert.match(line('gone'), /INACCESSIBLE/);
  });
  it('a host of the cluster that cannot see a shared datastore is named', () => {
    assert.deepEqual(byName('partial').missing, [{ cluster: 'prod', hosts: ['esx3'] }]);
    assert.deepEqual(byName('local').missing, [], 'a local datastore is on one host by design');
    assert.equal(storageTone({ kind: 'datastore', name: 'partial', info: byName('partial') }, T), 'warn');
  });
  it('the tree: vCenter > datacenter > datastore cluster > datastore, an empty datacenter shows too', () => {
    const roots = storageTree(infos, 'name', () => true, [{ source: 'vc1', name: 'dc-empty' }]);
    const rows = visibleRows(roots, new Set(branchKeys(roots))).map((r) => `${r.depth}:${r.node.data.name}`);
    assert.deepEqual(rows, ['0:vc1', '1:dc-empty', '1:dc1', '2:pod1', '3:empty', '3:full', '2:gone', '2:local', '2:over', '2:partial']);
    const pod = roots[0].children![1].children![0].data;
    assert.ok(pod.kind === 'pod' && pod.totals.capacity === 20 * TB && pod.totals.free === 10 * TB, 'a datastore cluster shows its totals');
  });
  it('sorts by free space, the fullest first; filters by free %, type, scope, state', () => {
    const rows = visibleRows(storageTree(infos, 'free'), new Set(branchKeys(storageTree(infos, 'free')))).map((r) => r.node.data.name);
    assert.ok(rows.indexOf('full') < rows.indexOf('empty'));
    const names = (f: string) => infos.filter(storageFilter(f)).map((i) => i.ds.doc.name).sort();
    assert.deepEqual(names('free<10%'), ['full']);
    assert.deepEqual(names('local'), ['local']);
    assert.deepEqual(names('inaccessible'), ['gone']);
    assert.deepEqual(names('missing'), ['partial']);
    assert.deepEqual(names('overcommit'), ['over']);
    assert.deepEqual(names('-shared'), ['local']);
  });
});

describe('network topology', () => {
  const hosts = new Map([host('esx1', 'prod'), host('esx2', 'prod'), host('esx3', 'dev')].map((h) => [h.id, h]));
  const pg = (name: string, d: Partial<PortgroupRecord>) => obj<PortgroupRecord>({ ref: `${name}/${d.hosts?.[0] ?? ''}`, name, kind: 'standard', switch: 'vSwitch0', hosts: [], vms: 0, ...d });
  const nets = [
    pg('VM Network', { vlan: 120, hosts: ['esx1'] }), pg('VM Network', { vlan: 121, hosts: ['esx2'] }), pg('VM Network', { vlan: 120, hosts: ['esx3'] }),
    obj<PortgroupRecord>({ ref: 'dvpg-1', name: 'trunk', kind: 'dvportgroup', switch: 'dvs1', vlanTrunk: '100-130,200', hosts: ['esx1', 'esx2'], vms: 0 }),
    obj<PortgroupRecord>({ ref: 'dvpg-2', name: 'private', kind: 'dvportgroup', switch: 'dvs1', pvlan: 22, hosts: ['esx1', 'esx2'], vms: 0 }),
  ];
  const switches = [obj<SwitchRecord>({ ref: 'dvs1', name: 'dvs1', kind: 'dvs', mtu: 9000, hosts: ['esx1', 'esx2'] })];
  const vmk = (h: string, device: string, services: VmkernelRecord['services'], mtu: number) => obj<VmkernelRecord>({ ref: `${h}/${device}`, host: h, device, services, mtu });
  const vmks = [
    vmk('esx1', 'vmk0', ['management'], 1500), vmk('esx1', 'vmk1', ['vmotion'], 9000), vmk('esx1', 'vmk2', ['vsan'], 9000),
    vmk('esx2', 'vmk0', ['management'], 1500), vmk('esx2', 'vmk1', ['vmotion'], 1500),
  ];
  const m = { hosts, switches: new Map(switches.map((x) => [x.id, x])), networks: new Map(nets.map((x) => [x.id, x])), vmkernels: new Map(vmks.map((x) => [x.id, x])) };
  const pgs = portgroups(m, (_s, n) => (n === 'VM Network' ? 3 : 0));

  it('trunks and private VLANs are written as such; vlan:N finds the trunks that carry it', () => {
    assert.equal(vlanText({ vlanTrunk: '100-130,200' }), 'trunk 100-130,200');
    assert.equal(vlanText({ pvlan: 22 }), 'pvlan 22');
    assert.equal(vlanText({ vlan: 0 }), 'none');
    assert.ok(carriesVlan({ vlanTrunk: '100-130,200' }, 120) && carriesVlan({ vlanTrunk: '100-130,200' }, 200) && !carriesVlan({ vlanTrunk: '100-130,200' }, 150));
    assert.deepEqual(pgs.filter(networkFilter('vlan:120')).map((p) => p.name).sort(), ['VM Network', 'trunk']);
    assert.deepEqual(pgs.filter(networkFilter('pvlan')).map((p) => p.name), ['private']);
  });
  it('a standard portgroup is one row across hosts, and a VLAN that differs inside a cluster is flagged', () => {
    const vmNet = pgs.find((p) => p.name === 'VM Network')!;
    assert.equal(vmNet.vlan, 'mixed');
    assert.deepEqual(vmNet.hosts, ['esx1', 'esx2', 'esx3']);
    assert.deepEqual(vmNet.mismatch, [{ cluster: 'prod', hosts: [{ host: 'esx1', vlan: '120' }, { host: 'esx2', vlan: '121' }] }], 'dev has one host: nothing to disagree with');
    assert.deepEqual(pgs.filter(networkFilter('mismatch')).map((p) => p.name), ['VM Network']);
    assert.deepEqual(pgs.filter(networkFilter('unused')).map((p) => p.name).sort(), ['private', 'trunk']);
  });
  it('the tree groups distributed and standard switches under their vCenter', () => {
    const roots = networkTree(m, pgs);
    const rows = visibleRows(roots, new Set(branchKeys(roots))).map((r) => `${r.depth}:${r.node.data.name}`);
    assert.deepEqual(rows, ['0:vc1', '1:Distributed switches', '2:dvs1', '3:private', '3:trunk', '1:Standard switches', '2:vSwitch0', '3:VM Network']);
  });
  it('the VMkernel matrix: a host lacking vSAN and an MTU mismatch inside a cluster', () => {
    const rows = vmkMatrix(m);
    const esx2 = rows.find((r) => r.host === 'esx2')!;
    assert.deepEqual(esx2.lacks, ['vsan']);
    assert.deepEqual(esx2.mtuMismatch, ['vmk1 MTU 1500 (cluster: 9000)']);
    assert.deepEqual(rows.find((r) => r.host === 'esx1')!.mtuMismatch, []);
    assert.deepEqual(rows.find((r) => r.host === 'esx3')!.lacks, [], 'a host alone in its cluster lacks nothing');
  });
});

describe('host detail', () => {
  const theme = makeTheme('dark', 'cyan', { color: false, ascii: true });
  const h = host('esx7', 'prod', { connectionState: 'disconnected', maintenance: true, cpuMhz: 2000, cpuCores: 10, cpuUsageMhz: 5000, memoryMB: 1000, memoryUsageMB: 950, datastores: ['san1'], bootTime: '2026-10-27T09:00:00Z' });
  const san = ds('san1', { freeBytes: 0.5 * TB, hosts: ['esx7'] });
  const model = {
    hosts: new Map([[h.id, h]]), datastores: new Map([[san.id, san]]), switches: new Map(), networks: new Map(), vmkernels: new Map(),
    vms: new Map(), alarms: new Map(), events: new Map(),
  };
  const ctx = {
    model, theme, statuses: new Map(), now: () => Date.parse('2026-12-07T12:00:00Z'),
    config: { ui: { storageWarnPct: 80, storageCritPct: 90 } },
  } as never;
  it('a disconnected host in maintenance says so in color, absent facts are "—", the datastore shows its bar', async () => {
    const { hostLines } = await import('../src/ui/views/host/lines.js');
    const lines = hostLines(ctx, h, { window: 'day', samples: [], cols: 100, backfill: null });
    const find = (re: RegExp) => lines.find((l) => re.test(l.text));
    assert.equal(find(/Connection\s+disconnected/)?.tone, 'bad');
    assert.equal(find(/Maintenance\s+YES/)?.tone, 'warn');
    assert.ok(find(/Serial\s+—$/), 'a fact the source did not give is "—", never invented');
    assert.ok(find(/Uptime\s+41 d 3 h/));
    assert.ok(find(/Memory\s+#{29}\.\s+95%/));
    assert.ok(find(/no samples in the cache for the last day \(the source is not connected/));
    assert.equal(find(/san1\s+#{10}\s+95%/)?.tone, 'bad');
  });
  it('draws the trend of a window from its samples', async () => {
    const { hostLines } = await import('../src/ui/views/host/lines.js');
    const t0 = Date.parse('2026-12-07T11:00:00Z');
    const samples = Array.from({ length: 180 }, (_, i) => ({ time: t0 + i * 20_000, cpuPct: i < 90 ? 10 : 90, memPct: 50 }));
    const lines = hostLines(ctx, h, { window: 'hour', samples, cols: 100, backfill: null }).map((l) => l.text);
    const cpuAt = lines.findIndex((l) => /CPU %\s+2026-12-07/.test(l));
    assert.ok(cpuAt > 0, lines.join('\n'));
    const chart = lines.slice(cpuAt + 1, cpuAt + 7).join('\n');
    assert.match(chart, /100%/);
    assert.match(chart, /0%/);
  });
  it('uptime reads like "41 d 3 h"', () => {
    assert.equal(uptimeText(41 * 86400 + 3 * 3600 + 59), '41 d 3 h');
    assert.equal(uptimeText(5 * 3600 + 12 * 60), '5 h 12 min');
    assert.equal(uptimeText(undefined), undefined);
  });
});

describe('VM detail with report data', () => {
  it('shows snapshots, guest partitions, Tools, CD drives and hardware facts when the source gives them', async () => {
    const { vmDetailLines } = await import('../src/ui/views/vm/detail.js');
    const { buildVmView } = await import('../src/model/vm.js');
    const { vm } = await import('./helpers.js');
    const doc = {
      ...vm('db-01'), platform: 'vsphere', firmware: 'efi', hwVersion: 'vmx-19', changeTracking: true, heartbeat: 'green',
      tools: { status: 'toolsOld', version: '12352', runningStatus: 'guestToolsRunning' },
      partitions: [{ path: '/', capacityBytes: 100 * 1024 ** 3, freeBytes: 5 * 1024 ** 3 }],
      snapshots: [{ id: '1', name: 'before upgrade', createdAt: '2026-11-01T10:00:00Z', quiesced: true, current: true }],
      cdroms: [{ key: '3000', label: 'CD/DVD drive 1', connected: true, deviceType: 'ISO image [ds1] iso/x.iso' }],
    };
    const v = buildVmView({ id: 1, sourceId: 1, sourceName: 'vc', doc, deletedAt: null, firstSeenAt: 0, lastSeenAt: 0, tags: [], manualIps: [], customFields: {} } as never);
    const text = vmDetailLines(v, doc as never, [], []).map((l) => l.text).join('\n');
    assert.match(text, /Firmware\s+efi/);
    assert.match(text, /CBT\s+yes/);
    assert.match(text, /VMware Tools\s+version 12352, toolsOld/);
    assert.match(text, /Snapshots \(1\)\n {2}\* before upgrade .* quiesced/);
    assert.match(text, /\/ +100 GB {2}5 GB free {2}95% used/);
    assert.match(text, /CD\/DVD drive 1 {2}ISO image \[ds1\] iso\/x\.iso {2}connected/);
  });
});

describe('alarms and events', () => {
  it('the events tab shows critical and warning events unless the filter asks for a severity', async () => {
    const { EVENT_ROWS } = await import('../src/ui/views/alarms/events.js');
    const ev = (severity: 'info' | 'warning' | 'critical', entity: string) => obj({ ref: `${entity}-${severity}`, time: '2026-12-07T10:00:00Z', type: 'HostConnectionLostEvent', severity, message: `${entity} ${severity}`, entity });
    const events = [ev('info', 'esx1'), ev('warning', 'esx1'), ev('critical', 'esx2')];
    const rows = events.map((e) => EVENT_ROWS.row({} as never, e, {})!);
    const shown = (f: string) => rows.filter(EVENT_ROWS.filter!(f, 0) ?? (() => true)).map((r) => r.cells.message);
    assert.deepEqual(shown(''), ['esx1 warning', 'esx2 critical']);
    assert.deepEqual(shown('entity:esx1'), ['esx1 warning']);
    assert.deepEqual(shown('sev:info'), ['esx1 info']);
    assert.throws(() => EVENT_ROWS.filter!('colour:red', 0), /unknown filter "colour:"/);
  });
});
