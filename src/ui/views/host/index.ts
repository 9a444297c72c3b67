// Host detail: state, hardware, load now and trend charts for the last hour, day or week (w),
// networking and storage profiles, its VMs (v), alarms and events. When the cache holds less
// history than the window and the source is connected, the worker fetches the host's own history
// (vCenter's performance manager; the demo generates one) and stores it for next time.
import type { AppContext } from '../../context.js';
import { quoteValue as q } from '../../data/objects.js';
import { C } from '../../keys.js';
import type { DetailState } from '../../widgets/detailview.js';
import { detailView } from '../../widgets/detailview.js';
import { connected, hostLines, WINDOW_MS, type Sample, type TrendWindow } from './lines.js';

const WINDOWS: TrendWindow[] = ['hour', 'day', 'week'];

/** What the worker said of a backfill, by host id and window. */
const asked = new WeakMap<DetailState, Map<string, string>>();

/** The window's samples, read (and opened) again only when the host has a newer one or a backfill stored some. */
const read = new WeakMap<object, { key: string; samples: Sample[] }>();

function samplesOf(ctx: AppContext, id: number, win: TrendWindow, note = ''): Sample[] {
  const m = ctx.model;
  if (!m) return [];
  const key = `${id}|${win}|${m.samples.get(id)?.time ?? ''}|${note}`;
  const hit = read.get(m);
  if (hit?.key === key) return hit.samples;
  let samples: Sample[] = [];
  try {
    samples = m.hostSamples(id, ctx.now() - WINDOW_MS[win]);
  } catch {
    // A row that fails authentication is reported by the model; the chart shows what opened.
  }
  read.set(m, { key, samples });
  return samples;
}

/** Asks the worker for the window's history once, when the cache holds less than most of it. */
function backfill(ctx: AppContext, d: DetailState): void {
  const id = d.id;
  const h = id !== null ? ctx.model?.hosts.get(id) : undefined;
  const worker = ctx.worker;
  if (!h || !worker?.backfill || !connected(ctx, h.source)) return;
  const win = (d.mode || 'hour') as TrendWindow;
  const seen = asked.get(d) ?? new Map<string, string>();
  asked.set(d, seen);
  const key = `${h.id}|${win}`;
  if (seen.has(key)) return;
  const samples = samplesOf(ctx, h.id, win);
  const covered = samples.length ? ctx.now() - samples[0].time : 0;
  if (covered >= WINDOW_MS[win] * 0.9) return;
  seen.set(key, `fetching the last ${win} from ${h.source}...`);
  worker.backfill(h.source, h.doc.ref, win);
}

export const hostView = detailView({
  id: 'host', title: 'Host',
  keys: [
    C('host.window', ['w'], 'trend window: hour, day, week', ['host'], 'Hosts', { footer: 1, short: 'hour/day/week' }),
    C('host.vms', ['v'], 'the host\'s VMs in the VMs view', ['host'], 'Hosts', { footer: 2, short: 'VMs' }),
  ],
  heading: (ctx, id) => `Host ${ctx.model?.hosts.get(id)?.doc.name ?? ''}`,
  key: (d) => asked.get(d)?.get(`${d.id}|${d.mode || 'hour'}`) ?? '',
  lines(ctx, id, d) {
    const h = ctx.model!.hosts.get(id);
    if (!h) return [{ text: 'This host is not in the cache any more.', tone: 'muted' }];
    const win = (d.mode || 'hour') as TrendWindow;
    const note = asked.get(d)?.get(`${id}|${win}`) ?? null;
    return hostLines(ctx, h, { window: win, samples: samplesOf(ctx, id, win, note ?? ''), cols: d.cols, backfill: note });
  },
  commands: (ctx, d) => ({
    'host.window': () => {
      d.mode = WINDOWS[(WINDOWS.indexOf((d.mode || 'hour') as TrendWindow) + 1) % WINDOWS.length];
      backfill(ctx, d);
    },
    'host.vms': () => {
      const h = d.id !== null ? ctx.model?.hosts.get(d.id) : undefined;
      if (h) ctx.go('vms', { filter: `host=${q(h.doc.name)} vcenter=${q(h.source)}` });
    },
  }),
  shown: (ctx, d) => backfill(ctx, d),
  workerEvent(_ctx, d, name, payload) {
    if (name !== 'backfilled') return;
    const r = payload as { host: string; window: TrendWindow; samples: number; error?: { message: string } };
    const seen = asked.get(d);
    const h = d.id !== null ? d.ctx.model?.hosts.get(d.id) : undefined;
    if (!seen || !h || h.doc.ref !== r.host) return;
    seen.set(`${h.id}|${r.window}`, r.error ? `history not fetched: ${r.error.message}` : `fetched ${r.samples} samples`);
    d.stale();
  },
});
