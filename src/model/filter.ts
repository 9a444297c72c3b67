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
  { name: 'tag', aliases: ['tags'], kind: 'list', help: 'a tag (":" and "=" match a whole tag)', example: 'tag:pci', get: (v) => v.tags },
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

const lower = (x: unknown) => (x === undefined || x === null ? '' : String(x).toLowerCase());

function textMatch(op: Op, hay: unknown, needle: string, re: RegExp | null): boolean {
  const h = lower(hay);
  switch (op) {
    case ':': return h.includes(needle);
    case '=': return h === needle;
    case '!=': return h !== needle;
    case '~': return re!.test(hay === undefined || hay === null ? '' : String(hay));
    default: return false;
  }
}

function compileTerm(tok: Token): { test: Predicate; deleted: boolean } {
  let t = tok.text;
  let negate = false;
  if (t.startsWith('-') || t.startsWith('!')) {
    negate = true;
    t = t.slice(1);
  }
  const m = /^([A-Za-z_][\w.]*)(!=|>=|<=|:|=|~|>|<)(.*)$/s.exec(t);
  let test: Predicate;
  let deleted = false;
  if (!m) {
    // A bare word: name, IP or hostname contains it.
    const w = unquote(t).toLowerCase();
    if (!w) fail('empty term', tok.col);
    test = (v) => v.name.toLowerCase().includes(w) || v.ips.some((ip) => ip.startsWith(w)) || lower(v.hostname).includes(w);
  } else {
    const [, fname, op0, raw] = m;
    const op = op0 as Op;
    const field = byName.get(fname.toLowerCase());
    if (!field) fail(`unknown field "${fname}"`, tok.col);
    if (field.name === 'deleted') deleted = true;
    const value = unquote(raw);
    if (value === '') fail(`"${fname}${op}" needs a value`, tok.col + t.indexOf(op0) + (negate ? 1 : 0));
    const alts = op === '~' ? [value] : value.split(',').map((s) => s.trim()).filter(Boolean);
    const tests = alts.map((a) => compileValue(field, op, a, tok));
    test = (v) => tests.some((x) => x(v));
  }
  return { test: negate ? (v) => !test(v) : test, deleted };
}

function compileValue(field: Field, op: Op, value: string, tok: Token): Predicate {
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
  switch (field.kind) {
    case 'text':
      return (x) => textMatch(op, get(x), v, re);
    case 'list':
      if (op === '!=') return (x) => !(get(x) as string[]).some((i) => i.toLowerCase() === v);
      if (field.name === 'tag' && op === ':') return (x) => (get(x) as string[]).some((i) => i.toLowerCase() === v);
      return (x) => (get(x) as string[]).some((i) => textMatch(op, i, v, re));
    case 'ip':
      if (op === ':') return (x) => (get(x) as string[]).some((i) => i.toLowerCase().startsWith(v));
      if (op === '!=') return (x) => !(get(x) as string[]).some((i) => i.toLowerCase() === v);
      return (x) => (get(x) as string[]).some((i) => textMatch(op, i, v, re));
    case 'owner': {
      const owners = (x: VmView) => (get(x) as (VmView['technicalOwner'])[]);
      if (v === 'none') {
        const none = (x: VmView) => owners(x).every((o) => !o);
        if (op === ':' || op === '=') return none;
        if (op === '!=') return (x) => !none(x);
      }
      if (v === 'any') return (x) => owners(x).some((o) => !!o);
      const one = (o: VmView['technicalOwner']) => !!o && (textMatch(op === '!=' ? '=' : op, o.name, v, re) || textMatch(op === '!=' ? '=' : op, o.email, v, re));
      if (op === '!=') return (x) => !owners(x).some(one);
      return (x) => owners(x).some(one);
    }
    case 'enum': {
      if (op === '~') return (x) => re!.test(String(get(x)));
      const want = field.values![v];
      if (!want) fail(`${field.name} is one of ${[...new Set(Object.keys(field.values!))].join(', ')}; not "${value}"`, tok.col);
      return op === '!=' ? (x) => get(x) !== want : (x) => get(x) === want;
    }
    case 'bool': {
      if (!['true', 'false', 'yes', 'no'].includes(v)) fail(`${field.name} takes true or false, not "${value}"`, tok.col);
      const want = v === 'true' || v === 'yes';
      return op === '!=' ? (x) => get(x) !== want : (x) => get(x) === want;
    }
    case 'number': {
      const n = field.unit!(value);
      if (!Number.isFinite(n)) fail(`${field.name} needs a number, not "${value}"`, tok.col);
      const eps = 1e-9;
      switch (op) {
        case '>': return (x) => (get(x) as number) > n + eps;
        case '>=': return (x) => (get(x) as number) >= n - eps;
        case '<': return (x) => (get(x) as number) < n - eps;
        case '<=': return (x) => (get(x) as number) <= n + eps;
        case '!=': return (x) => Math.abs((get(x) as number) - n) > eps;
        case '~': return (x) => re!.test(String(get(x)));
        default: return (x) => Math.abs((get(x) as number) - n) <= eps;
      }
    }
  }
}

/** Parses an expression once; the predicate is then cheap to run over many VMs. */
export function parseFilter(src: string): ParsedFilter {
  const terms = tokenize(src).map(compileTerm);
  const mentionsDeleted = terms.some((t) => t.deleted);
  const tests = terms.map((t) => t.test);
  const base: Predicate = tests.length === 0 ? () => true : (v) => tests.every((t) => t(v));
  return {
    source: src,
    mentionsDeleted,
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
