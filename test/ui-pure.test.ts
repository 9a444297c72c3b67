// Table-driven tests of the app's pure pieces: text fitting, column layout, fuzzy matching,
// sorting, the VM index, search, pills, the key map, line editing, audit filters, dashboard.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import stringWidth from 'string-width';
import { buildVmView, type VmView } from '../src/model/vm.js';
import { auditCells, parseAuditFilter } from '../src/ui/views/audit/audit.js';
import { dashboardData, type DashSource } from '../src/ui/views/dashboard/data.js';
import { bar } from '../src/ui/widgets/bars.js';
import { resample } from '../src/ui/widgets/chart.js';
import { vmDetailLines } from '../src/ui/views/vm/detail.js';
import { fuzzyFilter, fuzzyScore } from '../src/ui/widgets/fuzzy.js';
import { footerItems, helpSections, keyLabel, keyName, KEYMAP, resolveKey, splitInput, type Scope } from '../src/ui/keymap.js';
import { headerLine, layoutColumns, rowLine, type ColumnSpec } from '../src/ui/widgets/layout.js';
import { editLine, line, splitAtCaret } from '../src/ui/widgets/lineedit.js';
import { objectRows, sortRows } from '../src/ui/widgets/table/objindex.js';
import { filterRows } from '../src/ui/widgets/table/state.js';
import { CHANGE_ROWS } from '../src/ui/views/changes/index.js';
import { HOST_ROWS } from '../src/ui/views/hosts/index.js';
import { portgroups } from '../src/ui/data/network.js';
import { fitPills } from '../src/ui/widgets/frame.js';
import { pillFor } from '../src/ui/widgets/pills.js';
import { allocate, Searcher, vmSearchText, type SearchGroup } from '../src/ui/data/search.js';
import { center, clean, countdown, fit, memText, spread, truncate, width } from '../src/ui/widgets/text.js';
import { ScreenOut } from '../src/ui/terminal.js';
import { detectCaps, makeTheme } from '../src/ui/widgets/theme.js';
import { sortFromNameOrder, sortVms, VmIndex } from '../src/ui/data/vmindex.js';
import { ipSortKey, RowCache, VM_COLUMNS } from '../src/ui/data/vmrows.js';
import type { AuditEntry } from '../src/store/audit.js';
import type { SourceStatus } from '../src/worker/protocol.js';
import { vm } from './helpers.js';

/** A repeatable random number below n, from a seed (a linear congruential generator). */
function seeded(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
}

let nextId = 1;
function view(name: string, over: Partial<Parameters<typeof buildVmView>[0]> = {}, rec = {}): VmView {
  return buildVmView({ id: nextId++, sourceId: 1, sourceName: 'vc-a', doc: { ...vm(name, rec), platform: 'vsphere' }, deletedAt: null, firstSeenAt: 0, lastSeenAt: 0, tags: [], manualIps: [], customFields: {}, ...over });
}

describe('text: width-aware fitting', () => {
  const cases: [string, number, string][] = [
    ['abc', 5, 'abc  '],
    ['abcdef', 4, 'abc…'],
    ['abc', 3, 'abc'],
    ['abc', 0, ''],
    ['数据库', 6, '数据库'],
    ['数据库', 5, '数据…'],
    ['数据库', 4, '数… '],
    ['数据库x', 8, '数据库x '],
    ['🚀rocket', 6, '🚀roc…'],
    ['a\tb\x1b[31mc', 9, 'a b [31mc'],
  ];
  for (const [s, w, want] of cases) {
    it(`fit(${JSON.stringify(s)}, ${w})`, () => {
      const got = fit(s, w);
      assert.equal(got, want);
      assert.equal(stringWidth(got), w, 'always exactly w columns');
    });
  }
  it('never breaks a wide character in half: pads instead', () => {
    const got = fit('ab数据', 4);
    assert.equal(stringWidth(got), 4);
    assert.equal(got, 'ab… ');
  });
  it('emoji and CJK rows line up', () => {
    for (const s of ['🚀-rocket-01', 'データベース', 'web-01', 'ñandú', 'e\u0301te']) assert.equal(stringWidth(fit(s, 10)), 10, s);
  });
  it('right alignment, ASCII ellipsis, truncate, spread, center', () => {
    assert.equal(fit('42', 5, { align: 'right' }), '   42');
    assert.equal(fit('abcdef', 4, { ellipsis: '~' }), 'abc~');
    assert.equal(truncate('abcdef', 3), 'ab…');
    assert.equal(truncate('ab', 3), 'ab');
    assert.equal(spread('left', 'right', 12), 'left   right');
    assert.equal(width(spread('a very long left part', 'right', 12)), 12);
    assert.equal(center('ab', 6), '  ab  ');
    assert.equal(clean('a\nb'), 'a b');
  });
  it('formats sizes and countdowns', () => {
    assert.equal(memText(512), '512 MB');
    assert.equal(memText(4096), '4 GB');
    assert.equal(memText(1536), '1.5 GB');
    assert.equal(countdown(65_000), '1:05');
    assert.equal(countdown(-5), '0:00');
    assert.equal(countdown(2 * 3600_000 + 5 * 60_000), '2h05');
  });
});

