// vmi report and the table writer: the workbook read back with exceljs against the reference
// file and the cache; RVTools' CSV flavour; bad output paths; formula injection; audit.
import assert from 'node:assert/strict';
import { chmodSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { DemoVcenter } from '../src/sources/demo/index.js';
import { SourceWriter } from '../src/sync/apply.js';
import { listAudit } from '../src/store/audit.js';
import { addOwner, assignOwners } from '../src/store/manual.js';
import { loadVmViews } from '../src/store/inventory.js';
import type { Store } from '../src/store/store.js';
import type { Actor } from '../src/store/vault.js';
import { RVTOOLS_SHEETS, FILEINFO_EMPTY } from '../src/report/rvtools/headings.js';
import { runReport, writeReport } from '../src/report/workbook.js';
import { exportTable, writeTable } from '../src/report/table.js';
import ExcelJS from 'exceljs';
import { csvLine, CsvFolderSink, type SheetSpec, type Sink, XlsxSink } from '../src/report/sinks.js';
import { type Cell, DATE, excelDate, INT } from '../src/report/cells.js';
import { insertVms, makeHome, openStore, tempDir, vm, vmi, type TestHome } from './helpers.js';
import { cell, readWorkbook, referenceSheets } from './report-helpers.js';

const EVIL = '=HYPERLINK("http://x","y")';
const VMI_SHEETS = ['Owners', 'Changes', 'Alarms', 'Events'];
const oneLine = (s: string) => s.trim().split('\n').length === 1;

/** A folder this process cannot write into (root ignores file modes: use /sys then). */
function unwritableFolder(): string {
  if (process.getuid?.() === 0) return '/sys';
  const d = join(tempDir(), 'ro');
  mkdirSync(d);
  chmodSync(d, 0o555);
  return d;
}

/**
 * exceljs' own row writer (a Row and Cells per row, styles looked up per cell), as vmi wrote rows
 * before it wrote their XML itself: the reference the workbook's rows are compared with.
 */
class ExceljsRowsSink implements Sink {
  private readonly out: WriteStream;
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  cells = 0;
  constructor(readonly target: string) {
    this.out = createWriteStream(target);
    this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: this.out, useStyles: true, useSharedStrings: false });
  }
  async write(s: SheetSpec): Promise<number> {
    const header: Partial<ExcelJS.Style> = { font: { bold: true, color: { argb: 'FFFFFFFF' } }, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF000000' } } };
    const ws = this.wb.addWorksheet(s.name);
    const h = ws.addRow(s.columns.map((c) => c.header));
    if (!s.plain) h.eachCell((c) => { c.style = header; });
    h.commit();
    const text = {};
    const styles = s.columns.map((c) => (c.fmt ? { numFmt: c.fmt } : text));
    let n = 0;
    for await (const row of s.rows) {
      const values: Cell[] = new Array(s.columns.length);
      for (let i = 0; i < s.columns.length; i++) {
        const v = row[i];
        if (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v))) continue;
        values[i] = v instanceof Date ? excelDate(v) : v;
      }
      if (values[0] === undefined) values[0] = null;
      const r = ws.addRow(values);
      r.eachCell((c, col) => { c.style = (typeof c.value === 'string' ? text : styles[col - 1]) as Partial<ExcelJS.Style>; });
      r.commit();
      n++;
    }
    await ws.commit();
    return n;
  }
  async commit(): Promise<void> {
    await this.wb.commit();
  }
  async abort(): Promise<void> {
    this.out.destroy();
  }
}

const unzipped = (file: string, entry: string) => execFileSync('unzip', ['-p', file, entry], { encoding: 'utf8', maxBuffer: 1 << 28 });
const sheetData = (xml: string) => xml.slice(xml.indexOf('<sheetData>'), xml.indexOf('</sheetData>'));

function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.tmp'));
}

