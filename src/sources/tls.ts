// TLS for every HTTPS source (vCenter, Prism Central): one undici Pool per source with keep-alive,
// certificates verified by default or pinned by SHA-256 thumbprint (trust on first use, see
// `vmi source trust`), and one-line errors that name the source.

import { Pool, buildConnector } from 'undici';
import tls from 'node:tls';
import net from 'node:net';
import { normalizeThumbprint as parseThumbprint } from '../config.js';
import { VmiError, type ErrorReason } from '../errors.js';

/** "aa bb:cc..." in any spelling -> "AA:BB:CC:..."; throws for anything that is not 32 bytes of hex. */
export function normalizeThumbprint(t: string): string {
  const n = parseThumbprint(t);
  if (!n) throw new VmiError('config-invalid', `not a SHA-256 thumbprint: ${JSON.stringify(t.slice(0, 120))}`);
  return n;
}

const TLS_UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE',
]);

/** Map a low-level error to a one-line VmiError naming the source ("vCenter vc1: ..."). */
export function mapNetworkError(e: unknown, label: string, what = 'request', product = 'vCenter'): VmiError {
  if (e instanceof VmiError) return e;
  const codes: string[] = [];
  const msgs: string[] = [];
  let cur: unknown = e;
  for (let i = 0; cur && i < 5; i++) {
    const o = cur as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (o instanceof VmiError) return o;
    if (typeof o.code === 'string') codes.push(o.code);
    if (typeof o.name === 'string') codes.push(o.name);
    if (typeof o.message === 'string') msgs.push(o.message);
    cur = o.cause;
  }
  const has = (...c: string[]) => codes.some((x) => c.includes(x));
  const first = (msgs[0] ?? String(e)).replace(/\s*\n\s*/g, ' ').slice(0, 200);
  let reason: ErrorReason = 'unreachable';
  let msg: string;
  if (has('ECONNREFUSED')) {
    reason = 'refused';
    msg = 'connection refused';
  } else if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL')) {
    reason = 'dns';
    msg = 'host name not found';
  } else if (has('UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'TimeoutError', 'ETIMEDOUT')) {
    reason = 'timeout';
    msg = `${what} timed out`;
  } else if (codes.some((c) => TLS_UNTRUSTED_CODES.has(c))) {
    reason = 'tls-untrusted';
    msg = `certificate not trusted (${codes.find((c) => TLS_UNTRUSTED_CODES.has(c))})`;
  } else if (has('AbortError')) {
    reason = 'cancelled';
    msg = `${what} cancelled`;
  } else if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN')) {
    msg = `connection failed (${codes.find((c) => c.startsWith('E') || c.startsWith('UND')) ?? 'socket'}): ${first}`;
  } else if (has('ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO') || /ssl|tls/i.test(first)) {
    msg = `TLS handshake failed: ${first}`;
  } else {
    msg = first;
  }
  return new VmiError(reason, `${product} ${label}: ${msg}`, { cause: e });
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** SHA-256 fingerprint, "AA:BB:..." uppercase. */
  thumbprint: string;
  /** Whether the certificate chains to a trusted CA and matches the host name. */
  trusted: boolean;
  authorizationError?: string;
}