describe('column layout: drops by priority, grows flexible columns', () => {
  const specs: ColumnSpec[] = [
    { id: 'name', title: 'NAME', min: 8, pref: 20, priority: 0, flex: 2 },
    { id: 'a', title: 'A', min: 4, pref: 10, priority: 1 },
    { id: 'b', title: 'B', min: 4, pref: 10, priority: 3 },
    { id: 'c', title: 'C', min: 4, pref: 10, priority: 2, flex: 1 },
    { id: 'd', title: 'D', min: 4, pref: 10, priority: 3 },
  ];
  const cases: [number, string[]][] = [
    [200, ['name', 'a', 'b', 'c', 'd']],
    [64, ['name', 'a', 'b', 'c', 'd']],
    [63, ['name', 'a', 'b', 'c', 'd']], // d dropped, then back, 9 wide (85 % of its 10)
    [60, ['name', 'a', 'b', 'c']],
    [50, ['name', 'a', 'c']],
    [40, ['name', 'a']],
    [25, ['name']],
    [10, ['name']],
  ];
  for (const [w, ids] of cases) {
    it(`at ${w} columns: ${ids.join(', ')}`, () => {
      const l = layoutColumns(specs, w);
      assert.deepEqual(l.map((c) => c.spec.id), ids);
      const used = l.reduce((a, c) => a + c.width, 0) + l.length - 1;
      assert.ok(used <= w || l.length === 1, `fits (${used} <= ${w})`);
      if (w >= 64) assert.equal(used, w, 'spare room goes to flexible columns');
      assert.equal(stringWidth(headerLine(l)), Math.min(used, Math.max(used, 0)));
    });
  }
  it('the VMs table fits 80 columns and keeps name, power and IP', () => {
    const l = layoutColumns(VM_COLUMNS, 78);
    const ids = l.map((c) => c.spec.id);
    for (const must of ['name', 'power', 'ip', 'towner']) assert.ok(ids.includes(must as never), must);
    assert.ok(l.reduce((a, c) => a + c.width, 0) + l.length - 1 <= 78);
    assert.equal(layoutColumns(VM_COLUMNS, 300).length, VM_COLUMNS.length, 'every column on a big terminal');
  });
  it('rows line up whatever the characters', () => {
    const l = layoutColumns(specs, 64);
    const rows = [['数据库-01', 'x', 'y', 'z', 'w'], ['🚀rocket', 'a', 'b', 'c', 'd'], ['plain', '1', '2', '3', '4']].map((r) => rowLine(l, r));
    for (const r of rows) assert.equal(stringWidth(r), 64);
  });
});

describe('fuzzy matching', () => {
  const cases: [string, string, boolean][] = [
    ['ali', 'Alice Smith alice@corp.example', true],
    ['asm', 'Alice Smith', true],
    ['smith', 'Alice Smith', true],
    ['xyz', 'Alice Smith', false],
    ['', 'anything', true],
    ['ALI', 'alice', true],
  ];
  for (const [q, t, ok] of cases) it(`"${q}" in "${t}": ${ok}`, () => assert.equal(fuzzyScore(q, t) >= 0, ok));
  it('ranks prefix, then word start, then scattered', () => {
    const items = ['Bob Alison', 'Alice Smith', 'Malia Lee', 'Carla Ilse'];
    assert.deepEqual(fuzzyFilter(items, 'ali', (x) => x), ['Alice Smith', 'Bob Alison', 'Malia Lee', 'Carla Ilse']);
    assert.deepEqual(fuzzyFilter(items, 'zzz', (x) => x), []);
  });
});

describe('line editing', () => {
  const cases: [string, number, string, Record<string, boolean>, string, number][] = [
    ['', 0, 'a', {}, 'a', 1],
    ['ac', 1, 'b', {}, 'abc', 2],
    ['abc', 3, '', { backspace: true }, 'ab', 2],
    ['abc', 3, '', { delete: true }, 'ab', 2],
    ['abc', 0, '', { backspace: true }, 'abc', 0],
    ['abc', 3, '', { leftArrow: true }, 'abc', 2],
    ['abc', 1, 'u', { ctrl: true }, 'bc', 0],
    ['one two', 7, 'w', { ctrl: true }, 'one ', 4],
    ['abc', 1, 'k', { ctrl: true }, 'a', 1],
    ['数据', 2, '', { backspace: true }, '数', 1],
    ['', 0, 'pasted\ntext', {}, 'pasted text', 11],
  ];
  for (const [text, pos, input, key, want, wantPos] of cases) {
    it(`${JSON.stringify(text)}@${pos} + ${JSON.stringify(input)} ${Object.keys(key).join('+')}`, () => {
      const r = editLine({ text, pos }, input, key);
      assert.deepEqual(r, { text: want, pos: wantPos });
    });
  }
  it('leaves enter, escape and arrows up/down to the caller', () => {
    for (const k of [{ return: true }, { escape: true }, { upArrow: true }, { downArrow: true }, { tab: true }]) assert.equal(editLine(line('x'), '', k), null);
  });
  it('splits at the caret', () => assert.deepEqual(splitAtCaret({ text: 'abc', pos: 1 }), { before: 'a', at: 'b', after: 'c' }));
});

describe('key map', () => {
  it('names keys', () => {
    const cases: [string, Record<string, boolean>, string][] = [
      ['j', {}, 'j'], ['G', { shift: true }, 'G'], ['', { return: true }, 'enter'], ['', { escape: true }, 'esc'],
      ['u', { ctrl: true }, 'ctrl+u'], [' ', {}, 'space'], ['', { pageDown: true }, 'pgdn'], ['', { tab: true, shift: true }, 'shift+tab'],
      ['', { delete: true }, 'backspace'],
    ];
    for (const [input, k, want] of cases) assert.equal(keyName(input, k), want);
  });
  it('splits a chunk that arrived in one read into keys', () => {
    assert.deepEqual(splitInput('power:off\r', {}), [{ input: 'power:off', key: {} }, { input: '', key: { return: true } }]);
    assert.deepEqual(splitInput('ab\x7fc\x15', {}), [{ input: 'ab', key: {} }, { input: '', key: { delete: true } }, { input: 'c', key: {} }, { input: 'u', key: { ctrl: true } }]);
    assert.deepEqual(splitInput('jjk', {}), [{ input: 'jjk', key: {} }]);
    assert.deepEqual(splitInput('\r', { return: true }), [{ input: '\r', key: { return: true } }]);
  });
  it('resolves the most specific scope first', () => {
    assert.equal(resolveKey(['vms', 'list', 'global'], 'enter')?.id, 'vms.open');
    assert.equal(resolveKey(['owners', 'list', 'global'], 'enter')?.id, 'owners.vms');
    assert.equal(resolveKey(['settings.sources', 'settings', 'list', 'global'], 'r')?.id, 'source.refresh');
    assert.equal(resolveKey(['vms', 'list', 'global'], 'r')?.id, 'refresh');
    assert.equal(resolveKey(['vms', 'list', 'global'], 'j')?.id, 'down');
    assert.equal(resolveKey(['picker'], 'ctrl+n')?.id, 'picker.new');
    assert.equal(resolveKey(['vms', 'list', 'global'], 'Z'), undefined);
  });
  it('no key is bound twice within one scope', () => {
    const seen = new Map<string, string>();
    for (const c of KEYMAP) for (const s of c.scopes) for (const k of c.keys) {
      const id = `${s}:${k}`;
      // The picker's and search's arrows share commands on purpose (same meaning in each).
      assert.ok(!seen.has(id) || seen.get(id) === c.id, `${id} bound to ${seen.get(id)} and ${c.id}`);
      if (!seen.has(id)) seen.set(id, c.id);
    }
  });
  it('the footer comes from the map and hides admin actions from viewers', () => {
    // The VMs view's scopes: its own, the table's, then the list's and everywhere's.
    const scopes: Scope[] = ['vms', 'table', 'sortable', 'list', 'global'];
    const admin = footerItems(scopes, 'admin').map((i) => i.label);
    assert.deepEqual(admin.slice(0, 5), ['detail', 'filter', 'sort', 'mark', 'mark all'], 'the table\'s keys sit among the view\'s own, by rank');
    const viewer = footerItems(scopes, 'viewer').map((i) => i.label);
    assert.ok(admin.includes('tech owner') && admin.includes('filter') && admin.includes('help'));
    assert.ok(!viewer.includes('tech owner') && viewer.includes('filter'));
    assert.equal(admin[0], 'detail', 'the view\'s own keys first');
  });
  it('the help lists every command with its notes', () => {
    const rows = helpSections('viewer').flatMap((s) => s.rows);
    assert.ok(rows.some((r) => r.description.startsWith('technical owner') && r.note === 'admin only'));
    assert.ok(rows.some((r) => r.description.startsWith('disable the user') && r.note.includes('asks first')));
    assert.equal(keyLabel('ctrl+u'), '^U');
    assert.equal(keyLabel('down', true), 'down');
  });
});

