// The context of a retrieval: names and parents of everything that is not a VM, and the small
// readers of XML values every converter shares.
import type { AlarmRecord, Severity } from '../../model/records.js';
import { bool, child, items, moref, text, type XNode } from './xml.js';

export interface DvpgInfo {
  ref: string;
  name: string;
  vlanMode?: string;
}

export class Ctx {
  readonly names = new Map<string, string>();
  readonly types = new Map<string, string>();
  readonly parents = new Map<string, string>();
  readonly dvpgByKey = new Map<string, DvpgInfo>();
  readonly fieldNames = new Map<string, string>();
  readonly alarmNames = new Map<string, string>();
  private readonly dcMemo = new Map<string, string | undefined>();

  add(ref: string, type: string, name?: string, parent?: string): void {
    ref = own(ref);
    this.types.set(ref, type);
    if (name !== undefined) this.names.set(ref, own(name));
    if (parent) this.parents.set(ref, own(parent));
  }

  name(ref: string | undefined): string | undefined {
    return ref === undefined ? undefined : this.names.get(ref);
  }

  /** Name of the datacenter containing ref (walking parents). */
  datacenter(ref: string | undefined): string | undefined {
    if (!ref) return undefined;
    if (this.dcMemo.has(ref)) return this.dcMemo.get(ref);
    let cur: string | undefined = ref;
    let dc: string | undefined;
    for (let i = 0; cur && i < 64; i++) {
      if (this.types.get(cur) === 'Datacenter') {
        dc = this.names.get(cur);
        break;
      }
      const memo = this.dcMemo.get(cur);
      if (memo !== undefined) {
        dc = memo;
        break;
      }
      cur = this.parents.get(cur);
    }
    this.dcMemo.set(ref, dc);
    return dc;
  }

  /** "/DC/vm/apps": names from below the root folder down to ref (undefined when ref is unknown). */
  path(ref: string | undefined): string | undefined {
    if (!ref || !this.names.has(ref)) return undefined;
    const parts: string[] = [];
    for (let cur: string | undefined = ref, i = 0; cur && i < 64; i++) {
      const parent = this.parents.get(cur);
      // The root folder ("Datacenters") has no parent and is not part of the path.
      if (!parent) break;
      parts.push(this.names.get(cur) ?? cur);
      cur = parent;
    }
    return '/' + parts.reverse().join('/');
  }

  /** Cluster name of a host (undefined for standalone hosts). */
  cluster(hostRef: string | undefined): string | undefined {
    const p = hostRef ? this.parents.get(hostRef) : undefined;
    return p && this.types.get(p) === 'ClusterComputeResource' ? this.names.get(p) : undefined;
  }
}

/**
 * Give every string in a freshly converted record its own storage. Strings cut from a response
 * chunk are V8 slices that keep the whole chunk alive; without this, 10,000 VM records would pin
 * the complete 100 MB page text for as long as the records live.
 */
export function detach<T>(x: T): T {
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (typeof v === 'string') x[i] = own(v);
      else if (v && typeof v === 'object') detach(v);
    }
  } else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'string') o[k] = own(v);
      else if (v && typeof v === 'object') detach(v);
    }
  }
  return x;
}

export function own(s: string): string {
  // Concatenation then slice makes V8 flatten into a new string (short strings are copies already).
  return s.length < 13 ? s : (' ' + s).slice(1);
}

export function refVal(n: XNode | undefined): string | undefined {
  return moref(n)?.value;
}

export function refList(n: XNode | undefined): string[] {
  const out: string[] = [];
  for (const k of items(n)) {
    const v = moref(k)?.value;
    if (v) out.push(v);
  }
  return out;
}

export function str(n: XNode | undefined): string | undefined {
  return n ? n.text : undefined;
}

export function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

export function isoTime(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const d = new Date(s.trim());
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function uniq(a: string[]): string[] {
  return a.length < 2 ? a : [...new Set(a)];
}

// Triggered alarms, of any kind of object.

export interface AlarmDraft {
  key: string;
  entityRef: string;
  entityType: string;
  alarmRef: string;
  status: Severity;
  time: string;
  acknowledged?: boolean;
}

export function alarmDrafts(val: XNode | undefined): AlarmDraft[] {
  const out: AlarmDraft[] = [];
  for (const a of items(val)) {
    const entity = moref(child(a, 'entity'));
    const alarm = moref(child(a, 'alarm'));
    const key = text(a, 'key');
    if (!entity || !alarm || !key) continue;
    const st = text(a, 'overallStatus');
    out.push({
      key,
      entityRef: entity.value,
      entityType: entity.type,
      alarmRef: alarm.value,
      status: st === 'red' ? 'critical' : st === 'yellow' ? 'warning' : 'info',
      time: isoTime(text(a, 'time')) ?? '',
      acknowledged: bool(a, 'acknowledged'),
    });
  }
  return out;
}

export function resolveAlarm(d: AlarmDraft, ctx: Ctx): AlarmRecord {
  return {
    ref: d.key,
    entity: ctx.name(d.entityRef) ?? d.entityRef,
    entityType: d.entityType,
    alarm: ctx.alarmNames.get(d.alarmRef) ?? d.alarmRef,
    status: d.status,
    time: d.time,
    ...(d.acknowledged !== undefined ? { acknowledged: d.acknowledged } : {}),
  };
}
