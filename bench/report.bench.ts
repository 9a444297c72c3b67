// Report figures on the demo estate (npm run bench -- report [--vms 100000] [--runs 3]):
//  - the RVTools workbook of the whole estate: wall time, peak resident memory of the whole
//    process, cells per second and file size;
//  - the same as RVTools' CSV flavour;
//  - a 100,000-row CSV of the VM table through the table writer (what "x" and vmi export use).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoSources } from '../src/sources/demo/index.js';
import { writeTable } from '../src/report/table.js';
import { loadVmViews } from '../src/store/inventory.js';
import { VM_TABLE_HEADERS, vmTableRow } from '../src/cli/vms.js';
import { makeHome, openStore, vmi } from '../test/helpers.js';
import { report } from './util.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

interface ChildRun { ms: number; rss: number; cells: number; bytes: number; vms: number }

function child(home: string, format: 'xlsx' | 'csv', out: string): ChildRun {
  const script = fileURLToPath(new URL('./report.child.js', import.meta.url));
  const r = spawnSync(process.execPath, [script, home, format, out], { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`report child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildRun;
}

export async function reportBench(): Promise<void> {
  const vms = arg('vms', 100_000);
  const runs = arg('runs', 3);
  const th = await makeHome();
  try {
    const cfg = JSON.parse(readFileSync(th.home.configFile, 'utf8'));
    cfg.sources = demoSources(vms, 1).map((s) => ({ name: s.name, platform: 'demo', url: s.url }));
    writeFileSync(th.home.configFile, JSON.stringify(cfg, null, 2));
    const t = Date.now();
    const sync = vmi(['sync', '--once'], th.env);
    if (sync.code !== 0) throw new Error(sync.stderr);
    console.log(`# demo cache of ${vms.toLocaleString('en')} VMs built in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const xlsx: ChildRun[] = [];
    for (let i = 0; i < runs; i++) xlsx.push(child(th.dir, 'xlsx', join(th.dir, `r${i}.xlsx`)));
    const x = { ms: med(xlsx.map((r) => r.ms)), rss: med(xlsx.map((r) => r.rss)), cells: xlsx[0]!.cells, bytes: xlsx[0]!.bytes };
    report(`RVTools workbook, ${vms.toLocaleString('en')} VMs (median of ${runs})`, `${(x.ms / 1000).toFixed(1)} s`, '<= 60 s', x.ms <= 60_000);
    report('  peak resident memory of the whole process', `${Math.round(x.rss / 2 ** 20)} MB`, '<= 600 MB', x.rss <= 600 * 2 ** 20);
    report('  cells written per second', `${Math.round(x.cells / (x.ms / 1000)).toLocaleString('en')}`, `(${(x.cells / 1e6).toFixed(1)} M cells)`, true);
    report('  workbook size', `${(x.bytes / 2 ** 20).toFixed(1)} MB`, '(figure)', true);

    const csv: ChildRun[] = [];
    for (let i = 0; i < runs; i++) {
      const dir = join(th.dir, `csv${i}`);
      mkdirSync(dir);
      csv.push(child(th.dir, 'csv', dir));
    }
    const c = { ms: med(csv.map((r) => r.ms)), rss: med(csv.map((r) => r.rss)), bytes: csv[0]!.bytes };
    report(`RVTools CSV flavour (32 files), ${vms.toLocaleString('en')} VMs`, `${(c.ms / 1000).toFixed(1)} s`, `(figure, ${Math.round(c.rss / 2 ** 20)} MB peak)`, true);

    // The table writer alone, on the VM list as "vmi vms" shows it.
    const { store } = await openStore(th.home);
    const rows = loadVmViews(store).views.filter((v) => v.deletedAt === null).map(vmTableRow);
    store.close();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await writeTable({ file: join(th.dir, `vms${i}.csv`), columns: VM_TABLE_HEADERS.map((header) => ({ header })), rows });
      times.push(performance.now() - t0);
    }
    report(`CSV of ${rows.length.toLocaleString('en')} VM rows (table writer)`, `${(med(times) / 1000).toFixed(2)} s`, '<= 5 s', med(times) <= 5000);
  } finally {
    th.cleanup();
    rmSync(th.dir, { recursive: true, force: true });
  }
}