describe('sorting and the VM index', () => {
  const a = view('b-web', {}, { cpus: 8, nics: [{ key: '1', label: 'n', ipv4: ['10.0.0.20'], ipv6: [] }] });
  const b = view('a-db', {}, { cpus: 2, nics: [{ key: '1', label: 'n', ipv4: ['10.0.0.3'], ipv6: [] }] });
  const c = view('c-app', {}, { cpus: 8, nics: [] });
  it('sorts by column, numbers numerically, ties by name, empty last', () => {
    assert.deepEqual(sortVms([a, b, c], 'name', false).map((v) => v.name), ['a-db', 'b-web', 'c-app']);
    assert.deepEqual(sortVms([a, b, c], 'cpu', false).map((v) => v.name), ['a-db', 'b-web', 'c-app']);
    assert.deepEqual(sortVms([a, b, c], 'cpu', true).map((v) => v.name), ['c-app', 'b-web', 'a-db']);
    assert.deepEqual(sortVms([a, b, c], 'ip', false).map((v) => v.name), ['a-db', 'b-web', 'c-app']);
    assert.ok(ipSortKey('10.0.0.3') < ipSortKey('10.0.0.20'));
    assert.ok(ipSortKey(undefined) > ipSortKey('fe80::1'));
  });
  it('filters, counts, and patches changed VMs in place', () => {
    const model = { vms: new Map([a, b, c].map((v) => [v.id, v])), version: 1 };
    const idx = new VmIndex(model);
    assert.deepEqual([...idx.view('name', false)].map((v) => v.name), ['a-db', 'b-web', 'c-app']);
    assert.equal(idx.total, 3);
    idx.setFilter('cpu>=8');
    assert.deepEqual([...idx.view('name', false)].map((v) => v.name), ['b-web', 'c-app']);
    assert.throws(() => idx.setFilter('bogus:1'), /unknown field/);
    assert.equal(idx.filterSource, 'cpu>=8', 'a bad filter keeps the previous one');
    // The worker changes a VM: same name, new power state -> same place, new object.
    const a2 = { ...a, power: 'poweredOff' as const };
    model.vms.set(a.id, a2);
    model.version++;
    const rows = idx.view('name', false);
    assert.equal(rows.at(0), a2);
    // A renamed VM moves.
    const c2 = { ...c, name: '0-first' };
    model.vms.set(c.id, c2);
    model.version++;
    assert.deepEqual([...idx.view('name', false)].map((v) => v.name), ['0-first', 'b-web']);
  });
  it('patches additions, removals and moves like a full sort would', () => {
    const rnd = seeded(12345);
    const all = Array.from({ length: 500 }, (_, i) => view(`vm-${String(rnd(1000)).padStart(4, '0')}-${i}`, {}, { cpus: 1 + rnd(16) }));
    const model = { vms: new Map(all.map((v) => [v.id, v])), version: 1 };
    for (const col of ['name', 'cpu', 'name', 'cpu'] as const) {
      const idx = new VmIndex(model);
      idx.view(col, col === 'cpu');
      for (let round = 0; round < 200; round++) {
        const ids = [...model.vms.keys()];
        for (let k = 0; k < 5; k++) {
          const id = ids[rnd(ids.length)];
          const v = model.vms.get(id);
          if (!v) continue;
          const r = ids.length < 50 ? 3 : rnd(4);
          if (r === 0) model.vms.delete(id);
          else if (r === 1) model.vms.set(id, { ...v, name: `moved-${rnd(1000)}` });
          else if (r === 2) model.vms.set(id, { ...v, cpus: 1 + rnd(16) });
          else { const n = view(`new-${rnd(1000)}`); model.vms.set(n.id, n); }
        }
        model.version++;
        const got = [...idx.view(col, col === 'cpu')].map((v) => v.id);
        const want = sortVms([...model.vms.values()], col, col === 'cpu').map((v) => v.id);
        assert.deepEqual(got, want, `round ${round} by ${col}`);
      }
      assert.equal(idx.stats.fullSorts, 1, 'patched, never sorted again');
    }
  });
  it('filters the right VMs whatever the sort, while the model changes', async () => {
    const { parseFilter } = await import('../src/model/filter.js');
    const rnd = seeded(99);
    const all = Array.from({ length: 3000 }, (_, i) => view(`vm-${String(rnd(1000)).padStart(4, '0')}-${i}`, {}, { cpus: 1 + rnd(16), memoryMB: 1024 * (1 + rnd(32)) }));
    const model = { vms: new Map(all.map((v) => [v.id, v])), version: 1 };
    const idx = new VmIndex(model);
    const sorts = [['name', false], ['cpu', true], ['cpu', false], ['mem', false], ['name', true], ['mem', true]] as const;
    for (let round = 0; round < 60; round++) {
      const [col, desc] = sorts[rnd(sorts.length)];
      const expr = ['cpu>=8', 'vm-0', '-name~5$ mem<8', ''][round % 4];
      idx.setFilter(expr);
      const got = [...idx.view(col, desc)].map((v) => v.id);
      const f = parseFilter(expr);
      const want = sortVms([...model.vms.values()], col, desc).filter(f.test).map((v) => v.id);
      assert.deepEqual(got, want, `round ${round}: ${expr} by ${col}${desc ? ' desc' : ''}`);
      if (round % 3 === 0) {
        const ids = [...model.vms.keys()];
        for (let k = 0; k < 20; k++) {
          const id = ids[rnd(ids.length)];
          const v = model.vms.get(id);
          if (!v) continue;
          const r = rnd(4);
          if (r === 0) model.vms.delete(id);
          else if (r === 1) model.vms.set(id, { ...v, name: `moved-${rnd(1000)}` });
          else if (r === 2) model.vms.set(id, { ...v, cpus: 1 + rnd(16) });
          else { const n = view(`new-${rnd(1000)}`, {}, { cpus: 1 + rnd(16) }); model.vms.set(n.id, n); }
        }
        model.version++;
      }
    }
  });

  it('keeps a filter right while live updates patch it, and filters changed VMs right afterwards', async () => {
    const { parseFilter } = await import('../src/model/filter.js');
    const rnd = seeded(4242);
    const power = () => (['poweredOn', 'poweredOff', 'suspended'] as const)[rnd(3)];
    const make = (name: string) => view(name, {}, { cpus: 1 + rnd(16), powerState: power(), nics: [{ key: '1', label: 'n', ipv4: [`10.${rnd(4)}.0.${rnd(200)}`], ipv6: [] }] });
    const all = Array.from({ length: 5000 }, (_, i) => make(`vm-${String(rnd(1000)).padStart(4, '0')}-${i}`));
    const model = { vms: new Map(all.map((v) => [v.id, v])), version: 1 };
    const idx = new VmIndex(model);
    while (idx.warm()); // the columns a filter reads, built before the updates start
    const filters = ['power:on', 'cpu>=8 ip:10.1.', 'name~5$', '', 'power:off,suspended -name:vm-0', 'ip=10.2.0.7', 'deleted:true'];
    const sorts = [['name', false], ['cpu', true], ['power', false], ['ip', false]] as const;
    let changed = 0;
    for (let round = 0; round < 120; round++) {
      if (round % 6 === 0) idx.setFilter(filters[(round / 6) % filters.length]);
      const [col, desc] = sorts[Math.floor(round / 9) % sorts.length];
      const got = [...idx.view(col, desc)].map((v) => v.id);
      const f = parseFilter(idx.filterSource);
      const want = sortVms([...model.vms.values()], col, desc).filter(f.test).map((v) => v.id);
      assert.deepEqual(got, want, `round ${round}: ${f.source || '(none)'} by ${col}${desc ? ' desc' : ''}`);
      if (round % 10 === 5) while (idx.warm());
      // A live batch: power changes (a VM enters or leaves the filter where it is), moves, new and gone VMs.
      const ids = [...model.vms.keys()];
      for (let k = 0; k < 12; k++) {
        const v = model.vms.get(ids[rnd(ids.length)]);
        if (!v) continue;
        const r = rnd(10);
        if (r < 5) model.vms.set(v.id, { ...v, power: power() });
        else if (r === 5) model.vms.set(v.id, { ...v, name: `moved-${rnd(1000)}` });
        else if (r === 6) model.vms.set(v.id, { ...v, cpus: 1 + rnd(16), primaryIp: `10.${rnd(4)}.0.${rnd(200)}`, ips: [`10.${rnd(4)}.0.${rnd(200)}`] });
        else if (r === 7) model.vms.set(v.id, { ...v, deletedAt: v.deletedAt === null ? 1 : null });
        else if (r === 8) model.vms.delete(v.id);
        else { const n = make(`new-${rnd(1000)}`); model.vms.set(n.id, n); }
        changed++;
      }
      model.version++;
    }
    assert.ok(changed > 64 * 3, 'enough changes that some columns were dropped and built again');
    assert.equal(idx.stats.fullSorts, 1, 'live updates were patched in, never sorted again');
  });

  it('sorts from the name order like a full sort, both ways', () => {
    const vms = Array.from({ length: 300 }, (_, i) => view(`n-${(i * 7919) % 300}`, {}, { cpus: 1 + (i % 5), cluster: ['b', 'a', 'c'][i % 3] }));
    const byName = sortVms(vms, 'name', false);
    for (const col of ['cpu', 'cluster', 'ip', 'power'] as const) {
      for (const desc of [false, true]) {
        assert.deepEqual(sortFromNameOrder(byName, col, desc).map((v) => v.id), sortVms(vms, col, desc).map((v) => v.id), `${col} ${desc}`);
      }
    }
  });
  it('memoizes row lines per VM object and layout', () => {
    const cache = new RowCache();
    const l = layoutColumns(VM_COLUMNS, 100);
    cache.setLayout(l, '…');
    const first = cache.line(a, l);
    assert.equal(cache.line(a, l), first);
    assert.equal(stringWidth(first), 100);
    const l2 = layoutColumns(VM_COLUMNS, 60);
    cache.setLayout(l2, '…');
    assert.equal(stringWidth(cache.line(a, l2)), 60);
  });
});

