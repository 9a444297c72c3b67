// Component and key-handling tests: the real App and Shell on a real (temporary) cache,
// rendered with ink-testing-library, driven by key presses.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import React from 'react';
import { loadConfig, editConfig } from '../src/config.js';
import type { VmRecord } from '../src/model/records.js';
import { listAudit } from '../src/store/audit.js';
import { addOwner } from '../src/store/manual.js';
import type { Store } from '../src/store/store.js';
import { addUser, type Actor } from '../src/store/vault.js';
import { App } from '../src/ui/app.js';
import { Shell, type WorkerLike } from '../src/ui/shell.js';
import type { VmsState } from '../src/ui/views/vms/index.js';

const vmsOf = (c: Shell) => c.view('vms') as VmsState;

/** Polls until `f` gives something (the app writes files asynchronously). */
async function until<T>(f: () => T | null | undefined, what: string, ms = 10_000): Promise<T> {
  for (const t0 = Date.now(); Date.now() - t0 < ms;) {
    const v = f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
import { rekey } from '../src/store/vault.js';
import type { SourceStatus } from '../src/worker/protocol.js';
import { insertVms, makeHome, openStore, PASS, vm, type TestHome } from './helpers.js';

// eslint-disable-next-line no-control-regex
const strip = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
const tick = () => new Promise((r) => setImmediate(r));
async function settleTicks(n = 3) {
  for (let i = 0; i < n; i++) await tick();
}

/** After keys: a few ticks, and until no app is busy (unlock derives its key in a thread of its own). */
async function settle() {
  await settleTicks();
  for (const t0 = Date.now(); [...open.ctrls].some((c) => c.busy) && Date.now() - t0 < 10_000;) await new Promise((r) => setTimeout(r, 5));
  await settleTicks();
}

const KEYS = { enter: '\r', esc: '\x1b', down: '\x1b[B', up: '\x1b[A', tab: '\t', ctrlU: '\x15', ctrlN: '\x0e', ctrlS: '\x13', ctrlC: '\x03', backspace: '\x7f' };

function estate(): VmRecord[] {
  const out: VmRecord[] = [];
  for (let i = 0; i < 40; i++) {
    out.push(vm(`web-${String(i).padStart(2, '0')}`, {
      powerState: i % 4 === 0 ? 'poweredOff' : 'poweredOn', cpus: 1 + (i % 8), cluster: i % 2 ? 'prod' : 'dev',
      nics: [{ key: '4000', label: 'Network adapter 1', network: 'vlan120', ipv4: [`10.1.0.${i + 1}`], ipv6: [] }],
    }));
  }
  out.push(vm('数据库-01', { cpus: 4 }));
  out.push(vm('🚀-rocket', { cpus: 2 }));
  out.push(vm('db-main', { cpus: 16, guestOs: 'Microsoft Windows Server 2022 (64-bit)', osFamily: 'windows' }));
  return out;
}

class FakeWorker extends EventEmitter implements WorkerLike {
  statuses = new Map<string, SourceStatus>();
  creds: { user: string; password: string }[] = [];
  refreshed: (string | undefined)[] = [];
  setCredentials(user: string, password: Buffer): void {
    this.creds.push({ user, password: password.toString() });
    password.fill(0);
  }
  refresh(source?: string): void {
    this.refreshed.push(source);
  }
  setSources(): void {}
  stopped = 0;
  async stop(): Promise<void> {
    this.stopped++;
  }
  status(s: SourceStatus): void {
    this.statuses.set(s.source, s);
    this.emit('status', s);
  }
}

interface Harness {
  ctrl: Shell;
  store: Store;
  frame: () => string;
  press: (...keys: string[]) => Promise<string>;
  type: (text: string) => Promise<string>;
  paste: (text: string) => Promise<string>;
  worker: FakeWorker;
  timers: { fn: () => void; ms: number }[];
  done: () => void;
}

async function open(th: TestHome, opts: { actor?: Actor | null; user?: string; cols?: number; rows?: number; ascii?: boolean } = {}): Promise<Harness> {
  const { store, actor } = await openStore(th.home);
  const worker = new FakeWorker();
  const timers: { fn: () => void; ms: number }[] = [];
  if (opts.actor === null) store.setKey(null);
  const ctrl = new Shell({
    home: th.home, store, config: loadConfig(th.home.configFile), caps: { color: false, ascii: opts.ascii ?? false },
    user: opts.user ?? 'alice', actor: opts.actor === null ? undefined : opts.actor ?? actor,
    defer: (fn) => fn(), startWorker: () => worker, exportDir: th.dir,
    setTimer: (fn, ms) => {
      const t = { fn, ms };
      timers.push(t);
      return { cancel: () => timers.splice(timers.indexOf(t), 1) };
    },
  });
  ctrl.size = { cols: opts.cols ?? 100, rows: opts.rows ?? 30 };
  const r = render(<App ctrl={ctrl} />);
  ctrl.start();
  open.ctrls.add(ctrl);
  await settle();
  const frame = () => strip(r.lastFrame());
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      r.stdin.write(k);
      await settle();
    }
    return frame();
  };
  const type = async (text: string) => {
    for (const ch of text) r.stdin.write(ch);
    await settle();
    return frame();
  };
  const paste = async (text: string) => {
    r.stdin.write(text);
    await settle();
    return frame();
  };
  return {
    ctrl, store, frame, press, type, paste, worker, timers,
    done: () => {
      open.ctrls.delete(ctrl);
      ctrl.quit();
      r.unmount();
      store.close();
    },
  };
}

