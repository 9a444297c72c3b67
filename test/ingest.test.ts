// JSON ingest: validation (whole documents or nothing), and `vmi ingest` through the same diff,
// change history and sealing as a sync.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IngestInvalid, parseIngest } from '../src/sync/ingest.js';
import { pino } from 'pino';
import type { Store } from '../src/store/store.js';
import { Engine } from '../src/worker/engine.js';
import type { FromWorker, SourceStatus } from '../src/worker/protocol.js';
import { until } from './vcsim/vcsim.js';
import { CLI, makeHome, openStore, vmi, type TestHome } from './helpers.js';

/** What an ingest writes: inventory, changes, runs (an unlock writes an audit row, not these). */
function written(store: Store): string {
  return ['vms', 'hosts', 'datastores', 'networks', 'changes', 'sync_runs', 'sources']
    .map((t) => JSON.stringify(store.db.prepare(`SELECT count(*) n, max(seq) s FROM ${t}`).get())).join(' ');
}

const EXAMPLE = join(CLI, '..', '..', '..', 'examples', 'ingest-example.json');
const example = () => JSON.parse(readFileSync(EXAMPLE, 'utf8'));

function problems(text: string): IngestInvalid {
  try {
    parseIngest(text);
  } catch (e) {
    assert.ok(e instanceof IngestInvalid, String(e));
    assert.equal(e.exitCode, 2);
    return e;
  }
  assert.fail('expected the document to be rejected');
}

describe('ingest documents', () => {
  it('the example under examples/ is valid', () => {
    const d = parseIngest(readFileSync(EXAMPLE, 'utf8'));
    assert.equal(d.vms.length, 2);
    assert.equal(d.vms[1].power, 'off');
  });

  it('not JSON, another format, missing fields and wrong types are named by path', () => {
    assert.match(problems('{"format": "vmi-ingest/1", "vms": [').problems[0].reason, /not JSON/);
    assert.match(problems('{"format": "vmi-ingest/2", "vms": []}').problems[0].reason, /unsupported format "vmi-ingest\/2"/);
    const e = problems(JSON.stringify({ format: 'vmi-ingest/1', vms: [{ id: 'a' }, { id: 'b', name: 'b', cpus: 'four', nics: [{ label: 'n', ipv4: ['300.1.1.1'] }] }], hosts: {} }));
    const paths = e.problems.map((p) => p.path);
    assert.deepEqual(paths.sort(), ['hosts', 'vms[0].name', 'vms[1].cpus', 'vms[1].nics[0].ipv4[0]'].sort());
    assert.match(problems('[]').problems[0].reason, /object/);
  });

  it('duplicate VM ids are refused', () => {
    const d = example();
    d.vms[1].id = d.vms[0].id;
    const e = problems(JSON.stringify(d));
    assert.deepEqual(e.problems, [{ path: 'vms[1].id', reason: 'duplicate id "kvm-0001" (first at vms[0])' }]);
  });

  it('lists the first 20 problems and counts the rest', () => {
    const vms = Array.from({ length: 30 }, (_, i) => ({ id: `v${i}`, name: i, cpus: 2 }));
    const e = problems(JSON.stringify({ format: 'vmi-ingest/1', vms }));
    assert.equal(e.problems.length, 20);
    assert.equal(e.total, 30);
    assert.match(e.message, /30 problems; nothing was applied/);
  });
});

