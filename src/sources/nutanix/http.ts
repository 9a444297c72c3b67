// Prism Central REST client on undici: JSON over HTTPS with the shared TLS pinning (../tls.ts),
// HTTP Basic once and then the session cookies Prism Central hands out, one re-authentication
// when a session expires (401 with a cookie), and retries of 429/503/504 with backoff that
// honours Retry-After. The password lives in a Buffer that close() zeroes.

import type { Dispatcher, Pool } from 'undici';
import { VmiError } from '../../errors.js';
import { mapNetworkError, parseSourceUrl, pinnedPool, type HttpsSourceOptions } from '../tls.js';

export const PRODUCT = 'Prism Central';

/**
 * Defaults: 120 s a request (big pages of a slow Prism Central take time), 64 MiB a body (a page
 * of 100 VMs is well under 1 MiB), 4 connections.
 */
export interface PrismClientOptions extends HttpsSourceOptions {
  /** Retries of a 429, 503 or 504 before giving up (default 5). */
  retries?: number;
  /** First backoff when no Retry-After is sent; doubles per retry, with jitter (default 1 s). */
  backoffMs?: number;
  /** Longest single wait, Retry-After included (default 60 s). */
  maxWaitMs?: number;
  /** How a retry waits (tests record the waits instead of sleeping). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** A JSON answer, or a 404 (the caller decides: v3 fallback, optional API missing...). */
export type JsonResult = { status: 200; body: unknown; headers: Record<string, string | string[] | undefined> } | { status: 404; headers: Record<string, string | string[] | undefined> };

const RETRY_STATUS = new Set([429, 503, 504]);

/** The message of a Nutanix error body: v4 (data.error[]), v3 (message_list[]) or a plain message. */
export function nutanixMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, any>;
  const parts: string[] = [];
  const take = (m: unknown) => {
    if (typeof m === 'string' && m.trim()) parts.push(m.trim());
  };
  const err = b.data?.error;
  if (Array.isArray(err)) for (const e of err) take(e?.message ?? e?.error);
  else if (err && typeof err === 'object') take(err.message ?? err.error);
  if (Array.isArray(b.message_list)) for (const m of b.message_list) take(m?.message ?? m?.reason);
  if (!parts.length) take(b.message);
  if (!parts.length) return undefined;
  return parts.join('; ').replace(/\s+/g, ' ').slice(0, 300);
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or undefined. */
export function retryAfterMs(h: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class PrismClient {
  readonly label: string;
  private readonly pool: Pool;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly username: string;
  private password: Buffer;
  private cookies = new Map<string, string>();
  /** Bumped whenever the cookies are dropped, so that concurrent 401s re-authenticate once. */
  private session = 0;
  /** A request that authenticates with Basic is in flight: others wait for its cookie. */
  private authGate: Promise<void> | null = null;
  private refused: VmiError | undefined;
  private closed = false;
  /** Requests sent, and how many of them carried Basic credentials (for tests and diagnostics). */
  requests = 0;
  basicAuths = 0;
  /** The value of the last X-Ntnx-Env / X-Ntnx-Product headers seen. */
  env: string | undefined;
  product: string | undefined;

  constructor(opts: PrismClientOptions) {
    const u = parseSourceUrl(opts.url, PRODUCT);
    this.base = u.pathname.replace(/\/+$/, '');
    this.label = opts.name ?? u.hostname;
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.maxBytes = opts.maxResponseBytes ?? 64 * 1024 * 1024;
    this.retries = opts.retries ?? 5;
    this.backoffMs = opts.backoffMs ?? 1000;
    this.maxWaitMs = opts.maxWaitMs ?? 60_000;
    this.sleep = opts.sleep ?? sleep;
    this.username = opts.username;
    this.password = typeof opts.password === 'string' ? Buffer.from(opts.password, 'utf8') : Buffer.from(opts.password);
    this.pool = pinnedPool(u, {
      product: PRODUCT, label: this.label, thumbprint: opts.thumbprint, insecure: opts.insecure, ca: opts.ca,
      connectTimeoutMs: opts.connectTimeoutMs, connections: opts.connections ?? 4, timeoutMs: this.timeoutMs,
    });
  }

  get loggedIn(): boolean {
    return this.cookies.size > 0;
  }

  get(path: string, opts?: CallOptions): Promise<JsonResult> {
    return this.send('GET', path, undefined, opts);
  }

  post(path: string, body: unknown, opts?: CallOptions): Promise<JsonResult> {
    return this.send('POST', path, JSON.stringify(body), opts);
  }

  /** Forget the session and the password, close the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cookies.clear();
    this.password.fill(0);
    this.password = Buffer.alloc(0);
    await this.pool.close().catch(() => undefined);
  }

  private fail(reason: ConstructorParameters<typeof VmiError>[0], msg: string, cause?: unknown): VmiError {
    return new VmiError(reason, `${PRODUCT} ${this.label}: ${msg}`.replace(/\s*\n\s*/g, ' '), cause ? { cause } : undefined);
  }

  private basicHeader(): string {
    const raw = Buffer.concat([Buffer.from(`${this.username}:`, 'utf8'), this.password]);
    try {
      return `Basic ${raw.toString('base64')}`;
    } finally {
      raw.fill(0);
    }
  }

  private async send(method: 'GET' | 'POST', path: string, body: string | undefined, opts?: CallOptions): Promise<JsonResult> {
    const what = `${method} ${path.split('?')[0]}`;
    let reauthed = false;
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw this.fail('cancelled', 'client closed');
      if (this.refused) throw this.refused;
      // One Basic authentication at a time: the others wait for its session cookie.
      while (this.cookies.size === 0 && this.authGate) await this.authGate;
      const session = this.session;
      const useBasic = this.cookies.size === 0;
      if (useBasic && this.password.length === 0) throw this.fail('not-authenticated', 'no password in memory; reconnect with the credentials');
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      let release: (() => void) | undefined;
      if (useBasic) {
        headers.authorization = this.basicHeader();
        this.basicAuths++;
        if (!this.authGate) {
          const gate = new Promise<void>((r) => (release = r));
          this.authGate = gate;
          const done = release!;
          release = () => {
            if (this.authGate === gate) this.authGate = null;
            done();
          };
        }
      } else {
        headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      }
      let res: Awaited<ReturnType<typeof this.exchange>>;
      try {
        res = await this.exchange(method, path, headers, body, what, opts);
      } finally {
        delete headers.authorization;
        release?.();
      }
      const { status } = res;
      if (status === 401) {
        if (!useBasic && !reauthed) {
          // The session expired: drop it and authenticate again, once.
          reauthed = true;
          if (this.session === session) {
            this.cookies.clear();
            this.session++;
          }
          continue;
        }
        this.refused = this.fail('login-refused', `login refused for user ${JSON.stringify(this.username)} (HTTP 401: wrong user name or password, or the account is locked)`);
        throw this.refused;
      }
      if (RETRY_STATUS.has(status) && attempt < this.retries) {
        const wait = Math.min(this.maxWaitMs, retryAfterMs(res.headers['retry-after']) ?? this.backoffMs * 2 ** attempt * (0.8 + 0.4 * Math.random()));
        try {
          await this.sleep(Math.round(wait), opts?.signal);
        } catch (e) {
          throw this.fail('cancelled', `${what} cancelled`, e);
        }
        continue;
      }
      if (status === 404) return { status: 404, headers: res.headers };
      const msg = res.json !== undefined ? nutanixMessage(res.json) : undefined;
      const said = msg ? `: ${msg}` : res.html ? ' (an HTML page)' : '';
      if (status === 403) throw this.fail('access-denied', `${what}: access denied for user ${JSON.stringify(this.username)} (HTTP 403)${said}`);
      if (status === 429) throw this.fail('rate-limited', `${what}: still rate-limited after ${this.retries} retries (HTTP 429)${said}`);
      if (status === 503 || status === 504) throw this.fail('unreachable', `${what}: unavailable after ${this.retries} retries (HTTP ${status})${said}`);
      if (status < 200 || status > 299) throw this.fail('bad-response', `${what} returned HTTP ${status}${said}`);
      if (res.html) throw this.fail('bad-response', `${what} returned an HTML page, not JSON: is this the Prism Central API address (https://host:9440)?`);
      if (res.json === undefined) throw this.fail('bad-response', `${what} returned something that is not JSON: "${res.snippet}"`);
      return { status: 200, body: res.json, headers: res.headers };
    }
  }

  /** One request and its whole body, size-limited and under one deadline. */
  private async exchange(method: string, path: string, headers: Record<string, string>, body: string | undefined, what: string, opts?: CallOptions) {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = opts?.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
    this.requests++;
    let res: Dispatcher.ResponseData;
    try {
      res = await this.pool.request({ method: method as Dispatcher.HttpMethod, path: this.base + path, headers, body, signal });
    } catch (e) {
      throw this.mapError(e, what, opts, deadline);
    }
    this.takeCookies(res.headers['set-cookie']);
    const env = res.headers['x-ntnx-env'];
    if (typeof env === 'string') this.env = env;
    const product = res.headers['x-ntnx-product'];
    if (typeof product === 'string') this.product = product;
    const clen = Number(res.headers['content-length'] ?? NaN);
    if (Number.isFinite(clen) && clen > this.maxBytes) {
      res.body.destroy();
      throw this.fail('too-large', `${what}: response of ${clen} bytes exceeds the ${this.maxBytes}-byte limit`);
    }
    const parts: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > this.maxBytes) {
          res.body.destroy();
          throw this.fail('too-large', `${what}: response exceeds the ${this.maxBytes}-byte limit`);
        }
        parts.push(chunk as Buffer);
      }
    } catch (e) {
      if (e instanceof VmiError) throw e;
      throw this.mapError(e, what, opts, deadline);
    }
    const text = Buffer.concat(parts).toString('utf8');
    const ctype = String(res.headers['content-type'] ?? '');
    const html = /html/i.test(ctype) || /^\s*<(!doctype|html|\?xml|head|body)/i.test(text);
    let json: unknown;
    if (!html && text.trim()) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 80);
    return { status: res.statusCode, headers: res.headers, json, html, snippet };
  }

  private mapError(e: unknown, what: string, opts: CallOptions | undefined, deadline: AbortSignal): VmiError {
    if (e instanceof VmiError) return e;
    if (opts?.signal?.aborted) return this.fail('cancelled', `${what} cancelled`, e);
    if (deadline.aborted) return this.fail('timeout', `${what} timed out after ${Math.round(this.timeoutMs / 1000)} s`, e);
    return mapNetworkError(e, this.label, what, PRODUCT);
  }

  private takeCookies(h: string | string[] | undefined): void {
    if (!h) return;
    for (const line of Array.isArray(h) ? h : [h]) {
      const m = /^\s*([^=;\s]+)=([^;]*)/.exec(line);
      if (!m) continue;
      // An expired or emptied cookie is the server ending that part of the session.
      if (m[2] === '' || /;\s*max-age=0/i.test(line)) this.cookies.delete(m[1]!);
      else this.cookies.set(m[1]!, m[2]!);
    }
  }
}
