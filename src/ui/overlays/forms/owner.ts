// The owner form: a new owner (optionally assigned to VMs at once) or an owner's details.
import type { OwnerEntry } from '../../../model/live.js';
import type { VmView } from '../../../model/vm.js';
import { addOwner, assignOwners, updateOwner } from '../../../store/manual.js';
import type { AppContext } from '../../context.js';
import { line } from '../../widgets/lineedit.js';
import type { Overlay } from '../types.js';

export type OwnerRole = 'technical' | 'business';

/** Sets (or with null clears) one owner of VMs, and says what happened. */
export function assignTo(ctx: AppContext, role: OwnerRole, targetIds: number[], ownerId: number | null, label: string): void {
  const vms = targetIds.map((id) => ctx.model?.vms.get(id)).filter((v): v is VmView => !!v);
  const n = assignOwners(ctx.store, ctx.actor!, vms, role === 'technical' ? { technical: ownerId } : { business: ownerId });
  ctx.reload();
  // Marks stay (set the business owner of the same VMs next; u clears them).
  ctx.flash(ownerId === null ? `${role} owner cleared on ${n} VM${n === 1 ? '' : 's'}` : `${label} is now the ${role} owner of ${vms.length} VM${vms.length === 1 ? '' : 's'}${n < vms.length ? ` (${vms.length - n} already were)` : ''}`, 'good');
}

export function ownerForm(ctx: AppContext, existing: OwnerEntry | null, assign: { role: OwnerRole; targets: number[] } | null, name = ''): Overlay {
  const looksLikeMail = name.includes('@');
  return {
    kind: 'form', form: {
      title: existing ? `Edit owner ${existing.fullName}` : assign ? `New ${assign.role} owner for ${assign.targets.length} VM${assign.targets.length === 1 ? '' : 's'}` : 'New owner',
      focus: 0, error: null,
      fields: [
        { id: 'fullName', label: 'Name', value: line(existing?.fullName ?? (looksLikeMail ? '' : name)) },
        { id: 'email', label: 'E-mail', value: line(existing?.email ?? (looksLikeMail ? name : '')) },
        { id: 'department', label: 'Department', value: line(existing?.department ?? '') },
        { id: 'designation', label: 'Designation', value: line(existing?.designation ?? '') },
      ],
      submit: (v) => {
        if (existing) {
          updateOwner(ctx.store, ctx.actor!, existing.id, { fullName: v.fullName.trim(), email: v.email.trim(), department: v.department.trim() || undefined, designation: v.designation.trim() || undefined });
          ctx.reload();
          ctx.flash(`owner ${v.fullName.trim()} saved`, 'good');
          return;
        }
        const id = addOwner(ctx.store, ctx.actor!, { fullName: v.fullName, email: v.email, department: v.department.trim() || undefined, designation: v.designation.trim() || undefined });
        ctx.reload();
        if (assign) assignTo(ctx, assign.role, assign.targets, id, v.fullName.trim());
        else ctx.flash(`owner ${v.fullName.trim()} added`, 'good');
      },
    },
  };
}
