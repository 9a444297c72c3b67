// End-to-end: the real "vmi demo" and "vmi" in a real terminal (tmux), read with capture-pane.
// Every wait polls the screen with a deadline; nothing sleeps a fixed time.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLI, tempDir, vmi } from './helpers.js';
import { DONE, HAVE_TMUX, Term, tmux } from './tmux.js';
import { rmSync } from 'node:fs';

const counts = (s: string) => {
  const m = /([\d,]+) of ([\d,]+) VMs/.exec(s);
  return m ? [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, ''))] : null;
};

describe('end to end in tmux', { skip: !HAVE_TMUX && 'tmux is not installed' }, () => {
  after(() => {
    try {
      tmux('kill-server');
    } catch { /* no server left */ }
  });

  describe('vmi demo', () => {
    const PASS = 'e2e demo passphrase';
    let t: Term;
    before(async () => {
      t = new Term('demo', [process.execPath, CLI, 'demo', '--vms', '300'], { VMI_DEMO_PASSPHRASE: PASS, VMI_USER: 'e2e' });
    });
    after(() => t.kill());

    it('opens on the inventory with live pills', async () => {
      const s = await t.waitFor((x) => /vc-ams live/.test(x) && /vc-fra live/.test(x) && /vc-nyc live/.test(x) && (counts(x)?.[1] ?? 0) > 200);
      assert.match(s, /e2e \(admin\)/);
      assert.match(s, /NAME/);
      assert.match(s.split('\n').at(-2) ?? '', /enter detail/, 'footer from the key map');
    });

    it('filters: f, type, enter changes "x of y"', async () => {
      const [, total] = counts(t.screen())!;
      t.keys('f');
      t.type('power:off');
      t.keys('Enter');
      const s = await t.waitFor((x) => /filter: power:off/.test(x) && !!counts(x) && counts(x)![0] < total && counts(x)![0] > 0);
      assert.ok(!/power:on/.test(s));
    });

    it('a bad filter shows its error under the filter and keeps the results', async () => {
      const before = counts(t.screen())!;
      t.keys('f', 'End');
      // One chunk, as pasted: a typed " bogus" prefix would be a valid (bare-word) filter.
      tmux('set-buffer', '-b', 'e2e', ' bogus:1');
      tmux('paste-buffer', '-b', 'e2e', '-t', t.name);
      const s = await t.waitFor(/unknown field "bogus"/);
      const lines = s.split('\n');
      const i = lines.findIndex((l) => l.includes('filter: power:off bogus:1'));
      assert.ok(i >= 0 && /unknown field/.test(lines[i + 1]), s);
      assert.deepEqual(counts(s), before);
      t.keys('Escape');
      await t.waitFor((x) => !/unknown field/.test(x) && /filter: power:off/.test(x));
    });

    it('marks two VMs and assigns a new technical owner; the rows show it', async () => {
      t.keys('f', 'C-u', 'Enter');
      await t.waitFor(/no filter/);
      t.keys('Space', 'Space');
      await t.waitFor(/2 marked/);
      t.keys('o');
      await t.waitFor(/Technical owner for 2 marked VMs/);
      t.type('Quinn Qbyx');
      await t.waitFor(/No owner matches "Quinn Qbyx"/);
      t.keys('Enter');
      await t.waitFor(/New technical owner for 2 VMs/);
      t.keys('Tab');
      t.type('quinn@example.com');
      t.keys('C-s');
      const s = await t.waitFor(/Quinn Qbyx is now the technical owner of 2 VMs/);
      const rows = s.split('\n').filter((l) => l.includes('Quinn Qbyx') && !l.includes('is now'));
      assert.equal(rows.length, 2, s);
    });

    it('search jumps to a VM', async () => {
      const s = t.screen();
      const name = s.split('\n').slice(3).map((l) => /^..([a-z0-9][a-z0-9-]{3,})\s{2,}/.exec(l)?.[1]).find(Boolean);
      assert.ok(name, `a plain VM name on screen:\n${s}`);
      t.keys('/');
      await t.waitFor(/Search:/);
      t.type(name);
      await t.waitFor((x) => x.includes(`> ${name}`));
      t.keys('Enter');
      const d = await t.waitFor((x) => x.includes(`VM ${name}`) && /Placement/.test(x));
      assert.match(d, /Technical owner/);
      t.keys('Escape');
      await t.waitFor(/of [\d,]+ VMs/);
    });

    it('survives a resize to 20x10 and back', async () => {
      t.resize(20, 10);
      await t.waitFor(/terminal too small/);
      t.resize(80, 24);
      const s = await t.waitFor((x) => !!counts(x) && /NAME/.test(x));
      assert.ok(s.split('\n').every((l) => l.length <= 80));
      t.resize(120, 40);
      await t.waitFor((x) => /CLUSTER/.test(x) && !!counts(x));
    });

    it('L locks the screen; a wrong passphrase is refused; the right one unlocks', async () => {
      t.keys('L');
      const s = await t.waitFor(/vmi is locked/);
      assert.ok(!/NAME/.test(s), 'the inventory is covered');
      t.type('not it');
      t.keys('Enter');
      await t.waitFor(/wrong passphrase/);
      t.type(PASS);
      t.keys('Enter');
      await t.waitFor((x) => !!counts(x));
    });

    it('q quits and gives the terminal back', async () => {
      t.keys('q');
      const s = await t.waitFor(new RegExp(`${DONE}0__`));
      assert.ok(!/NAME/.test(s) && !/vc-ams/.test(s), 'the alternate screen is gone');
    });
  });

  describe('vmi with a real home', () => {
    let dir: string;
    let t: Term;
    const PASS = 'correct horse battery staple';
    before(() => {
      dir = tempDir('vmi-e2e-');
      const r = vmi(['init', '--home', dir, '--user', 'alice'], { ...process.env, VMI_HOME: dir }, `${PASS}\n`);
      assert.equal(r.code, 0, r.stderr);
      // A vCenter that refuses connections: the app must keep working while it fails.
      const add = vmi(['source', 'add', 'vc-down', '--platform', 'vsphere', '--url', 'https://127.0.0.1:9', '--user', 'ro@vsphere.local', '--refresh', '15'],
        { ...process.env, VMI_HOME: dir, VMI_USER: 'alice', VMI_PASSPHRASE: PASS });
      assert.equal(add.code, 0, add.stderr);
    });
    after(() => {
      t?.kill();
      rmSync(dir, { recursive: true, force: true });
    });

    it('unlock screen: wrong passphrase message (audited), then the app; SIGTERM restores the terminal', async () => {
      t = new Term('home', [process.execPath, CLI, '--home', dir], { VMI_USER: 'alice' }, 100, 30);
      let s = await t.waitFor(/Passphrase/);
      assert.match(s, /User\s+alice/);
      t.type('wrong passphrase');
      t.keys('Enter');
      s = await t.waitFor(/wrong passphrase for vmi user "alice"/);
      assert.ok(!s.includes('wrong passphrase\n'), 'never echoed');
      t.type(PASS);
      t.keys('Enter');
      s = await t.waitFor(/vCenter credentials/);
      assert.match(s, /User\s+ro@vsphere\.local/);
      t.type('not-a-real-password');
      t.keys('Enter');
      s = await t.waitFor(/vc-down (refused|unreachable|timeout)/);
      assert.match(s, /0 of 0 VMs/);
      assert.ok(!s.includes('not-a-real-password'), 'the password is never shown');
      t.keys('f');
      t.type('power:on');
      s = await t.waitFor(/filter: power:on/);
      process.kill(t.pid(), 'SIGTERM');
      s = await t.waitFor(new RegExp(`${DONE}0__`));
      assert.ok(!/of 0 VMs/.test(s));
      const audit = vmi(['audit', '--json', '--action', 'unlock'], { ...process.env, VMI_HOME: dir, VMI_USER: 'alice', VMI_PASSPHRASE: PASS });
      const actions = (JSON.parse(audit.stdout) as { action: string; details?: { reason?: string } }[]).map((e) => `${e.action}${e.details?.reason ? `:${e.details.reason}` : ''}`);
      assert.ok(actions.includes('unlock.failed:wrong-passphrase'), actions.join(' '));
    });
  });
});