describe('global search', () => {
  const vms = [
    view('web-01', { tags: ['pci'], technicalOwner: { id: 1, name: 'Alice Smith', email: 'alice@corp.example' }, manual: { notes: 'decommission in May' } }),
    view('db-web', {}, { hostname: 'db.corp', nics: [{ key: '1', label: 'n', ipv4: ['10.9.9.9'], ipv6: [] }] }),
    view('mail', {}, { instanceUuid: '4211-abcd' }),
  ];
  const model = {
    vms: new Map(vms.map((v) => [v.id, v])), version: 1,
    hosts: new Map([[1, { id: 1, seq: 1, sourceId: 1, source: 'vc-a', deletedAt: null, cols: {}, doc: { ref: 'h1', name: 'esx-web-01', datastores: [] } }]]),
    datastores: new Map(), networks: new Map(),
  } as never;
  const s = new Searcher(model);
  const cases: [string, string[]][] = [
    ['web', ['web-01', 'db-web']],
    ['10.9', ['db-web']],
    ['alice', ['web-01']],
    ['pci', ['web-01']],
    ['decommission', ['web-01']],
    ['4211', ['mail']],
    ['db.corp', ['db-web']],
    ['web alice', ['web-01']],
    ['nothing', []],
  ];
  for (const [q, want] of cases) it(`"${q}"`, () => assert.deepEqual(s.searchVms(q).map((v) => v.name), want));
  it('groups VMs and hosts; the search text is computed once per VM object', () => {
    const g = s.search('web', 10);
    assert.deepEqual(g.map((x) => [x.title, x.total]), [['VMs', 2], ['Hosts', 1], ['Datastores', 0], ['Networks', 0]]);
    assert.equal(vmSearchText(vms[0]), vmSearchText(vms[0]));
  });
  it('allocates screen rows between groups', () => {
    const hits = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'vm' as const, id: i, label: `x${i}`, detail: '' }));
    const groups: SearchGroup[] = [
      { kind: 'vm', title: 'VMs', total: 50, hits: hits(50) }, { kind: 'host', title: 'Hosts', total: 5, hits: hits(5) },
      { kind: 'datastore', title: 'Datastores', total: 0, hits: [] }, { kind: 'network', title: 'Networks', total: 1, hits: hits(1) },
    ];
    const a = allocate(groups, 14);
    assert.deepEqual(a.map((g) => g.hits.length), [6, 3, 0, 1]);
    assert.deepEqual(allocate(groups, 4).map((g) => g.hits.length), [0, 0, 0, 0]);
  });
});

