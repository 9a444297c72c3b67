// The filter expression language shared by the CLI (--filter) and the TUI (f):
//   name~web power:off cluster:prod ip:10.1. owner:none tag:pci os:win net:vlan120 cpu>=4 -tag:test
// Terms are ANDed; a comma inside a value ORs alternatives; a leading "-" or "!" negates a term;
// a bare word matches name, IP or hostname. Operators: ":" contains (prefix for IPs, exact for
// enumerations), "=" exact, "~" regular expression, "!=" not equal, ">" ">=" "<" "<=" numbers.
import { VmiError } from '../errors.js';
import type { VmView } from './vm.js';

type Kind = 'text' | 'list' | 'ip' | 'enum' | 'number' | 'bool' | 'owner';
type Op = ':' | '=' | '!=' | '~' | '>' | '>=' | '<' | '<=';

interface Field {
  name: string;
  aliases: string[];
  kind: Kind;
  help: string;
  example: string;
  get: (v: VmView) => unknown;
  /** For enums: user spellings to stored values. */
  values?: Record<string, string>;
  /** For numbers: parses the user's value (with units) into the stored unit. */
  unit?: (s: string) => number;
}

function sizeGB(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b?)?$/i.exec(s.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const u = (m[2] ?? 'g')[0].toLowerCase();
  return u === 'k' ? n / 1024 / 1024 : u === 'm' ? n / 1024 : u === 't' ? n * 1024 : n;
}

