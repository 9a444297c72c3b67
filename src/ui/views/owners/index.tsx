// Owners: who owns how many VMs; enter shows an owner's VMs, u the VMs without one.
import React from 'react';
import type { OwnerEntry } from '../../../model/live.js';
import type { AppContext } from '../../context.js';
import { ownerCounts, ownersByName } from '../../data/owners.js';
import { quoteValue } from '../../data/objects.js';
import { C } from '../../keys.js';
import { ownerForm } from '../../overlays/forms/owner.js';
import type { TableData, ViewDef, ViewInstance } from '../../view.js';
import type { ColumnSpec } from '../../widgets/layout.js';
import { filterRows, FilterBox, ListCursor, tableRowsOf } from '../../widgets/table/state.js';
import { tableRows, TablePanel } from '../../widgets/table/table.js';
import { thousands } from '../../widgets/text.js';

export const OWNER_COLUMNS: ColumnSpec[] = [
  { id: 'name', title: 'NAME', min: 10, pref: 22, max: 40, priority: 0, flex: 2 },
  { id: 'email', title: 'E-MAIL', min: 10, pref: 26, max: 44, priority: 0, flex: 2 },
  { id: 'department', title: 'DEPARTMENT', min: 8, pref: 14, max: 28, priority: 2, flex: 1 },
  { id: 'designation', title: 'DESIGNATION', min: 8, pref: 14, max: 28, priority: 3, flex: 1 },
  { id: 'tech', title: 'TECH VMS', min: 8, pref: 8, priority: 1, align: 'right' },
  { id: 'bus', title: 'BUS. VMS', min: 8, pref: 8, priority: 1, align: 'right' },
];

export interface OwnerRow {
  owner: OwnerEntry;
  tech: number;
  bus: number;
  text: string;
}

export function ownerCells(r: OwnerRow): string[] {
  return [r.owner.fullName, r.owner.email, r.owner.department ?? '', r.owner.designation ?? '', thousands(r.tech), thousands(r.bus)];
}

class Owners implements ViewInstance {
  readonly list = new ListCursor();
  readonly filter = new FilterBox();
  private memo: { key: string; rows: OwnerRow[] } | null = null;

  constructor(readonly ctx: AppContext) {}

  readonly commands: Record<string, () => void> = {
    'owners.vms': () => {
      const o = this.rows()[this.list.cursor];
      if (o) this.ctx.go('vms', { filter: `owner=${quoteValue(o.owner.email)}` });
    },
    'owners.unowned': () => this.ctx.go('vms', { filter: 'owner:none' }),
    'owners.add': () => this.ctx.open(ownerForm(this.ctx, null, null)),
    'owners.edit': () => {
      const o = this.rows()[this.list.cursor];
      if (o) this.ctx.open(ownerForm(this.ctx, o.owner, null));
    },
    'table.filter': () => this.filter.start(),
  };

  scopes(): string[] {
    return ['owners', 'table', 'list', 'global'];
  }

  rows(): OwnerRow[] {
    const m = this.ctx.model;
    if (!m) return [];
    const f = this.filter.applied;
    const key = `${m.version}|${f}`;
    if (this.memo?.key === key) return this.memo.rows;
    const counts = ownerCounts(m);
    const rows = ownersByName(m).map((owner) => ({
      owner, tech: counts.get(owner.id)?.tech ?? 0, bus: counts.get(owner.id)?.bus ?? 0,
      text: `${owner.fullName} ${owner.email} ${owner.department ?? ''} ${owner.designation ?? ''}`.toLowerCase(),
    }));
    this.memo = { key, rows: filterRows(rows, f) };
    return this.memo.rows;
  }

  move(delta: number): void {
    this.list.move(delta, this.rows().length);
  }

  pageRows(): number {
    return tableRows(this.ctx.bodyRows(), this.filter);
  }

  table(): TableData {
    return tableRowsOf(OWNER_COLUMNS, this.rows(), ownerCells);
  }

  render(cols: number, h: number): React.ReactNode {
    const rows = this.rows();
    return (
      <TablePanel cols={cols} h={h} filter={this.filter} list={this.list} specs={OWNER_COLUMNS} count={rows.length}
        countText={`${thousands(rows.length)} owners`} placeholder="Owners: enter = their VMs, u = VMs without an owner, n = new owner"
        cell={(i) => ownerCells(rows[i])} empty="No owners yet. n adds one (admins)." />
    );
  }
}

export const ownersView: ViewDef = {
  id: 'owners', title: 'Owners', digit: '8', menu: 'owners', colon: [{ names: ['owners', 'owner'], help: 'owners' }],
  keys: [
    C('owners.vms', ['enter'], 'the owner\'s VMs', ['owners'], 'Owners', { footer: 1, short: 'VMs' }),
    C('owners.unowned', ['u'], 'VMs without an owner', ['owners'], 'Owners', { footer: 3, short: 'unowned' }),
    C('owners.add', ['n'], 'new owner', ['owners'], 'Owners', { adminOnly: true, footer: 4, short: 'new' }),
    C('owners.edit', ['e'], 'edit the owner', ['owners'], 'Owners', { adminOnly: true, footer: 5, short: 'edit' }),
  ],
  create: (ctx) => new Owners(ctx),
};
