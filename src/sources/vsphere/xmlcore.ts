// The XML tree both parsers build, escaping and entities, UTF-8 chunking and namespace scopes.
/** Deepest element nesting either parser accepts (a vCenter answer is far shallower). */
export const MAX_DEPTH = 96;

export const NS = {
  soapenv: 'http://schemas.xmlsoap.org/soap/envelope/',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xsd: 'http://www.w3.org/2001/XMLSchema',
  vim: 'urn:vim25',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** A namespace-resolved element. */
export interface XNode {
  /** Local name. */
  name: string;
  /** Namespace URI of the element ('' when none). */
  ns: string;
  /** Unprefixed attributes by name; prefixed ones (other than xsi:type) as "{uri}local". */
  attrs: Record<string, string> | null;
  /** Local part of the resolved xsi:type, if any. */
  type: string | undefined;
  /** Namespace URI of the resolved xsi:type. */
  typeNs: string | undefined;
  /** Character data directly inside the element (entities decoded). */
  text: string;
  kids: XNode[] | null;
}

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

// ---------------------------------------------------------------------------------------------
// Escaping and entity decoding

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Escape text for element content or a double-quoted attribute. */
export function esc(s: string): string {
  return /[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => ESC[c]!) : s;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  let amp = s.indexOf('&');
  if (amp === -1) return s;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const semi = s.indexOf(';', amp + 1);
    if (semi === -1 || semi - amp > 12) throw new XmlError(`malformed entity reference ${JSON.stringify(s.slice(amp, amp + 12))}`);
    const body = s.slice(amp + 1, semi);
    let rep: string | undefined;
    if (body.charCodeAt(0) === 35 /* # */) {
      const hex = body[1] === 'x';
      const digits = body.slice(hex ? 2 : 1);
      if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) throw new XmlError(`invalid character reference &${body};`);
      const cp = parseInt(digits, hex ? 16 : 10);
      if (cp < 1 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new XmlError(`invalid character reference &${body};`);
      rep = String.fromCodePoint(cp);
    } else {
      rep = NAMED[body];
      if (rep === undefined) throw new XmlError(`undeclared entity &${body.slice(0, 10)};`);
    }
    out += s.slice(from, amp) + rep;
    from = semi + 1;
    amp = s.indexOf('&', from);
  }
  return out + s.slice(from);
}

/** Reject documents that declare a DTD or entities, before any parser sees them. */
export function assertNoDoctype(text: string): void {
  // Case-insensitive on purpose: anything that looks like a declaration is refused.
  if (/<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i.test(text)) {
    throw new XmlError('document type declarations and entities are not accepted');
  }
}

// ---------------------------------------------------------------------------------------------
// UTF-8

/** Length of the part of b that ends on a character boundary (a cut multi-byte character stays out). */
function completeLength(b: Uint8Array): number {
  const n = b.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const c = b[i]!;
    if (c < 0x80) return n;
    if (c >= 0xc0) return i + (c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2) > n ? i : n;
  }
  return n; // only continuation bytes: invalid either way, the decoder says so
}

/**
 * Strict (fatal) UTF-8 decoding of a body that arrives in chunks. TextDecoder's streaming mode is
 * several times slower than its one-shot mode, so every chunk is decoded on its own and a
 * character cut by a chunk boundary is carried over. Like TextDecoder, one leading BOM is dropped.
 */
export class Utf8Chunks {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private pending: Uint8Array | null = null;
  private start = true;
  /** The bytes the last decode() turned into text (for XmlStreamParser.write()). */
  bytes: Uint8Array = new Uint8Array(0);

