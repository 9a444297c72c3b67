import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore, makeHome, PASS, tempDir, vm, vmi, vmiAsync, insertVms, type TestHome } from './helpers.js';

const oneLine = (s: string) => s.trim().split('\n').length === 1;

describe('vmi init and unlock', () => {
  const dir = tempDir();
  const env = { ...process.env, VMI_HOME: dir, VMI_USER: 'root-admin', NO_COLOR: '1', VMI_PASSPHRASE: '' };

  it('creates a home with the passphrase read from stdin (real Argon2id cost)', () => {
    const r = vmi(['init'], env, 'first admin passphrase\n');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Admin user: root-admin/);
    assert.deepEqual(readdirSync(dir).sort(), ['cache', 'config.json', 'logs']);
    const again = vmi(['init'], env, 'first admin passphrase\n');
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already set up/);
  });

  it('refuses a short passphrase at init', () => {
    const r = vmi(['init', '--home', tempDir()], env, 'short\n');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /at least 10 characters/);
  });

  it('unlocks with --passphrase-stdin, VMI_PASSPHRASE, and refuses a wrong one with exit 3', () => {
    assert.equal(vmi(['owner', 'list', '--passphrase-stdin'], env, 'first admin passphrase\n').code, 0);
    assert.equal(vmi(['owner', 'list'], { ...env, VMI_PASSPHRASE: 'first admin passphrase' }).code, 0);
    const bad = vmi(['owner', 'list'], { ...env, VMI_PASSPHRASE: 'wrong passphrase!' });
    assert.equal(bad.code, 3);
    assert.ok(oneLine(bad.stderr), bad.stderr);
    assert.match(bad.stderr, /wrong passphrase for vmi user "root-admin"/);
    const noUser = vmi(['owner', 'list', '--user', 'nobody'], { ...env, VMI_PASSPHRASE: 'x' });
    assert.equal(noUser.code, 3);
    const audit = vmi(['audit', '--json', '--action', 'unlock.failed'], { ...env, VMI_PASSPHRASE: 'first admin passphrase' });
    const entries = JSON.parse(audit.stdout);
    assert.deepEqual(entries.map((e: any) => e.details.reason), ['wrong-passphrase', 'unknown-user']);
  });

  it('a home that cannot be created is a usage error', () => {
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'x');
    const r = vmi(['init', '--home', join(file, 'home')], env, 'first admin passphrase\n');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not writable/);
    assert.ok(oneLine(r.stderr));
  });

  it('bad usage exits 2', () => {
    assert.equal(vmi(['no-such-command'], env).code, 2);
    assert.equal(vmi(['user', 'add'], env).code, 2);
    assert.equal(vmi(['vms', '--no-such-option'], env).code, 2);
    const f = vmi(['vms', '--filter', 'power:sideways'], { ...env, VMI_PASSPHRASE: 'first admin passphrase' });
    assert.equal(f.code, 2);
    assert.match(f.stderr, /filter: power is one of/);
  });
});

