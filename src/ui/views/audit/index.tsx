// Audit: the tamper-evident trail of who did what, newest first; enter shows an entry's details.
import React from 'react';
import { listAudit, type AuditEntry } from '../../../store/audit.js';
import type { AppContext } from '../../context.js';
import { C } from '../../keys.js';
import type { TableData, ViewDef, ViewInstance } from '../../view.js';
import { FilterBox, ListCursor, tableRowsOf } from '../../widgets/table/state.js';
import { tableRows, TablePanel } from '../../widgets/table/table.js';
import { thousands } from '../../widgets/text.js';
import { auditCells, AUDIT_COLUMNS, parseAuditFilter, type AuditFilter } from './audit.js';

class Audit implements ViewInstance {
  readonly list = new ListCursor();
  readonly filter = new FilterBox((src) => parseAuditFilter(src), (src) => parseAuditFilter(src));
  private entries: AuditEntry[] = [];
  private loadedAt = 0;
  private memo: { key: string; rows: AuditEntry[] } | null = null;

  constructor(readonly ctx: AppContext) {}

  readonly commands: Record<string, () => void> = {
    'audit.details': () => {
      const e = this.rows()[this.list.cursor];
      if (e) this.ctx.open({ kind: 'notice', title: `Audit entry ${e.id}`, scroll: 0, lines: auditNotice(e) });
    },
    'table.filter': () => this.filter.start(),
  };

  scopes(): string[] {
    return ['audit', 'table', 'list', 'global'];
  }

  /** Audit entries, newest first, filtered; new entries are read incrementally. */
  rows(): AuditEntry[] {
    const now = this.ctx.now();
    if (now - this.loadedAt > 2000 || this.loadedAt === 0) {
      const last = this.entries[0];
      const r = listAudit(this.ctx.store, last ? last.time : undefined);
      const known = new Set(this.entries.map((e) => e.id));
      const fresh = r.entries.filter((e) => !known.has(e.id));
      if (fresh.length) this.entries = [...fresh.reverse(), ...this.entries];
      this.loadedAt = now;
    }
    const f = this.filter.applied;
    const key = `${this.entries.length}|${this.entries[0]?.id}|${f}`;
    if (this.memo?.key === key) return this.memo.rows;
    let filter: AuditFilter | null = null;
    try {
      filter = parseAuditFilter(f, now);
    } catch {
      // Shown under the filter line; the entries stay.
    }
    this.memo = { key, rows: filter ? this.entries.filter(filter.test) : this.entries };
    return this.memo.rows;
  }

  move(delta: number): void {
    this.list.move(delta, this.rows().length);
  }

  pageRows(): number {
    return tableRows(this.ctx.bodyRows(), this.filter);
  }

  enter(): void {
    this.loadedAt = 0;
  }

  changed(): void {
    this.loadedAt = 0;
  }

  table(): TableData {
    return tableRowsOf(AUDIT_COLUMNS, this.rows(), (e) => auditCells(e, (id) => this.ctx.model?.vms.get(id)?.name));
  }

  render(cols: number, h: number): React.ReactNode {
    const rows = this.rows();
    return (
      <TablePanel cols={cols} h={h} filter={this.filter} list={this.list} specs={AUDIT_COLUMNS} count={rows.length}
        countText={`${thousands(rows.length)} of ${thousands(this.entries.length)} entries`}
        placeholder="Audit trail, newest first: f filters (user:alice action:vm.assign object:VM since:24h words)"
        cell={(i) => auditCells(rows[i], (id) => this.ctx.model?.vms.get(id)?.name)} tone={(i) => (rows[i].action.endsWith('.failed') ? 'bad' : undefined)} />
    );
  }
}

function auditNotice(e: AuditEntry): string[] {
  const lines = [
    `time     ${new Date(e.time).toISOString()}`,
    `user     ${e.username ?? '(system)'}`,
    `action   ${e.action}`,
    `object   ${[e.resourceType, e.resourceId].filter(Boolean).join(' ')}`,
    '',
  ];
  for (const l of JSON.stringify(e.details ?? {}, null, 2).split('\n')) lines.push(l);
  return lines;
}

export const auditView: ViewDef = {
  id: 'audit', title: 'Audit', digit: '9', menu: 'audit trail', colon: [{ names: ['audit'], help: 'audit trail' }],
  keys: [C('audit.details', ['enter'], 'entry details', ['audit'], 'Audit', { footer: 1, short: 'details' })],
  create: (ctx) => new Audit(ctx),
};
