// vSphere Web Services (vim25, SOAP 1.1 over HTTPS) client on undici.
//
// One undici Pool per client (keep-alive), bounded timeouts and response size, TLS verified by
// default or pinned by SHA-256 thumbprint, session cookie per client, one re-login on
// NotAuthenticated with the password kept only in a Buffer that close()/logout() zero.

import type { Pool } from 'undici';
import { VmiError, type ErrorReason } from '../../errors.js';
import { mapNetworkError as mapError, parseSourceUrl, pinnedPool, type HttpsSourceOptions } from '../tls.js';
import {
  NS, Utf8Chunks, XmlError, XmlStreamParser, assertNoDoctype, child, esc, moref, parseDocument, parseStream, text,
  type EmitFn, type MoRef, type SkipFn, type XNode,
} from './xml.js';

/** `url`: https://vcenter.example.com (the /sdk path is added when missing). Defaults: 60 s a request, 10 s to connect, 256 MiB a body, 4 connections. */
export type VsphereClientOptions = HttpsSourceOptions;

export interface AboutInfo {
  name?: string;
  fullName?: string;
  version?: string;
  build?: string;
  apiVersion: string;
  apiType?: string;
  instanceUuid?: string;
  osType?: string;
  productLineId?: string;
  vendor?: string;
}

export interface ServiceContent {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  viewManager?: MoRef;
  sessionManager?: MoRef;
  customFieldsManager?: MoRef;
  eventManager?: MoRef;
  perfManager?: MoRef;
  alarmManager?: MoRef;
  licenseManager?: MoRef;
  about: AboutInfo;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's request deadline (WaitForUpdatesEx needs more than maxWaitSeconds). */
  timeoutMs?: number;
  /** Do not re-login and retry on NotAuthenticated. */
  noRelogin?: boolean;
}

export interface StreamOptions extends CallOptions {
  /** Subtrees not to materialise (see XmlStreamParser). */
  skip?: SkipFn;
  /**
   * When set, the body is downloaded completely before it is parsed and this is called in
   * between, so the caller can send its next request and overlap server work with parsing.
   */
  onReceived?: () => void;
}

const EMPTY = Buffer.alloc(0);
/** Replies larger than this (characters) that are not streamed are parsed with the stream parser. */
const STREAM_PARSE_MIN = 64 * 1024;

export { fetchCertificate, normalizeThumbprint, type CertificateInfo } from '../tls.js';

/** Map a low-level error to a one-line VmiError naming the vCenter. */
export function mapNetworkError(e: unknown, label: string, what = 'request'): VmiError {
  return mapError(e, label, what, 'vCenter');
}

export interface SoapFaultInfo {
  faultType: string;
  faultString: string;
  detail?: XNode;
}

const SERVICE_INSTANCE: MoRef = { type: 'ServiceInstance', value: 'ServiceInstance' };
const DEFAULT_API = '6.5';
const SESSION_COOKIE = 'vmware_soap_session';

export function morefXml(tag: string, ref: MoRef): string {
  return `<${tag} type="${esc(ref.type)}">${esc(ref.value)}</${tag}>`;
}

const BYTE_ENTITY: Record<number, string> = { 38: '&amp;', 60: '&lt;', 62: '&gt;', 34: '&quot;', 39: '&apos;' };

/** XML-escape a byte buffer (the password) without ever making a JS string of it. */
function escBuffer(b: Buffer): Buffer {
  let len = 0;
  for (const c of b) len += BYTE_ENTITY[c]?.length ?? 1;
  const out = Buffer.alloc(len);
  let j = 0;
  for (const c of b) {
    const e = BYTE_ENTITY[c];
    if (e) j += out.write(e, j, 'latin1');
    else out[j++] = c;
  }
  return out;
}

const FAULTS = new WeakMap<VmiError, SoapFaultInfo>();

/** The SOAP fault behind a VmiError raised by this client, if any. */
export function soapFault(e: unknown): SoapFaultInfo | undefined {
  return e instanceof VmiError ? FAULTS.get(e) : undefined;
}

/** A fault returned by the server, interpreted. */
export function faultOf(fault: XNode): SoapFaultInfo {
  const faultString = (text(fault, 'faultstring') ?? '').trim();
  const detail = child(fault, 'detail');
  const d = detail?.kids?.[0];
  let faultType = 'SoapFault';
  if (d) faultType = d.type ?? (d.name.endsWith('Fault') ? d.name.slice(0, -'Fault'.length) : d.name);
  return { faultType, faultString, detail: d };
}