describe('status pills', () => {
  const now = 1_000_000;
  const cases: [Partial<SourceStatus>, string, string][] = [
    [{ state: 'live', nextRunAt: now + 65_000 }, 'vc live 1:05', 'good'],
    [{ state: 'syncing', progress: 50, expected: 200 }, 'vc syncing 25%', 'busy'],
    [{ state: 'syncing', progress: 50 }, 'vc syncing 50 VMs', 'busy'],
    [{ state: 'waiting', expected: 40_000 }, 'vc waiting to sync', 'busy'],
    [{ state: 'backoff', retryAt: now + 10_000, lastError: { reason: 'timeout', message: 'x', at: now } }, 'vc timeout, retry 0:10', 'bad'],
    [{ state: 'offline' }, 'vc offline', 'muted'],
    [{ state: 'leased', holder: 'host:123' }, 'vc leased by host:123', 'info'],
    [{ state: 'disabled' }, 'vc disabled', 'muted'],
  ];
  for (const [s, text, tone] of cases) {
    it(text, () => {
      const p = pillFor({ source: 'vc', platform: 'vsphere', state: 'live', ...s } as SourceStatus, now);
      assert.equal(p.text, text);
      assert.equal(p.tone, tone);
    });
  }
  it('shortens, then drops pills to fit', () => {
    const pills = ['vc-a', 'vc-b', 'vc-c'].map((n) => pillFor({ source: n, platform: 'vsphere', state: 'live', nextRunAt: now + 60_000 }, now));
    const full = fitPills(pills, 200, '*');
    assert.equal(full.parts.map((p) => p.text).join(''), '* vc-a live 1:00  * vc-b live 1:00  * vc-c live 1:00');
    assert.ok(fitPills(pills, 30, '*').used <= 30);
    assert.match(fitPills(pills, 20, '*').parts.map((p) => p.text).join(''), /\+\d/);
  });
});

describe('audit filter', () => {
  const e = (id: number, action: string, user: string, time: number, resourceType = 'VM', resourceId = '7'): AuditEntry => ({ id, action, username: user, time, resourceType, resourceId, userId: 1 });
  const now = Date.parse('2026-01-10T12:00:00Z');
  const entries = [e(1, 'unlock', 'alice', now - 3 * 86_400_000, 'USER', 'alice'), e(2, 'vm.assign', 'alice', now - 3600_000), e(3, 'vm.tag.add', 'bob', now - 60_000), e(4, 'unlock.failed', 'mallory', now - 1000, 'USER', 'mallory')];
  const cases: [string, number[]][] = [
    ['', [1, 2, 3, 4]],
    ['user:alice', [1, 2]],
    ['action:vm.', [2, 3]],
    ['object:user', [1, 4]],
    ['since:24h', [2, 3, 4]],
    ['since:24h user:bob', [3]],
    ['failed', [4]],
  ];
  for (const [f, ids] of cases) it(`"${f}"`, () => assert.deepEqual(entries.filter(parseAuditFilter(f, now).test).map((x) => x.id), ids));
  it('rejects what it cannot read', () => {
    assert.throws(() => parseAuditFilter('since:yesterday'), /since/);
    assert.throws(() => parseAuditFilter('user:'), /needs a value/);
  });
  it('shows VM names for VM ids', () => assert.equal(auditCells(entries[1], (id) => (id === 7 ? 'web-01' : undefined))[3], 'VM web-01'));
});

