// VM detail: everything vmi knows of one VM, its manual data beside the synced values, its
// alarms and its whole change history (read from the cache).
import React from 'react';
import { oneLine } from '../../../errors.js';
import type { VmView } from '../../../model/vm.js';
import { vmActions } from '../../actions/vm.js';
import type { AppContext, GoParams } from '../../context.js';
import { C } from '../../keys.js';
import type { ViewDef, ViewInstance } from '../../view.js';
import { Line, Panel } from '../../widgets/primitives.js';
import { ListCursor } from '../../widgets/table/state.js';
import { fit } from '../../widgets/text.js';
import { vmDetailLines, type DetailLine } from './detail.js';

class VmDetail implements ViewInstance {
  readonly list = new ListCursor();
  id: number | null = null;
  private memo: { key: string; lines: DetailLine[] } | null = null;

  readonly commands: Record<string, () => void>;

  constructor(readonly ctx: AppContext) {
    this.commands = {
      ...vmActions(ctx, () => {
        const v = this.vm();
        return v ? [v] : [];
      }),
      'vm.host': () => {
        const v = this.vm();
        const h = v?.host ? [...(ctx.model?.hosts.values() ?? [])].find((x) => x.deletedAt === null && x.sourceId === v.sourceId && x.doc.name === v.host) : undefined;
        if (h) ctx.go('host', { id: h.id });
        else ctx.flash(v?.host ? `${v.host} is not in the cache` : 'this VM has no host', 'warn');
      },
    };
  }

  scopes(): string[] {
    return ['vm', 'list', 'global'];
  }

  vm(): VmView | undefined {
    return this.id !== null ? this.ctx.model?.vms.get(this.id) : undefined;
  }

  title(): string {
    return `VM ${this.vm()?.name ?? ''}`;
  }

  lines(): DetailLine[] {
    const m = this.ctx.model;
    const v = this.vm();
    if (!m || !v) return [{ text: 'This VM is not in the cache any more.', tone: 'muted' }];
    const arrow = this.ctx.theme.glyphs.arrow;
    const key = `${m.version}|${v.id}|${arrow}`;
    if (this.memo?.key === key) return this.memo.lines;
    const alarms = [...m.alarms.values()].filter((a) => a.deletedAt === null && a.sourceId === v.sourceId && a.doc.entity === v.name);
    let lines: DetailLine[];
    try {
      const doc = m.vmDoc(v.id);
      lines = doc ? vmDetailLines(v, doc, m.vmHistory(v.id), alarms, arrow) : [{ text: 'This VM is not in the cache any more.', tone: 'muted' }];
    } catch (e) {
      lines = [{ text: oneLine(e), tone: 'bad' }];
    }
    this.memo = { key, lines };
    return lines;
  }

  move(delta: number): void {
    this.list.scroll(delta, Math.max(0, this.lines().length - this.pageRows()));
  }

  pageRows(): number {
    return Math.max(1, this.ctx.bodyRows());
  }

  enter(p: GoParams): void {
    if (p.id === undefined) return;
    this.id = p.id;
    this.list.top = 0;
  }

  leave(): void {
    this.memo = null;
  }

  render(cols: number, h: number): React.ReactNode {
    return <DetailBody s={this} cols={cols} h={h} />;
  }
}

function DetailBody({ s, cols, h }: { s: VmDetail; cols: number; h: number }) {
  const lines = s.lines();
  const l = s.list;
  l.top = Math.max(0, Math.min(l.top, lines.length - h));
  const out: React.ReactNode[] = [];
  const ell = s.ctx.theme.glyphs.ellipsis;
  for (let i = l.top; i < Math.min(lines.length, l.top + h); i++) {
    const x = lines[i];
    out.push(<Line key={i - l.top} text={fit(x.text, cols, { ellipsis: ell })} tone={x.tone} bold={x.tone === 'heading'} />);
  }
  return <Panel height={h}>{out}</Panel>;
}

export const vmView: ViewDef = {
  id: 'vm', title: 'VM', keys: [C('vm.host', ['h'], 'the VM\'s host', ['vm'], 'VMs', { footer: 10, short: 'host' })], create: (ctx) => new VmDetail(ctx),
};