describe('RVTools headings', () => {
  it('are the reference file\'s 27 sheets, in its order, with every heading in order', () => {
    const ref = referenceSheets();
    assert.equal(ref.length, 27);
    assert.deepEqual(RVTOOLS_SHEETS.map((s) => s.name), ref.map((s) => s.name));
    for (const s of ref) assert.deepEqual([...RVTOOLS_SHEETS.find((x) => x.name === s.name)!.headings], s.headings, s.name);
  });
});

describe('table writer', () => {
  const dir = tempDir();
  const columns = [{ header: 'VM' }, { header: 'CPUs', fmt: INT }, { header: 'Created', fmt: DATE }, { header: 'Note' }];
  const created = new Date(2024, 4, 1, 13, 45, 0);
  const rows = () => [[EVIL, 4, created, '+cmd'], ['plain, "quoted"', 2, undefined, '@SUM(A1)'], ['-2', -2, undefined, '\tx']];

  it('CSV: formula-like text gets OWASP\'s leading quote, numbers stay numbers, quotes are doubled', async () => {
    const r = await writeTable({ file: join(dir, 't.csv'), columns, rows: rows() });
    assert.equal(r.rows, 3);
    const text = readFileSync(r.file, 'utf8');
    const lines = text.trimEnd().split('\r\n');
    assert.equal(lines[0], '"VM","CPUs","Created","Note"');
    assert.equal(lines[1], `"'=HYPERLINK(""http://x"",""y"")",4,"2024/05/01 13:45:00","'+cmd"`);
    assert.equal(lines[2], '"plain, ""quoted""",2,,"\'@SUM(A1)"');
    assert.equal(lines[3], '"\'-2",-2,,"\'\tx"');
    assert.equal(csvLine(['\rx', '='], 2), '"\'\rx","\'="\r\n');
  });

  it('xlsx: formula-like text is a string cell, never a formula; numbers and dates are typed', async () => {
    const r = await writeTable({ file: join(dir, 't.xlsx'), columns, rows: rows(), sheet: 'VMs' });
    const { sheets } = await readWorkbook(r.file);
    const s = sheets[0]!;
    assert.equal(s.name, 'VMs');
    const first = s.rows[0]!;
    assert.equal(cell(s, first, 'VM').value, EVIL);
    assert.equal(cell(s, first, 'VM').formula, undefined);
    assert.equal(typeof cell(s, first, 'CPUs').value, 'number');
    assert.equal(cell(s, first, 'CPUs').numFmt, INT);
    assert.ok(cell(s, first, 'Created').value instanceof Date);
    // Local wall-clock time, stored without a zone (as RVTools writes it).
    assert.equal((cell(s, first, 'Created').value as Date).toISOString(), '2024-05-01T13:45:00.000Z');
    assert.equal(cell(s, s.rows[2]!, 'VM').value, '-2');
    const xml = execFileSync('unzip', ['-p', r.file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    assert.doesNotMatch(xml, /<f>|<f /);
  });

  it('JSON: an array of objects keyed by header, dates as ISO text', async () => {
    const r = await writeTable({ file: join(dir, 't.json'), columns, rows: rows() });
    const j = JSON.parse(readFileSync(r.file, 'utf8'));
    assert.equal(j.length, 3);
    assert.deepEqual(j[0], { VM: EVIL, CPUs: 4, Created: created.toISOString(), Note: '+cmd' });
    assert.equal(j[1].Created, null);
  });

  it('a missing or unwritable folder is a one-line usage error, and nothing is left behind', async () => {
    await assert.rejects(writeTable({ file: join(dir, 'nope', 'x.csv'), columns, rows: rows() }), (e: any) => e.reason === 'usage' && /does not exist/.test(e.message) && oneLine(e.message));
    const ro = unwritableFolder();
    await assert.rejects(writeTable({ file: join(ro, 'x.xlsx'), columns, rows: rows() }), (e: any) => e.reason === 'usage' && /permission denied|read-only/.test(e.message));
    assert.equal(existsSync(join(ro, 'x.xlsx')), false);
  });

  it('a failure while writing leaves neither the file nor its temp file', async () => {
    function* failing() {
      yield ['a', 1, undefined, ''];
      throw new Error('source went away');
    }
    for (const f of ['fail.csv', 'fail.xlsx', 'fail.json']) {
      await assert.rejects(writeTable({ file: join(dir, f), columns, rows: failing() }), /source went away/);
      assert.equal(existsSync(join(dir, f)), false, f);
    }
    assert.deepEqual(leftovers(dir), []);
  });

  it('drafted sheets (rows given before their turn) keep their order and leave no scratch file behind', async () => {
    for (const make of [() => new XlsxSink(join(dir, 'd.xlsx')), () => new CsvFolderSink(dir, 'draft_')]) {
      const sink = make();
      const later = sink.draft!({ name: 'Later', columns });
      later.add(['x', 1, created, 'a']);
      later.add(['y', 2, undefined, 'b']);
      assert.equal(await sink.write({ name: 'First', columns, rows: rows() }), 3);
      assert.equal(await sink.write({ name: 'Later', columns, rows: [['z', 3, undefined, 'c']], draft: later }), 3);
      const lost = sink.draft!({ name: 'Lost', columns });
      lost.add(['w', 4, undefined, 'd']);
      await sink.abort();
      assert.deepEqual(leftovers(dir), []);
    }
    const sink = new XlsxSink(join(dir, 'd.xlsx'));
    const later = sink.draft!({ name: 'Later', columns });
    later.add(['x', 1, created, 'a']);
    await sink.write({ name: 'First', columns, rows: rows() });
    await sink.write({ name: 'Later', columns, rows: [['z', 3, undefined, 'c']], draft: later });
    await sink.commit();
    const { get } = await readWorkbook(join(dir, 'd.xlsx'));
    assert.deepEqual(get('Later').rows.map((r) => cell(get('Later'), r, 'VM').value), ['x', 'z']);
    assert.equal((cell(get('Later'), get('Later').rows[0]!, 'Created').value as Date).toISOString(), '2024-05-01T13:45:00.000Z');
    assert.equal(cell(get('Later'), get('Later').rows[1]!, 'CPUs').value, 3);
    assert.deepEqual(leftovers(dir), []);
  });
});

describe('vmi report', () => {
  let h: TestHome;
  let store: Store;
  let actor: Actor;
  let out: string;
  const now = new Date();

  before(async () => {
    h = await makeHome();
    ({ store, actor } = await openStore(h.home));
    // A generated vCenter (hosts, clusters, datastores, switches, alarms, events)...
    const demo = new DemoVcenter({ site: 'ams', vms: 60, seed: 3 });
    const w = new SourceWriter(store, { name: 'vc-ams', platform: 'demo', url: 'demo://ams?vms=60&seed=3' });
    w.applyFull(demo.full(now), w.startRun(), Date.now());
    // ...and hand-made VMs in a second one: a template, a powered-off VM, a formula-like name.
    insertVms(store, 'vc-test', [
      vm('web-01', { createdAt: '2023-02-03T04:05:06.000Z', disks: [{ key: '2000', label: 'Hard disk 1', sizeGB: 40, thin: true }, { key: '2001', label: 'Hard disk 2', sizeGB: 10, thin: false }] }),
      vm('tmpl-linux', { template: true, powerState: 'poweredOff', nics: [] }),
      vm('off-01', { powerState: 'poweredOff' }),
      vm(EVIL, { ref: 'vm-evil', instanceUuid: 'uuid-evil' }),
    ]);
    const owner = addOwner(store, actor, { fullName: 'Ada Admin', email: 'ada@example.com' });
    assignOwners(store, actor, loadVmViews(store).views.filter((v) => v.name === 'web-01'), { technical: owner });
    out = join(h.dir, 'report.xlsx');
  });
  after(() => {
    store?.close();
    h?.cleanup();
  });

  it('writes the 27 RVTools sheets in order with the reference headings, then vmi\'s sheets (Audit for admins)', async () => {
    const r = await runReport(store, actor, { out, format: 'xlsx', sinceMs: 0, version: '0.1.0', now });
    const { sheets } = await readWorkbook(out);
    const ref = referenceSheets();
    assert.deepEqual(sheets.map((s) => s.name), [...ref.map((s) => s.name), ...VMI_SHEETS, 'Audit']);
    for (const s of ref) assert.deepEqual(sheets.find((x) => x.name === s.name)!.header, s.headings, s.name);
    assert.equal(r.sheets.length, 32);
    assert.deepEqual(leftovers(h.dir), []);
  });

  it('every sheet\'s rows are the XML exceljs writes for the same values, and its styles are the same', async () => {
    const req = { out: join(h.dir, 'same.xlsx'), format: 'xlsx' as const, sinceMs: 0, includeAudit: true, version: '0.1.0', now };
    const ours = await writeReport(store, req);
    const theirs = await writeReport(store, { ...req, out: join(h.dir, 'exceljs.xlsx') }, new ExceljsRowsSink(join(h.dir, 'exceljs.xlsx')));
    assert.deepEqual(ours.sheets, theirs.sheets);
    for (let i = 1; i <= ours.sheets.length; i++) {
      const entry = `xl/worksheets/sheet${i}.xml`;
      assert.equal(sheetData(unzipped(ours.target, entry)), sheetData(unzipped(theirs.target, entry)), ours.sheets[i - 1]!.name);
    }
    assert.equal(unzipped(ours.target, 'xl/styles.xml'), unzipped(theirs.target, 'xl/styles.xml'));
  });

  it('row counts match the cache; numbers, dates and booleans are typed as RVTools writes them', async () => {
    const { get } = await readWorkbook(out);
    const views = loadVmViews(store).views.filter((v) => v.deletedAt === null);
    const vInfo = get('vInfo');
    assert.equal(vInfo.rows.length, views.length);
    assert.equal(get('vCPU').rows.length, views.length);
    assert.equal(get('vMemory').rows.length, views.length);
    assert.equal(get('vTools').rows.length, views.length);
    assert.equal(get('vDisk').rows.length, views.reduce((a, v) => a + v.doc.disks.length, 0));
    assert.equal(get('vNetwork').rows.length, views.reduce((a, v) => a + v.doc.nics.length, 0));
    const live = (t: string) => (store.db.prepare(`SELECT count(*) n FROM ${t} WHERE deleted_at IS NULL`).get() as { n: number }).n;
    assert.equal(get('vHost').rows.length, live('hosts'));
    assert.equal(get('vDatastore').rows.length, live('datastores'));
    assert.equal(get('vCluster').rows.length, live('clusters'));
    assert.equal(get('vSC_VMK').rows.length, live('vmkernel_adapters'));
    assert.equal(get('Owners').rows.length, views.length);
    assert.equal(get('Alarms').rows.length, (store.db.prepare('SELECT count(*) n FROM alarms WHERE cleared_at IS NULL').get() as { n: number }).n);
    assert.equal(get('vSource').rows.length, 2);
    assert.equal(get('vMetaData').rows.length, 2);
    assert.equal(get('vUSB').rows.length, 0);
    assert.equal(get('vMultiPath').rows.length, 0);
    assert.equal(get('vFileInfo').rows.length, 1);
    assert.equal(get('vFileInfo').rows[0]!.getCell(1).value, FILEINFO_EMPTY);

    const byName = (n: string) => vInfo.rows.find((r) => cell(vInfo, r, 'VM').value === n)!;
    const web = byName('web-01');
    assert.equal(cell(vInfo, web, 'CPUs').value, 2);
    assert.equal(cell(vInfo, web, 'Memory').value, 4096);
    assert.equal(cell(vInfo, web, 'Total disk capacity MiB').value, 50 * 1024);
    assert.equal(cell(vInfo, web, 'CPUs').numFmt, '#,##0');
    assert.ok(cell(vInfo, web, 'Creation date').value instanceof Date);
    assert.equal(cell(vInfo, web, 'Creation date').numFmt, 'yyyy/mm/dd hh:mm:ss');
    assert.equal(cell(vInfo, web, 'Template').value, 'False');
    assert.equal(cell(vInfo, byName('tmpl-linux'), 'Template').value, 'True');
    assert.equal(cell(vInfo, byName('off-01'), 'Powerstate').value, 'poweredOff');
    assert.equal(cell(vInfo, web, 'Primary IP Address').value, '10.1.0.1');
    assert.equal(cell(vInfo, web, 'Network #1').value, 'VM Network');
    const vDisk = get('vDisk');
    const thin = vDisk.rows.filter((r) => cell(vDisk, r, 'VM').value === 'web-01').map((r) => cell(vDisk, r, 'Thin').value);
    assert.deepEqual(thin, ['True', 'False']);
    assert.equal(typeof cell(vDisk, vDisk.rows[0]!, 'Disk Key').value, 'string');
    const own = get('Owners');
    const ownRow = own.rows.find((r) => cell(own, r, 'VM').value === 'web-01')!;
    assert.equal(cell(own, ownRow, 'Technical owner e-mail').value, 'ada@example.com');
  });

  it('readers\' hard requirements: VM ID, VM, Cluster and VI SDK UUID are never empty; sources are told apart', async () => {
    const { get } = await readWorkbook(out);
    const vInfo = get('vInfo');
    for (const r of vInfo.rows) {
      for (const hdg of ['VM ID', 'VM', 'Cluster', 'VI SDK UUID', 'VI SDK Server']) {
        assert.ok(String(cell(vInfo, r, hdg).value ?? '').length > 0, `${hdg} empty in ${cell(vInfo, r, 'VM').value}`);
      }
    }
    const servers = new Set(vInfo.rows.map((r) => `${cell(vInfo, r, 'VI SDK Server').value}|${cell(vInfo, r, 'VI SDK UUID').value}`));
    assert.equal(servers.size, 2);
  });

  it('frozen header, autofilter and bold white-on-black header on every sheet but vMetaData', async () => {
    const { get } = await readWorkbook(out);
    const vInfo = get('vInfo');
    assert.equal(vInfo.ws.views[0]?.state, 'frozen');
    assert.equal((vInfo.ws.views[0] as any).xSplit, 1);
    assert.equal((vInfo.ws.views[0] as any).ySplit, 1);
    assert.ok(vInfo.ws.autoFilter, 'autofilter');
    const hc = vInfo.ws.getRow(1).getCell(1);
    assert.equal(hc.font?.bold, true);
    assert.equal(hc.font?.color?.argb, 'FFFFFFFF');
    assert.equal((hc.fill as any)?.fgColor?.argb, 'FF000000');
    const meta = get('vMetaData');
    assert.equal((meta.ws.views ?? []).length, 0);
    assert.equal(meta.ws.autoFilter, undefined);
    assert.equal(cell(meta, meta.rows[0]!, 'RVTools major version').value, 4.7);
    assert.ok(cell(meta, meta.rows[0]!, 'xlsx creation datetime').value instanceof Date);
  });

  it('a VM named like a formula stays text in the workbook', async () => {
    const { get } = await readWorkbook(out);
    const vInfo = get('vInfo');
    const r = vInfo.rows.find((x) => cell(vInfo, x, 'VM ID').value === 'vm-evil')!;
    assert.equal(cell(vInfo, r, 'VM').value, EVIL);
    assert.equal(cell(vInfo, r, 'VM').type, 3 /* ValueType.String */);
    for (let i = 1; i <= 5; i++) {
      const xml = execFileSync('unzip', ['-p', out, `xl/worksheets/sheet${i}.xml`], { encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.doesNotMatch(xml, /<f>|<f /, `sheet${i}`);
    }
  });

  it('the export is audited with what, filter, rows and file, never the data', () => {
    const e = listAudit(store).entries.filter((x) => x.action === 'export').at(-1)!;
    assert.equal(e.resourceId, 'report');
    assert.equal(e.details?.rows, 64);
    assert.equal(e.details?.file, out);
    assert.equal(e.details?.format, 'xlsx');
    assert.doesNotMatch(JSON.stringify(e), /web-01|HYPERLINK|ada@example/);
  });

  it('a viewer gets no Audit sheet', async () => {
    const file = join(h.dir, 'viewer.xlsx');
    await runReport(store, { ...actor, role: 'viewer', username: 'vic' }, { out: file, format: 'xlsx', sinceMs: 0, version: '0.1.0' });
    const { sheets } = await readWorkbook(file);
    assert.deepEqual(sheets.slice(27).map((s) => s.name), VMI_SHEETS);
  });

  it('--source writes one vCenter; --filter limits the VM sheets only', async () => {
    const file = join(h.dir, 'one.xlsx');
    await writeReport(store, { out: file, format: 'xlsx', sources: ['VC-TEST'], sinceMs: 0, includeAudit: false, version: '0' });
    let wb = await readWorkbook(file);
    assert.equal(wb.get('vInfo').rows.length, 4);
    assert.equal(wb.get('vSource').rows.length, 1);
    assert.equal(wb.get('vHost').rows.length, 0);
    await writeReport(store, { out: file, format: 'xlsx', filter: 'power:off', sinceMs: 0, includeAudit: false, version: '0' });
    wb = await readWorkbook(file);
    const views = loadVmViews(store).views.filter((v) => v.deletedAt === null);
    assert.equal(wb.get('vInfo').rows.length, views.filter((v) => v.power === 'poweredOff').length);
    assert.ok(wb.get('vHost').rows.length > 0);
    await assert.rejects(writeReport(store, { out: file, format: 'xlsx', sources: ['nope'], sinceMs: 0, includeAudit: false, version: '0' }), /no such source/);
  });

  it('CSV flavour: one RVTools_tab<Sheet>.csv per sheet, formula-like names prefixed', async () => {
    const dir = join(h.dir, 'csv');
    mkdirSync(dir);
    await writeReport(store, { out: dir, format: 'csv', sinceMs: 0, includeAudit: true, version: '0' });
    const files = readdirSync(dir).sort();
    assert.deepEqual(files, [...RVTOOLS_SHEETS.map((s) => s.name), ...VMI_SHEETS, 'Audit'].map((n) => `RVTools_tab${n}.csv`).sort());
    const info = readFileSync(join(dir, 'RVTools_tabvInfo.csv'), 'utf8').split('\r\n');
    assert.equal(info[0], RVTOOLS_SHEETS[0].headings.map((x) => `"${x}"`).join(','));
    assert.ok(info.some((l) => l.startsWith(`"'=HYPERLINK(""http://x"",""y"")"`)), 'prefixed');
    assert.ok(!info.some((l) => l.startsWith('"=')));
  });

  it('CLI: a missing or read-only folder is a one-line error with exit 2, before the passphrase', () => {
    const env = { ...h.env, VMI_PASSPHRASE: 'wrong passphrase!' };
    const missing = vmi(['report', '--out', join(h.dir, 'missing', 'r.xlsx')], env);
    assert.equal(missing.code, 2, missing.stderr);
    assert.ok(oneLine(missing.stderr));
    assert.match(missing.stderr, /does not exist/);
    const ro = vmi(['report', '--out', join(unwritableFolder(), 'r.xlsx')], h.env);
    assert.equal(ro.code, 2, ro.stderr);
    assert.ok(oneLine(ro.stderr), ro.stderr);
    const csvMissing = vmi(['report', '--format', 'csv', '--out', join(h.dir, 'missing')], env);
    assert.equal(csvMissing.code, 2);
    const badName = vmi(['report', '--out', join(h.dir, 'r.csv')], env);
    assert.equal(badName.code, 2);
    assert.match(badName.stderr, /\.xlsx/);
  });

  it('CLI: writes the workbook, says where, and the export is audited', () => {
    const file = join(h.dir, 'cli.xlsx');
    const r = vmi(['report', '--out', file, '--source', 'vc-test', '--since', '7d'], h.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /cli\.xlsx: 32 sheets, 4 VMs/);
    assert.deepEqual(leftovers(h.dir), []);
  });

  it('exportTable: the app\'s table export, audited with the view and filter', async () => {
    const r = await exportTable(store, actor, { what: 'vms', filter: 'power:on' }, {
      file: join(h.dir, 'vms.csv'), columns: [{ header: 'NAME' }], rows: [['a'], ['b']],
    });
    assert.equal(r.rows, 2);
    const e = listAudit(store).entries.at(-1)!;
    assert.equal(e.action, 'export');
    assert.deepEqual(e.details, { what: 'vms', format: 'csv', filter: 'power:on', rows: 2, file: r.file });
  });

  it('vmi export: any table of the app, with its filter, as CSV, JSON or xlsx; bad input exits 2', async () => {
    const csv = join(h.dir, 'off.csv');
    const r = vmi(['export', '--view', 'vms', '--filter', 'power:off', '--out', csv], h.env);
    assert.equal(r.code, 0, r.stderr);
    const want = loadVmViews(store).views.filter((v) => v.deletedAt === null && v.power === 'poweredOff').length;
    assert.match(r.stdout, new RegExp(`off\\.csv: ${want} rows \\(vms, filter power:off\\)`));
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    assert.equal(lines.length, want + 1);
    const evil = join(h.dir, 'evil.csv');
    assert.equal(vmi(['export', '--view', 'vms', '--filter', 'vcenter=vc-test', '--out', evil], h.env).code, 0);
    const evilLines = readFileSync(evil, 'utf8').split('\r\n');
    assert.ok(evilLines.some((l) => l.startsWith(`"'=HYPERLINK`)), 'a formula-like name gets the leading quote');
    assert.ok(!evilLines.some((l) => /^"?=/.test(l)), 'never a formula');
    const json = join(h.dir, 'hosts.json');
    const hj = vmi(['export', '--view', 'hosts', '--format', 'json', '--out', json], h.env);
    assert.equal(hj.code, 0, hj.stderr);
    const hosts = JSON.parse(readFileSync(json, 'utf8')) as Record<string, string>[];
    assert.ok(hosts.length > 0 && 'NAME' in hosts[0] && 'VMS' in hosts[0]);
    const ds = vmi(['export', '--view', 'datastores', '--filter', 'shared', '--out', join(h.dir, 'ds.xlsx')], h.env);
    assert.equal(ds.code, 0, ds.stderr);
    const e = listAudit(store).entries.filter((x) => x.action === 'export').at(-1)!;
    assert.equal(e.details?.what, 'datastores');
    assert.equal(e.details?.filter, 'shared');
    const bad = vmi(['export', '--view', 'vms', '--filter', 'power:sideways', '--out', join(h.dir, 'x.csv')], h.env);
    assert.equal(bad.code, 2, bad.stderr);
    assert.ok(oneLine(bad.stderr), bad.stderr);
    const missing = vmi(['export', '--view', 'vms', '--out', join(h.dir, 'missing', 'x.csv')], h.env);
    assert.equal(missing.code, 2);
    const view = vmi(['export', '--view', 'planets', '--out', join(h.dir, 'x.csv')], h.env);
    assert.equal(view.code, 2);
    assert.deepEqual(leftovers(h.dir), []);
  });
});
