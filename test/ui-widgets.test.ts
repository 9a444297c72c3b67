// The view registry and the shared widgets: what every view plugs into.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COLON_NAMES } from '../src/ui/colon.js';
import { KEYMAP, resolveKey } from '../src/ui/keymap.js';
import { VIEWS } from '../src/ui/views/index.js';
import { bar, capacityBar, usageTone } from '../src/ui/widgets/bars.js';
import { branchKeys, treeLead, TreeState, visibleRows, type TreeNode } from '../src/ui/widgets/tree.js';
import { FilterBox, ListCursor, SortState } from '../src/ui/widgets/table/state.js';
import { makeTheme } from '../src/ui/widgets/theme.js';

describe('the view registry', () => {
  it('gives every view a unique id, digit and ":" names', () => {
    const ids = VIEWS.map((v) => v.id);
    assert.equal(new Set(ids).size, ids.length);
    const digits = VIEWS.flatMap((v) => (v.digit ? [v.digit] : []));
    assert.deepEqual([...digits].sort(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.equal(new Set(COLON_NAMES).size, COLON_NAMES.length, 'no ":" name is taken twice');
    for (const n of ['hosts', 'ds', 'users', 'theme', 'filter', 'quit']) assert.ok(COLON_NAMES.includes(n), n);
  });
  it('binds every digit to its view and every view key to a view that has it', () => {
    for (const v of VIEWS.filter((x) => x.digit)) assert.equal(resolveKey(['global'], v.digit!)?.id, `view.${v.id}`);
    const ids = new Set(KEYMAP.map((c) => c.id));
    assert.equal(ids.size, KEYMAP.length, 'a command shared by views is listed once');
    for (const v of VIEWS) for (const k of v.keys) assert.ok(ids.has(k.id));
  });
});

describe('table state', () => {
  it('the cursor window keeps the cursor visible', () => {
    const l = new ListCursor();
    l.move(Infinity, 100);
    assert.deepEqual(l.window(100, 10), { top: 90, cursor: 99 });
    l.move(-5, 100);
    assert.deepEqual(l.window(100, 10), { top: 90, cursor: 94 });
    l.move(-Infinity, 100);
    assert.deepEqual(l.window(100, 10), { top: 0, cursor: 0 });
    assert.deepEqual(l.window(0, 10), { top: 0, cursor: 0 }, 'an empty table');
  });
  it('the filter applies as typed, keeps the last good one on an error, and esc restores it', () => {
    const applied: string[] = [];
    const f = new FilterBox((s) => applied.push(s), (s) => { if (s.includes('(')) throw new Error('unbalanced'); });
    const now = (fn: () => void) => fn();
    f.start();
    for (const ch of 'web') f.key(ch, {}, ch, now);
    assert.equal(f.applied, 'web');
    f.key('(', {}, '(', now);
    assert.equal(f.error, 'unbalanced');
    assert.equal(f.applied, 'web', 'the previous results stay');
    f.key('', { return: true }, 'enter', now);
    assert.ok(f.editing, 'enter does not close a filter with an error');
    f.key('', { escape: true }, 'esc', now);
    assert.equal(f.applied, '');
    assert.equal(f.editing, false);
  });
  it('sort goes to the next column and reverses', () => {
    const s = new SortState('name');
    assert.equal(s.next(['name', 'cpu', 'mem']), 'cpu');
    s.reverse();
    assert.equal(s.desc, true);
    assert.equal(s.next(['name', 'cpu', 'mem']), 'mem');
    assert.equal(s.desc, false, 'a new column sorts ascending');
    assert.equal(s.next(['name', 'cpu', 'mem']), 'name');
  });
});

describe('capacity bars', () => {
  const g = makeTheme('dark', 'cyan', { color: false, ascii: true }).glyphs;
  const cases: [string, number, number, number, { used: string; free: string; over: string }][] = [
    ['empty', 100, 0, 0, { used: '', free: '..........', over: '' }],
    ['half', 100, 50, 50, { used: '#####', free: '.....', over: '' }],
    ['full', 100, 100, 100, { used: '##########', free: '', over: '' }],
    ['overcommitted by half', 100, 80, 150, { used: '########', free: '..', over: '!!!!!' }],
    ['overcommitted 5 times: at most the bar again', 100, 100, 500, { used: '##########', free: '', over: '!!!!!!!!!!' }],
    ['no capacity (inaccessible)', 0, 0, 0, { used: '', free: '..........', over: '' }],
  ];
  for (const [name, cap, used, prov, want] of cases) it(name, () => assert.deepEqual(capacityBar(cap, used, prov, 10, g), want));
  it('tones follow the thresholds', () => {
    assert.equal(usageTone(79.9), 'good');
    assert.equal(usageTone(80), 'warn');
    assert.equal(usageTone(95), 'bad');
    assert.equal(usageTone(85, { warn: 90, crit: 95 }), 'good');
    assert.equal(usageTone(Number.NaN), 'muted');
    assert.equal(bar(150, 4, '#', '.'), '####');
  });
});

describe('the tree widget', () => {
  const n = (key: string, children?: TreeNode<string>[]): TreeNode<string> => ({ key, data: key, children });
  const roots = [n('vc1', [n('dc1', [n('pod1', [n('ds1'), n('ds2')]), n('ds3')]), n('dc2', [])]), n('vc2', [n('dc3', [n('ds4')])])];
  const keys = (s: TreeState) => s.rows(roots).map((r) => r.node.key);

  it('shows the roots, then what is expanded', () => {
    assert.deepEqual(visibleRows(roots, new Set()).map((r) => r.node.key), ['vc1', 'vc2']);
    assert.deepEqual(visibleRows(roots, new Set(['vc1', 'dc1'])).map((r) => `${r.depth}${r.node.key}`), ['0vc1', '1dc1', '2pod1', '2ds3', '1dc2', '0vc2']);
    assert.deepEqual(branchKeys(roots), ['vc1', 'dc1', 'pod1', 'vc2', 'dc3'], 'an empty datacenter is a leaf');
  });
  it('→ expands, ← collapses or goes to the parent, + and - do all, the cursor stays on its node', () => {
    const s = new TreeState();
    let rows = s.rows(roots);
    assert.ok(s.expand(rows));
    rows = s.rows(roots);
    assert.deepEqual(rows.map((r) => r.node.key), ['vc1', 'dc1', 'dc2', 'vc2']);
    s.move(rows, 1);
    s.expand(s.rows(roots));
    s.move(s.rows(roots), 2); // ds3
    assert.equal(s.rows(roots)[s.list.cursor].node.key, 'ds3');
    s.collapse(s.rows(roots)); // a leaf: to its parent
    assert.equal(s.rows(roots)[s.list.cursor].node.key, 'dc1');
    s.collapse(s.rows(roots)); // open: closes it
    assert.deepEqual(keys(s), ['vc1', 'dc1', 'dc2', 'vc2']);
    s.move(s.rows(roots), Infinity);
    s.expandAll(roots);
    assert.equal(s.rows(roots)[s.list.cursor].node.key, 'vc2', 'the cursor follows its node when rows appear above it');
    assert.equal(keys(s).length, 10);
    s.collapseAll();
    assert.deepEqual(keys(s), ['vc1', 'vc2']);
    assert.equal(s.rows(roots)[s.list.cursor].node.key, 'vc2');
  });
  it('draws indentation and the open and closed markers', () => {
    const g = makeTheme('dark', 'cyan', { color: false, ascii: true }).glyphs;
    const rows = visibleRows(roots, new Set(['vc1']));
    assert.deepEqual(rows.map((r) => treeLead(r, g) + r.node.key), ['v vc1', '  > dc1', '    dc2', '> vc2']);
  });
});

describe('VM counts', () => {
  it('come from the VMs\' placement, disks and NICs, per source; a VM counts once per object; deleted VMs do not', async () => {
    const { vmCounts } = await import('../src/model/counts.js');
    const v = (sourceId: number, host: string, datastores: string[], networks: string[], deletedAt: number | null = null) =>
      ({ sourceId, source: `vc${sourceId}`, host, datastores, networks, deletedAt });
    const c = vmCounts([
      v(1, 'esx1', ['ds1', 'ds1'], ['pg1', 'pg2']),
      v(1, 'esx1', ['ds2'], ['pg1']),
      v(1, 'esx2', ['ds1'], [], 5),
      v(2, 'esx1', ['ds1'], ['pg1']),
    ]);
    assert.deepEqual([...c.get(1)!.hosts], [['esx1', 2]]);
    assert.deepEqual([...c.get(1)!.datastores], [['ds1', 1], ['ds2', 1]]);
    assert.deepEqual([...c.get(1)!.networks], [['pg1', 2], ['pg2', 1]]);
    assert.deepEqual([...c.get(2)!.networks], [['pg1', 1]], 'the same name in another vCenter is another network');
    assert.deepEqual([...vmCounts([v(3, 'h', ['d'], ['n'])], 'name').keys()], ['vc3']);
  });
});

describe('Prism Central and ingest sources in the app', () => {
  it('pills: a polling source says when it syncs next, an older API is named, an ingest source gives its last ingest', async () => {
    const { pillFor } = await import('../src/ui/widgets/pills.js');
    const now = Date.parse('2026-12-07T14:00:00');
    const base = { source: 'ntx', platform: 'nutanix' as const, state: 'live' as const };
    assert.equal(pillFor({ ...base, nextRunAt: now + 98_000, detail: { polling: true } }, now).text, 'ntx synced, next 1:38');
    assert.equal(pillFor({ ...base, nextRunAt: now + 98_000, detail: { polling: true, apiFallback: true, api: 'v3' } }, now).text, 'ntx synced, next 1:38 (v3 API)');
    const ingest = { source: 'cmdb', platform: 'ingest' as const, state: 'live' as const };
    assert.equal(pillFor({ ...ingest, detail: { lastIngestAt: Date.parse('2026-12-07T13:05:00') } }, now).text, 'cmdb ingested 13:05');
    assert.equal(pillFor({ ...ingest, detail: {} }, now).text, 'cmdb no ingest yet');
    assert.equal(pillFor({ ...base, state: 'backoff', lastError: { reason: 'not-prism-central', message: '', at: now } }, now).text, 'ntx not Prism Central, retry');
  });
  it('the credentials prompt asks Prism Central for its own account when its user differs', async () => {
    const { credentialsPrompt } = await import('../src/ui/overlays/credentials.js');
    const ctx = (sources: { name: string; platform: string; user?: string }[]) => ({ needsCredentials: () => sources }) as never;
    const both = credentialsPrompt(ctx([{ name: 'vc', platform: 'vsphere', user: 'ro@vsphere.local' }, { name: 'pc', platform: 'nutanix', user: 'admin' }]));
    assert.ok(both && both.kind === 'credentials' && both.ntx, 'a second account is asked for');
    assert.equal(both.user.text, 'ro@vsphere.local');
    assert.equal(both.ntx.user.text, 'admin');
    const same = credentialsPrompt(ctx([{ name: 'vc', platform: 'vsphere', user: 'svc' }, { name: 'pc', platform: 'nutanix', user: 'svc' }]));
    assert.ok(same && same.kind === 'credentials' && !same.ntx, 'one account serves both');
    const onlyPc = credentialsPrompt(ctx([{ name: 'pc', platform: 'nutanix', user: 'admin' }]));
    assert.ok(onlyPc && onlyPc.kind === 'credentials' && !onlyPc.ntx && onlyPc.user.text === 'admin');
    assert.equal(credentialsPrompt(ctx([])), null);
  });
});
