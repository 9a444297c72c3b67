// Paging of Prism Central lists.
//  v4: GET path?$page=P&$limit=L, P a 0-based page index, L at most 100. Stops on an empty page or
//      a missing `data`; the total (metadata.totalAvailableResults) is re-read on every page, since
//      it drifts; items are deduplicated by extId; metadata.links is never followed. Pages are
//      fetched a few at a time while the total says there are more; past it, one at a time while
//      pages come back full (a server may hold more than it announced).
//  v3: POST /api/nutanix/v3/<kind>s/list {kind, offset, length}, length at most 500, offset
//      advanced by the entities returned, deduplicated by metadata.uuid.
// A list that ends with fewer distinct items than announced is refused as incomplete: applying it
// would mark the missing objects deleted.

import { VmiError } from '../../errors.js';
import { PRODUCT, type PrismClient } from './http.js';

export const V4_LIMIT = 100;
export const V3_LENGTH = 500;
/** A list longer than this many pages is refused (a server that ignores $page never ends). */
const MAX_PAGES = 10_000;

/** Runs at most `n` of the functions given to it at once. */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export interface ListOptions {
  signal: AbortSignal;
  /** Shared by every list of one retrieval: bounds the requests in flight. */
  limit: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Pages of one list fetched at once (default 3). */
  concurrency?: number;
  pageSize?: number;
  /** Distinct items so far. */
  onProgress?: (items: number) => void;
}

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => !!x && typeof x === 'object' && !Array.isArray(x);

function bad(client: PrismClient, msg: string): VmiError {
  return new VmiError('bad-response', `${PRODUCT} ${client.label}: ${msg}`);
}

function short(client: PrismClient, what: string, got: number, announced: number): VmiError {
  return new VmiError('incomplete', `${PRODUCT} ${client.label}: ${what} listed ${got} of the ${announced} it announced; treated as incomplete, nothing marked deleted`);
}

/** All items of a v4 list, or null when its first page answers 404 (the API is not there). */
export async function listV4(client: PrismClient, path: string, what: string, o: ListOptions): Promise<Obj[] | null> {
  const size = Math.min(V4_LIMIT, Math.max(1, o.pageSize ?? V4_LIMIT));
  const width = Math.max(1, o.concurrency ?? 3);
  const byId = new Map<string, Obj>();
  let total = Infinity;
  let end = Infinity; // first page index past the end
  let processed = -1; // pages 0..processed are applied, in order
  let lastFull = false;
  const done = new Map<number, { items: unknown[] | null; total?: number }>();

  const fetchPage = async (p: number) => {
    const sep = path.includes('?') ? '&' : '?';
    const r = await o.limit(() => client.get(`${path}${sep}$page=${p}&$limit=${size}`, { signal: o.signal }));
    if (r.status === 404) return null;
    const body = r.body;
    if (!isObj(body)) throw bad(client, `${what} page ${p} is not a JSON object`);
    const data = body.data;
    if (data !== undefined && data !== null && !Array.isArray(data)) throw bad(client, `${what} page ${p}: "data" is not a list`);
    const meta = isObj(body.metadata) ? body.metadata : undefined;
    const t = meta?.totalAvailableResults;
    return { items: (data as unknown[] | null | undefined) ?? null, total: typeof t === 'number' && t >= 0 ? t : undefined };
  };

  const apply = (p: number, page: { items: unknown[] | null; total?: number }) => {
    if (page.total !== undefined) total = page.total;
    const items = page.items ?? [];
    if (items.length === 0) {
      end = Math.min(end, p);
      lastFull = false;
      return;
    }
    let fresh = 0;
    for (const it of items) {
      // Storage containers carry their id as containerExtId (extId too in newer revisions).
      const id = isObj(it) ? (typeof it.extId === 'string' && it.extId ? it.extId : it.containerExtId) : undefined;
      if (typeof id !== 'string' || !id) continue;
      if (!byId.has(id)) fresh++;
      byId.set(id, it as Obj);
    }
    lastFull = items.length >= size;
    // A short page is the last one; a page of nothing new means the server repeats itself.
    if (!lastFull || fresh === 0) end = Math.min(end, p + 1);
    o.onProgress?.(byId.size);
  };

  const first = await fetchPage(0);
  if (first === null) return null;
  apply(0, first);
  processed = 0;

  // Pages the total says exist are fetched `width` at a time; beyond it, one at a time.
  const wanted = (p: number) => p < end && (p * size < total || (p === processed + 1 && lastFull));
  let next = 1;
  const inflight = new Map<number, Promise<void>>();
  let failure: unknown;
  while (processed + 1 < end) {
    while (!failure && inflight.size < width && wanted(next) && next - processed <= width) {
      const p = next++;
      if (p >= MAX_PAGES) throw bad(client, `${what} did not end after ${MAX_PAGES} pages`);
      inflight.set(p, fetchPage(p).then(
        (page) => {
          if (page === null) throw bad(client, `${what} page ${p} answered 404 after page 0 did not`);
          done.set(p, page);
        },
        (e) => {
          failure ??= e;
        },
      ).finally(() => inflight.delete(p)));
    }
    if (failure) {
      await Promise.allSettled(inflight.values());
      throw failure;
    }
    if (inflight.size === 0 && !done.has(processed + 1)) break; // nothing more is wanted
    if (inflight.size) await Promise.race(inflight.values());
    while (done.has(processed + 1)) {
      const p = ++processed;
      apply(p, done.get(p)!);
      done.delete(p);
    }
  }
  await Promise.allSettled(inflight.values());
  if (failure) throw failure;
  if (Number.isFinite(total) && byId.size < total) throw short(client, what, byId.size, total);
  return [...byId.values()];
}

/** All entities of a v3 list, or null when it answers 404. */
export async function listV3(client: PrismClient, kind: string, what: string, o: ListOptions): Promise<Obj[] | null> {
  const length = Math.min(V3_LENGTH, Math.max(1, o.pageSize ?? V3_LENGTH));
  const byId = new Map<string, Obj>();
  let offset = 0;
  let total: number | undefined;
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES) throw bad(client, `${what} did not end after ${MAX_PAGES} pages`);
    const r = await o.limit(() => client.post(`/api/nutanix/v3/${kind}s/list`, { kind, offset, length }, { signal: o.signal }));
    if (r.status === 404) {
      if (page === 0) return null;
      throw bad(client, `${what} answered 404 at offset ${offset}`);
    }
    const body = r.body;
    if (!isObj(body)) throw bad(client, `${what} at offset ${offset} is not a JSON object`);
    const entities = body.entities;
    if (entities !== undefined && entities !== null && !Array.isArray(entities)) throw bad(client, `${what}: "entities" is not a list`);
    const list = (entities as unknown[] | null | undefined) ?? [];
    const meta = isObj(body.metadata) ? body.metadata : undefined;
    if (typeof meta?.total_matches === 'number') total = meta.total_matches;
    let fresh = 0;
    for (const e of list) {
      const uuid = isObj(e) && isObj(e.metadata) ? e.metadata.uuid : undefined;
      if (typeof uuid !== 'string' || !uuid) continue;
      if (!byId.has(uuid)) fresh++;
      byId.set(uuid, e as Obj);
    }
    o.onProgress?.(byId.size);
    offset += list.length;
    if (list.length === 0 || fresh === 0 || (total !== undefined && offset >= total)) break;
  }
  if (total !== undefined && byId.size < total) throw short(client, what, byId.size, total);
  return [...byId.values()];
}