function dn(x: unknown): string {
  if (!x || typeof x !== 'object') return '';
  return Object.entries(x as Record<string, string | string[]>)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

/** The leaf certificate a TLS server presents, for trust on first use (`vmi source trust`). */
export function fetchCertificate(url: string, opts: { timeoutMs?: number; name?: string; product?: string } = {}): Promise<CertificateInfo> {
  const product = opts.product ?? 'vCenter';
  const u = parseSourceUrl(url, product);
  const label = opts.name ?? u.hostname;
  if (u.protocol !== 'https:') return Promise.reject(new VmiError('usage', `${product} ${label}: ${u.protocol}// has no certificate to fetch`));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || 443);
  return new Promise((resolve, reject) => {
    const sock = tls.connect({
      host,
      port,
      servername: net.isIP(host) ? undefined : host,
      rejectUnauthorized: false,
      timeout: opts.timeoutMs ?? 10_000,
    });
    const fail = (e: unknown) => {
      sock.destroy();
      reject(mapNetworkError(e, label, 'TLS handshake', product));
    };
    sock.once('timeout', () => fail(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    sock.once('error', fail);
    sock.once('secureConnect', () => {
      const c = sock.getPeerCertificate();
      if (!c || !c.fingerprint256) return fail(new Error('server presented no certificate'));
      const info: CertificateInfo = {
        subject: dn(c.subject),
        issuer: dn(c.issuer),
        validFrom: new Date(c.valid_from).toISOString(),
        validTo: new Date(c.valid_to).toISOString(),
        thumbprint: c.fingerprint256.toUpperCase(),
        trusted: sock.authorized,
      };
      if (!sock.authorized && sock.authorizationError) info.authorizationError = String(sock.authorizationError);
      sock.end();
      sock.destroy();
      resolve(info);
    });
  });
}

/** A source's URL; https:// is assumed when no scheme is given. */
export function parseSourceUrl(url: string, product = 'vCenter'): URL {
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`);
  } catch {
    throw new VmiError('config-invalid', `not a ${product} URL: ${JSON.stringify(url.slice(0, 200))}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new VmiError('config-invalid', `not a ${product} URL (https:// expected): ${JSON.stringify(url.slice(0, 200))}`);
  }
  return u;
}


/** How every HTTPS source is reached: address, account and TLS, limits. Platforms document their defaults. */
export interface HttpsSourceOptions {
  url: string;
  /** Label used in messages (the source name); defaults to the host name. */
  name?: string;
  username: string;
  /** Copied into an internal Buffer; the caller may zero its own copy afterwards. */
  password: string | Buffer;
  /** SHA-256 thumbprint to pin (any case, with or without colons). */
  thumbprint?: string;
  /** Skip certificate verification entirely (the caller warns loudly). */
  insecure?: boolean;
  /** Extra trusted CA certificates (PEM). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Deadline of one request in ms, body included. */
  timeoutMs?: number;
  /** TCP + TLS connect timeout in ms. */
  connectTimeoutMs?: number;
  /** Largest accepted response body in bytes. */
  maxResponseBytes?: number;
  /** Parallel connections to the source. */
  connections?: number;
}

export interface PinnedPoolOptions {
  /** "vCenter", "Prism Central": how messages name the server. */
  product: string;
  /** The source's name in messages. */
  label: string;
  thumbprint?: string;
  insecure?: boolean;
  ca?: string | Buffer | Array<string | Buffer>;
  connectTimeoutMs?: number;
  connections: number;
  /** Headers and body deadline of a request, in ms. */
  timeoutMs: number;
}

/**
 * A keep-alive pool whose every TLS handshake is checked here: the pinned thumbprint when there is
 * one, else normal CA and host name verification (insecure: nothing, and the caller warns).
 */
export function pinnedPool(u: URL, o: PinnedPoolOptions): Pool {
  const pin = o.thumbprint ? normalizeThumbprint(o.thumbprint) : undefined;
  const insecure = o.insecure === true;
  const { product, label } = o;
  const base = buildConnector({
    rejectUnauthorized: false, // verified below, so the peer's thumbprint can be reported
    maxCachedSessions: 0, // every handshake presents (and we check) the certificate
    timeout: o.connectTimeoutMs ?? 10_000,
    ...(o.ca ? { ca: o.ca } : {}),
  });
  const https = u.protocol === 'https:';
  return new Pool(u.origin, {
    connections: o.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    headersTimeout: o.timeoutMs,
    bodyTimeout: o.timeoutMs,
    connect: (opts, cb) => {
      base(opts, (err, socket) => {
        if (err || !socket) return cb(err ?? new Error('no socket'), null);
        if (!https) return cb(null, socket);
        const s = socket as tls.TLSSocket;
        const fp = s.getPeerCertificate()?.fingerprint256?.toUpperCase();
        if (insecure) return cb(null, socket);
        if (pin) {
          if (fp === pin) return cb(null, socket);
          socket.destroy();
          return cb(new VmiError('tls-mismatch', `${product} ${label}: certificate thumbprint ${fp ?? '(none)'} does not match the pinned thumbprint ${pin}`), null);
        }
        if (s.authorized) return cb(null, socket);
        socket.destroy();
        return cb(
          new VmiError(
            'tls-untrusted',
            `${product} ${label}: certificate not trusted (${String(s.authorizationError ?? 'unverified')}); SHA-256 thumbprint ${fp ?? '(none)'}: check it and pin it with \`vmi source trust\``,
          ),
          null,
        );
      });
    },
  });
}
