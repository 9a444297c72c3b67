// One report in a process of its own, so that its peak resident memory is the whole process's:
// prints {"ms", "rss", "cells", "bytes"} as JSON. Run by the report bench.
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveHome } from '../src/home.js';
import { writeReport } from '../src/report/workbook.js';
import { openStore } from '../test/helpers.js';

const [homeDir, format, out] = process.argv.slice(2) as [string, 'xlsx' | 'csv', string];
const { store } = await openStore(resolveHome(homeDir));
const t0 = performance.now();
const r = await writeReport(store, { out, format, sinceMs: Date.now() - 30 * 86400_000, includeAudit: true, version: 'bench' });
const ms = performance.now() - t0;
const bytes = format === 'xlsx' ? statSync(out).size : readdirSync(out).reduce((n, f) => n + statSync(join(out, f)).size, 0);
store.close();
console.log(JSON.stringify({ ms, rss: process.resourceUsage().maxRSS * 1024, cells: r.cells, bytes, vms: r.vms }));