export const FILTER_FIELDS: Field[] = [
  { name: 'name', aliases: ['vm'], kind: 'text', help: 'VM name', example: 'name~^web-', get: (v) => v.name },
  { name: 'ip', aliases: ['addr'], kind: 'ip', help: 'any guest or manual IP address (":" matches a prefix)', example: 'ip:10.1.', get: (v) => v.ips },
  { name: 'uuid', aliases: ['id'], kind: 'list', help: 'instance or BIOS UUID, or the object id in its source', example: 'uuid:4211', get: (v) => [v.instanceUuid, v.biosUuid, v.ref].filter(Boolean) },
  { name: 'owner', aliases: [], kind: 'owner', help: 'technical or business owner name or e-mail; "none" = neither set', example: 'owner:none', get: (v) => [v.technicalOwner, v.businessOwner] },
  { name: 'towner', aliases: ['technical'], kind: 'owner', help: 'technical owner name or e-mail; "none" = not set', example: 'towner:alice', get: (v) => [v.technicalOwner] },
  { name: 'bowner', aliases: ['business'], kind: 'owner', help: 'business owner name or e-mail; "none" = not set', example: 'bowner:none', get: (v) => [v.businessOwner] },
  { name: 'tag', aliases: ['tags'], kind: 'list', help: 'a tag, or a source attribute as key:value (":" and "=" match a whole tag)', example: 'tag:pci', get: (v) => (v.attributes.length ? [...v.tags, ...v.attributes] : v.tags) },
  { name: 'attr', aliases: ['category', 'cat'], kind: 'list', help: 'a source attribute or Nutanix category, as key:value', example: 'category=Environment:Production', get: (v) => v.attributes },
  { name: 'power', aliases: ['state'], kind: 'enum', help: 'power state: on, off, suspended', example: 'power:off', get: (v) => v.power,
    values: { on: 'poweredOn', off: 'poweredOff', suspended: 'suspended', poweredon: 'poweredOn', poweredoff: 'poweredOff', unknown: 'unknown' } },
  { name: 'os', aliases: ['guest'], kind: 'text', help: 'guest OS (effective: a manual override wins)', example: 'os:win', get: (v) => v.os },
  { name: 'osfamily', aliases: ['family'], kind: 'enum', help: 'OS family: windows, linux, other, unknown', example: 'family:linux', get: (v) => v.osFamily,
    values: { windows: 'windows', win: 'windows', linux: 'linux', other: 'other', unknown: 'unknown' } },
  { name: 'net', aliases: ['network', 'portgroup'], kind: 'list', help: 'a network or portgroup name', example: 'net:vlan120', get: (v) => v.networks },
  { name: 'cluster', aliases: [], kind: 'text', help: 'cluster (effective)', example: 'cluster:prod', get: (v) => v.cluster },
  { name: 'host', aliases: ['esx'], kind: 'text', help: 'ESXi or AHV host', example: 'host:esx01', get: (v) => v.host },
  { name: 'hostname', aliases: ['fqdn'], kind: 'text', help: 'guest hostname (effective)', example: 'hostname:.corp', get: (v) => v.hostname },
  { name: 'datacenter', aliases: ['dc'], kind: 'text', help: 'datacenter', example: 'dc:ams', get: (v) => v.datacenter },
  { name: 'datastore', aliases: ['ds'], kind: 'list', help: 'a datastore holding the VM', example: 'ds:san01', get: (v) => v.datastores },
  { name: 'vcenter', aliases: ['source', 'src'], kind: 'text', help: 'source (vCenter or Prism Central) name', example: 'vcenter:vc-prod', get: (v) => v.source },
  { name: 'platform', aliases: [], kind: 'enum', help: 'vsphere, nutanix, ingest or demo', example: 'platform:nutanix', get: (v) => v.platform,
    values: { vsphere: 'vsphere', vmware: 'vsphere', nutanix: 'nutanix', ingest: 'ingest', demo: 'demo' } },
  { name: 'project', aliases: [], kind: 'text', help: 'project (manual)', example: 'project:erp', get: (v) => v.project },
  { name: 'env', aliases: ['environment'], kind: 'text', help: 'environment (manual)', example: 'env:prod', get: (v) => v.environment },
  { name: 'notes', aliases: ['note'], kind: 'text', help: 'notes (manual)', example: 'notes~decom', get: (v) => v.notes },
  { name: 'cpu', aliases: ['vcpu', 'cpus'], kind: 'number', help: 'vCPUs', example: 'cpu>=8', get: (v) => v.cpus, unit: Number },
  { name: 'mem', aliases: ['memory', 'ram'], kind: 'number', help: 'memory in GB (units k, m, g, t accepted)', example: 'mem>16', get: (v) => v.memoryMB / 1024, unit: sizeGB },
  { name: 'disk', aliases: ['storage'], kind: 'number', help: 'total disk size in GB (units accepted)', example: 'disk>1t', get: (v) => v.diskGB, unit: sizeGB },
  { name: 'template', aliases: [], kind: 'bool', help: 'is a template: true or false', example: 'template:false', get: (v) => v.template },
  { name: 'deleted', aliases: [], kind: 'bool', help: 'gone from its source (kept, never purged); without this term deleted VMs are hidden', example: 'deleted:true', get: (v) => v.deletedAt !== null },
  { name: 'overridden', aliases: ['override'], kind: 'list', help: 'has a manual override of power, cluster, hostname or os', example: 'overridden:os', get: (v) => v.overridden },
];

const byName = new Map<string, Field>();
for (const f of FILTER_FIELDS) for (const n of [f.name, ...f.aliases]) byName.set(n, f);

export type Predicate = (v: VmView) => boolean;

export interface ParsedFilter {
  source: string;
  test: Predicate;
  /** True when the expression says something about deleted VMs; otherwise they are hidden. */
  mentionsDeleted: boolean;
  /** The terms (ANDed), for evaluators that answer terms from columns of values. */
  terms: TermPlan[];
}

/**
 * How one alternative of a term can be answered from a column of every VM's values (the TUI
 * keeps such columns, see ui/vmcolumns.ts); `match` is the same test on one VM, which decides.
 */
export interface ColumnQuery {
  /** A FILTER_FIELDS name. */
  field: string;
  /** Match the lower-cased values (else the values as stored). */
  lower: boolean;
  mode: 'contains' | 'prefix' | 'equal' | 'regex' | 'number';
  needle?: string;
  re?: RegExp;
  cmp?: (x: number) => boolean;
  /** The alternative holds for the VMs this query does NOT match ("!="). */
  invert: boolean;
  match: Predicate;
}

