// Messages between the UI (or headless) thread and the worker thread.
import type { SourceConfig } from '../config.js';
import type { ErrorReason } from '../errors.js';
import type { SourceDetail } from '../sources/collector.js';
import type { HistoryWindow } from '../model/history.js';

export type SourceState =
  | 'disabled' // enabled: false in config.json
  | 'offline' // no vCenter credentials entered: showing the cache only
  // live: between full syncs (also a polling source waiting for its next one, see detail.polling,
  // and an ingest source, see detail.lastIngestAt)
  | 'leased' // another vmi process polls this source
  | 'connecting'
  | 'waiting' // a full sync waits for its turn: big ones take turns (see FullSyncGate)
  | 'syncing' // a full retrieval is running
  | 'live' // between full syncs, applying live updates
  | 'backoff' // the last attempt failed; retrying at retryAt
  | 'unsupported';

export interface SourceStatus {
  source: string;
  platform: SourceConfig['platform'];
  state: SourceState;
  /** VMs received so far in the running full sync. */
  progress?: number;
  /** VMs of the last successful full sync, for a progress ratio. */
  expected?: number;
  nextRunAt?: number;
  retryAt?: number;
  lastSuccessAt?: number;
  lastError?: { reason: ErrorReason; message: string; at: number };
  holder?: string;
  failures?: number;
  counts?: { vms: number; hosts: number; changes: number };
  /** The API in use (v3 fallback), polling-only sources, the time of the last ingest. */
  detail?: SourceDetail;
}

export interface WorkerInit {
  dbFile: string;
  /** The data key: RAM only, wiped on stop. */
  key: Uint8Array;
  sources: SourceConfig[];
  logDir: string;
  logging: { level: string; maxFiles: number; maxSizeMB: number };
  /** Milliseconds between demo live ticks (tests speed it up). */
  demoTickMs?: number;
}

export type ToWorker =
  // platform 'nutanix': Prism Central's own account, when it differs from the vCenters'.
  | { type: 'credentials'; username: string; password: Uint8Array; platform?: 'nutanix' }
  | { type: 'forget-credentials' }
  | { type: 'refresh'; source?: string }
  | { type: 'sources'; sources: SourceConfig[] }
  /** Fill a host's trend window from the source's own history (answered by 'backfilled'). */
  | { type: 'backfill'; source: string; host: string; window: HistoryWindow }
  | { type: 'stop' };

/**
 * The answer to a backfill, sent after its rows are committed: `samples` new rows stored (0 when
 * the cache already covered the window), or why there are none.
 */
export interface Backfilled {
  source: string;
  host: string;
  window: HistoryWindow;
  samples: number;
  error?: { reason: ErrorReason; message: string };
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'status'; status: SourceStatus }
  | { type: 'committed'; seq: number; source: string }
  | ({ type: 'backfilled' } & Backfilled)
  | { type: 'stopped' }
  | { type: 'fatal'; reason: ErrorReason; message: string };