export class VsphereClient {
  readonly label: string;
  readonly origin: string;
  readonly path: string;
  private readonly pool: Pool;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly username: string;
  private password: Buffer;
  private cookie: string | undefined;
  private relogin: Promise<void> | undefined;
  private closed = false;
  /** A session existed: NotAuthenticated then means it expired, worth one re-login. */
  private hadSession = false;
  /** The server refused these credentials: never send them again (account lockout). */
  private refused: VmiError | undefined;
  private apiVersion = DEFAULT_API;
  private sc: ServiceContent | undefined;
  /** Number of SOAP requests sent (for tests and diagnostics). */
  requests = 0;

  constructor(opts: VsphereClientOptions) {
    const u = parseSourceUrl(opts.url, 'vCenter');
    this.origin = u.origin;
    this.path = u.pathname === '/' || u.pathname === '' ? '/sdk' : u.pathname;
    this.label = opts.name ?? u.hostname;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.maxBytes = opts.maxResponseBytes ?? 256 * 1024 * 1024;
    this.username = opts.username;
    this.password = typeof opts.password === 'string' ? Buffer.from(opts.password, 'utf8') : Buffer.from(opts.password);
    this.pool = pinnedPool(u, {
      product: 'vCenter', label: this.label, thumbprint: opts.thumbprint, insecure: opts.insecure, ca: opts.ca,
      connectTimeoutMs: opts.connectTimeoutMs, connections: opts.connections ?? 4, timeoutMs: this.timeoutMs,
    });
  }

  /** Create a client, read the service content and log in. */
  static async connect(opts: VsphereClientOptions, callOpts?: CallOptions): Promise<VsphereClient> {
    const c = new VsphereClient(opts);
    try {
      await c.retrieveServiceContent(callOpts);
      await c.login(callOpts);
      return c;
    } catch (e) {
      await c.close();
      throw e;
    }
  }

  get serviceContent(): ServiceContent {
    if (!this.sc) throw new VmiError('internal', `vCenter ${this.label}: service content not retrieved yet`);
    return this.sc;
  }

  get loggedIn(): boolean {
    return this.cookie !== undefined;
  }

  async retrieveServiceContent(opts?: CallOptions): Promise<ServiceContent> {
    const res = await this.invoke('RetrieveServiceContent', SERVICE_INSTANCE, '', opts);
    const r = child(res, 'returnval');
    const ref = (n: string) => moref(child(r, n));
    const about = child(r, 'about');
    const rootFolder = ref('rootFolder');
    const propertyCollector = ref('propertyCollector');
    if (!rootFolder || !propertyCollector) throw new VmiError('bad-response', `vCenter ${this.label}: service content without rootFolder/propertyCollector`);
    this.sc = {
      rootFolder,
      propertyCollector,
      viewManager: ref('viewManager'),
      sessionManager: ref('sessionManager'),
      customFieldsManager: ref('customFieldsManager'),
      eventManager: ref('eventManager'),
      perfManager: ref('perfManager'),
      alarmManager: ref('alarmManager'),
      licenseManager: ref('licenseManager'),
      about: {
        name: text(about, 'name'),
        fullName: text(about, 'fullName'),
        version: text(about, 'version'),
        build: text(about, 'build'),
        apiVersion: text(about, 'apiVersion') ?? DEFAULT_API,
        apiType: text(about, 'apiType'),
        instanceUuid: text(about, 'instanceUuid'),
        osType: text(about, 'osType'),
        productLineId: text(about, 'productLineId'),
        vendor: text(about, 'vendor'),
      },
    };
    if (/^\d+(\.\d+)*$/.test(this.sc.about.apiVersion)) this.apiVersion = this.sc.about.apiVersion;
    return this.sc;
  }

  /** API version as numbers, e.g. [7, 0, 3]. */
  apiAtLeast(major: number, minor = 0): boolean {
    const [a = 0, b = 0] = this.apiVersion.split('.').map(Number);
    return a > major || (a === major && b >= minor);
  }

  async login(opts?: CallOptions): Promise<void> {
    if (this.closed) throw new VmiError('cancelled', `vCenter ${this.label}: client closed`);
    if (this.refused) throw this.refused;
    if (this.password.length === 0) {
      throw new VmiError('not-authenticated', `vCenter ${this.label}: no password in memory (logged out); reconnect with the credentials`);
    }
    if (!this.sc) await this.retrieveServiceContent(opts);
    const sm = this.sc!.sessionManager ?? { type: 'SessionManager', value: 'SessionManager' };
    const pw = escBuffer(this.password);
    const head = Buffer.from(
      `${morefXml('_this', sm)}<userName>${esc(this.username)}</userName><password>`,
      'utf8',
    );
    const args = Buffer.concat([head, pw, Buffer.from('</password>', 'utf8')]);
    pw.fill(0);
    this.cookie = undefined;
    try {
      await this.invoke('Login', sm, args, { ...opts, noRelogin: true });
    } catch (e) {
      if (e instanceof VmiError && e.reason === 'login-refused') this.refused = e;
      throw e;
    } finally {
      args.fill(0);
    }
    if (!this.cookie) throw new VmiError('bad-response', `vCenter ${this.label}: login returned no session cookie`);
    this.hadSession = true;
  }