export interface AltPlan {
  test: Predicate;
  /** Any of these (a bare word looks at three fields); null = answered per VM only. */
  cols: ColumnQuery[] | null;
}

export interface TermPlan {
  /** The whole term, negation included. */
  test: Predicate;
  negate: boolean;
  alts: AltPlan[];
}

export function fieldGetter(name: string): (v: VmView) => unknown {
  return byName.get(name)!.get;
}

function fail(msg: string, col: number): never {
  throw new VmiError('filter-invalid', `filter: ${msg} at column ${col + 1} (see "vmi help filters")`);
}

interface Token { text: string; col: number }

/** Splits on whitespace outside quotes; quotes are kept for the term parser. */
function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    while (i < src.length && /\s/.test(src[i])) i++;
    if (i >= src.length) break;
    const start = i;
    let text = '';
    while (i < src.length && !/\s/.test(src[i])) {
      const ch = src[i];
      if (ch === '"' || ch === "'") {
        const end = src.indexOf(ch, i + 1);
        if (end < 0) fail('unterminated quote', i);
        text += src.slice(i, end + 1);
        i = end + 1;
      } else {
        text += ch;
        i++;
      }
    }
    out.push({ text, col: start });
  }
  return out;
}

function unquote(s: string): string {
  return s.replace(/"([^"]*)"|'([^']*)'/g, (_m, a, b) => a ?? b);
}

const lower = (x: unknown): string => (typeof x === 'string' ? x.toLowerCase() : x === undefined || x === null ? '' : String(x).toLowerCase());

// The predicates below run once per VM per keystroke (100,000 VMs): they are plain loops over
// precompiled closures, with nothing allocated per call.

/** A text test for one operator, compiled once. */
function textTest(op: Op, needle: string, re: RegExp | null): (hay: unknown) => boolean {
  switch (op) {
    case ':': return (h) => lower(h).includes(needle);
    case '=': return (h) => lower(h) === needle;
    case '!=': return (h) => lower(h) !== needle;
    case '~': return (h) => re!.test(h === undefined || h === null ? '' : String(h));
    default: return () => false;
  }
}

function anyOf(items: string[], t: (s: string) => boolean): boolean {
  for (let i = 0; i < items.length; i++) if (t(items[i]!)) return true;
  return false;
}

function some(preds: Predicate[]): Predicate {
  if (preds.length === 1) return preds[0]!;
  return (v) => {
    for (let i = 0; i < preds.length; i++) if (preds[i]!(v)) return true;
    return false;
  };
}

function every(preds: Predicate[]): Predicate {
  if (preds.length === 0) return () => true;
  if (preds.length === 1) return preds[0]!;
  return (v) => {
    for (let i = 0; i < preds.length; i++) if (!preds[i]!(v)) return false;
    return true;
  };
}

function compileTerm(tok: Token): { plan: TermPlan; deleted: boolean } {
  let t = tok.text;
  let negate = false;
  if (t.startsWith('-') || t.startsWith('!')) {
    negate = true;
    t = t.slice(1);
  }
  const m = /^([A-Za-z_][\w.]*)(!=|>=|<=|:|=|~|>|<)(.*)$/s.exec(t);
  let alts: AltPlan[];
  let deleted = false;
  if (!m) {
    // A bare word: name, IP or hostname contains it.
    const w = unquote(t).toLowerCase();
    if (!w) fail('empty term', tok.col);
    const ipPrefix = (ip: string) => ip.startsWith(w);
    const inName = (v: VmView) => v.name.toLowerCase().includes(w);
    const inIps = (v: VmView) => anyOf(v.ips, ipPrefix);
    const inHostname = (v: VmView) => lower(v.hostname).includes(w);
    alts = [{
      test: (v) => inName(v) || inIps(v) || inHostname(v),
      cols: [
        { field: 'name', lower: true, mode: 'contains', needle: w, invert: false, match: inName },
        { field: 'ip', lower: false, mode: 'prefix', needle: w, invert: false, match: inIps },
        { field: 'hostname', lower: true, mode: 'contains', needle: w, invert: false, match: inHostname },
      ],
    }];
  } else {
    const [, fname, op0, raw] = m;
    const op = op0 as Op;
    const field = byName.get(fname.toLowerCase());
    if (!field) fail(`unknown field "${fname}"`, tok.col);
    if (field.name === 'deleted') deleted = true;
    const value = unquote(raw);
    if (value === '') fail(`"${fname}${op}" needs a value`, tok.col + t.indexOf(op0) + (negate ? 1 : 0));
    const values = op === '~' ? [value] : value.split(',').map((s) => s.trim()).filter(Boolean);
    alts = values.map((a) => compileValue(field, op, a, tok));
  }
  const any = some(alts.map((a) => a.test));
  return { plan: { test: negate ? (v) => !any(v) : any, negate, alts }, deleted };
}