describe('dashboard, detail and object rows', () => {
  const now = Date.now();
  const on = view('on-1');
  const off = view('off-1', {}, { powerState: 'poweredOff', networks: ['vlan10'] });
  const changes = new Map([[1, { id: 1, sourceId: 1, source: 'vc-a', runId: null, table: 'vms', objectId: on.id, time: now - 3600_000, type: 'power', field: 'powerState', old: 'poweredOff', new: 'poweredOn' }]]);
  const m: DashSource = {
    vms: new Map([[on.id, on], [off.id, off]]),
    hosts: new Map([[1, { id: 1, seq: 1, sourceId: 1, source: 'vc-a', deletedAt: null, cols: {}, doc: { ref: 'h', name: 'esx01.example.com', cpuMhz: 1000, cpuCores: 10, cpuUsageMhz: 5000, memoryMB: 1000, memoryUsageMB: 900, datastores: [] } }]]),
    networks: new Map([
      [1, { id: 1, seq: 1, sourceId: 1, source: 'vc-a', deletedAt: null, cols: {}, doc: { ref: 'n1', name: 'vlan10', kind: 'standard', hosts: [], vms: 0 } }],
      [2, { id: 2, seq: 1, sourceId: 1, source: 'vc-a', deletedAt: null, cols: {}, doc: { ref: 'n2', name: 'unused', kind: 'standard', hosts: [], vms: 0 } }],
    ]),
    alarms: new Map([[1, { id: 1, seq: 1, sourceId: 1, source: 'vc-a', deletedAt: null, cols: {}, doc: { ref: 'a', entity: 'esx1', alarm: 'CPU', status: 'critical', time: '' } }]]),
    changeMinutes: new Map([[Math.floor((now - 3600_000) / 60_000), 1], [Math.floor((now - 30 * 3600_000) / 60_000), 2], [Math.floor((now - 9 * 24 * 3600_000) / 60_000), 5]]),
    syncRuns: new Map(), samples: new Map(), sources: new Map([[1, 'vc-a']]),
  };
  it('counts the estate', () => {
    const d = dashboardData(m, now);
    assert.equal(d.vms, 2);
    assert.deepEqual(d.power, { on: 1, off: 1, suspended: 0, unknown: 0 });
    assert.deepEqual(d.networks, { total: 2, inUse: 1, unused: 1 });
    assert.equal(d.changes24h, 1);
    assert.equal(d.changes7d, 3, 'counted over the week, not past it');
    assert.equal(d.alarms.critical, 1);
    assert.equal(Math.round(d.busiestCpu[0].cpuPct), 50);
    assert.equal(Math.round(d.busiestMem[0].memPct), 90);
    assert.equal(d.hourly.reduce((a, b) => a + b, 0), 3);
  });
  it('resamples and draws bars', () => {
    assert.deepEqual(resample([1, 2, 3, 4], 2), [3, 7]);
    assert.deepEqual(resample([1, 2], 4), [1, 2]);
    assert.equal(bar(50, 10, '#', '.'), '#####.....');
    assert.equal(bar(150, 4, '#', '.'), '####');
  });
  it('the detail shows overrides beside the synced value, and the history', () => {
    const v = view('x', { manual: { overrides: { powerState: 'poweredOff' } } });
    const lines = vmDetailLines(v, { ...vm('x'), platform: 'vsphere' }, [changes.get(1)!], [], '->').map((l) => l.text);
    assert.ok(lines.some((l) => /Power\s+off\*\s+\(manual; synced: on\)/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /Network adapter 1\s+VM Network\s+00:50:56:00:00:01/.test(l)), 'NICs come from the document');
    assert.ok(lines.some((l) => /Hard disk 1\s+40 GB\s+ds1/.test(l)), 'disks come from the document');
    assert.ok(lines.some((l) => l.includes('powerState: poweredOff -> poweredOn')));
  });
  it('object rows filter and sort', () => {
    const om = { ...m, changes, datastores: new Map(), events: new Map() } as never;
    const nets = portgroups({ ...(om as object), switches: new Map(), vmkernels: new Map() } as never, (_s, name) => (name === 'vlan10' ? 1 : 0));
    assert.deepEqual(nets.map((p) => [p.name, p.vms]).sort(), [['unused', 0], ['vlan10', 1]]);
    const changeRows = objectRows(CHANGE_ROWS, om);
    assert.deepEqual(filterRows(changeRows, 'poweredoff').map((r) => r.id), [1]);
    assert.deepEqual(sortRows(changeRows, 'time', true).map((r) => r.id), [1]);
    const hosts = objectRows(HOST_ROWS, om);
    assert.equal(hosts[0].cells.vms, '2');
    assert.deepEqual(hosts[0].open, { view: 'host', id: 1 }, 'enter opens the host detail');
  });
  it('a change feed that grows, is pruned and changes keeps the rows a full rebuild would give', async () => {
    const { ObjIndex } = await import('../src/ui/widgets/table/objindex.js');
    const rnd = seeded(77);
    let nextId = 1;
    const fields = ['powerState', 'host', 'cpus', 'name'];
    const change = () => {
      const id = nextId++;
      return { id, sourceId: 1, source: rnd(2) ? 'vc-a' : 'vc-b', runId: null, table: 'vms', objectId: 1000 + rnd(50), time: now - rnd(100) * 60_000, type: 'modified', field: fields[rnd(4)], old: `v${rnd(9)}`, new: `v${rnd(9)}`, name: `vm-${rnd(30)}` };
    };
    const changes = new Map<number, ReturnType<typeof change>>();
    for (let i = 0; i < 300; i++) { const c = change(); changes.set(c.id, c); }
    const om = { ...m, datastores: new Map(), events: new Map(), changes } as never;
    const idx = new ObjIndex(CHANGE_ROWS);
    const sorts = [['time', true], ['object', false], ['field', true]] as const;
    for (let round = 0; round < 150; round++) {
      const [col, desc] = sorts[Math.floor(round / 25) % sorts.length];
      const filter = ['', 'vm-1', 'powerstate vc-b', 'v3'][Math.floor(round / 10) % 4];
      const got = idx.view(om, round, col, desc, filter).map((r) => r.id);
      const want = sortRows(filterRows(objectRows(CHANGE_ROWS, om), filter), col, desc).map((r) => r.id);
      assert.deepEqual(got, want, `round ${round}: "${filter}" by ${col}${desc ? ' desc' : ''}`);
      assert.equal(idx.total, changes.size);
      // A poll: new changes arrive, the oldest are pruned, now and then one is replaced.
      for (let k = rnd(6); k > 0; k--) { const c = change(); changes.set(c.id, c); }
      for (let k = rnd(4); k > 0; k--) changes.delete(changes.keys().next().value!);
      if (rnd(3) === 0) { const id = [...changes.keys()][rnd(changes.size)]; changes.set(id, { ...changes.get(id)!, field: 'host', name: `vm-${rnd(30)}` }); }
    }
    assert.equal(idx.fullSorts, sorts.length * 2, 'live rows were merged in: sorted again only when the sort changed');
  });
});