describe('config validation', () => {
  let h: TestHome;
  before(async () => { h = await makeHome(); });
  after(() => h.cleanup());

  const broken: [string, unknown, RegExp][] = [
    ['wrong type', { sources: [{ name: 'vc1', platform: 'vsphere', url: 'https://vc1', refreshSeconds: 'often' }] }, /sources\[0\]\.refreshSeconds \(source "vc1"\)/],
    ['unknown platform', { sources: [{ name: 'vc1', platform: 'hyperv', url: 'https://vc1' }] }, /sources\[0\]\.platform/],
    ['bad URL', { sources: [{ name: 'vc1', platform: 'vsphere', url: 'vc1.example.com' }] }, /sources\[0\]\.url .*http\(s\) URL/],
    ['duplicate name', { sources: [{ name: 'vc1', platform: 'vsphere', url: 'https://a' }, { name: 'VC1', platform: 'vsphere', url: 'https://b' }] }, /duplicate source name/],
    ['refresh too low', { sources: [{ name: 'vc1', platform: 'vsphere', url: 'https://a', refreshSeconds: 5 }] }, /refreshSeconds/],
    ['bad timeout', { security: { sessionTimeoutMinutes: -1 } }, /security\.sessionTimeoutMinutes/],
  ];
  for (const [what, cfg, msg] of broken) {
    it(`${what}: names the file, the field and the reason; exit 2`, () => {
      writeFileSync(h.home.configFile, JSON.stringify(cfg));
      const r = vmi(['source', 'list'], h.env);
      assert.equal(r.code, 2);
      assert.ok(r.stderr.includes(h.home.configFile), r.stderr);
      assert.match(r.stderr, msg);
      assert.ok(oneLine(r.stderr));
    });
  }

  it('invalid JSON names the file', () => {
    writeFileSync(h.home.configFile, '{"sources": [');
    const r = vmi(['source', 'list'], h.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /config\.json: invalid JSON/);
  });

  it('source add/set/remove edit atomically and keep keys vmi does not know', () => {
    writeFileSync(h.home.configFile, JSON.stringify({ futureSetting: { x: 1 }, sources: [{ name: 'keep', platform: 'vsphere', url: 'https://keep', customKey: 'stays' }] }));
    assert.equal(vmi(['source', 'add', 'vc-prod', '--platform', 'vsphere', '--url', 'https://vc-prod.example.com', '--user', 'ro@vsphere.local', '--thumbprint', 'ab'.repeat(32), '--refresh', '300'], h.env).code, 0);
    const dup = vmi(['source', 'add', 'VC-PROD', '--platform', 'vsphere', '--url', 'https://x'], h.env);
    assert.equal(dup.code, 2);
    const bad = vmi(['source', 'add', 'vc2', '--platform', 'vsphere', '--url', 'not a url'], h.env);
    assert.equal(bad.code, 2);
    assert.equal(vmi(['source', 'set', 'keep', '--disable', '--refresh', '60'], h.env).code, 0);
    const cfg = JSON.parse(readFileSync(h.home.configFile, 'utf8'));
    assert.deepEqual(cfg.futureSetting, { x: 1 });
    assert.equal(cfg.sources[0].customKey, 'stays');
    assert.equal(cfg.sources[0].enabled, false);
    assert.equal(cfg.sources[1].thumbprint, Array(32).fill('AB').join(':'));
    assert.equal(cfg.sources[1].user, 'ro@vsphere.local');
    assert.ok(!JSON.stringify(cfg).includes('password'));
    assert.equal(vmi(['source', 'remove', 'keep'], h.env).code, 0);
    const list = JSON.parse(vmi(['source', 'list', '--json'], h.env).stdout);
    assert.deepEqual(list.map((s: any) => s.name), ['vc-prod']);
    const audit = JSON.parse(vmi(['audit', '--json', '--action', 'config.'], h.env).stdout);
    assert.deepEqual(audit.map((e: any) => e.action), ['config.source.add', 'config.source.set', 'config.source.remove']);
  });
});

