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
import { MAX_DEPTH, type XNode, XmlError, decodeEntities, assertNoDoctype, Scope, ROOT_SCOPE, scopeFor, makeNode } from './xmlcore.js';

export * from './xmlcore.js';
export { parseStream, XmlStreamParser, type EmitFn, type SkipFn } from './xmlstream.js';

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
