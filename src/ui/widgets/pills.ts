// Source status -> header pill (text and tone). Pure; "needsTick" tells the header whether a
// countdown is on screen, the only reason it ever redraws by itself.
import type { SourceStatus } from '../../worker/protocol.js';
import type { Tone } from './theme.js';
import { countdown } from './text.js';

export interface Pill {
  source: string;
  text: string;
  /** Shorter form for narrow terminals. */
  short: string;
  tone: Tone;
  needsTick: boolean;
}

export function pillFor(s: SourceStatus, now: number): Pill {
  const n = s.source;
  // An older API in use (Prism Central's v3) is worth knowing at a glance.
  const api = s.detail?.apiFallback ? ` (${s.detail.api ?? 'older'} API)` : '';
  switch (s.state) {
    case 'live':
      if (s.platform === 'ingest') {
        // Fed by documents: when the last one was applied, nothing to count down to.
        const at = s.detail?.lastIngestAt;
        return at
          ? { source: n, text: `${n} ingested ${clock(at, now)}`, short: `${n} ${clock(at, now)}`, tone: 'good', needsTick: false }
          : { source: n, text: `${n} no ingest yet`, short: `${n} none`, tone: 'muted', needsTick: false };
      }
      if (s.nextRunAt) {
        const c = countdown(s.nextRunAt - now);
        // A polling source (no change feed) is as of its last sync, not live.
        const word = s.detail?.polling ? 'synced, next' : 'live';
        return { source: n, text: `${n} ${word} ${c}${api}`, short: `${n} ${c}`, tone: 'good', needsTick: true };
      }
      return { source: n, text: `${n} ${s.detail?.polling ? 'synced' : 'live'}${api}`, short: n, tone: 'good', needsTick: false };
    case 'syncing': {
      const pct = s.expected && s.progress !== undefined ? `${Math.min(99, Math.floor((s.progress / s.expected) * 100))}%` : s.progress ? `${s.progress} VMs` : '';
      return { source: n, text: `${n} syncing${pct ? ` ${pct}` : ''}`, short: `${n} ${pct || 'sync'}`, tone: 'busy', needsTick: false };
    }
    case 'connecting':
      return { source: n, text: `${n} connecting`, short: `${n} conn`, tone: 'busy', needsTick: false };
    case 'waiting':
      return { source: n, text: `${n} waiting to sync`, short: `${n} wait`, tone: 'busy', needsTick: false };
    case 'backoff': {
      const why = s.lastError ? reasonText(s.lastError.reason) : 'failed';
      const c = s.retryAt ? ` ${countdown(s.retryAt - now)}` : '';
      return { source: n, text: `${n} ${why}, retry${c}`, short: `${n} ${why}`, tone: 'bad', needsTick: !!s.retryAt };
    }
    case 'leased':
      return { source: n, text: `${n} leased${s.holder ? ` by ${shortHolder(s.holder)}` : ''}`, short: `${n} leased`, tone: 'info', needsTick: false };
    case 'offline':
      return { source: n, text: `${n} offline`, short: `${n} off`, tone: 'muted', needsTick: false };
    case 'disabled':
      return { source: n, text: `${n} disabled`, short: `${n} dis`, tone: 'muted', needsTick: false };
    case 'unsupported':
      return { source: n, text: `${n} unsupported`, short: `${n} n/a`, tone: 'warn', needsTick: false };
  }
}

/** Short words for error reasons, for pills. */
export function reasonText(reason: string): string {
  const m: Record<string, string> = {
    'login-refused': 'login refused', unreachable: 'unreachable', dns: 'DNS error', refused: 'refused', timeout: 'timeout',
    'tls-mismatch': 'cert mismatch', 'tls-untrusted': 'cert untrusted', 'bad-response': 'bad response', 'too-large': 'too large',
    'soap-fault': 'fault', 'not-authenticated': 'not authenticated', internal: 'error', cancelled: 'cancelled', usage: 'config error',
    'access-denied': 'access denied', 'rate-limited': 'rate limited', 'not-prism-central': 'not Prism Central', incomplete: 'incomplete list',
    'ingest-invalid': 'invalid document',
  };
  return m[reason] ?? reason;
}

/** "14:05" today, "12-06 14:05" before. */
function clock(at: number, now: number): string {
  const d = new Date(at);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return new Date(now).toDateString() === d.toDateString() ? hm : `${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${hm}`;
}

function shortHolder(h: string): string {
  return h.length > 24 ? `${h.slice(0, 23)}…` : h;
}

/** The pill a source shows before the worker has said anything. */
export function initialStatus(source: string, platform: SourceStatus['platform'], enabled: boolean): SourceStatus {
  return { source, platform, state: enabled ? 'connecting' : 'disabled' };
}