describe('owners, tags, overrides and VMs through the CLI', () => {
  let h: TestHome;
  before(async () => {
    h = await makeHome({ vms: [
      vm('web-01'), vm('web-02', { powerState: 'poweredOff' }), vm('db-01', { guestOs: 'Microsoft Windows Server 2022', osFamily: 'windows' }),
      vm('ünïcødé-名前-🚀', { nics: [] , disks: [] }),
    ] });
  });
  after(() => h.cleanup());

  it('assigns owners and tags by filter, lists them, and keeps no plaintext on disk', () => {
    assert.equal(vmi(['owner', 'add', '--name', 'Zebulon Canary', '--email', 'zc@corp.example', '--department', 'Platform'], h.env).code, 0);
    assert.equal(vmi(['owner', 'add', '--name', 'Bea Business', '--email', 'bea@corp.example'], h.env).code, 0);
    const dupe = vmi(['owner', 'add', '--name', 'Z2', '--email', 'ZC@corp.example'], h.env);
    assert.equal(dupe.code, 2);
    const a = vmi(['assign', '--filter', 'name~^web-', '--technical', 'zc@corp.example', '--business', 'bea@corp.example'], h.env);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /2 of 2 matching VMs changed/);
    assert.equal(vmi(['assign', '--filter', 'name:web', '--technical', 'nobody@corp.example'], h.env).code, 2);
    assert.equal(vmi(['tag', 'add', '--filter', 'power:off', 'zebulon-pci'], h.env).code, 0);
    const none = JSON.parse(vmi(['vms', '--filter', 'owner:none', '--json'], h.env).stdout);
    assert.deepEqual(none.map((v: any) => v.name).sort(), ['db-01', 'ünïcødé-名前-🚀']);
    const tagged = JSON.parse(vmi(['vms', '--filter', 'tag:zebulon-pci', '--json'], h.env).stdout);
    assert.deepEqual(tagged.map((v: any) => [v.name, v.technicalOwner.name, v.businessOwner.email]), [['web-02', 'Zebulon Canary', 'bea@corp.example']]);
    const owners = JSON.parse(vmi(['owner', 'list', '--json'], h.env).stdout);
    assert.deepEqual(owners.map((o: any) => [o.fullName, o.technicalVms, o.businessVms]), [['Bea Business', 0, 2], ['Zebulon Canary', 2, 0]]);
    assert.equal(vmi(['tag', 'remove', '--filter', 'name=web-02', 'zebulon-pci'], h.env).code, 0);
    assert.equal(JSON.parse(vmi(['vms', '--filter', 'tag:zebulon-pci', '--json'], h.env).stdout).length, 0);
    assert.equal(vmi(['tag', 'add', '--filter', 'name=db-01', 'zebulon-keep'], h.env).code, 0);

    for (const f of [h.home.dbFile, `${h.home.dbFile}-wal`, ...readdirSync(h.home.logDir).map((x) => join(h.home.logDir, x))]) {
      let bytes: Buffer;
      try { bytes = readFileSync(f); } catch { continue; }
      assert.ok(!bytes.includes('Zebulon'), `${f} holds "Zebulon"`);
      assert.ok(!bytes.includes('zebulon'), `${f} holds "zebulon"`);
      assert.ok(!bytes.includes('corp.example'), `${f} holds an e-mail address`);
      assert.ok(!bytes.includes(PASS), `${f} holds the passphrase`);
    }
  });

  it('overrides: the effective value wins, both are visible, and a viewer cannot edit', () => {
    const r = vmi(['edit', '--filter', 'name=db-01', '--power', 'off', '--os', 'Windows 2025', '--project', 'ERP', '--field', 'costcenter=4711', '--ip', '192.0.2.10', '--primary'], h.env);
    assert.equal(r.code, 0, r.stderr);
    const [db] = JSON.parse(vmi(['vms', '--filter', 'name=db-01', '--json'], h.env).stdout);
    assert.equal(db.power, 'poweredOff');
    assert.equal(db.synced.power, 'poweredOn');
    assert.equal(db.os, 'Windows 2025');
    assert.deepEqual(db.overridden.sort(), ['os', 'power']);
    assert.equal(db.primaryIp, '192.0.2.10');
    assert.equal(db.customFields.costcenter, '4711');
    const table = vmi(['vms', '--filter', 'name=db-01'], h.env).stdout;
    assert.match(table, /off\*/);
    assert.match(table, /Windows 2025\*/);
    const temp = vmi(['user', 'add', 'vic', '--role', 'viewer'], h.env).stdout.split('\n')[1].trim();
    const mustChange = vmi(['vms'], { ...h.env, VMI_USER: 'vic', VMI_PASSPHRASE: temp });
    assert.equal(mustChange.code, 3);
    assert.match(mustChange.stderr, /one-time passphrase.*vmi user passwd/);
    const pw = vmi(['user', 'passwd', '--user', 'vic'], { ...h.env, VMI_PASSPHRASE: '' }, `${temp}\nvics own passphrase\n`);
    assert.equal(pw.code, 0, pw.stderr);
    const viewer = { ...h.env, VMI_USER: 'vic', VMI_PASSPHRASE: 'vics own passphrase' };
    assert.equal(vmi(['vms'], viewer).code, 0);
    const denied = vmi(['edit', '--filter', 'name=db-01', '--notes', 'nope'], viewer);
    assert.equal(denied.code, 3);
    assert.match(denied.stderr, /admins only/);
  });

  it('a tampered VM row is named; the other VMs are still listed; exit 1', async () => {
    const { store } = await openStore(h.home);
    const row = store.db.prepare("SELECT id, doc FROM vms ORDER BY id LIMIT 1").get() as { id: number; doc: Buffer };
    const bad = Buffer.from(row.doc);
    bad[40] ^= 1;
    store.db.prepare('UPDATE vms SET doc = ? WHERE id = ?').run(bad, row.id);
    store.close();
    const r = vmi(['vms', '--json'], h.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`row vms:${row.id} failed authentication`));
    assert.equal(JSON.parse(r.stdout).length, 3);
    const again = await openStore(h.home);
    again.store.db.prepare('UPDATE vms SET doc = ? WHERE id = ?').run(row.doc, row.id);
    again.store.close();
  });

  it('audit verify passes, then fails after an entry is removed', async () => {
    assert.equal(vmi(['audit', 'verify'], h.env).code, 0);
    const { store } = await openStore(h.home);
    store.db.prepare('DELETE FROM audit_log WHERE id = 5').run();
    store.close();
    const r = vmi(['audit', 'verify'], h.env);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /entry 6: does not follow/);
  });
});

