// Nutanix Prism Central source: REST client, paging, mapping, and the collector the worker runs.
export { PrismClient, nutanixMessage, retryAfterMs, PRODUCT, type PrismClientOptions, type JsonResult } from './http.js';
export { listV3, listV4, limiter, V3_LENGTH, V4_LIMIT, type ListOptions } from './pager.js';
export { collectPrism, V4_PATHS, type PrismApi, type PrismCollectOptions, type PrismCollectResult } from './collect.js';
export { toInventory, estateFromV3, isPrismCentralCluster, powerOf, type PcEstate } from './convert.js';