  /** Text of the complete characters so far; throws a TypeError on invalid UTF-8. */
  decode(chunk: Uint8Array): string {
    let b = chunk;
    if (this.pending) {
      b = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    const cut = completeLength(b);
    if (cut < b.length) {
      this.pending = Uint8Array.prototype.slice.call(b, cut);
      b = b.subarray(0, cut);
    }
    this.bytes = b;
    if (!b.length) return '';
    let t = this.decoder.decode(b);
    if (this.start && t.length) {
      this.start = false;
      if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    }
    return t;
  }

  /** Call at the end of the body: throws if it ended inside a character. */
  end(): string {
    const p = this.pending;
    this.pending = null;
    return p ? this.decoder.decode(p) : ''; // an incomplete character: throws
  }
}

// ---------------------------------------------------------------------------------------------
// Namespace scopes

export class Scope {
  /** The default namespace in effect (resolved once per scope). */
  readonly defaultNs: string;
  constructor(
    readonly parent: Scope | null,
    /** Flat [prefix, uri, prefix, uri, ...] declared on one element ('' = default namespace). */
    readonly decls: string[],
  ) {
    let d: string | undefined;
    for (let i = 0; i < decls.length; i += 2) if (decls[i] === '') d = decls[i + 1];
    this.defaultNs = d ?? parent?.defaultNs ?? '';
  }
  /** Child scopes already made for the same declarations (vcsim declares its xsi prefix on every value). */
  private kids: Scope[] | null = null;
  /** The scope for an element declaring decls[0, len) under this one; shared, scopes never change. */
  child(decls: readonly string[], len: number): Scope {
    const kids = this.kids;
    if (kids) {
      next: for (let i = 0; i < kids.length; i++) {
        const d = kids[i]!.decls;
        if (d.length !== len) continue;
        for (let j = 0; j < len; j++) if (d[j] !== decls[j]) continue next;
        return kids[i]!;
      }
    }
    const sc = new Scope(this, decls.slice(0, len));
    if (!kids) this.kids = [sc];
    else if (kids.length < 8) kids.push(sc);
    return sc;
  }
  lookup(prefix: string): string | undefined {
    if (prefix === '') return this.defaultNs;
    for (let s: Scope | null = this; s; s = s.parent) {
      const d = s.decls;
      for (let i = 0; i < d.length; i += 2) if (d[i] === prefix) return d[i + 1];
    }
    return undefined;
  }
}
export const ROOT_SCOPE = new Scope(null, ['xml', NS.xml]);

/** The scope of an element: its parent's, or a new one when it declares namespaces. */
export function scopeFor(rawAttrs: string[] | null, parentScope: Scope): Scope {
  if (!rawAttrs) return parentScope;
  let decl: string[] | null = null;
  for (let i = 0; i < rawAttrs.length; i += 2) {
    const an = rawAttrs[i]!;
    if (an.charCodeAt(0) !== 120 /* x */ || !an.startsWith('xmlns')) continue;
    if (an === 'xmlns') (decl ??= []).push('', rawAttrs[i + 1]!);
    else if (an.charCodeAt(5) === 58 /* : */) {
      const uri = rawAttrs[i + 1]!;
      if (uri === '') throw new XmlError(`empty namespace for prefix ${an.slice(6)}`);
      (decl ??= []).push(an.slice(6), uri);
    }
  }
  return decl ? new Scope(parentScope, decl) : parentScope;
}

/** Build an XNode from a raw element name and raw attribute list (name/value pairs, values decoded). */
export function makeNode(qname: string, rawAttrs: string[] | null, scope: Scope): XNode {
  const c = qname.indexOf(':');
  let ns: string | undefined;
  let name = qname;
  if (c >= 0) {
    const prefix = qname.slice(0, c);
    name = qname.slice(c + 1);
    ns = scope.lookup(prefix);
    if (ns === undefined) throw new XmlError(`undeclared namespace prefix ${prefix}`);
  } else {
    ns = scope.defaultNs;
  }
  if (!name) throw new XmlError(`bad element name ${JSON.stringify(qname)}`);
  const node: XNode = { name, ns, attrs: null, type: undefined, typeNs: undefined, text: '', kids: null };
  if (rawAttrs) {
    for (let i = 0; i < rawAttrs.length; i += 2) {
      const an = rawAttrs[i]!;
      const av = rawAttrs[i + 1]!;
      if (an === 'xmlns' || an.startsWith('xmlns:')) continue;
      const ac = an.indexOf(':');
      if (ac < 0) {
        (node.attrs ??= {})[an] = av;
        continue;
      }
      const auri = scope.lookup(an.slice(0, ac));
      if (auri === undefined) throw new XmlError(`undeclared namespace prefix ${an.slice(0, ac)}`);
      const alocal = an.slice(ac + 1);
      if (auri === NS.xsi && alocal === 'type') {
        const v = av.trim();
        const vc = v.indexOf(':');
        if (vc >= 0) {
          const turi = scope.lookup(v.slice(0, vc));
          if (turi === undefined) throw new XmlError(`undeclared namespace prefix ${v.slice(0, vc)} in xsi:type`);
          node.type = v.slice(vc + 1);
          node.typeNs = turi;
        } else {
          node.type = v;
          node.typeNs = scope.defaultNs;
        }
      } else {
        (node.attrs ??= {})[`{${auri}}${alocal}`] = av;
      }
    }
  }
  return node;
}
