// The incremental pull parser of property-collector pages (see xml.ts).
import { MAX_DEPTH, NS, type XNode, XmlError, decodeEntities, assertNoDoctype, Scope, ROOT_SCOPE } from './xmlcore.js';
import { MAX_CARRY, isWs, owned, type QName, type Attrs, type TagForm, FORMS_PER_NAME, FORMS_PER_DOCUMENT, FORM_MAX, nextParserId, type Value, newValue, splitType, QNAMES, cc, asciiBytes, hasAt, qnameAt, valueAt, objectArray } from './xmlnames.js';

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
  private readonly id = nextParserId();
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