describe('concurrency', () => {
  it('two processes writing at once lose no write', async () => {
    const h = await makeHome();
    const runs = [];
    for (let p = 0; p < 2; p++) {
      runs.push((async () => {
        for (let i = 0; i < 4; i++) {
          const r = await vmiAsync(['owner', 'add', '--name', `P${p} O${i}`, '--email', `p${p}o${i}@corp.example`], h.env);
          assert.equal(r.code, 0, r.stderr);
        }
      })());
    }
    await Promise.all(runs);
    const owners = JSON.parse(vmi(['owner', 'list', '--json'], h.env).stdout);
    assert.equal(owners.length, 8);
    assert.equal(vmi(['audit', 'verify'], h.env).code, 0);
    h.cleanup();
  });

  it('rekey through the CLI keeps every VM readable', async () => {
    const h = await makeHome({ vms: [vm('a-1'), vm('a-2')] });
    const before = vmi(['vms', '--json'], h.env).stdout;
    const r = vmi(['rekey', '--yes'], h.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Re-keyed: \d+ rows re-sealed, 1 keyslots/);
    assert.equal(vmi(['rekey'], h.env).code, 2);
    const after = vmi(['vms', '--json'], h.env).stdout;
    assert.deepEqual(JSON.parse(after).map((v: any) => v.name), JSON.parse(before).map((v: any) => v.name));
    h.cleanup();
  });
});

describe('logs', () => {
  it('write rotating files at the configured level with no secrets', async () => {
    const h = await makeHome({ vms: [vm('x-1')] });
    const cfg = JSON.parse(readFileSync(h.home.configFile, 'utf8'));
    cfg.logging = { level: 'trace', maxFiles: 2, maxSizeMB: 1 };
    writeFileSync(h.home.configFile, JSON.stringify(cfg));
    vmi(['vms'], h.env);
    vmi(['vms'], { ...h.env, VMI_PASSPHRASE: 'definitely-wrong-secret' });
    const logs = readdirSync(h.home.logDir);
    assert.ok(logs.length >= 1);
    const text = logs.map((f) => readFileSync(join(h.home.logDir, f), 'utf8')).join('');
    assert.match(text, /unlocked/);
    assert.match(text, /wrong-passphrase/);
    assert.ok(!text.includes(PASS) && !text.includes('definitely-wrong-secret'));
    h.cleanup();
  });
});
