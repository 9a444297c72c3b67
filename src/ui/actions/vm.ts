// What admins do to VMs from the VMs view and the VM detail alike: owners, tags, edits. The
// views say which VMs (the marked ones, or the one selected); these open the overlays.
import type { VmView } from '../../model/vm.js';
import type { AppContext } from '../context.js';
import { C, type KeyCommand } from '../keys.js';
import { vmEditForm } from '../overlays/forms/vmedit.js';
import { EMPTY } from '../widgets/lineedit.js';

export const VM_ACTION_KEYS: KeyCommand[] = [
  C('vm.owner.technical', ['o'], 'technical owner of the marked (or selected) VMs', ['vms', 'vm'], 'VMs', { adminOnly: true, footer: 6, short: 'tech owner' }),
  C('vm.owner.business', ['b'], 'business owner of the marked (or selected) VMs', ['vms', 'vm'], 'VMs', { adminOnly: true, footer: 7, short: 'bus. owner' }),
  C('vm.tags', ['t'], 'add / remove tags', ['vms', 'vm'], 'VMs', { adminOnly: true, footer: 8, short: 'tags' }),
  C('vm.edit', ['e'], 'edit project, environment, notes, fields, IPs, overrides', ['vms', 'vm'], 'VMs', { adminOnly: true, footer: 9, short: 'edit' }),
];

/** The handlers of VM_ACTION_KEYS for a view whose targets are `targets()`. */
export function vmActions(ctx: AppContext, targets: () => VmView[]): Record<string, () => void> {
  const picker = (role: 'technical' | 'business') => {
    const t = targets();
    if (t.length === 0) return ctx.flash('no VM selected', 'warn');
    ctx.open({ kind: 'picker', role, q: EMPTY, cursor: 0, targets: t.map((v) => v.id) });
  };
  return {
    'vm.owner.technical': () => picker('technical'),
    'vm.owner.business': () => picker('business'),
    'vm.tags': () => {
      const t = targets();
      if (t.length) ctx.open({ kind: 'tags', q: EMPTY, cursor: 0, targets: t.map((v) => v.id), note: null });
    },
    'vm.edit': () => {
      const t = targets();
      if (t.length === 0) return ctx.flash('no VM selected', 'warn');
      ctx.open(vmEditForm(ctx, t));
    },
  };
}
