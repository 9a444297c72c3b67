// The app's views without a terminal: the same model, filters, sorts and rows as on screen, for
// `vmi export --view`. A view's table is read exactly as the `x` key reads it.
import type { Config } from '../config.js';
import type { Home } from '../home.js';
import type { Store } from '../store/store.js';
import type { Actor } from '../store/vault.js';
import type { TableData } from './view.js';
import { Shell } from './shell.js';

/** Where each exportable table lives: the view, and what `go` tells it. */
export const EXPORT_VIEWS: Record<string, { view: string; section?: string }> = {
  vms: { view: 'vms' }, hosts: { view: 'hosts' }, datastores: { view: 'datastores' }, networks: { view: 'networks', section: 'topology' },
  vmkernel: { view: 'networks', section: 'vmk' }, changes: { view: 'changes' }, alarms: { view: 'alarms', section: 'alarms' },
  events: { view: 'alarms', section: 'events' }, owners: { view: 'owners' }, audit: { view: 'audit' },
};

/** Loads the cache as the app does and returns a view's table with a filter applied (throws a VmiError when it does not parse). */
export async function viewTable(s: { home: Home; store: Store; config: Config; actor: Actor }, name: string, filter: string): Promise<{ table: TableData; close(): void }> {
  const where = EXPORT_VIEWS[name];
  const shell = new Shell({ home: s.home, store: s.store, config: s.config, caps: { color: false, ascii: true }, user: s.actor.username, actor: s.actor, defer: (fn) => fn() });
  await new Promise<void>((done, fail) => {
    const check = () => {
      if (shell.phase === 'main' && shell.model) return done();
      if (shell.phase === 'unlock') return fail(new Error(shell.gate.error ?? 'the cache could not be loaded'));
      setTimeout(check, 5);
    };
    shell.start();
    check();
  });
  shell.model!.finishLoad();
  shell.go(where.view, { section: where.section });
  const v = shell.view(where.view);
  if (filter) {
    if (!v.filter) throw new Error(`the ${name} table has no filter`);
    v.filter.set(filter);
  }
  return { table: v.table!(), close: () => shell.quit() };
}
