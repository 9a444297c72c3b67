// The stream parser's intern tables: names and values shared by identity, so comparing them is
// comparing pointers and 10,000 VMs' names cost one string each.
import { NS } from './xmlcore.js';

export const MAX_CARRY = 8 * 1024 * 1024;

export function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * A copy of s for the intern tables, so it never pins the page it was cut from; also a flat
 * sequential string (not a slice), which keeps the character comparisons of hasAt() fast.
 */
export function owned(s: string): string {
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
export interface QName {
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
export interface Attrs {
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
export interface TagForm {
  text: string;
  /** text as bytes, when ASCII (see cc()). */
  bytes: Uint8Array | null;
  na: number;
  selfClose: boolean;
  attrs: Attrs;
}

/** Forms kept per element name and per document, and the longest tag text kept. */
export const FORMS_PER_NAME = 32;
export const FORMS_PER_DOCUMENT = 2048;
export const FORM_MAX = 200;
let parsers = 0;
/** A new id for each stream parser (its forms are told apart by it). */
export function nextParserId(): number {
  return ++parsers;
}

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
export interface Value {
  raw: string;
  bytes: Uint8Array | null;
  /** -2 until split; then the index of ':' in the trimmed value, or -1. */
  colon: number;
  prefix: string;
  local: string;
}

export function newValue(raw: string, intern = false): Value {
  return { raw, bytes: intern ? asciiBytes(raw) : null, colon: -2, prefix: '', local: '' };
}

/** The xsi:type reading of a value: [prefix, local] split at the first ':' after trimming. */
export function splitType(v: Value): Value {
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
export const QNAMES: Array<QName | undefined> = new Array(INTERN_SLOTS).fill(undefined);
const VALUES: Array<Value | undefined> = new Array(INTERN_SLOTS).fill(undefined);

/**
 * Character code at i of s, read from b when given: b holds the bytes s was decoded from, and
 * the parser passes it only when s is all ASCII (same length), where reading a byte array is
 * several times cheaper than charCodeAt().
 */
export function cc(s: string, b: Uint8Array | null, i: number): number {
  return b !== null ? b[i]! : s.charCodeAt(i);
}

/** ASCII bytes of an interned string (null when it is not ASCII). */
export function asciiBytes(s: string): Uint8Array | null {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return null;
  return Buffer.from(s, 'latin1');
}

/** Whether s (or its bytes b) has `word` (bytes wb) at position at. For short words this loop beats startsWith(), a builtin call. */
export function hasAt(s: string, b: Uint8Array | null, at: number, word: string, wb: Uint8Array | null): boolean {
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
export function qnameAt(s: string, b: Uint8Array | null, start: number, end: number, h: number): QName {
  const len = end - start;
  if (len > INTERN_MAX) return newQName(s.slice(start, end));
  const k = slot(h, len);
  const e = QNAMES[k];
  if (e !== undefined && e.raw.length === len && hasAt(s, b, start, e.raw, e.bytes)) return e;
  const q = newQName(owned(s.slice(start, end)));
  q.slot = k;
  return (QNAMES[k] = q);
}

export function valueAt(s: string, b: Uint8Array | null, start: number, end: number, h: number): Value {
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
export function objectArray<T>(): T[] {
  const a = [{}] as unknown as T[];
  a.pop();
  return a;
}
