// XML layer for the vSphere SOAP client.
//
// Two parsers produce the same namespace-resolved tree (XNode):
//  - parseDocument(): fast-xml-parser (validated first, since its parser is lenient about truncated
//    or mismatched markup) for ordinary, small responses;
//  - XmlStreamParser: a small incremental, non-validating-DTD pull parser used for the bulk
//    property-collector pages. It is fed the body chunk by chunk while it downloads and hands each
//    completed subtree (one ObjectContent, one ObjectUpdate) to a callback, so a page of 10,000 VMs
//    is never held as one tree. fast-xml-parser needs the whole document and parses ~20 MB/s here,
//    which alone would be 2-3x the time vcsim takes to produce the page.
// Both reject DOCTYPE/ENTITY declarations and decode only the five predefined entities and numeric
// character references. xsi:type is resolved through the in-scope namespace declarations (vcsim
// spells the prefix "XMLSchema-instance", vCenter "xsi"), never by matching the prefix text.

import { XMLParser, XMLValidator } from 'fast-xml-parser';

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

class Scope {
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
const ROOT_SCOPE = new Scope(null, ['xml', NS.xml]);

/** The scope of an element: its parent's, or a new one when it declares namespaces. */
function scopeFor(rawAttrs: string[] | null, parentScope: Scope): Scope {
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
function makeNode(qname: string, rawAttrs: string[] | null, scope: Scope): XNode {
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

// ---------------------------------------------------------------------------------------------
// Incremental parser

const MAX_DEPTH = 96;
const MAX_CARRY = 8 * 1024 * 1024;

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * A copy of s for the intern tables, so it never pins the page it was cut from; also a flat
 * sequential string (not a slice), which keeps the character comparisons of hasAt() fast.
 */
function owned(s: string): string {
  return s.length < 13 ? s : s.split('').join('');
}

/**
 * One shared instance per distinct prefix, local name and namespace URI (the NS constants among
 * them), so that comparing them is comparing pointers: equal strings that are different objects
 * (slices of different names) are compared character by character, in a runtime call.
 */
const CANON = new Map<string, string>();
function canon(s: string): string {
  let c = CANON.get(s);
  if (c === undefined) {
    if (CANON.size >= 8192) seedCanon();
    c = owned(s);
    CANON.set(c, c);
  }
  return c;
}
function seedCanon(): void {
  CANON.clear();
  for (const u of Object.values(NS)) CANON.set(u, u);
}
seedCanon();

/**
 * An element or attribute name as written. Names come from a small vocabulary, so they are
 * interned: the parser hashes the characters it scans anyway and compares them in place, instead
 * of cutting a new string out of the page for each of the millions of elements in a large page.
 */
interface QName {
  raw: string;
  /** raw as bytes, when ASCII (see cc()). */
  bytes: Uint8Array | null;
  /** Index of the first ':' (-1 when unprefixed). */
  colon: number;
  prefix: string;
  local: string;
  /** 1: xmlns (default namespace declaration), 2: xmlns:p (prefix p = `decl`), 0: neither. */
  xmlns: number;
  decl: string;
  /** Its values are interned too: namespace declarations and (possible) xsi:type attributes. */
  internValue: boolean;
  /** Start tags of this element already parsed by the parser numbered `formsOf` (see TagForm). */
  forms: TagForm[] | null;
  formsOf: number;
  /** Its slot in QNAMES (-1: not interned). */
  slot: number;
  /**
   * Slots of the name that last came after this element closed, and of its last first child:
   * documents are regular, so the next start tag is guessed (and checked) before it is hashed.
   * Slots, not references, so that names dropped from the table are not kept alive.
   */
  next: number;
  first: number;
}

/** Attributes of a start tag, as parallel arrays. */
interface Attrs {
  names: QName[];
  values: string[];
  /** The interned form of values[k] when names[k].internValue (else unused). */
  interned: Array<Value | null>;
}

/**
 * A start tag with attributes, as parsed: the text after the element name (through '>'), and
 * its attributes. Elements tend to repeat the same attributes (vcsim repeats a namespace
 * declaration and an xsi:type on every value), and the same text always parses the same way.
 */
interface TagForm {
  text: string;
  /** text as bytes, when ASCII (see cc()). */
  bytes: Uint8Array | null;
  na: number;
  selfClose: boolean;
  attrs: Attrs;
}

/** Forms kept per element name and per document, and the longest tag text kept. */
const FORMS_PER_NAME = 32;
const FORMS_PER_DOCUMENT = 2048;
const FORM_MAX = 200;
let parsers = 0;

function newQName(raw: string): QName {
  const colon = raw.indexOf(':');
  const xmlns = raw === 'xmlns' ? 1 : raw.startsWith('xmlns:') ? 2 : 0;
  return {
    raw,
    bytes: asciiBytes(raw),
    colon,
    prefix: colon >= 0 ? canon(raw.slice(0, colon)) : '',
    local: colon >= 0 ? canon(raw.slice(colon + 1)) : canon(raw),
    xmlns,
    decl: xmlns === 2 ? canon(raw.slice(6)) : '',
    internValue: xmlns !== 0 || (colon >= 0 && raw.endsWith(':type')),
    forms: null,
    formsOf: 0,
    slot: -1,
    next: -1,
    first: -1,
  };
}

/**
 * A namespace URI or xsi:type value, interned like names (they repeat on every value element), with
 * the xsi:type split of the trimmed value made on first use.
 */
interface Value {
  raw: string;
  bytes: Uint8Array | null;
  /** -2 until split; then the index of ':' in the trimmed value, or -1. */
  colon: number;
  prefix: string;
  local: string;
}

function newValue(raw: string, intern = false): Value {
  return { raw, bytes: intern ? asciiBytes(raw) : null, colon: -2, prefix: '', local: '' };
}

/** The xsi:type reading of a value: [prefix, local] split at the first ':' after trimming. */
function splitType(v: Value): Value {
  if (v.colon === -2) {
    const w = v.raw.trim();
    v.colon = w.indexOf(':');
    v.prefix = v.colon >= 0 ? canon(w.slice(0, v.colon)) : '';
    v.local = canon(v.colon >= 0 ? w.slice(v.colon + 1) : w);
  }
  return v;
}

const INTERN_SLOTS = 4096; // power of two; a slot holds the last name that hashed to it
const INTERN_MAX = 64; // longer strings are cut normally
const QNAMES: Array<QName | undefined> = new Array(INTERN_SLOTS).fill(undefined);
const VALUES: Array<Value | undefined> = new Array(INTERN_SLOTS).fill(undefined);

/**
 * Character code at i of s, read from b when given: b holds the bytes s was decoded from, and
 * the parser passes it only when s is all ASCII (same length), where reading a byte array is
 * several times cheaper than charCodeAt().
 */
function cc(s: string, b: Uint8Array | null, i: number): number {
  return b !== null ? b[i]! : s.charCodeAt(i);
}

/** ASCII bytes of an interned string (null when it is not ASCII). */
function asciiBytes(s: string): Uint8Array | null {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return null;
  return Buffer.from(s, 'latin1');
}

/** Whether s (or its bytes b) has `word` (bytes wb) at position at. For short words this loop beats startsWith(), a builtin call. */
function hasAt(s: string, b: Uint8Array | null, at: number, word: string, wb: Uint8Array | null): boolean {
  const len = word.length;
  if (at + len > s.length) return false;
  if (b !== null && wb !== null) {
    for (let k = 0; k < len; k++) if (b[at + k] !== wb[k]) return false;
    return true;
  }
  for (let k = 0; k < len; k++) if (s.charCodeAt(at + k) !== word.charCodeAt(k)) return false;
  return true;
}

function slot(h: number, len: number): number {
  h = Math.imul(h ^ len, 0x9e3779b1);
  return (h ^ (h >>> 15)) & (INTERN_SLOTS - 1);
}

/** The name s[start, end) whose characters hash to h (h = h * 31 + c over the characters). */
function qnameAt(s: string, b: Uint8Array | null, start: number, end: number, h: number): QName {
  const len = end - start;
  if (len > INTERN_MAX) return newQName(s.slice(start, end));
  const k = slot(h, len);
  const e = QNAMES[k];
  if (e !== undefined && e.raw.length === len && hasAt(s, b, start, e.raw, e.bytes)) return e;
  const q = newQName(owned(s.slice(start, end)));
  q.slot = k;
  return (QNAMES[k] = q);
}

function valueAt(s: string, b: Uint8Array | null, start: number, end: number, h: number): Value {
  const len = end - start;
  if (len > INTERN_MAX) return newValue(s.slice(start, end));
  const k = slot(h, len);
  const e = VALUES[k];
  if (e !== undefined && e.raw.length === len && hasAt(s, b, start, e.raw, e.bytes)) return e;
  return (VALUES[k] = newValue(canon(s.slice(start, end)), true));
}

/**
 * An empty array whose elements kind is already "objects": arrays made empty start as small
 * integers, and the parser's push() sites, seeing both kinds, would not be inlined.
 */
function objectArray<T>(): T[] {
  const a = [{}] as unknown as T[];
  a.pop();
  return a;
}

export type EmitFn = (node: XNode, stack: readonly XNode[]) => boolean;
/** Called when an element opens (attributes resolved, no content yet); true skips its subtree. */
export type SkipFn = (node: XNode, stack: readonly XNode[]) => boolean;

/**
 * Incremental XML parser. write() accepts text in arbitrary pieces; end() checks the document is
 * complete and returns the root. When `emit` returns true for a just-closed element (called with
 * the element and its open ancestors, root first), the element is not attached to its parent.
 * When `skipSubtree` returns true for a just-opened element, its content is checked for balanced tags
 * but not materialised (cheap way to ignore data nobody reads).
 */
export class XmlStreamParser {
  /** An unfinished construct (tag, comment, entity...) left over from the previous write. */
  private carry = '';
  /** Open elements, root first. (Made holding objects from the start: push() is then inlined.) */
  private ancestors: XNode[] = objectArray<XNode>();
  /** Scope and name of each open element by depth (fixed size: stores, no push/pop). */
  private readonly scopes: Scope[] = new Array<Scope>(MAX_DEPTH).fill(ROOT_SCOPE);
  private readonly qnames: Array<QName | undefined> = new Array<QName | undefined>(MAX_DEPTH).fill(undefined);
  private root: XNode | null = null;
  private done = false;
  /** Open element names inside a skipped subtree (empty when not skipping). */
  private skipping: QName[] = objectArray<QName>();
  /** This document's namespace scopes hang below its own root scope (see Scope.child). */
  private readonly rootScope = new Scope(null, ['xml', NS.xml]);
  /** Tag forms are cached per parser (see TagForm): its number, and how many it made. */
  private readonly id = ++parsers;
  private forms = 0;
  /** The element that closed last at the current level (null after a start tag), and where
   * the name read by startName() ends. */
  private lastClosed: QName | null = null;
  private nameEnd = 0;
  /** Bytes of the text being parsed when it is all ASCII (see write()), else null. */
  private b: Uint8Array | null = null;
  /** Attributes of the start tag being read (reused). */
  private readonly scratch: Attrs = { names: [], values: [], interned: [] };
  private readonly decls: string[] = [];

  constructor(
    private readonly emit?: EmitFn,
    private readonly skipSubtree?: SkipFn,
  ) {}

  /**
   * `bytes`, when given, are the bytes chunk was decoded from: used for reading characters when
   * chunk is all ASCII (then both have the same length), see cc().
   */
  write(chunk: string, bytes?: Uint8Array): void {
    const aligned = bytes !== undefined && bytes.length === chunk.length ? bytes : null;
    const carry = this.carry;
    if (!carry.length) {
      this.b = aligned;
      const used = this.run(chunk, 0);
      this.carry = used >= chunk.length ? '' : chunk.slice(used);
    } else {
      // Finish the construct cut by the previous boundary on the carry plus the start of this
      // chunk, then go on in the chunk itself: joining whole chunks would copy every page twice.
      for (let k = Math.min(chunk.length, 1024); ; k = Math.min(chunk.length, k * 8)) {
        const whole = k >= chunk.length;
        const joined = carry + (whole ? chunk : chunk.slice(0, k));
        this.b = null;
        const used = this.run(joined, 0);
        if (whole) {
          this.carry = used >= joined.length ? '' : joined.slice(used);
          break;
        }
        if (used >= carry.length) {
          // Nothing in the carry is left (run() stops only at the start of an unfinished construct).
          const from = used - carry.length;
          this.b = aligned;
          const end = this.run(chunk, from);
          this.carry = end >= chunk.length ? '' : chunk.slice(end);
          break;
        }
        // The construct is longer than k more characters: nothing was consumed, try a longer piece.
      }
    }
    this.b = null;
    // Only an unfinished tag, comment or entity is carried over: bound it, or a hostile server
    // could make every chunk rescan an ever-growing tail.
    if (this.carry.length > MAX_CARRY) throw new XmlError('markup construct too large');
  }

  end(): XNode {
    if (this.carry.length && /[^ \t\r\n]/.test(this.carry)) {
      throw new XmlError(this.ancestors.length ? 'document truncated' : 'content after the document element');
    }
    if (this.ancestors.length || this.skipping.length || !this.root) throw new XmlError('document truncated');
    return this.root;
  }

  /**
   * The name of the start tag at lt, whose parent element is named `parent`; null when the name
   * is cut off by the end of s. Sets nameEnd. The guess from the previous time at this place is
   * tried first: checking it reads the name once, instead of hashing it and then comparing it.
   */
  private startName(s: string, lt: number, parent: QName | undefined): QName | null {
    const b = this.b;
    const n = s.length;
    const prev = this.lastClosed;
    const guess = prev !== null ? prev.next : parent !== undefined ? parent.first : -1;
    if (guess >= 0) {
      const c = QNAMES[guess];
      if (c !== undefined) {
        const e = lt + 1 + c.raw.length;
        if (e < n) {
          const d = cc(s, b, e);
          if ((d === 62 || d === 47 || isWs(d)) && hasAt(s, b, lt + 1, c.raw, c.bytes)) {
            this.nameEnd = e;
            return c;
          }
        }
      }
    }
    let i = lt + 1;
    let h = 0;
    while (i < n) {
      const c = cc(s, b, i);
      if (isWs(c) || c === 62 || c === 47) break;
      h = (Math.imul(h, 31) + c) | 0;
      i++;
    }
    if (i >= n) return null;
    if (i === lt + 1) throw new XmlError('empty element name');
    const q = qnameAt(s, b, lt + 1, i, h);
    if (q.slot >= 0) {
      if (prev !== null) prev.next = q.slot;
      else if (parent !== undefined) parent.first = q.slot;
    }
    this.nameEnd = i;
    return q;
  }

  /** Skip mode: track tag balance only. Returns the position reached (incomplete input stops early). */
  private runSkip(s: string, pos: number): number {
    const b = this.b;
    const n = s.length;
    const open = this.skipping;
    while (open.length) {
      const lt = s.indexOf('<', pos);
      if (lt < 0 || lt + 1 >= n) return lt < 0 ? n : lt;
      pos = lt;
      const c1 = cc(s, b, lt + 1);
      if (c1 === 47) {
        const exp = open[open.length - 1]!;
        const expected = exp.raw;
        const e = lt + 2 + expected.length;
        if (e < n && cc(s, b, e) === 62 && hasAt(s, b, lt + 2, exp.raw, exp.bytes)) {
          this.lastClosed = open.pop()!;
          pos = e + 1;
          continue;
        }
        const gt = s.indexOf('>', lt + 2);
        if (gt < 0) return pos;
        const q = s.slice(lt + 2, gt).trim();
        if (q !== expected) throw new XmlError(`mismatched </${q}>, expected </${expected}>`);
        this.lastClosed = open.pop()!;
        pos = gt + 1;
        continue;
      }
      if (c1 === 63 || c1 === 33) {
        let end: string;
        if (s.startsWith('<!--', lt)) end = '-->';
        else if (s.startsWith('<![CDATA[', lt)) end = ']]>';
        else if (c1 === 63) end = '?>';
        else {
          const rest = s.slice(lt, lt + 9);
          if (rest.length < 9 && ('<!--'.startsWith(rest) || '<![CDATA['.startsWith(rest))) return pos;
          throw new XmlError('document type declarations and entities are not accepted');
        }
        const e = s.indexOf(end, lt + 2);
        if (e < 0) return pos;
        pos = e + end.length;
        continue;
      }
      const q = this.startName(s, lt, open[open.length - 1]);
      if (q === null) return pos;
      let i = this.nameEnd;
      // Find the end of the start tag, stepping over quoted attribute values.
      let end = -1;
      while (i < n) {
        const c = cc(s, b, i);
        if (c === 62) {
          end = i;
          break;
        }
        if (c === 34 || c === 39) {
          const qe = s.indexOf(c === 34 ? '"' : "'", i + 1);
          if (qe < 0) break;
          i = qe + 1;
          continue;
        }
        i++;
      }
      if (end < 0) return pos;
      if (cc(s, b, end - 1) !== 47) {
        open.push(q);
        this.lastClosed = null;
      } else {
        this.lastClosed = q;
      }
      pos = end + 1;
    }
    return pos;
  }

  /** Character data s[from, to) (never contains '<': it was cut at one). */
  private appendText(s: string, from: number, to: number, amp: boolean): void {
    const top = this.ancestors[this.ancestors.length - 1];
    if (!top) {
      for (let i = from; i < to; i++) if (!isWs(s.charCodeAt(i))) throw new XmlError(this.done ? 'content after the document element' : 'text outside the document element');
      return;
    }
    const raw = s.slice(from, to);
    top.text += amp ? decodeEntities(raw) : raw;
  }

  /** Processes complete constructs in s from pos; returns the index of the first unprocessed character. */
  private run(s: string, pos: number): number {
    const b = this.b;
    const n = s.length;
    // The next '<' and '&' at or after the current position (-1: none left; -2: not looked for).
    // Positions only grow, so remembering them means no text is ever searched twice for either.
    let nextLt = -2;
    let nextAmp = -2;
    while (pos < n) {
      if (this.skipping.length) {
        pos = this.runSkip(s, pos);
        if (this.skipping.length) return pos;
        continue;
      }
      if (nextLt !== -1 && nextLt < pos) nextLt = s.indexOf('<', pos);
      const lt = nextLt;
      if (lt < 0) {
        // Text up to the end: take it now, except an entity reference cut by the chunk boundary.
        if (!this.ancestors.length) {
          this.appendText(s, pos, n, false);
          return n;
        }
        let end = n;
        const amp = s.lastIndexOf('&');
        if (amp >= pos && s.indexOf(';', amp) < 0) end = amp;
        if (end > pos) this.appendText(s, pos, end, amp >= pos);
        return end;
      }
      if (lt > pos) {
        if (nextAmp !== -1 && nextAmp < pos) nextAmp = s.indexOf('&', pos);
        this.appendText(s, pos, lt, nextAmp !== -1 && nextAmp < lt);
      }
      pos = lt;
      if (lt + 1 >= n) return pos;
      const c1 = cc(s, b, lt + 1);
      if (c1 === 47 /* / */) {
        const q = this.ancestors.length ? this.qnames[this.ancestors.length - 1] : undefined;
        if (q !== undefined) {
          // Usual case: exactly the open element's name, then '>'.
          const e = lt + 2 + q.raw.length;
          if (e < n && cc(s, b, e) === 62 && hasAt(s, b, lt + 2, q.raw, q.bytes)) {
            this.close();
            pos = e + 1;
            continue;
          }
        }
        const gt = s.indexOf('>', lt + 2);
        if (gt < 0) return pos;
        const expected = q?.raw;
        let ok = expected !== undefined && s.startsWith(expected, lt + 2);
        if (ok) for (let k = lt + 2 + expected!.length; k < gt; k++) if (!isWs(cc(s, b, k))) ok = false;
        if (!ok) {
          const got = s.slice(lt + 2, gt).trim();
          throw new XmlError(expected === undefined ? `unexpected </${got}>` : `mismatched </${got}>, expected </${expected}>`);
        }
        this.close();
        pos = gt + 1;
        continue;
      }
      if (c1 === 63 /* ? */) {
        const e = s.indexOf('?>', lt + 2);
        if (e < 0) return pos;
        pos = e + 2;
        continue;
      }
      if (c1 === 33 /* ! */) {
        if (s.startsWith('<!--', lt)) {
          const e = s.indexOf('-->', lt + 4);
          if (e < 0) return pos;
          pos = e + 3;
          continue;
        }
        if (s.startsWith('<![CDATA[', lt)) {
          const e = s.indexOf(']]>', lt + 9);
          if (e < 0) return pos;
          const top = this.ancestors[this.ancestors.length - 1];
          if (!top) throw new XmlError('CDATA outside the document element');
          top.text += s.slice(lt + 9, e);
          pos = e + 3;
          continue;
        }
        const rest = s.slice(lt, lt + 9);
        // Too few characters yet to tell a comment or CDATA section from a declaration.
        if (rest.length < 9 && ('<!--'.startsWith(rest) || '<![CDATA['.startsWith(rest))) return pos;
        throw new XmlError('document type declarations and entities are not accepted');
      }
      // Start tag. Names are hashed while scanned and interned (qnameAt); values are found with
      // indexOf, and checked for '<' and '&' against the remembered next positions of both.
      const depth = this.ancestors.length;
      const q = this.startName(s, lt, depth ? this.qnames[depth - 1] : undefined);
      if (q === null) return pos;
      let i = this.nameEnd;
      if (cc(s, b, i) === 62) {
        this.open(q, this.scratch, 0, false);
        pos = i + 1;
        continue;
      }
      if (q.formsOf !== this.id) {
        q.forms = null;
        q.formsOf = this.id;
      }
      const forms = q.forms;
      if (forms !== null) {
        const gt = s.indexOf('>', i);
        if (gt >= 0) {
          const len = gt + 1 - i;
          let form: TagForm | undefined;
          for (let f = 0; f < forms.length; f++) {
            const t = forms[f]!.text;
            if (t.length !== len) continue;
            const tb = forms[f]!.bytes;
            if (b !== null && tb !== null ? hasAt(s, b, i, t, tb) : s.startsWith(t, i)) {
              form = forms[f];
              break;
            }
          }
          if (form !== undefined) {
            this.open(q, form.attrs, form.na, form.selfClose);
            pos = gt + 1;
            continue;
          }
        }
      }
      const tail = i;
      const names = this.scratch.names;
      const values = this.scratch.values;
      const interned = this.scratch.interned;
      let na = 0;
      let selfClose = false;
      let complete = false;
      for (;;) {
        while (i < n && isWs(cc(s, b, i))) i++;
        if (i >= n) break;
        const c = cc(s, b, i);
        if (c === 62) {
          i++;
          complete = true;
          break;
        }
        if (c === 47) {
          if (i + 1 >= n) break;
          if (cc(s, b, i + 1) !== 62) throw new XmlError('malformed start tag');
          i += 2;
          selfClose = true;
          complete = true;
          break;
        }
        const a0 = i;
        let ah = 0;
        while (i < n) {
          const d = cc(s, b, i);
          if (d === 61 || isWs(d)) break;
          if (d === 60 || d === 62 || d === 34 || d === 39 || d === 47) throw new XmlError('malformed attribute');
          ah = (Math.imul(ah, 31) + d) | 0;
          i++;
        }
        const a1 = i;
        while (i < n && isWs(cc(s, b, i))) i++;
        if (i >= n) break;
        if (a1 === a0 || cc(s, b, i) !== 61) throw new XmlError('malformed attribute');
        i++;
        while (i < n && isWs(cc(s, b, i))) i++;
        if (i >= n) break;
        const qc = cc(s, b, i);
        if (qc !== 34 && qc !== 39) throw new XmlError('unquoted attribute value');
        const an = qnameAt(s, b, a0, a1, ah);
        let qe: number;
        let iv: Value | null = null;
        if (an.internValue) {
          // Short values worth interning: scan them here, hashing as for names.
          let vh = 0;
          let amp = false;
          qe = i + 1;
          while (qe < n) {
            const d = cc(s, b, qe);
            if (d === qc) break;
            if (d === 60) throw new XmlError('< in attribute value');
            if (d === 38) amp = true;
            vh = (Math.imul(vh, 31) + d) | 0;
            qe++;
          }
          if (qe >= n) break;
          iv = amp ? newValue(decodeEntities(s.slice(i + 1, qe))) : valueAt(s, b, i + 1, qe, vh);
          values[na] = iv.raw;
        } else {
          qe = s.indexOf(qc === 34 ? '"' : "'", i + 1);
          if (qe < 0) break;
          if (nextLt !== -1 && nextLt < i) nextLt = s.indexOf('<', i);
          if (nextLt !== -1 && nextLt < qe) throw new XmlError('< in attribute value');
          if (nextAmp !== -1 && nextAmp < i) nextAmp = s.indexOf('&', i);
          const raw = s.slice(i + 1, qe);
          values[na] = nextAmp !== -1 && nextAmp < qe ? decodeEntities(raw) : raw;
        }
        names[na] = an;
        interned[na] = iv;
        na++;
        i = qe + 1;
      }
      if (!complete) return pos;
      if (na && i - tail <= FORM_MAX && this.forms < FORMS_PER_DOCUMENT) {
        this.forms++;
        const text = owned(s.slice(tail, i));
        const form: TagForm = {
          text,
          bytes: asciiBytes(text),
          na,
          selfClose,
          attrs: { names: names.slice(0, na), values: values.slice(0, na).map(owned), interned: interned.slice(0, na) },
        };
        if (!q.forms) q.forms = [form];
        else if (q.forms.length < FORMS_PER_NAME) q.forms.push(form);
        else q.forms[this.forms % FORMS_PER_NAME] = form;
      }
      this.open(q, this.scratch, na, selfClose);
      pos = i;
    }
    return pos;
  }

  private open(q: QName, attrs: Attrs, na: number, selfClose: boolean): void {
    const depth = this.ancestors.length;
    if (this.done || (this.root && !depth)) throw new XmlError('more than one document element');
    if (depth >= MAX_DEPTH) throw new XmlError('elements nested too deeply');
    let scope = depth ? this.scopes[depth - 1]! : this.rootScope;
    const names = attrs.names;
    const values = attrs.values;
    // Namespace declarations first: they apply to the element's own name and attributes.
    let nd = 0;
    for (let k = 0; k < na; k++) {
      const an = names[k]!;
      if (an.xmlns === 0) continue;
      const uri = values[k]!;
      if (an.xmlns === 2 && uri === '') throw new XmlError(`empty namespace for prefix ${an.decl}`);
      this.decls[nd++] = an.decl;
      this.decls[nd++] = uri;
    }
    if (nd) scope = scope.child(this.decls, nd);

    let ns: string | undefined;
    if (q.colon >= 0) {
      ns = scope.lookup(q.prefix);
      if (ns === undefined) throw new XmlError(`undeclared namespace prefix ${q.prefix}`);
    } else {
      ns = scope.defaultNs;
    }
    if (!q.local) throw new XmlError(`bad element name ${JSON.stringify(q.raw)}`);
    const node: XNode = { name: q.local, ns, attrs: null, type: undefined, typeNs: undefined, text: '', kids: null };
    for (let k = 0; k < na; k++) {
      const an = names[k]!;
      if (an.xmlns !== 0) continue;
      const av = values[k]!;
      if (an.colon < 0) {
        (node.attrs ??= {})[an.raw] = av;
        continue;
      }
      const auri = scope.lookup(an.prefix);
      if (auri === undefined) throw new XmlError(`undeclared namespace prefix ${an.prefix}`);
      if (auri === NS.xsi && an.local === 'type') {
        const t = splitType(attrs.interned[k] ?? newValue(av));
        if (t.colon >= 0) {
          const turi = scope.lookup(t.prefix);
          if (turi === undefined) throw new XmlError(`undeclared namespace prefix ${t.prefix} in xsi:type`);
          node.type = t.local;
          node.typeNs = turi;
        } else {
          node.type = t.local;
          node.typeNs = scope.defaultNs;
        }
      } else {
        (node.attrs ??= {})[`{${auri}}${an.local}`] = av;
      }
    }

    if (!depth) this.root = node;
    else if (this.skipSubtree?.(node, this.ancestors)) {
      if (selfClose) this.lastClosed = q;
      else {
        this.skipping.push(q);
        this.lastClosed = null;
      }
      return;
    }
    this.scopes[depth] = scope;
    this.qnames[depth] = q;
    this.ancestors.push(node);
    this.lastClosed = null;
    if (selfClose) this.close();
  }

  private close(): void {
    this.lastClosed = this.qnames[this.ancestors.length - 1]!;
    const node = this.ancestors.pop()!;
    const parent = this.ancestors[this.ancestors.length - 1];
    if (!parent) {
      this.done = true;
      return;
    }
    if (this.emit && this.emit(node, this.ancestors)) return;
    // Most parents have one or two children: arrays of exactly that size, not push()'s 16 slots.
    const kids = parent.kids;
    if (kids === null) parent.kids = [node];
    else if (kids.length === 1) parent.kids = [kids[0]!, node];
    else kids.push(node);
  }
}

/** Parse a complete document with the incremental parser. */
export function parseStream(text: string, emit?: EmitFn, skip?: SkipFn): XNode {
  assertNoDoctype(text);
  const p = new XmlStreamParser(emit, skip);
  p.write(text);
  return p.end();
}

// ---------------------------------------------------------------------------------------------
// fast-xml-parser based document parser

const fxp = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  commentPropName: false,
  removeNSPrefix: false,
  allowBooleanAttributes: false,
  maxNestedTags: MAX_DEPTH,
});

type FxpItem = Record<string, unknown>;

function fromFxp(item: FxpItem, parentScope: Scope, depth: number): XNode {
  let qname: string | undefined;
  for (const k of Object.keys(item)) {
    if (k !== ':@') {
      qname = k;
      break;
    }
  }
  if (!qname || qname === '#text' || qname === '#cdata') throw new XmlError('unexpected node');
  const rawAttrObj = item[':@'] as Record<string, string> | undefined;
  let raw: string[] | null = null;
  if (rawAttrObj) {
    raw = [];
    for (const [k, v] of Object.entries(rawAttrObj)) {
      if (typeof v !== 'string') throw new XmlError('attribute without value');
      if (v.indexOf('<') >= 0) throw new XmlError('< in attribute value');
      raw.push(k, decodeEntities(v));
    }
  }
  const scope = scopeFor(raw, parentScope);
  const node = makeNode(qname, raw, scope);
  if (depth > MAX_DEPTH) throw new XmlError('elements nested too deeply');
  const kids = item[qname] as FxpItem[];
  for (const k of kids) {
    if ('#text' in k) node.text += decodeEntities(String(k['#text']));
    else if ('#cdata' in k) {
      for (const t of k['#cdata'] as FxpItem[]) node.text += String(t['#text'] ?? '');
    } else (node.kids ??= []).push(fromFxp(k, scope, depth + 1));
  }
  return node;
}

/** Parse a complete (small) document with fast-xml-parser, after validating it is well formed. */
export function parseDocument(text: string): XNode {
  assertNoDoctype(text);
  const v = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (v !== true) throw new XmlError(`malformed XML: ${v.err.msg} (line ${v.err.line})`);
  const out = fxp.parse(text) as FxpItem[];
  const elems = out.filter((i) => !('#text' in i));
  for (const t of out) if ('#text' in t && /[^ \t\r\n]/.test(String(t['#text']))) throw new XmlError('text outside the document element');
  if (elems.length !== 1) throw new XmlError(elems.length ? 'more than one document element' : 'no document element');
  return fromFxp(elems[0]!, ROOT_SCOPE, 1);
}

// ---------------------------------------------------------------------------------------------
// Tree helpers

export function child(n: XNode | undefined, name: string): XNode | undefined {
  const k = n?.kids;
  if (!k) return undefined;
  for (let i = 0; i < k.length; i++) if (k[i]!.name === name) return k[i];
  return undefined;
}

export function children(n: XNode | undefined, name: string): XNode[] {
  const k = n?.kids;
  if (!k) return [];
  const out: XNode[] = [];
  for (let i = 0; i < k.length; i++) if (k[i]!.name === name) out.push(k[i]!);
  return out;
}

/** Text of a child element (or of n itself when name is omitted). */
export function text(n: XNode | undefined, name?: string): string | undefined {
  const c = name === undefined ? n : child(n, name);
  return c ? c.text : undefined;
}

export function num(n: XNode | undefined, name?: string): number | undefined {
  const t = text(n, name);
  if (t === undefined || t.trim() === '') return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

export function bool(n: XNode | undefined, name?: string): boolean | undefined {
  const t = text(n, name)?.trim();
  if (t === undefined || t === '') return undefined;
  return t === 'true' || t === '1';
}

/** Follow a dotted path of child names. */
export function path(n: XNode | undefined, p: string): XNode | undefined {
  let cur = n;
  let start = 0;
  while (cur) {
    const dot = p.indexOf('.', start);
    const seg = dot < 0 ? p.slice(start) : p.slice(start, dot);
    cur = child(cur, seg);
    if (dot < 0) return cur;
    start = dot + 1;
  }
  return undefined;
}

export interface MoRef {
  type: string;
  value: string;
}

/** A ManagedObjectReference element: text is the id, attribute `type` the type. */
export function moref(n: XNode | undefined): MoRef | undefined {
  if (!n) return undefined;
  const type = n.attrs?.['type'];
  const value = n.text.trim();
  if (!type || !value) return undefined;
  return { type, value };
}

/** Values of an array-valued property: ArrayOfX wrapper children, or repeated elements. */
export function items(n: XNode | undefined): XNode[] {
  if (!n) return [];
  if (n.type && n.type.startsWith('ArrayOf')) return n.kids ?? [];
  return [n];
}
