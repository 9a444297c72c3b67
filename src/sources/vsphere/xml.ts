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
  private buf = '';
  /** Open elements, root first, with their scopes and raw names (parallel arrays). */
  private ancestors: XNode[] = [];
  private scopes: Scope[] = [];
  private qnames: string[] = [];
  private root: XNode | null = null;
  private done = false;
  /** Open element names inside a skipped subtree (empty when not skipping). */
  private skipping: string[] = [];

  constructor(
    private readonly emit?: EmitFn,
    private readonly skipSubtree?: SkipFn,
  ) {}

  write(chunk: string): void {
    this.buf = this.buf.length ? this.buf + chunk : chunk;
    const consumed = this.run(this.buf);
    this.buf = consumed >= this.buf.length ? '' : this.buf.slice(consumed);
    // Only an unfinished tag, comment or entity is carried over: bound it, or a hostile server
    // could make every chunk rescan an ever-growing tail.
    if (this.buf.length > MAX_CARRY) throw new XmlError('markup construct too large');
  }

  end(): XNode {
    if (this.buf.length && /[^ \t\r\n]/.test(this.buf)) {
      throw new XmlError(this.ancestors.length ? 'document truncated' : 'content after the document element');
    }
    if (this.ancestors.length || this.skipping.length || !this.root) throw new XmlError('document truncated');
    return this.root;
  }

  /** Skip mode: track tag balance only. Returns the position reached (incomplete input stops early). */
  private runSkip(s: string, pos: number): number {
    const n = s.length;
    const open = this.skipping;
    while (open.length) {
      const lt = s.indexOf('<', pos);
      if (lt < 0 || lt + 1 >= n) return lt < 0 ? n : lt;
      pos = lt;
      const c1 = s.charCodeAt(lt + 1);
      if (c1 === 47) {
        const gt = s.indexOf('>', lt + 2);
        if (gt < 0) return pos;
        const q = s.slice(lt + 2, gt).trim();
        const expected = open.pop();
        if (q !== expected) throw new XmlError(`mismatched </${q}>, expected </${expected}>`);
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
      let i = lt + 1;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (isWs(c) || c === 62 || c === 47) break;
        i++;
      }
      const qname = s.slice(lt + 1, i);
      // Find the end of the start tag, stepping over quoted attribute values.
      let end = -1;
      while (i < n) {
        const c = s.charCodeAt(i);
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
      if (s.charCodeAt(end - 1) !== 47) open.push(qname);
      pos = end + 1;
    }
    return pos;
  }

  /** Character data (never contains '<': it was cut at one). */
  private appendText(raw: string): void {
    const top = this.ancestors[this.ancestors.length - 1];
    if (!top) {
      for (let i = 0; i < raw.length; i++) if (!isWs(raw.charCodeAt(i))) throw new XmlError(this.done ? 'content after the document element' : 'text outside the document element');
      return;
    }
    top.text += raw.indexOf('&') === -1 ? raw : decodeEntities(raw);
  }

  /** Processes complete constructs in s; returns the index of the first unprocessed character. */
  private run(s: string): number {
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      if (this.skipping.length) {
        pos = this.runSkip(s, pos);
        if (this.skipping.length) return pos;
        continue;
      }
      const lt = s.indexOf('<', pos);
      if (lt < 0) {
        // Text up to the end: take it now, except an entity reference cut by the chunk boundary.
        if (!this.ancestors.length) {
          this.appendText(s.slice(pos));
          return n;
        }
        let end = n;
        const amp = s.lastIndexOf('&');
        if (amp >= pos && s.indexOf(';', amp) < 0) end = amp;
        if (end > pos) this.appendText(s.slice(pos, end));
        return end;
      }
      if (lt > pos) this.appendText(s.slice(pos, lt));
      pos = lt;
      if (lt + 1 >= n) return pos;
      const c1 = s.charCodeAt(lt + 1);
      if (c1 === 47 /* / */) {
        const gt = s.indexOf('>', lt + 2);
        if (gt < 0) return pos;
        const expected = this.qnames[this.qnames.length - 1];
        let ok = expected !== undefined && s.startsWith(expected, lt + 2);
        if (ok) for (let k = lt + 2 + expected!.length; k < gt; k++) if (!isWs(s.charCodeAt(k))) ok = false;
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
      // Start tag.
      let i = lt + 1;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (isWs(c) || c === 62 || c === 47) break;
        i++;
      }
      if (i >= n) return pos;
      const qname = s.slice(lt + 1, i);
      if (!qname) throw new XmlError('empty element name');
      let attrs: string[] | null = null;
      let selfClose = false;
      let complete = false;
      for (;;) {
        while (i < n && isWs(s.charCodeAt(i))) i++;
        if (i >= n) break;
        const c = s.charCodeAt(i);
        if (c === 62) {
          i++;
          complete = true;
          break;
        }
        if (c === 47) {
          if (i + 1 >= n) break;
          if (s.charCodeAt(i + 1) !== 62) throw new XmlError('malformed start tag');
          i += 2;
          selfClose = true;
          complete = true;
          break;
        }
        const eq = s.indexOf('=', i);
        if (eq < 0) break;
        const an = s.slice(i, eq).trim();
        if (!an || /[\s<>"'/]/.test(an)) throw new XmlError('malformed attribute');
        let q = eq + 1;
        while (q < n && isWs(s.charCodeAt(q))) q++;
        if (q >= n) break;
        const qc = s.charCodeAt(q);
        if (qc !== 34 && qc !== 39) throw new XmlError('unquoted attribute value');
        const qe = s.indexOf(qc === 34 ? '"' : "'", q + 1);
        if (qe < 0) break;
        const raw = s.slice(q + 1, qe);
        if (raw.indexOf('<') >= 0) throw new XmlError('< in attribute value');
        (attrs ??= []).push(an, decodeEntities(raw));
        i = qe + 1;
      }
      if (!complete) return pos;
      this.open(qname, attrs, selfClose);
      pos = i;
    }
    return pos;
  }

  private open(qname: string, attrs: string[] | null, selfClose: boolean): void {
    const depth = this.ancestors.length;
    if (this.done || (this.root && !depth)) throw new XmlError('more than one document element');
    if (depth >= MAX_DEPTH) throw new XmlError('elements nested too deeply');
    const scope = scopeFor(attrs, depth ? this.scopes[depth - 1]! : ROOT_SCOPE);
    const node = makeNode(qname, attrs, scope);
    if (!depth) this.root = node;
    else if (this.skipSubtree?.(node, this.ancestors)) {
      if (!selfClose) this.skipping.push(qname);
      return;
    }
    this.ancestors.push(node);
    this.scopes.push(scope);
    this.qnames.push(qname);
    if (selfClose) this.close();
  }

  private close(): void {
    const node = this.ancestors.pop()!;
    this.scopes.pop();
    this.qnames.pop();
    const parent = this.ancestors[this.ancestors.length - 1];
    if (!parent) {
      this.done = true;
      return;
    }
    if (this.emit && this.emit(node, this.ancestors)) return;
    (parent.kids ??= []).push(node);
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