open.ctrls = new Set<Shell>();

const count = (f: string) => {
  const m = /([\d,]+) of ([\d,]+) VMs/.exec(f);
  assert.ok(m, `no "x of y VMs" in:\n${f}`);
  return [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, ''))];
};

describe('the app, driven by keys', () => {
  let th: TestHome;
  before(async () => {
    th = await makeHome({ vms: estate() });
  });
  after(() => th.cleanup());

  it('unlock screen: prefilled user, masked passphrase, wrong passphrase message (audited), then the inventory', async () => {
    const h = await open(th, { actor: null });
    try {
      let f = h.frame();
      assert.match(f, /User\s+alice/);
      assert.match(f, /Passphrase/);
      f = await h.type('not the passphrase');
      assert.ok(!f.includes('not the passphrase'), 'the passphrase is masked');
      assert.match(f, /\*{5,}/);
      f = await h.press(KEYS.enter);
      assert.match(f, /wrong passphrase for vmi user "alice"/);
      f = await h.type(PASS);
      f = await h.press(KEYS.enter);
      assert.match(f, /VMs/);
      assert.deepEqual(count(f), [43, 43]);
      const failed = listAudit(h.store).entries.filter((e) => e.action === 'unlock.failed');
      assert.equal(failed.length, 1);
      assert.equal(failed[0].details?.reason, 'wrong-passphrase');
    } finally {
      h.done();
    }
  });

  it('moves with j/k/G/g/PgDn, keeps alignment with wide names, and sorts with s/S', async () => {
    const h = await open(th);
    try {
      let f = h.frame();
      const lines = f.split('\n');
      const rows = lines.filter((l) => /web-\d\d|数据库|🚀|db-main/.test(l));
      assert.ok(rows.length > 10);
      // The power column starts at the same screen column on every row, wide characters or not.
      const col = (l: string) => {
        const i = l.search(/\s(on|off)\s/);
        return [...l.slice(0, i)].reduce((a, ch) => a + (/[\u3000-\u9fff]/.test(ch) ? 2 : /\p{Extended_Pictographic}/u.test(ch) ? 2 : 1), 0);
      };
      const cols = new Set(rows.map(col));
      assert.equal(cols.size, 1, `power column misaligned:\n${rows.join('\n')}`);
      assert.equal(vmsOf(h.ctrl).list.cursor, 0);
      await h.press('j', 'j', KEYS.down);
      assert.equal(vmsOf(h.ctrl).list.cursor, 3);
      await h.press('k');
      assert.equal(vmsOf(h.ctrl).list.cursor, 2);
      await h.press('G');
      assert.equal(vmsOf(h.ctrl).list.cursor, 42);
      f = h.frame();
      assert.match(f, /🚀-rocket|数据库-01/, 'the last rows are scrolled into view');
      await h.press('g');
      assert.equal(vmsOf(h.ctrl).list.cursor, 0);
      await h.press('\x1b[6~');
      assert.equal(vmsOf(h.ctrl).list.cursor, vmsOf(h.ctrl).pageRows());
      await h.press('g', 's', 's');
      f = h.frame();
      assert.match(f, /CP↑/);
      assert.equal(vmsOf(h.ctrl).rows().at(0)!.cpus, 1);
      assert.equal(vmsOf(h.ctrl).selected()?.name, 'db-main', 'the cursor stays on the selected VM when rows move');
      f = await h.press('S');
      assert.match(f, /CP↓/);
      assert.equal(vmsOf(h.ctrl).rows().at(0)!.name, 'db-main');
    } finally {
      h.done();
    }
  });

  it('filter: applied as typed, a bad one shows its error under the filter and keeps the results', async () => {
    const h = await open(th);
    try {
      await h.press('f');
      let f = await h.type('power:off');
      assert.deepEqual(count(f), [10, 43]);
      // Pasted (typed, its prefix " bogus" would be a valid bare word and filter everything out).
      f = await h.paste(' bogus:1');
      assert.match(f, /unknown field "bogus"/);
      assert.deepEqual(count(f), [10, 43], 'previous results kept');
      const lines = f.split('\n');
      const fi = lines.findIndex((l) => l.includes('filter: power:off bogus:1'));
      assert.ok(fi >= 0 && lines[fi + 1].includes('unknown field'), 'the error is right under the filter');
      f = await h.press(KEYS.enter);
      assert.match(f, /unknown field/, 'enter does not accept a filter that does not parse');
      for (let i = 0; i < ' bogus:1'.length; i++) await h.press(KEYS.backspace);
      f = await h.press(KEYS.enter);
      assert.ok(!/unknown field/.test(f));
      assert.deepEqual(count(f), [10, 43]);
      // esc while editing restores the filter from before the edit
      await h.press('f', KEYS.ctrlU);
      await h.type('cpu>=8');
      f = await h.press(KEYS.esc);
      assert.deepEqual(count(f), [10, 43]);
      assert.match(f, /filter: power:off/);
    } finally {
      h.done();
    }
  });

  it('marks VMs and assigns a technical owner through the picker; no-match state; n creates one inline', async () => {
    const h = await open(th);
    try {
      addOwner(h.store, h.ctrl.actor!, { fullName: 'Alice Smith', email: 'alice.smith@corp.example', department: 'Platform' });
      h.ctrl.model!.poll(true);
      await h.press(' ', ' ', ' ');
      let f = h.frame();
      assert.match(f, /3 marked/);
      f = await h.press('o');
      assert.match(f, /Technical owner for 3 marked VMs/);
      f = await h.type('zzz');
      assert.match(f, /No owner matches "zzz"/);
      await h.press(KEYS.ctrlU);
      f = await h.type('asm');
      assert.match(f, /> Alice Smith/);
      f = await h.press(KEYS.enter);
      assert.match(f, /Alice Smith is now the technical owner of 3 VMs/);
      // Sorted by name: db-main, web-00, web-01 were the first three rows.
      const rows = f.split('\n').filter((l) => l.includes('Alice Smith') && /db-main|web-0[01]/.test(l));
      assert.equal(rows.length, 3, f);
      assert.equal(vmsOf(h.ctrl).marked.size, 3, 'marks stay for the next action (u clears them)');
      await h.press('u');
      assert.equal(vmsOf(h.ctrl).marked.size, 0);
      // Business owner for the selected VM, with a new owner created inline (^N).
      await h.press('b');
      await h.type('Bob Jones');
      f = await h.press(KEYS.ctrlN);
      assert.match(f, /New business owner for 1 VM/);
      await h.press(KEYS.tab);
      await h.type('bob@corp.example');
      f = await h.press(KEYS.ctrlS);
      assert.match(f, /Bob Jones is now the business owner of 1 VM/);
      const v = vmsOf(h.ctrl).rows().at(vmsOf(h.ctrl).list.cursor)!;
      assert.equal(v.businessOwner?.email, 'bob@corp.example');
      const actions = listAudit(h.store).entries.map((e) => e.action);
      assert.ok(actions.includes('owner.add') && actions.filter((a) => a === 'vm.assign').length >= 4);
    } finally {
      h.done();
    }
  });

  it('tags and edits: t adds/removes a tag, e sets an override shown beside the synced value', async () => {
    const h = await open(th);
    try {
      await h.press('j', 'j', 't');
      await h.type('pci');
      let f = await h.press(KEYS.enter);
      assert.match(f, /added "pci" to 1 VM/);
      f = await h.press(KEYS.enter);
      assert.match(f, /removed "pci" from 1 VM/, 'enter again removes it (all targets had it)');
      await h.type('+pci');
      await h.press(KEYS.enter, KEYS.esc);
      assert.deepEqual(vmsOf(h.ctrl).rows().at(2)!.tags, ['pci']);
      f = await h.press('e');
      assert.match(f, /Edit web-01/);
      await h.type('ERP');
      await h.press(KEYS.tab, KEYS.tab, KEYS.tab);
      await h.press(' ', ' '); // power override: none -> on -> off
      f = await h.press(KEYS.ctrlS);
      assert.match(f, /saved web-01/);
      f = await h.press(KEYS.enter);
      assert.match(f, /Project\s+ERP/);
      assert.match(f, /Power\s+off\*\s+\(manual; synced: on\)/);
      f = await h.press(KEYS.esc);
      assert.match(f, /web-01\s+off\*/);
      // An invalid manual IP keeps the form open with the reason.
      await h.press('e');
      for (let i = 0; i < 8; i++) await h.press(KEYS.tab);
      await h.type('not-an-ip');
      f = await h.press(KEYS.ctrlS);
      assert.match(f, /"not-an-ip" is not an IP address/);
      await h.press(KEYS.esc);
    } finally {
      h.done();
    }
  });

  it('global search from any view: grouped results per keystroke, enter jumps to the VM', async () => {
    const h = await open(th);
    try {
      await h.press('1', '/');
      let f = await h.type('web-3');
      assert.match(f, /VMs \(10\)/);
      assert.match(f, /Hosts \(0\)/);
      f = await h.type('7');
      assert.match(f, /VMs \(1\)/);
      f = await h.press(KEYS.enter);
      assert.match(f, /VM web-37/);
      assert.match(f, /Primary IP\s+10\.1\.0\.38/);
      f = await h.press(KEYS.esc);
      assert.match(f, /Dashboard/);
    } finally {
      h.done();
    }
  });

  it('a viewer is told "admin only" and nothing changes', async () => {
    const { store, actor } = await openStore(th.home);
    const temp = addUser(store, actor, 'victor', 'viewer', {}, { opslimit: 1, memlimit: 8 * 1024 * 1024 });
    store.close();
    const h = await open(th, { actor: null, user: 'victor' });
    try {
      await h.type(temp);
      let f = await h.press(KEYS.enter);
      assert.match(f, /one-time passphrase: choose your own/);
      await h.type('victor passphrase 1');
      await h.press(KEYS.enter);
      await h.type('victor passphrase 1');
      f = await h.press(KEYS.enter);
      assert.match(f, /victor \(viewer\)/);
      assert.ok(!/tech owner/.test(f.split('\n').at(-1)!), 'admin keys are not in a viewer\'s footer');
      const before = listAudit(h.store).entries.length;
      for (const k of ['o', 'b', 't', 'e']) {
        f = await h.press(k);
        assert.match(f, /admin only \(victor is a viewer\)/, k);
      }
      assert.equal(listAudit(h.store).entries.length, before);
      f = await h.press('?');
      assert.match(f, /technical owner .*\(admin only\)/);
    } finally {
      h.done();
    }
  });

  it('lock: L covers the screen, the worker keeps going, the passphrase unlocks; the timeout locks too', async () => {
    const h = await open(th);
    try {
      let f = await h.press('L');
      assert.match(f, /vmi is locked/);
      assert.ok(!/web-0/.test(f), 'the inventory is covered');
      h.worker.status({ source: 'vc-test', platform: 'vsphere', state: 'syncing', progress: 5 });
      await h.type('wrong one');
      f = await h.press(KEYS.enter);
      assert.match(f, /wrong passphrase/);
      await h.type(PASS);
      f = await h.press(KEYS.enter);
      assert.match(f, /of 43 VMs/);
      // The session timeout (15 min by default) arms a timer; when it fires after 15 idle minutes, the screen locks.
      assert.equal(h.timers.length, 1);
      assert.ok(Math.abs(h.timers[0].ms - 15 * 60_000) < 1000, String(h.timers[0].ms));
      h.ctrl.lastKeyAt -= 15 * 60_000;
      h.timers[0].fn();
      await settle();
      assert.match(h.frame(), /vmi is locked/);
    } finally {
      h.done();
    }
  });

  it('a re-key by another process locks the screen; the passphrase unlocks with the new key and sync restarts', async () => {
    const h = await open(th);
    try {
      const other = await openStore(th.home);
      rekey(other.store, other.actor);
      addOwner(other.store, other.actor, { fullName: 'After Rekey', email: 'after.rekey@corp.example' });
      other.store.close();
      h.ctrl.model!.poll();
      await settle();
      let f = h.frame();
      assert.match(f, /vmi is locked/);
      assert.match(f, /re-keyed by another vmi process/);
      assert.equal(h.worker.stopped, 1, 'the worker holding the old key was stopped');
      await h.type(PASS);
      f = await h.press(KEYS.enter);
      assert.match(f, /of 43 VMs/);
      assert.ok([...h.ctrl.model!.owners.values()].some((o) => o.email === 'after.rekey@corp.example'), 'rows sealed with the new key are read');
    } finally {
      h.done();
    }
  });

  it('header pills follow the worker, also while typing; credentials prompt; c and r', async () => {
    editConfig(th.home.configFile, (raw) => {
      raw.sources = [{ name: 'vc-test', platform: 'vsphere', url: 'https://vc-test.example.com', user: 'ro@vsphere.local' }];
    });
    const h = await open(th);
    try {
      let f = h.frame();
      assert.match(f, /vCenter credentials/, 'asked once after unlock');
      assert.match(f, /User\s+ro@vsphere.local/);
      f = await h.press(KEYS.esc);
      assert.match(f, /offline until you press c/);
      h.worker.status({ source: 'vc-test', platform: 'vsphere', state: 'offline' });
      await settle();
      assert.match(h.frame(), /vc-test offline/);
      await h.press('f');
      await h.type('power:o');
      h.worker.status({ source: 'vc-test', platform: 'vsphere', state: 'backoff', retryAt: Date.now() + 30_000, lastError: { reason: 'timeout', message: 'vc-test: timed out', at: Date.now() } });
      await settle();
      f = await h.type('n');
      assert.match(f, /vc-test timeout, retry 0:[23]\d/);
      assert.match(f, /filter: power:on/, 'typing is not disturbed');
      await h.press(KEYS.enter);
      f = await h.press('c');
      assert.match(f, /vCenter credentials/);
      await h.type('secret-pw');
      f = await h.press(KEYS.enter);
      assert.deepEqual(h.worker.creds, [{ user: 'ro@vsphere.local', password: 'secret-pw' }]);
      await h.press('r');
      assert.deepEqual(h.worker.refreshed, [undefined]);
    } finally {
      h.done();
      editConfig(th.home.configFile, (raw) => {
        raw.sources = [];
      });
    }
  });

  it('views by digit and by ":" command; unknown commands say so; esc goes back', async () => {
    const h = await open(th);
    try {
      let f = await h.press('1');
      assert.match(f, /VMs 43/);
      f = await h.press('8');
      assert.match(f, /Owners/);
      f = await h.press('9');
      assert.match(f, /unlock/);
      f = await h.press('0');
      assert.match(f, /Sources\s+Appearance & session\s+Users/);
      for (const [cmd, want] of [['hosts', /Hosts/], ['changes', /Changes/], ['alarms', /Alarms/], ['networks', /Networks/], ['datastores', /Storage/], ['events', /Events/]] as const) {
        await h.press(':');
        await h.type(cmd);
        f = await h.press(KEYS.enter);
        assert.match(f, want, cmd);
      }
      await h.press(':');
      await h.type('vms cpu>=8');
      f = await h.press(KEYS.enter);
      assert.match(f, /filter: cpu>=8/);
      await h.press(':');
      await h.type('frobnicate');
      f = await h.press(KEYS.enter);
      assert.match(f, /unknown command ":frobnicate"/);
      await h.press(KEYS.esc);
      f = await h.press(KEYS.esc);
      assert.match(f, /Events/, 'esc goes back to the previous view');
    } finally {
      h.done();
    }
  });

  it('every table view gives its rows as data in the order on screen, all columns included', async () => {
    const h = await open(th, { cols: 80, rows: 24 });
    try {
      await h.press('2', 's', 's'); // VMs by CPU
      await h.press('S');
      const vms = h.ctrl.view('vms').table!();
      assert.equal(vms.count, 43);
      assert.ok(vms.columns.some((c) => c.title === 'TAGS'), 'columns dropped for width are in the data');
      const rows = [...vms.rows()];
      const cpu = vms.columns.findIndex((c) => c.id === 'cpu');
      const cpus = rows.map((r) => Number(r[cpu]));
      assert.deepEqual(cpus, [...cpus].sort((a, b) => b - a), 'in the sort on screen');
      const name = vms.columns.findIndex((c) => c.id === 'name');
      const f = h.frame().split('\n');
      assert.ok(f[3].includes(rows[0][name]), `first row on screen is ${rows[0][name]}: ${f[3]}`);
      await h.press(':');
      await h.type('vmk');
      await h.press(KEYS.enter, 'f');
      await h.type('vsan');
      assert.match(await h.press(KEYS.enter), /filter: vsan .* hosts/, 'the VMkernel tab filters its own table');
      for (const [cmd, id] of [['hosts', 'hosts'], ['datastores', 'datastores'], ['networks', 'networks'], ['vmk', 'networks'], ['changes', 'changes'], ['alarms', 'alarms'], ['events', 'alarms'], ['owners', 'owners'], ['audit', 'audit']]) {
        await h.press(':');
        await h.type(cmd);
        await h.press(KEYS.enter);
        assert.equal(h.ctrl.current, id, cmd);
        const t = h.ctrl.view(id).table!();
        assert.ok(t.columns.length > 0, id);
        assert.equal([...t.rows()].length, t.count, id);
      }
    } finally {
      h.done();
    }
  });

  it('x writes the table as shown (every row of the filter, every column) to a CSV file, audited without the data', async () => {
    const h = await open(th, { cols: 80, rows: 24 });
    try {
      await h.press('2', 'f');
      await h.type('power:on');
      await h.press(KEYS.enter);
      const [shown] = count(h.frame())!;
      await h.press('x');
      const f = await until(() => /rows written to (\S+)/.exec(h.frame()), 'the path of the file');
      const file = f[1];
      assert.ok(file.startsWith(th.dir), file);
      const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
      assert.equal(lines.length, shown + 1, 'a header and every row, not only those on screen');
      assert.match(lines[0], /NAME.*TAGS/, 'columns dropped for width are exported too');
      const e = listAudit(h.store).entries.find((x) => x.action === 'export')!;
      assert.equal(e.details?.what, 'vms');
      assert.equal(e.details?.filter, 'power:on');
      assert.equal(e.details?.rows, shown);
      assert.ok(!JSON.stringify(e.details).includes('web-01'), 'no data in the audit trail');
    } finally {
      h.done();
    }
  });

  it('help overlay is generated from the key map; the footer shows the keys that work here', async () => {
    const h = await open(th);
    try {
      let f = h.frame();
      assert.match(f.split('\n').at(-1)!, /enter detail\s+f filter/);
      f = await h.press('?');
      assert.match(f, /Everywhere/);
      assert.match(f, /L\s+lock the screen/);
      f = await h.press('j', 'j');
      f = await h.press(KEYS.esc);
      assert.ok(!/Everywhere/.test(f));
      f = await h.press('0');
      assert.match(f.split('\n').at(-1)!, /a add/);
    } finally {
      h.done();
    }
  });

  it('resizes: 80x24 drops columns, 20x10 says "too small", then comes back; ASCII glyphs', async () => {
    const h = await open(th, { cols: 100, rows: 30, ascii: true });
    try {
      let f = h.frame();
      assert.match(f, /CLUSTER/);
      assert.ok(!/[│●↑]/.test(f), 'ASCII only');
      assert.match(f, /NAME\^/);
      h.ctrl.setSize({ cols: 80, rows: 24 });
      await settle();
      f = h.frame();
      assert.ok(f.split('\n').every((l) => l.length <= 80));
      assert.equal(f.split('\n').length, 24);
      h.ctrl.setSize({ cols: 20, rows: 10 });
      await settle();
      f = h.frame();
      assert.match(f, /terminal too small/);
      assert.match(f, /20x10/);
      f = await h.press('j');
      h.ctrl.setSize({ cols: 100, rows: 30 });
      await settle();
      assert.match(h.frame(), /of 43 VMs/);
    } finally {
      h.done();
    }
  });

  it('settings: theme and accent are saved (admin) and audited; users list', async () => {
    const h = await open(th);
    try {
      await h.press('0', KEYS.tab);
      let f = h.frame();
      assert.match(f, /Theme\s+dark/);
      f = await h.press(KEYS.enter);
      assert.match(f, /ui\.theme = light/);
      assert.equal(loadConfig(th.home.configFile).ui.theme, 'light');
      await h.press('j', KEYS.enter);
      assert.equal(loadConfig(th.home.configFile).ui.accent, 'blue');
      assert.ok(listAudit(h.store).entries.some((e) => e.action === 'config.set' && e.resourceId === 'ui.theme'));
      f = await h.press(KEYS.tab);
      assert.match(f, /alice\s+admin/);
      f = await h.press('j', 'D');
      assert.match(f, /Disable victor\?/);
      f = await h.press('n');
      assert.match(f, /cancelled/);
    } finally {
      h.done();
      editConfig(th.home.configFile, (raw) => {
        raw.ui = { theme: 'dark', accent: 'cyan' };
      });
    }
  });

  it('settings: an admin adds a user and gives them a new one-time passphrase; Argon2id runs outside the app\'s thread', async () => {
    const { unlock } = await import('../src/store/vault.js');
    const h = await open(th);
    try {
      const external = process.memoryUsage().external;
      await h.press('0', KEYS.tab, KEYS.tab, 'a');
      await h.type('wendy');
      let f = await h.press('\x13'); // ctrl+s
      assert.match(f, /User wendy added/);
      const first = /One-time passphrase for wendy:\s+(\S+)/.exec(f)?.[1] ?? '';
      await h.press(KEYS.enter);
      const rows = h.frame().split('\n').filter((l) => /^\s*\S+\s+(admin|viewer)/.test(l));
      for (let i = 0; i < rows.findIndex((l) => /wendy/.test(l)); i++) await h.press('j');
      f = await h.press('P');
      assert.match(f, /Give wendy a new one-time passphrase\?/);
      f = await h.press('y');
      assert.match(f, /One-time passphrase for wendy/);
      const second = /One-time passphrase for wendy:\s+(\S+)/.exec(f)?.[1] ?? '';
      assert.notEqual(second, first);
      // Two derivations at the default cost: done here, they would have left 192 MiB in this thread.
      assert.ok(process.memoryUsage().external - external < 64 * 1024 * 1024, 'no Argon2id memory stayed in this thread');
      assert.ok(listAudit(h.store).entries.some((e) => e.action === 'user.add' && e.resourceId === 'wendy'));
      assert.ok(listAudit(h.store).entries.some((e) => e.action === 'user.reset' && e.resourceId === 'wendy'));
      assert.doesNotThrow(() => unlock(h.store, 'wendy', Buffer.from(second)), 'the shown passphrase opens the cache');
      assert.throws(() => unlock(h.store, 'wendy', Buffer.from(first)), /wrong passphrase/);
    } finally {
      h.done();
    }
  });

  it('settings: add a source, disable it, remove it (asks first); all audited, config.json updated', async () => {
    const h = await open(th);
    try {
      let f = await h.press('0', 'a');
      assert.match(f, /Add a source/);
      await h.type('vc-new');
      await h.press(KEYS.tab, KEYS.tab);
      await h.type('vc-new.example.com');
      await h.press(KEYS.tab);
      await h.type('ro@vsphere.local');
      f = await h.press(KEYS.ctrlS);
      assert.match(f, /source vc-new added; press c to enter its credentials/);
      assert.deepEqual(loadConfig(th.home.configFile).sources.map((s) => [s.name, s.url, s.enabled]), [['vc-new', 'https://vc-new.example.com', true]]);
      f = await h.press(' ');
      assert.match(f, /vc-new disabled/);
      assert.equal(loadConfig(th.home.configFile).sources[0].enabled, false);
      f = await h.press('x');
      assert.match(f, /Remove source vc-new from config.json\?/);
      f = await h.press('y');
      assert.match(f, /vc-new removed/);
      assert.equal(loadConfig(th.home.configFile).sources.length, 0);
      const actions = listAudit(h.store).entries.map((e) => e.action);
      for (const a of ['config.source.add', 'config.source.set', 'config.source.remove']) assert.ok(actions.includes(a), a);
    } finally {
      h.done();
    }
  });

  it('worker updates that move rows keep the cursor on the selected VM', async () => {
    const h = await open(th);
    try {
      await h.press('j', 'j', 'j', 'j');
      const before = vmsOf(h.ctrl).selected()!;
      assert.equal(before.name, 'web-03');
      // Another process (or the worker) adds VMs that sort before it, and changes one row.
      insertVms(h.store, 'vc-test', [vm('aaa-new-1'), vm('aaa-new-2'), vm('web-03', { cpus: 32 })]);
      h.ctrl.model!.poll(true);
      await settle();
      const f = h.frame();
      assert.equal(vmsOf(h.ctrl).selected()!.name, 'web-03');
      assert.equal(vmsOf(h.ctrl).selected()!.cpus, 32, 'the row shows the new values');
      assert.equal(vmsOf(h.ctrl).list.cursor, 6);
      assert.match(f, /of 45 VMs/);
    } finally {
      h.done();
    }
  });

  it('keys that arrive in one chunk (fast typing, paste, a slow SSH link) are split', async () => {
    const h = await open(th);
    try {
      await h.paste('fpower:off\r');
      let f = h.frame();
      assert.match(f, /filter: power:off/);
      assert.equal(vmsOf(h.ctrl).filter.editing, false, 'the enter in the chunk closed the filter');
      f = await h.paste('f\x15\r');
      assert.match(f, /no filter/);
    } finally {
      h.done();
    }
  });

  it('Ctrl-C quits from anywhere, even an overlay', async () => {
    const h = await open(th);
    let quit = false;
    (h.ctrl.deps as { onQuit?: () => void }).onQuit = () => { quit = true; };
    await h.press('/', KEYS.ctrlC);
    assert.ok(quit);
    assert.equal(h.ctrl.phase, 'quitting');
    h.done();
  });
});