/** A regular expression that finds the same values in a column of newline-separated values
 * (no lookaround, which could see past a value's end); null when there is none. */
function columnRegex(re: RegExp): RegExp | null {
  return /\(\?<?[=!]/.test(re.source) ? null : new RegExp(re.source, 'gim');
}

function compileValue(field: Field, op: Op, value: string, tok: Token): AltPlan {
  const get = field.get;
  const v = value.toLowerCase();
  const numericOp = op === '>' || op === '>=' || op === '<' || op === '<=';
  if (numericOp && field.kind !== 'number') fail(`"${op}" works on numbers; ${field.name} is not one`, tok.col);
  let re: RegExp | null = null;
  if (op === '~') {
    try {
      re = new RegExp(value, 'i');
    } catch {
      fail(`bad regular expression "${value}"`, tok.col);
    }
  }
  const perVm = (test: Predicate): AltPlan => ({ test, cols: null });
  /** One column query: `match` is the positive test, the alternative is its inverse for "!=". */
  const col = (q: Omit<ColumnQuery, 'field' | 'invert' | 'match'>, match: Predicate, invert = false): AltPlan => ({
    test: invert ? (x) => !match(x) : match,
    cols: [{ field: field.name, invert, match, ...q }],
  });
  switch (field.kind) {
    case 'text': {
      const tt = textTest(op === '!=' ? '=' : op, v, re);
      const match = (x: VmView) => tt(get(x));
      if (op === ':') return col({ lower: true, mode: 'contains', needle: v }, match);
      if (op === '=' || op === '!=') return col({ lower: true, mode: 'equal', needle: v }, match, op === '!=');
      const cre = columnRegex(re!);
      return cre ? col({ lower: false, mode: 'regex', re: cre }, match) : perVm(match);
    }
    case 'list': {
      const items = get as (x: VmView) => string[];
      const eq = (i: string) => i.toLowerCase() === v;
      const hasEq = (x: VmView) => anyOf(items(x), eq);
      if (op === '!=') return col({ lower: true, mode: 'equal', needle: v }, hasEq, true);
      if ((field.name === 'tag' && op === ':') || op === '=') return col({ lower: true, mode: 'equal', needle: v }, hasEq);
      const tt = textTest(op, v, re);
      const match = (x: VmView) => anyOf(items(x), tt);
      if (op === ':') return col({ lower: true, mode: 'contains', needle: v }, match);
      return perVm(match);
    }
    case 'ip': {
      const items = get as (x: VmView) => string[];
      const eq = (i: string) => i.toLowerCase() === v;
      const hasEq = (x: VmView) => anyOf(items(x), eq);
      if (op === ':') {
        const prefix = (i: string) => i.toLowerCase().startsWith(v);
        return col({ lower: true, mode: 'prefix', needle: v }, (x) => anyOf(items(x), prefix));
      }
      if (op === '!=') return col({ lower: true, mode: 'equal', needle: v }, hasEq, true);
      if (op === '=') return col({ lower: true, mode: 'equal', needle: v }, hasEq);
      const tt = textTest(op, v, re);
      return perVm((x) => anyOf(items(x), tt));
    }
    case 'owner': {
      const owners = get as (x: VmView) => (VmView['technicalOwner'])[];
      const none = (x: VmView) => {
        for (const o of owners(x)) if (o) return false;
        return true;
      };
      if (v === 'none') {
        if (op === ':' || op === '=') return perVm(none);
        if (op === '!=') return perVm((x) => !none(x));
      }
      if (v === 'any') return perVm((x) => !none(x));
      const tt = textTest(op === '!=' ? '=' : op, v, re);
      const one = (x: VmView) => {
        for (const o of owners(x)) if (o && (tt(o.name) || tt(o.email))) return true;
        return false;
      };
      return perVm(op === '!=' ? (x) => !one(x) : one);
    }
    case 'enum': {
      if (op === '~') return perVm((x) => re!.test(String(get(x))));
      const want = field.values![v];
      if (!want) fail(`${field.name} is one of ${[...new Set(Object.keys(field.values!))].join(', ')}; not "${value}"`, tok.col);
      return col({ lower: false, mode: 'equal', needle: want }, (x) => get(x) === want, op === '!=');
    }
    case 'bool': {
      if (!['true', 'false', 'yes', 'no'].includes(v)) fail(`${field.name} takes true or false, not "${value}"`, tok.col);
      const want = v === 'true' || v === 'yes';
      return perVm(op === '!=' ? (x) => get(x) !== want : (x) => get(x) === want);
    }
    case 'number': {
      const n = field.unit!(value);
      if (!Number.isFinite(n)) fail(`${field.name} needs a number, not "${value}"`, tok.col);
      const eps = 1e-9;
      const num = get as (x: VmView) => number;
      if (op === '~') return perVm((x) => re!.test(String(get(x))));
      const cmp: (a: number) => boolean =
        op === '>' ? (a) => a > n + eps
          : op === '>=' ? (a) => a >= n - eps
            : op === '<' ? (a) => a < n - eps
              : op === '<=' ? (a) => a <= n + eps
                : op === '!=' ? (a) => Math.abs(a - n) > eps
                  : (a) => Math.abs(a - n) <= eps;
      return col({ lower: false, mode: 'number', cmp }, (x) => cmp(num(x)));
    }
  }
}

/** Parses an expression once; the predicate is then cheap to run over many VMs. */
export function parseFilter(src: string): ParsedFilter {
  const compiled = tokenize(src).map(compileTerm);
  const mentionsDeleted = compiled.some((t) => t.deleted);
  const terms = compiled.map((t) => t.plan);
  const base = every(terms.map((t) => t.test));
  return {
    source: src,
    mentionsDeleted,
    terms,
    test: mentionsDeleted ? base : (v) => v.deletedAt === null && base(v),
  };
}

export function filterVms(vms: VmView[], expr: string | undefined): VmView[] {
  const f = parseFilter(expr ?? '');
  return vms.filter(f.test);
}

/** The text of "vmi help filters": every field, its aliases and an example, from the one registry. */
export function filterHelp(): string {
  const rows = FILTER_FIELDS.map((f) => [f.name + (f.aliases.length ? ` (${f.aliases.join(', ')})` : ''), f.help, f.example]);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return [
    'Filter expressions: terms separated by spaces, all must match.',
    '  field:value   contains (IP: starts with; tag, power, platform, family: equals)',
    '  field=value   equals            field!=value   does not equal',
    '  field~regex   regular expression, case-insensitive',
    '  field>n  field>=n  field<n  field<=n   numbers (cpu, mem, disk)',
    '  a,b           either value      -term or !term   negation',
    '  word          bare word: name, IP or hostname contains it',
    '  "two words"   quotes keep spaces in a value',
    '',
    'Fields:',
    ...rows.map((r) => `  ${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`),
    '',
    'Example: power:off cluster:prod owner:none -tag:decom mem>=16',
  ].join('\n');
}
