// One full retrieval from Prism Central: v4.0 first; where its paths answer 404 (a Prism Central
// older than pc.2024.3) the v3 list API; and a clear refusal when the address is a Prism Element.

import { VmiError } from '../../errors.js';
import type { Inventory } from '../../model/records.js';
import { estateFromV3, toInventory, type PcEstate } from './convert.js';
import { PRODUCT, type PrismClient } from './http.js';
import { limiter, listV3, listV4, type ListOptions } from './pager.js';

export const V4_PATHS = {
  clusters: '/api/clustermgmt/v4.0/config/clusters',
  hosts: '/api/clustermgmt/v4.0/config/hosts',
  containers: '/api/clustermgmt/v4.0/config/storage-containers',
  subnets: '/api/networking/v4.0/config/subnets',
  categories: '/api/prism/v4.0/config/categories',
  alerts: '/api/monitoring/v4.0/serviceability/alerts',
  vms: '/api/vmm/v4.0/ahv/config/vms',
} as const;

export type PrismApi = 'v4.0' | 'v3';

export interface PrismCollectOptions {
  signal: AbortSignal;
  onProgress?: (vms: number) => void;
  /** Requests in flight at once over all lists (default 4). */
  concurrency?: number;
  /** Pages of one list in flight at once (default 3). */
  pageConcurrency?: number;
  /** v4 page size (default and maximum 100) and v3 length (default and maximum 500), for tests. */
  pageSize?: number;
}

export interface PrismCollectResult {
  inventory: Inventory;
  api: PrismApi;
}

function peError(client: PrismClient): VmiError {
  return new VmiError('not-prism-central', `${PRODUCT} ${client.label}: this address is a Prism Element (one cluster's console), not Prism Central; add the Prism Central address instead`);
}

/** Whether the server says what it is, and it is not Prism Central. */
function checkEnv(client: PrismClient): void {
  if (client.env && client.env.trim().toLowerCase() !== 'pc') throw peError(client);
}

async function notPrismCentral(client: PrismClient, signal: AbortSignal): Promise<never> {
  checkEnv(client);
  // Prism Element serves its own v2.0 API, which Prism Central does not list clusters with.
  const pe = await client.get('/api/nutanix/v2.0/cluster', { signal }).catch(() => null);
  if (pe?.status === 200) throw peError(client);
  throw new VmiError('not-prism-central', `${PRODUCT} ${client.label}: answers neither the v4.0 nor the v3 API (HTTP 404); is this the Prism Central address (https://host:9440)?`);
}

export async function collectPrism(client: PrismClient, o: PrismCollectOptions): Promise<PrismCollectResult> {
  // One failed list stops the others at once.
  const stop = new AbortController();
  const signal = AbortSignal.any([o.signal, stop.signal]);
  const limit = limiter(Math.max(1, o.concurrency ?? 4));
  const lo: ListOptions = { signal, limit, concurrency: o.pageConcurrency ?? 3, pageSize: o.pageSize };
  const all = async <T>(ps: Promise<T>[]): Promise<T[]> => {
    try {
      return await Promise.all(ps);
    } catch (e) {
      stop.abort();
      await Promise.allSettled(ps);
      throw e;
    }
  };
  const required = async (p: Promise<Record<string, unknown>[] | null>, what: string) => {
    const r = await p;
    if (r === null) throw new VmiError('bad-response', `${PRODUCT} ${client.label}: ${what} answered 404 although the cluster list did not`);
    return r;
  };
  const optional = async (p: Promise<Record<string, unknown>[] | null>) => (await p) ?? [];

  const clusters = await listV4(client, V4_PATHS.clusters, 'the cluster list', lo);
  if (clusters !== null) {
    checkEnv(client);
    const [hosts, vms, containers, subnets, categories, alerts] = await all([
      required(listV4(client, V4_PATHS.hosts, 'the host list', lo), 'the host list'),
      required(listV4(client, V4_PATHS.vms, 'the VM list', { ...lo, onProgress: o.onProgress }), 'the VM list'),
      required(listV4(client, V4_PATHS.containers, 'the storage container list', lo), 'the storage container list'),
      required(listV4(client, V4_PATHS.subnets, 'the subnet list', lo), 'the subnet list'),
      // Categories and alerts live in other services; a Prism Central without them still has an inventory.
      optional(listV4(client, V4_PATHS.categories, 'the category list', lo)),
      optional(listV4(client, V4_PATHS.alerts, 'the alert list', lo)),
    ]);
    const estate: PcEstate = { clusters, hosts, vms, containers, subnets, categories, alerts };
    return { inventory: toInventory(estate), api: 'v4.0' };
  }

  const clusters3 = await listV3(client, 'cluster', 'the v3 cluster list', lo);
  if (clusters3 === null) return notPrismCentral(client, signal);
  checkEnv(client);
  const [hosts, vms, subnets] = await all([
    required(listV3(client, 'host', 'the v3 host list', lo), 'the v3 host list'),
    required(listV3(client, 'vm', 'the v3 VM list', { ...lo, onProgress: o.onProgress }), 'the v3 VM list'),
    required(listV3(client, 'subnet', 'the v3 subnet list', lo), 'the v3 subnet list'),
  ]);
  return { inventory: toInventory(estateFromV3({ clusters: clusters3, hosts, vms, subnets })), api: 'v3' };
}
