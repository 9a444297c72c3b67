// VM detail: everything vmi knows of one VM, its manual data beside the synced values, its
// alarms and its whole change history (read from the cache).
import { oneLine } from '../../../errors.js';
import type { VmView } from '../../../model/vm.js';
import { vmActions } from '../../actions/vm.js';
import type { AppContext } from '../../context.js';
import { C } from '../../keys.js';
import type { DetailLine } from '../../widgets/detail.js';
import { detailView, type DetailState } from '../../widgets/detailview.js';
import { vmDetailLines } from './detail.js';

const GONE: DetailLine[] = [{ text: 'This VM is not in the cache any more.', tone: 'muted' }];

const vmOf = (ctx: AppContext, d: DetailState): VmView | undefined => (d.id !== null ? ctx.model?.vms.get(d.id) : undefined);

export const vmView = detailView({
  id: 'vm', title: 'VM',
  keys: [C('vm.host', ['h'], 'the VM\'s host', ['vm'], 'VMs', { footer: 10, short: 'host' })],
  heading: (ctx, id) => `VM ${ctx.model?.vms.get(id)?.name ?? ''}`,
  lines(ctx, id) {
    const m = ctx.model!;
    const v = m.vms.get(id);
    if (!v) return GONE;
    const alarms = [...m.alarms.values()].filter((a) => a.deletedAt === null && a.sourceId === v.sourceId && a.doc.entity === v.name);
    try {
      const doc = m.vmDoc(v.id);
      return doc ? vmDetailLines(v, doc, m.vmHistory(v.id), alarms, ctx.theme.glyphs.arrow) : GONE;
    } catch (e) {
      return [{ text: oneLine(e), tone: 'bad' }];
    }
  },
  commands: (ctx, d) => ({
    ...vmActions(ctx, () => {
      const v = vmOf(ctx, d);
      return v ? [v] : [];
    }),
    'vm.host': () => {
      const v = vmOf(ctx, d);
      const h = v?.host ? [...(ctx.model?.hosts.values() ?? [])].find((x) => x.deletedAt === null && x.sourceId === v.sourceId && x.doc.name === v.host) : undefined;
      if (h) ctx.go('host', { id: h.id });
      else ctx.flash(v?.host ? `${v.host} is not in the cache` : 'this VM has no host', 'warn');
    },
  }),
});
