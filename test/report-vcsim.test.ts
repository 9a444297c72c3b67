// vmi report over a real vSphere API: two vcsim vCenters with a template, a powered-off VM and a
// snapshot, synced by the CLI, written as a workbook and read back.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectInventory } from '../src/sources/vsphere/collect.js';
import { VsphereClient } from '../src/sources/vsphere/soap.js';
import { loadVmViews } from '../src/store/inventory.js';
import { makeHome, openStore, vmi, type TestHome } from './helpers.js';
import { cell, readWorkbook, referenceSheets } from './report-helpers.js';
import { buildVcsim, NO_GO_MESSAGE, runTask, startVcsim, type Vcsim } from './vcsim/vcsim.js';

const bin = await buildVcsim();
if (!bin) console.warn(NO_GO_MESSAGE);
const skip = bin ? false : 'Go toolchain not installed (vcsim cannot be built)';

describe('report of two vcsim vCenters', { skip }, () => {
  let a: Vcsim;
  let b: Vcsim;
  let h: TestHome;
  let env: NodeJS.ProcessEnv;
  const file = () => join(h.dir, 'estate.xlsx');
  let snapVm = '';
  let templateVm = '';
  let offVm = '';

  before(async () => {
    [a, b] = await Promise.all([
      startVcsim({ dc: 1, cluster: 1, host: 2, standaloneHost: 0, vm: 3, pod: 0 }),
      startVcsim({ dc: 1, cluster: 1, host: 2, standaloneHost: 0, vm: 2, pod: 0 }),
    ]);
    h = await makeHome();
    const cfg = JSON.parse(readFileSync(h.home.configFile, 'utf8'));
    cfg.sources = [a, b].map((s, i) => ({ name: `vc-${i ? 'b' : 'a'}`, platform: 'vsphere', url: s.url, user: s.username, thumbprint: s.thumbprint, refreshSeconds: 600 }));
    writeFileSync(h.home.configFile, JSON.stringify(cfg, null, 2));
    env = { ...h.env, VMI_VC_PASSWORD: a.password };
    const first = vmi(['sync', '--once'], env);
    assert.equal(first.code, 0, first.stderr);
    // Then, on vCenter a: a snapshot, a VM powered off, a template.
    const c = await VsphereClient.connect({ url: a.url, username: a.username, password: a.password, thumbprint: a.thumbprint });
    const vms = (await collectInventory(c, { events: false })).vms.sort((x, y) => x.name.localeCompare(y.name));
    const ref = (i: number) => ({ type: 'VirtualMachine', value: vms[i]!.ref });
    snapVm = vms[0]!.name;
    offVm = vms[1]!.name;
    templateVm = vms[2]!.name;
    await runTask(c, 'CreateSnapshot_Task', ref(0), '<name>before-upgrade</name><description>pre &amp; post</description><memory>false</memory><quiesce>true</quiesce>');
    await runTask(c, 'PowerOffVM_Task', ref(1));
    await runTask(c, 'PowerOffVM_Task', ref(2));
    await c.call('MarkAsTemplate', ref(2), '');
    await c.close();
    const second = vmi(['sync', '--once'], env);
    assert.equal(second.code, 0, second.stderr);
    const r = vmi(['report', '--out', file()], env);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    h?.cleanup();
  });

  it('every sheet and heading; VM sheets hold every VM of both vCenters, told apart by server and UUID', async () => {
    const wb = await readWorkbook(file());
    const ref = referenceSheets();
    for (const s of ref) assert.deepEqual(wb.get(s.name).header, s.headings, s.name);
    const { store } = await openStore(h.home);
    const views = loadVmViews(store).views.filter((v) => v.deletedAt === null);
    store.close();
    assert.equal(views.length, 5);
    const vInfo = wb.get('vInfo');
    assert.equal(vInfo.rows.length, 5);
    const pairs = new Set(vInfo.rows.map((r) => `${cell(vInfo, r, 'VI SDK Server').value}|${cell(vInfo, r, 'VI SDK UUID').value}`));
    assert.equal(pairs.size, 2);
    for (const r of vInfo.rows) for (const hd of ['VM ID', 'VM', 'Cluster', 'VI SDK UUID']) assert.ok(cell(vInfo, r, hd).value, hd);
    assert.match(String(cell(vInfo, vInfo.rows[0]!, 'VI SDK Server type').value), /^VMware vCenter Server \d/);
    assert.equal(wb.get('vSource').rows.length, 2);
    assert.equal(wb.get('vCD').rows.length, views.reduce((n, v) => n + (v.doc.cdroms?.length ?? 0), 0));
    assert.ok(wb.get('vCD').rows.length >= 5);
    assert.equal(wb.get('vHost').rows.length, 4);
    assert.ok(wb.get('vNIC').rows.length >= 4);
    assert.ok(wb.get('vHBA').rows.length >= 4);
    assert.ok(wb.get('vRP').rows.length >= 2);
    assert.ok(wb.get('vLicense').rows.length >= 2);
    assert.equal(wb.get('vMetaData').rows.length, 2);
  });

  it('the template, the powered-off VM and the snapshot as RVTools shows them', async () => {
    const wb = await readWorkbook(file());
    const vInfo = wb.get('vInfo');
    // Both simulators name their VMs alike: rows of vCenter a only.
    const server = new URL(a.url).host;
    const row = (n: string) => vInfo.rows.find((r) => cell(vInfo, r, 'VM').value === n && cell(vInfo, r, 'VI SDK Server').value === server)!;
    assert.equal(cell(vInfo, row(templateVm), 'Template').value, 'True');
    assert.equal(cell(vInfo, row(offVm), 'Template').value, 'False');
    assert.equal(cell(vInfo, row(offVm), 'Powerstate').value, 'poweredOff');
    assert.equal(cell(vInfo, row(snapVm), 'Powerstate').value, 'poweredOn');
    for (const n of [snapVm, offVm]) {
      assert.match(String(cell(vInfo, row(n), 'Path').value), /^\[.+\] .+\.vmx$/);
      assert.match(String(cell(vInfo, row(n), 'Firmware').value), /^(bios|efi)$/);
      assert.match(String(cell(vInfo, row(n), 'HW version').value), /^vmx-\d+$/);
      assert.match(String(cell(vInfo, row(n), 'Folder ID').value), /^(group-v|folder-)\d+/);
      assert.match(String(cell(vInfo, row(n), 'Resource pool').value), /^\/.+\/Resources/);
      assert.equal(cell(vInfo, row(n), 'Connection state').value, 'connected');
    }
    const snaps = wb.get('vSnapshot');
    assert.equal(snaps.rows.length, 1);
    const s = snaps.rows[0]!;
    assert.equal(cell(snaps, s, 'VM').value, snapVm);
    assert.equal(cell(snaps, s, 'Name').value, 'before-upgrade');
    assert.equal(cell(snaps, s, 'Description').value, 'pre & post');
    assert.ok(cell(snaps, s, 'Date / time').value instanceof Date);
    assert.equal(cell(snaps, s, 'Quiesced').value, 'True');
    const disks = wb.get('vDisk');
    const d = disks.rows.find((r) => cell(disks, r, 'VM').value === snapVm && cell(disks, r, 'VI SDK Server').value === server)!;
    assert.match(String(cell(disks, d, 'Disk Path').value), /\.vmdk$/);
    assert.equal(cell(disks, d, 'Disk Mode').value, 'persistent');
    assert.ok(cell(disks, d, 'Controller').value);
    assert.equal(typeof cell(disks, d, 'Unit #').value, 'number');
    const health = wb.get('vHealth');
    const finding = health.rows.find((r) => cell(health, r, 'Message type').value === 'Snapshot')!;
    assert.equal(cell(health, finding, 'Name').value, snapVm);
    assert.match(String(cell(health, finding, 'Message').value), /^VM has an active snapshot! before-upgrade created on \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \(0 days old\)$/);
    // The snapshot was recorded as a change; templates are not on vSnapshot or vPartition.
    const changes = wb.get('Changes');
    assert.ok(changes.rows.some((r) => cell(changes, r, 'Field').value === 'snapshots' && cell(changes, r, 'New value').value === 'before-upgrade'));
  });

  it('an unchanged estate synced again records no changes (report fields do not flap)', () => {
    const r = vmi(['sync', '--once'], env);
    assert.equal(r.code, 0, r.stderr);
    for (const line of r.stdout.trim().split('\n')) assert.match(line, / 0 changes/, line);
  });
});