describe('vmi ingest', () => {
  let h: TestHome;
  let doc: string;
  const env = () => h.env;
  before(async () => {
    h = await makeHome();
    doc = join(h.dir, 'doc.json');
    assert.equal(vmi(['source', 'add', 'cmdb', '--platform', 'ingest'], env()).code, 0);
  });
  after(() => h.cleanup());

  it('applies a document; a second identical one changes nothing', () => {
    const r = vmi(['ingest', '--source', 'cmdb', EXAMPLE], env());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /cmdb: 2 VMs \(2 new, 0 changed, 0 deleted\), 1 hosts, 0 changes/);
    const again = vmi(['ingest', '--source', 'cmdb', '-'], env(), readFileSync(EXAMPLE, 'utf8'));
    assert.match(again.stdout, /cmdb: 2 VMs \(0 new, 0 changed, 0 deleted\), 1 hosts, 0 changes/);
    const list = JSON.parse(vmi(['vms', '--json', '--filter', 'platform:ingest'], env()).stdout);
    assert.deepEqual(list.map((v: { name: string }) => v.name).sort(), ['erp-app-01', 'erp-db-01']);
    const audit = JSON.parse(vmi(['audit', '--json', '--action', 'source.ingest'], env()).stdout) as { resourceId: string; details: Record<string, unknown> }[];
    assert.equal(audit.length, 2, 'every ingest is audited');
    assert.equal(audit[0].resourceId, 'cmdb');
    assert.ok(!JSON.stringify(audit).includes('erp-app-01'), 'counts only, never the document');
  });

  it('--dry-run prints what would change and writes nothing', async () => {
    const d = example();
    d.vms[0].cpus = 16;
    d.vms.pop();
    d.vms.push({ id: 'kvm-0003', name: 'web-01', cpus: 2, memoryMB: 2048 });
    writeFileSync(doc, JSON.stringify(d));
    const { store } = await openStore(h.home);
    const seq = written(store);
    const r = vmi(['ingest', '--source', 'cmdb', '--dry-run', doc], env());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /~ VM erp-db-01: cpus 8 -> 16/);
    assert.match(r.stdout, /- VM erp-app-01/);
    assert.match(r.stdout, /\+ VM web-01/);
    assert.match(r.stdout, /would apply 2 VMs \(1 new, 1 changed, 1 deleted\)/);
    assert.equal(written(store), seq, 'nothing written');
    store.close();
    // Applied for real: the missing VM is marked deleted.
    const real = vmi(['ingest', '--source', 'cmdb', doc], env());
    assert.match(real.stdout, /2 VMs \(1 new, 1 changed, 1 deleted\)/);
    const deleted = JSON.parse(vmi(['vms', '--json', '--filter', 'deleted:true'], env()).stdout);
    assert.deepEqual(deleted.map((v: { name: string }) => v.name), ['erp-app-01']);
  });

  it('--partial updates only the VMs listed', () => {
    writeFileSync(doc, JSON.stringify({ format: 'vmi-ingest/1', vms: [{ id: 'kvm-0003', name: 'web-01', cpus: 4, memoryMB: 2048 }] }));
    const r = vmi(['ingest', '--source', 'cmdb', '--partial', doc], env());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 VMs \(0 new, 1 changed, 0 deleted\), 1 changes \(partial\)/);
    const alive = JSON.parse(vmi(['vms', '--json'], env()).stdout);
    assert.deepEqual(alive.map((v: { name: string }) => v.name).sort(), ['erp-db-01', 'web-01']);
  });

  it('the worker shows an ingest source with the time of its last ingest', async () => {
    const { store } = await openStore(h.home);
    const statuses: SourceStatus[] = [];
    const engine = new Engine(store, pino({ level: 'silent' }), (m: FromWorker) => {
      if (m.type === 'status') statuses.push(m.status);
    }, undefined, 60_000);
    engine.setSources([{ name: 'cmdb', platform: 'ingest', url: 'ingest:', refreshSeconds: 120, enabled: true }]);
    await until(() => statuses.length > 0, 5000, 'a status');
    const s = statuses[0]!;
    assert.equal(s.state, 'live');
    assert.ok(s.detail?.lastIngestAt && Date.now() - s.detail.lastIngestAt < 120_000, JSON.stringify(s));
    await engine.stop();
    store.close();
  });

  it('an invalid document: exit 2, the problems listed, the cache untouched', async () => {
    const { store } = await openStore(h.home);
    const seq = written(store);
    store.close();
    writeFileSync(doc, JSON.stringify({ format: 'vmi-ingest/1', vms: [{ id: 'x', name: 'x', memoryMB: -1 }, { id: 'x', name: 'y' }] }));
    const r = vmi(['ingest', '--source', 'cmdb', doc], env());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /rejected: 1 problem; nothing was applied/);
    assert.match(r.stderr, /vms\[0\]\.memoryMB: /);
    const bad = vmi(['ingest', '--source', 'cmdb', '-'], env(), 'not json at all');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\(document\): not JSON/);
    const other = vmi(['ingest', '--source', 'nope', doc], env());
    assert.equal(other.code, 2);
    assert.match(other.stderr, /no source named "nope"/);
    const again = await openStore(h.home);
    assert.equal(written(again.store), seq, 'nothing written');
    again.store.close();
  });
});