  /** Log out and forget the password. */
  async logout(opts?: CallOptions): Promise<void> {
    try {
      if (this.cookie && this.sc) {
        const sm = this.sc.sessionManager ?? { type: 'SessionManager', value: 'SessionManager' };
        await this.invoke('Logout', sm, '', { ...opts, noRelogin: true, timeoutMs: Math.min(this.timeoutMs, 10_000) });
      }
    } finally {
      this.cookie = undefined;
      this.password.fill(0);
      this.password = Buffer.alloc(0);
    }
  }

  /** Log out (best effort), zero the password and close the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.logout().catch(() => undefined);
    } finally {
      this.closed = true;
      this.password.fill(0);
      await this.pool.close().catch(() => undefined);
    }
  }

  /** Server time; also keeps the session alive. */
  async currentTime(opts?: CallOptions): Promise<string> {
    const res = await this.call('CurrentTime', SERVICE_INSTANCE, '', opts);
    return text(res, 'returnval') ?? '';
  }

  /**
   * Invoke a vim25 method. `args` is the XML of the parameters after _this, in schema order.
   * Returns the <MethodResponse> element. Re-logs in once on NotAuthenticated.
   */
  async call(method: string, thisRef: MoRef, args: string, opts?: CallOptions): Promise<XNode> {
    return this.withRelogin(() => this.invoke(method, thisRef, args, opts), opts);
  }

  /**
   * Like call(), but the response is parsed incrementally (while it downloads, unless
   * opts.onReceived is set) and every element for which `emit` returns true is handed over
   * and not kept in the returned tree.
   */
  async callStream(method: string, thisRef: MoRef, args: string, emit: EmitFn, opts?: StreamOptions): Promise<XNode> {
    return this.withRelogin(() => this.invoke(method, thisRef, args, opts, emit, opts?.skip, opts?.onReceived), opts);
  }