describe('themes and terminal capabilities', () => {
  const cases: [NodeJS.ProcessEnv, string, boolean, boolean][] = [
    [{ LANG: 'en_US.UTF-8', TERM: 'xterm-256color' }, 'linux', true, false],
    [{ LANG: 'C', TERM: 'xterm' }, 'linux', true, true],
    [{ LANG: 'en_US.UTF-8', NO_COLOR: '1' }, 'linux', false, false],
    [{ LANG: 'en_US.UTF-8', NO_COLOR: '' }, 'linux', true, false],
    [{ LANG: 'en_US.UTF-8', VMI_ASCII: '1' }, 'linux', true, true],
    [{ LC_ALL: 'C.UTF-8', LANG: 'C' }, 'linux', true, false],
    [{}, 'win32', true, false],
    [{ TERM: 'screen', LANG: 'en_GB.utf8' }, 'linux', true, false],
  ];
  for (const [env, platform, color, ascii] of cases) {
    it(`${JSON.stringify(env)} on ${platform}`, () => assert.deepEqual(detectCaps(env, platform as NodeJS.Platform), { color, ascii }));
  }
  it('tokens, not colours: NO_COLOR gives no colour at all', () => {
    const none = makeTheme('dark', 'cyan', { color: false, ascii: true });
    assert.ok(Object.values(none.colors).every((c) => c === undefined));
    assert.equal(none.glyphs.hline, '-');
    assert.equal(makeTheme('light', 'yellow', { color: true, ascii: false }).colors.accent, 'blue', 'no yellow text on white');
    assert.equal(makeTheme('dark', '#ff8800', { color: true, ascii: false }).colors.accent, '#ff8800');
  });
});

describe('frames from whole lines (the Ink output patch)', () => {
  // Ink's own Output class, reached the way the patch reaches it.
  const load = async () => (await import(new URL('./output.js', import.meta.resolve('ink')).href)).default as new (o: { width: number; height: number }) => {
    write(x: number, y: number, text: string, o: { transformers: ((s: string, i: number) => string)[] }): void;
    clip(c: object): void;
    unclip(): void;
    get(): { output: string; height: number };
    operations: never[];
  };
  const esc = (code: number, close: number) => (s: string) => `\x1b[${code}m${s}\x1b[${close}m`;

  it('gives exactly what Ink gives for lines, styles, offsets, wide characters and vertical clipping', async () => {
    const { linesFrame } = await import('../src/ui/inkpatch.js');
    const Output = await load();
    const o = new Output({ width: 40, height: 7 });
    o.clip({ y1: 0, y2: 6 });
    o.write(0, 0, 'hello world   ', { transformers: [esc(36, 39)] });
    o.write(0, 1, 'plain row with trailing     ', { transformers: [] });
    o.write(2, 2, `inv  ${esc(1, 22)('b')} 字x 🙂`, { transformers: [esc(7, 27), esc(31, 39)] });
    o.write(0, 4, 'a\nb\nc\nd', { transformers: [(s, i) => `${i}${s}`] });
    o.unclip();
    const fast = linesFrame(o as never);
    assert.ok(fast);
    assert.deepEqual(fast, await Ink(o));
  });

  it('leaves overlapping writes and horizontal clipping to Ink', async () => {
    const { linesFrame } = await import('../src/ui/inkpatch.js');
    const Output = await load();
    const a = new Output({ width: 10, height: 2 });
    a.write(0, 0, 'abcdef', { transformers: [] });
    a.write(2, 0, 'XY', { transformers: [] });
    assert.equal(linesFrame(a as never), null);
    const b = new Output({ width: 10, height: 2 });
    b.clip({ x1: 0, x2: 3, y1: 0, y2: 2 });
    b.write(0, 0, 'abcdef', { transformers: [] });
    assert.equal(linesFrame(b as never), null);
  });

  // Ink's own get(), also when another test in this process applied the patch.
  async function Ink(o: object): Promise<unknown> {
    const { inkGet } = await import('../src/ui/inkpatch.js');
    const get = inkGet() ?? (Object.getPrototypeOf(o) as { get: () => unknown }).get;
    return get.call(o);
  }
});

