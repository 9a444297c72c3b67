// End-to-end: the topology views, the host detail and the live change feed of the real "vmi" in
// tmux, against a real vSphere API (vcsim with its awkward fixtures), at 80x24 without colours.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { collectInventory } from '../src/sources/vsphere/collect.js';
import { VsphereClient } from '../src/sources/vsphere/soap.js';
import { CLI, makeHome, PASS, type TestHome } from './helpers.js';
import { DONE, HAVE_TMUX, Term, tmux } from './tmux.js';
import { buildVcsim, runTask, startVcsim, type Vcsim } from './vcsim/vcsim.js';

const bin = HAVE_TMUX ? await buildVcsim() : null;
const skip = !HAVE_TMUX ? 'tmux is not installed' : !bin ? 'Go toolchain not installed (vcsim cannot be built)' : false;

describe('topology in a real terminal against vcsim', { skip }, () => {
  let sim: Vcsim;
  let h: TestHome;
  let t: Term;
  /** Every line fits 80 columns. */
  const fits = (s: string) => s.split('\n').every((l) => [...l].length <= 80);

  before(async () => {
    sim = await startVcsim({ fixtures: true });
    h = await makeHome();
    const cfg = JSON.parse(readFileSync(h.home.configFile, 'utf8'));
    cfg.sources = [{ name: 'sim', platform: 'vsphere', url: sim.url, user: sim.username, thumbprint: sim.thumbprint, refreshSeconds: 600 }];
    writeFileSync(h.home.configFile, JSON.stringify(cfg, null, 2));
    t = new Term(`topo-${process.pid}`, [process.execPath, CLI, '--home', h.dir], { VMI_USER: 'alice', NO_COLOR: '1' }, 80, 24);
  });
  after(async () => {
    t?.kill();
    try {
      tmux('kill-server');
    } catch { /* none left */ }
    await sim?.stop();
    h?.cleanup();
  });

  it('unlocks, connects and syncs', async () => {
    await t.waitFor(/Passphrase/);
    t.type(PASS);
    t.keys('Enter');
    await t.waitFor(/vCenter credentials/);
    t.type(sim.password);
    t.keys('Enter');
    const s = await t.waitFor(/sim live/, 60_000);
    assert.ok(fits(s));
  });

  it('storage: a datastore cluster with its datastore, and the datastore detail from the search', async () => {
    t.keys('4');
    await t.waitFor(/Storage/);
    t.keys('+');
    let s = await t.waitFor(/PodDS 1/);
    assert.match(s, /DC0_POD0/, 'the datastore cluster');
    assert.ok(fits(s), s);
    t.keys('/');
    await t.waitFor(/Search:/);
    t.type('PodDS');
    await t.waitFor(/> PodDS 1/);
    t.keys('Enter');
    await t.waitFor(/Storage/);
    t.keys('Enter');
    s = await t.waitFor(/Datastore PodDS 1/);
    assert.match(s, /Datastore cluster\s+DC0_POD0/);
    assert.match(s, /Hosts with a mount/);
    assert.ok(fits(s), s);
    t.keys('Escape');
  });

  it('networks: a trunk portgroup with its ranges, its detail, and a vMotion adapter in the VMkernel matrix', async () => {
    t.keys('5');
    await t.waitFor(/Topology/);
    t.keys('f');
    t.type('vlan:105');
    t.keys('Enter');
    let s = await t.waitFor(/PG-Trunk/);
    assert.match(s, /trunk 100-110,200/);
    assert.ok(fits(s), s);
    t.keys('/');
    t.type('PG-Trunk');
    await t.waitFor(/> PG-Trunk/);
    t.keys('Enter');
    await t.waitFor(/filter: vlan|Topology/);
    t.keys('Enter');
    s = await t.waitFor(/Portgroup PG-Trunk/);
    assert.match(s, /VLAN\s+trunk 100-110,200/);
    t.keys('Escape');
    await t.waitFor(/Topology/);
    t.keys('Tab');
    s = await t.waitFor(/VMOTION/);
    const lines = s.split('\n');
    const head = lines.findIndex((l) => l.includes('VMOTION'));
    const col = lines[head].indexOf('VMOTION');
    assert.ok(lines.slice(head + 1).some((l) => /^vmk\d/.test(l.slice(col))), `a host with a vMotion adapter:\n${s}`);
    assert.ok(fits(s), s);
    t.keys('Tab');
  });

  it('the host detail: hardware, networking and storage', async () => {
    t.keys('3');
    await t.waitFor(/of \d+ hosts/);
    t.keys('Enter');
    const s = await t.waitFor(/Host \S+/);
    assert.match(s, /Connection\s+connected/);
    assert.match(s, /Where\s+sim/);
    t.keys('G');
    const end = await t.waitFor(/Recent events|VMkernel adapters|Datastores/);
    assert.ok(fits(end), end);
    t.keys('Escape');
  });

  it('a vCenter change arrives in the Changes view while it is open', async () => {
    t.keys('6');
    await t.waitFor(/of [\d,]+ changes/);
    const c = await VsphereClient.connect({ url: sim.url, name: 'sim', username: sim.username, password: sim.password, thumbprint: sim.thumbprint });
    const inv = await collectInventory(c, { events: false });
    const vm = inv.vms.find((v) => !v.template && v.powerState === 'poweredOn')!;
    await runTask(c, 'PowerOffVM_Task', { type: 'VirtualMachine', value: vm.ref });
    await c.close();
    const s = await t.waitFor((x) => x.includes(vm.name.slice(0, 20)) && /poweredOn -> poweredOff/.test(x), 30_000);
    assert.ok(fits(s), s);
  });

  it('alarms and events are two tabs; the dashboard; q quits', async () => {
    t.keys('7');
    let s = await t.waitFor(/Triggered alarms/);
    assert.ok(fits(s), s);
    t.keys('Tab');
    s = await t.waitFor(/of [\d,]+ events/);
    t.keys('1');
    s = await t.waitFor(/Sources/);
    assert.ok(fits(s), s);
    t.keys('q');
    await t.waitFor(new RegExp(`${DONE}0__`));
  });
});
