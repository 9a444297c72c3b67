// The ":" command line: the names views contribute (":hosts", ":vms EXPR"...) and the shell's own.
import { oneLine } from '../errors.js';
import type { AppContext } from './context.js';
import type { ColonCommand } from './view.js';
import { VIEWS } from './views/index.js';
import { line } from './widgets/lineedit.js';

const SHELL_COLON: ColonCommand[] = [
  { names: ['search', 's'], help: 'search', run: (ctx, arg) => (ctx.open({ kind: 'search', q: line(arg), cursor: 0 }), null) },
  {
    names: ['refresh'], help: 'refresh now (":refresh NAME": one source)',
    run: (ctx, arg) => {
      if (arg && !ctx.config.sources.some((s) => s.name === arg)) return `no source named "${arg}"`;
      if (arg) ctx.worker?.refresh(arg);
      else ctx.refresh();
      return null;
    },
  },
  { names: ['connect'], help: 'vCenter credentials', run: (ctx) => (ctx.openCredentials(), null) },
  { names: ['lock'], help: 'lock', run: (ctx) => (ctx.close(), ctx.lock(), null) },
  { names: ['help'], help: 'help', run: (ctx) => (ctx.open({ kind: 'help', scroll: 0 }), null) },
  { names: ['quit', 'q', 'exit'], help: 'quit', run: (ctx) => (ctx.quit(), null) },
];

/** Every ":" command: the views' (default: go to the view) and then the shell's. */
export const COLON: Required<ColonCommand>[] = [
  ...VIEWS.flatMap((v) => (v.colon ?? []).map((c) => ({ ...c, run: c.run ?? ((ctx: AppContext) => (ctx.go(v.id), null)) }))),
  ...SHELL_COLON.map((c) => c as Required<ColonCommand>),
];
export const COLON_NAMES = COLON.flatMap((c) => c.names);

/** Runs a ":" command; returns an error to show, or null. */
export function runColon(ctx: AppContext, text: string): string | null {
  const [word = '', ...rest] = text.trim().replace(/^:/, '').split(/\s+/);
  const arg = rest.join(' ');
  const w = word.toLowerCase();
  if (!w) return null;
  const c = COLON.find((x) => x.names.includes(w));
  if (!c) return `unknown command ":${word}" (tab completes; try :vms :hosts :owners :audit :settings)`;
  try {
    return c.run(ctx, arg);
  } catch (e) {
    return oneLine(e);
  }
}
