// Audit entries -> rows, and the audit view's filter: user:NAME action:PREFIX object:TEXT
// since:24h (or a date) and bare words matched anywhere. Pure.
import { parseSince } from '../../../cli/io.js';
import { VmiError } from '../../../errors.js';
import type { AuditEntry } from '../../../store/audit.js';
import type { ColumnSpec } from '../../widgets/layout.js';
import { localTime } from '../../widgets/text.js';

export interface AuditFilter {
  source: string;
  test: (e: AuditEntry) => boolean;
}

export function auditObject(e: AuditEntry): string {
  return [e.resourceType, e.resourceId].filter(Boolean).join(' ');
}

export function auditDetails(e: AuditEntry): string {
  return e.details && Object.keys(e.details).length ? JSON.stringify(e.details) : '';
}

export function parseAuditFilter(src: string, now = Date.now()): AuditFilter {
  const tests: ((e: AuditEntry) => boolean)[] = [];
  for (const term of src.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(user|by|action|object|since|until):(.*)$/i.exec(term);
    if (!m) {
      const w = term.toLowerCase();
      tests.push((e) => `${e.username ?? ''} ${e.action} ${auditObject(e)} ${auditDetails(e)}`.toLowerCase().includes(w));
      continue;
    }
    const field = m[1].toLowerCase();
    const value = m[2];
    if (!value) throw new VmiError('usage', `audit filter: "${field}:" needs a value (user:alice action:vm. object:VM since:24h)`);
    const v = value.toLowerCase();
    switch (field) {
      case 'user':
      case 'by':
        tests.push((e) => (e.username ?? '').toLowerCase().includes(v));
        break;
      case 'action':
        tests.push((e) => e.action.toLowerCase().startsWith(v));
        break;
      case 'object':
        tests.push((e) => auditObject(e).toLowerCase().includes(v));
        break;
      case 'since':
      case 'until': {
        let t: number;
        try {
          t = parseSince(value, now);
        } catch {
          throw new VmiError('usage', `audit filter: "${field}:${value}": use a duration like 30m, 24h, 7d or a date like 2026-11-01`);
        }
        tests.push(field === 'since' ? (e) => e.time >= t : (e) => e.time < t);
        break;
      }
    }
  }
  return { source: src, test: (e) => tests.every((t) => t(e)) };
}

export const AUDIT_COLUMNS: ColumnSpec[] = [
  { id: 'time', title: 'TIME', min: 19, pref: 19, priority: 0 },
  { id: 'user', title: 'USER', min: 6, pref: 12, max: 24, priority: 0, flex: 1 },
  { id: 'action', title: 'ACTION', min: 8, pref: 18, max: 28, priority: 0, flex: 1 },
  { id: 'object', title: 'OBJECT', min: 8, pref: 16, max: 32, priority: 1, flex: 1 },
  { id: 'details', title: 'DETAILS', min: 10, pref: 20, priority: 2, flex: 4 },
];

/** Row cells; VM ids are shown with the VM's name when the model knows it. */
export function auditCells(e: AuditEntry, vmName?: (id: number) => string | undefined): string[] {
  let object = auditObject(e);
  if (e.resourceType === 'VM' && e.resourceId && vmName) {
    const n = vmName(Number(e.resourceId));
    if (n) object = `VM ${n}`;
  }
  return [localTime(e.time), e.username ?? '(system)', e.action, object, auditDetails(e)];
}