describe('filtering from columns gives what the per-VM test gives', () => {
  it('for every field and operator, over VMs with awkward values', async () => {
    const { parseFilter } = await import('../src/model/filter.js');
    const { runFilter, VmColumns, BLOCK } = await import('../src/ui/data/vmcolumns.js');
    const rnd = seeded(7);
    const pick = <T,>(a: T[]) => a[rnd(a.length)];
    const words = ['web', 'Web', 'DB', 'db01', 'ΟΔΟΣ', 'Ünïcode', '😀', 'a\tb', 'x\ny', 'prod', 'fra-db-01', 'web db', 'İstanbul'];
    const vms: VmView[] = [];
    const make = (i: number) => {
      const name = `${pick(words)}-${pick(words)}-${i}`;
      const ips = [`10.${rnd(3)}.${rnd(30)}.${rnd(9)}`, ...(rnd(2) ? [`fe80::${rnd(99)}`] : []), ...(rnd(5) === 0 ? ['10.20.1.1'] : [])];
      const owner = rnd(3) === 0 ? { id: 1, name: 'Zoë Example', email: 'zoe@example.com' } : undefined;
      vms.push(view(name, {
        deletedAt: rnd(10) === 0 ? 1 : null,
        tags: rnd(2) ? [pick(['pci', 'PCI', 'backup gold', 'dmz'])] : [],
        technicalOwner: owner,
        manual: rnd(4) === 0 ? { notes: pick(['decom\nsoon', 'keep', 'web\tfarm', 'ΟΔΟΣ']), overrides: rnd(2) ? { osType: 'Windows Server' } : {} } : undefined,
        manualIps: rnd(6) === 0 ? [{ ip: '192.168.1.5', primary: true }] : [],
      }, {
        powerState: pick(['poweredOn', 'poweredOff', 'suspended'] as const), cpus: 1 + rnd(16), memoryMB: 1024 * (1 + rnd(64)),
        nics: [{ key: '1', label: 'n', connected: true, network: 'VM Network', ipv4: ips.filter((x) => !x.includes(':')), ipv6: ips.filter((x) => x.includes(':')) }],
        host: pick(['esx01.example.com', 'ESX02.example.com', undefined]), cluster: pick(['prod', 'Prod-DMZ', 'dev', undefined]),
        hostname: rnd(3) ? `${name.toLowerCase()}.corp` : undefined, networks: [pick(['VM Network', 'vlan120', 'vlan 10'])],
      }));
    };
    // More than two blocks of columns, so that matches are found across block boundaries.
    for (let i = 0; i < 2 * BLOCK + 300; i++) make(i);
    const exprs = [
      '', 'web', 'WEB', 'db', '10.2', '10.20.', 'fe80', '.corp', 'ΟΔΟΣ', 'οδος', '😀', 'İ', 'a b', '"web db"',
      'name:web', 'name=web-db-1', 'name!=web-web-3', 'name~^web', 'name~db$', 'name~w.b', 'name~\\bdb', 'name~web\\s+db', 'name~(?=web)w', 'name~x*', 'name~^$',
      'ip:10.1.', 'ip=10.20.1.1', 'ip!=10.20.1.1', 'ip~^fe80', 'ip:192.168', 'tag:pci', 'tag=backup gold', 'tag:"backup gold"', 'tag!=pci', '-tag:pci', 'tag:pci,dmz',
      'power:on', 'power:off,suspended', 'power!=on', '-power:on', 'osfamily:linux', 'os:windows', 'os=windows server', 'os~^ubuntu',
      'cluster:prod', 'cluster=prod', 'cluster!=prod', 'host:esx0', 'hostname:.corp', 'hostname~corp$', 'vcenter:vc-a', 'platform:vsphere',
      'notes:decom', 'notes:"decom soon"', 'notes~^decom', 'notes:farm', 'notes~web\\tfarm', 'notes:"web farm"', 'owner:none', 'owner:zoë', 'owner!=zoe@example.com', 'owner:any',
      'cpu>=8', 'cpu<2', 'cpu=4', 'cpu!=4', 'mem>16', 'mem<=2g', 'disk>30', 'deleted:true', 'deleted:false', 'template:false', 'net:vlan', 'net=vlan 10', 'ds:ds1', 'uuid:uuid-web',
      'overridden:os', 'web power:on cpu>=4', '-web -db', 'db,web', 'name~web power:on', 'name~web p',
    ];
    const cols = new VmColumns();
    let version = 0;
    const check = (label: string) => {
      const byId = new Map(vms.map((v) => [v.id, v]));
      cols.sync(byId, ++version);
      cols.warm(1); // some blocks warmed ahead, the others built on demand
      const list = [...vms].reverse(); // any order: results come in the list's order
      for (const e of exprs) {
        const f = parseFilter(e);
        const want = list.filter(f.test).map((v) => v.id);
        const got = [...runFilter(cols, f, Int32Array.from(list, (v) => cols.slot(v.id)))].map((s) => cols.view(s)!.id);
        assert.deepEqual(got, want, `${label}: filter ${JSON.stringify(e)}`);
      }
      assert.equal(cols.liveCount, vms.filter((v) => v.deletedAt === null).length);
    };
    check('first load');
    // A model update: some VMs change, some go, some arrive (they reuse freed slots).
    for (let i = 0; i < vms.length; i += 97) vms[i] = view(`web-${i}-renamed`, { id: vms[i].id }, { powerState: 'poweredOff', cpus: 12 });
    vms.splice(100, 50);
    vms.splice(3000, 20);
    for (let i = 0; i < 60; i++) make(10_000 + i);
    check('after an update');

    // Global search finds, ranks and groups the same VMs from the columns as VM by VM.
    const { Searcher } = await import('../src/ui/data/search.js');
    const model = { vms: new Map(vms.map((v) => [v.id, v])), hosts: new Map(), datastores: new Map(), networks: new Map(), version: 1 };
    cols.sync(model.vms, ++version);
    const fromColumns = new Searcher(model, () => cols);
    const perVm = new Searcher(model);
    for (const q of ['web', 'WEB db', '10.20.', 'zoe', 'decom soon', 'farm', 'ΟΔΟΣ', 'uuid-web', 'pci', 'x', 'nothing-like-this']) {
      assert.deepEqual(fromColumns.searchVms(q).map((v) => v.id), perVm.searchVms(q).map((v) => v.id), `search ${JSON.stringify(q)}`);
    }
    assert.ok(fromColumns.searchVms('web').length > 100);
    assert.ok(vms.filter(parseFilter('notes:decom').test).length > 0 && vms.filter(parseFilter('web power:on').test).length > 0, 'the sample exercises matches');
  });
});

describe('the screen writer', () => {
  const term = () => ({ columns: 20, rows: 5, out: [] as string[], write(d: string) { this.out.push(d); return true; } });

  it('rewrites only the lines that changed, and nothing when nothing did', () => {
    const t = term();
    const s = new ScreenOut(t);
    s.write('one\ntwo\nthree\n');
    s.write('one\nTWO\nthree\n');
    s.write('one\nTWO\nthree\n');
    assert.equal(s.frames, 2);
    assert.doesNotMatch(t.out[1]!, /one|three/);
    assert.match(t.out[1]!, /\x1b\[2;1H\x1b\[2KTWO/);
  });

  it('runs blocking work once the frame announcing it is on screen, or after a while when none comes', async () => {
    const s = new ScreenOut(term());
    const order: string[] = [];
    s.afterNextFrame(() => order.push('work'));
    await new Promise((r) => setImmediate(r));
    assert.equal(order.length, 0, 'not before the frame');
    s.write('Unlocking...\n');
    order.push('frame');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, ['frame', 'work']);
    const t0 = performance.now();
    await new Promise<void>((r) => s.afterNextFrame(r, 30));
    assert.ok(performance.now() - t0 >= 25, 'without a frame it waits for the timeout');
  });
});