  private async withRelogin(f: () => Promise<XNode>, opts?: CallOptions): Promise<XNode> {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof VmiError) || e.reason !== 'not-authenticated' || opts?.noRelogin || this.closed) throw e;
      if (!this.hadSession || this.refused || this.password.length === 0) throw e;
      this.relogin ??= this.login(opts).finally(() => {
        this.relogin = undefined;
      });
      await this.relogin;
      return await f();
    }
  }

  private async invoke(
    method: string,
    thisRef: MoRef,
    args: string | Buffer,
    opts?: CallOptions,
    emit?: EmitFn,
    skip?: SkipFn,
    onReceived?: () => void,
  ): Promise<XNode> {
    if (this.closed) throw new VmiError('cancelled', `vCenter ${this.label}: client closed`);
    const head = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS.soapenv}" xmlns:xsd="${NS.xsd}" xmlns:xsi="${NS.xsi}"><soapenv:Body><${method} xmlns="${NS.vim}">${morefXml('_this', thisRef)}`;
    const tail = `</${method}></soapenv:Body></soapenv:Envelope>`;
    const body = typeof args === 'string' ? head + args + tail : Buffer.concat([Buffer.from(head), args, Buffer.from(tail)]);
    const timeoutMs = opts?.timeoutMs ?? this.timeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = opts?.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: `"urn:vim25/${this.apiVersion}"`,
      accept: 'text/xml',
    };
    if (this.cookie) headers['cookie'] = `${SESSION_COOKIE}=${this.cookie}`;
    this.requests++;
    let root: XNode;
    let status = 0;
    try {
      const res = await this.pool.request({
        method: 'POST',
        path: this.path,
        headers,
        body,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = res.statusCode;
      this.takeCookie(res.headers['set-cookie']);
      const ctype = String(res.headers['content-type'] ?? '');
      const clen = Number(res.headers['content-length'] ?? NaN);
      if (Number.isFinite(clen) && clen > this.maxBytes) {
        res.body.destroy();
        throw new VmiError('too-large', `vCenter ${this.label}: ${method} response of ${clen} bytes exceeds the ${this.maxBytes}-byte limit`);
      }
      if ((status !== 200 && status !== 500) || /html/i.test(ctype)) {
        const snippet = await readSnippet(res.body);
        const what = /html/i.test(ctype) || /^\s*<(!doctype\s+html|html)/i.test(snippet) ? 'an HTML page' : `"${snippet.replace(/\s+/g, ' ').slice(0, 80)}"`;
        throw new VmiError('bad-response', `vCenter ${this.label}: ${method} returned HTTP ${status} with ${what}, not a SOAP response`);
      }
      let size = 0;
      const parts: Buffer[] = [];
      const take = (b: Buffer) => {
        size += b.length;
        if (size > this.maxBytes) {
          res.body.destroy();
          throw new VmiError('too-large', `vCenter ${this.label}: ${method} response exceeds the ${this.maxBytes}-byte limit`);
        }
      };
      if (emit) {
        const decoder = new Utf8Chunks();
        const parser = new XmlStreamParser(emit, skip);
        let first = true;
        const feed = (b: Buffer) => {
          let t = decoder.decode(b);
          if (first && t.length) {
            if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
            first = false;
          }
          parser.write(t, decoder.bytes);
        };
        if (onReceived) {
          // Download first, let the caller send its next request, then parse: the server
          // produces the next response while this one is being parsed.
          for await (const chunk of res.body) {
            take(chunk as Buffer);
            parts.push(chunk as Buffer);
          }
          onReceived();
          for (let i = 0; i < parts.length; i++) {
            feed(parts[i]!);
            parts[i] = EMPTY;
          }
        } else {
          // Parse while downloading.
          for await (const chunk of res.body) {
            take(chunk as Buffer);
            feed(chunk as Buffer);
          }
        }
        parser.write(decoder.end());
        root = parser.end();
      } else {
        for await (const chunk of res.body) {
          take(chunk as Buffer);
          parts.push(chunk as Buffer);
        }
        let t = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(parts));
        if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
        assertNoDoctype(t);
        // fast-xml-parser validates, parses and is then converted: fine for the small replies,
        // several times the stream parser's cost for large ones (a page of events).
        root = t.length > STREAM_PARSE_MIN ? parseStream(t) : parseDocument(t);
      }
    } catch (e) {
      if (e instanceof VmiError) throw e;
      if (e instanceof XmlError || e instanceof TypeError) {
        // TypeError: invalid UTF-8 from the fatal decoder.
        throw new VmiError('bad-response', `vCenter ${this.label}: ${method} returned a malformed response (HTTP ${status || '?'}): ${e.message}`, { cause: e });
      }
      if (opts?.signal?.aborted) throw new VmiError('cancelled', `vCenter ${this.label}: ${method} cancelled`, { cause: e });
      if (deadline.aborted) throw new VmiError('timeout', `vCenter ${this.label}: ${method} timed out after ${Math.round(timeoutMs / 1000)} s`, { cause: e });
      throw mapError(e, this.label, method, 'vCenter');
    }
    return this.unwrap(root, method, status);
  }

  private unwrap(root: XNode, method: string, status: number): XNode {
    if (root.name !== 'Envelope' || root.ns !== NS.soapenv) {
      throw new VmiError('bad-response', `vCenter ${this.label}: ${method} returned <${root.name}> (HTTP ${status}), not a SOAP envelope`);
    }
    const body = root.kids?.find((k) => k.name === 'Body' && k.ns === NS.soapenv);
    const first = body?.kids?.[0];
    if (!first) throw new VmiError('bad-response', `vCenter ${this.label}: ${method} returned an empty SOAP body`);
    if (first.name === 'Fault' && first.ns === NS.soapenv) {
      const f = faultOf(first);
      const msg = `vCenter ${this.label}: ${method} failed: ${f.faultType}${f.faultString ? `: ${f.faultString}` : ''}`.replace(/\s*\n\s*/g, ' ');
      const reason: ErrorReason = f.faultType === 'InvalidLogin' ? 'login-refused' : f.faultType === 'NotAuthenticated' ? 'not-authenticated' : 'soap-fault';
      const err = new VmiError(reason, reason === 'login-refused' ? `vCenter ${this.label}: login refused for user ${JSON.stringify(this.username)} (wrong user name or password)` : msg);
      FAULTS.set(err, f);
      throw err;
    }
    if (status !== 200) throw new VmiError('bad-response', `vCenter ${this.label}: ${method} returned HTTP ${status} without a SOAP fault`);
    if (first.name !== `${method}Response`) {
      throw new VmiError('bad-response', `vCenter ${this.label}: ${method} returned <${first.name}>, expected <${method}Response>`);
    }
    return first;
  }

  private takeCookie(h: string | string[] | undefined): void {
    if (!h) return;
    for (const line of Array.isArray(h) ? h : [h]) {
      const m = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]*)`).exec(line);
      if (m && m[1]) this.cookie = m[1];
    }
  }
}

async function readSnippet(body: AsyncIterable<unknown> & { destroy(): void }): Promise<string> {
  let s = '';
  try {
    for await (const chunk of body) {
      s += Buffer.from(chunk as Buffer).toString('utf8');
      if (s.length > 512) break;
    }
  } catch {
    /* ignore */
  }
  body.destroy();
  return s.slice(0, 512);
}

