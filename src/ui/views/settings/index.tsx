// Settings: sources (add, edit, enable, trust, remove), appearance and session, users.
import React from 'react';
import { editConfig, normalizeThumbprint, type SourceConfig } from '../../../config.js';
import { VmiError } from '../../../errors.js';
import { disableUser, listUsers, resetUserBy, setRole, audit, type UserInfo } from '../../../store/vault.js';
import type { AppContext, GoParams } from '../../context.js';
import { oneTimeLines, userForm } from '../../overlays/forms/user.js';
import { editSource, sourceForm } from '../../overlays/forms/source.js';
import type { ViewDef, ViewInstance } from '../../view.js';
import { line } from '../../widgets/lineedit.js';
import { ListCursor } from '../../widgets/table/state.js';
import { ACCENTS } from '../../widgets/theme.js';
import { SettingsBody } from './body.js';
import { SETTINGS_KEYS } from './keys.js';

export const SETTINGS_SECTIONS = ['sources', 'ui', 'users'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];
export const UI_SETTINGS = ['theme', 'accent', 'timeout'] as const;

export class Settings implements ViewInstance {
  section: SettingsSection = 'sources';
  readonly lists = { sources: new ListCursor(), ui: new ListCursor(), users: new ListCursor() };
  private users: UserInfo[] | null = null;

  constructor(readonly ctx: AppContext) {}

  readonly commands: Record<string, () => void> = {
    'settings.next': () => this.cycle(1),
    'settings.prev': () => this.cycle(SETTINGS_SECTIONS.length - 1),
    'source.add': () => this.ctx.open(sourceForm(this.ctx, null)),
    'source.edit': () => {
      const s = this.selectedSource();
      if (s) this.ctx.open(sourceForm(this.ctx, s));
    },
    'source.toggle': () => {
      const s = this.selectedSource();
      if (!s) return;
      editSource(this.ctx, 'config.source.set', s.name, { fields: ['enabled'] }, (src) => { src.enabled = !s.enabled; });
      this.ctx.flash(`${s.name} ${s.enabled ? 'disabled' : 'enabled'}`, 'good');
    },
    'source.refresh': () => {
      const s = this.selectedSource();
      if (!s) return;
      if (!this.ctx.worker) return this.ctx.flash('background sync is not running', 'warn');
      this.ctx.worker.refresh(s.name);
      this.ctx.flash(`refreshing ${s.name}`, 'muted');
    },
    'source.trust': () => {
      const s = this.selectedSource();
      const tp = s && this.reportedThumbprint(s.name);
      if (!s || !tp) return;
      editSource(this.ctx, 'config.source.trust', s.name, { thumbprint: tp }, (src) => { src.thumbprint = tp; });
      this.ctx.flash(`${s.name}: thumbprint pinned`, 'good');
    },
    'source.remove': () => {
      const s = this.selectedSource();
      if (!s) return;
      editSource(this.ctx, 'config.source.remove', s.name, {}, (_src, all, i) => { all.splice(i, 1); });
      this.ctx.flash(`${s.name} removed from config.json`, 'good');
    },
    'ui.change': () => this.changeUiSetting(),
    'user.add': () => this.ctx.open(userForm(this.ctx, () => (this.users = null))),
    'user.role': () => {
      const u = this.selectedUser();
      if (!u) return;
      setRole(this.ctx.store, this.ctx.actor!, u.username, u.role === 'admin' ? 'viewer' : 'admin');
      this.users = null;
      this.ctx.flash(`${u.username} is now ${u.role === 'admin' ? 'a viewer' : 'an admin'}`, 'good');
    },
    'user.reset': () => {
      const u = this.selectedUser();
      if (!u) return;
      this.ctx.runBusy(`Making a one-time passphrase for ${u.username}...`, () => resetUserBy(this.ctx.deriveBy, this.ctx.store, this.ctx.actor!, u.username), (temp) => {
        this.users = null;
        this.ctx.open({ kind: 'notice', title: `One-time passphrase for ${u.username}`, scroll: 0, lines: oneTimeLines(u.username, temp) });
      });
    },
    'user.disable': () => {
      const u = this.selectedUser();
      if (!u) return;
      disableUser(this.ctx.store, this.ctx.actor!, u.username);
      this.users = null;
      this.ctx.flash(`${u.username} disabled; run "vmi rekey" so that a copy of the old key opens nothing`, 'good');
    },
  };

  confirm(id: string): string | null | undefined {
    switch (id) {
      case 'source.remove': {
        const s = this.selectedSource();
        return s ? `Remove source ${s.name} from config.json? Its cached inventory stays.` : null;
      }
      case 'source.trust': {
        const s = this.selectedSource();
        if (!s) return null;
        const tp = this.reportedThumbprint(s.name);
        if (!tp) {
          this.ctx.flash(`${s.name} has not reported a certificate to trust (its pill shows a certificate error when it does)`, 'warn');
          return null;
        }
        return `Trust the certificate of ${s.name}? SHA-256 ${tp} (compare it with the vCenter's own)`;
      }
      case 'user.role': {
        const u = this.selectedUser();
        return u ? `Make ${u.username} ${u.role === 'admin' ? 'a viewer' : 'an admin'}?` : null;
      }
      case 'user.reset': {
        const u = this.selectedUser();
        return u ? `Give ${u.username} a new one-time passphrase? The current one stops working.` : null;
      }
      case 'user.disable': {
        const u = this.selectedUser();
        return u ? `Disable ${u.username}? Their keyslot is removed (run "vmi rekey" afterwards).` : null;
      }
      default: return undefined;
    }
  }

  private cycle(step: number): void {
    const i = SETTINGS_SECTIONS.indexOf(this.section);
    this.section = SETTINGS_SECTIONS[(i + step) % SETTINGS_SECTIONS.length];
    if (this.section === 'users') this.users = null;
  }

  scopes(): string[] {
    return [`settings.${this.section}`, 'settings', 'list', 'global'];
  }

  get list(): ListCursor {
    return this.lists[this.section];
  }

  count(): number {
    return this.section === 'sources' ? this.ctx.config.sources.length : this.section === 'users' ? this.userRows().length : UI_SETTINGS.length;
  }

  move(delta: number): void {
    this.list.move(delta, this.count());
  }

  pageRows(): number {
    return Math.max(1, this.ctx.bodyRows() - 2);
  }

  enter(p: GoParams): void {
    if (p.section && (SETTINGS_SECTIONS as readonly string[]).includes(p.section)) this.section = p.section as SettingsSection;
    if (p.id !== undefined) this.list.cursor = p.id;
    if (this.section === 'users') this.users = null;
  }

  userRows(): UserInfo[] {
    if (!this.users) this.users = listUsers(this.ctx.store).users;
    return this.users;
  }

  private selectedUser(): UserInfo | undefined {
    return this.userRows()[this.lists.users.cursor];
  }

  private selectedSource(): SourceConfig | undefined {
    return this.ctx.config.sources[this.lists.sources.cursor];
  }

  /** The thumbprint a source's certificate error reported, if any. */
  reportedThumbprint(source: string): string | null {
    const e = this.ctx.statuses.get(source)?.lastError;
    if (!e || (e.reason !== 'tls-untrusted' && e.reason !== 'tls-mismatch')) return null;
    const m = /thumbprint ([0-9A-Fa-f:]{64,95})/.exec(e.message);
    return m ? normalizeThumbprint(m[1]) : null;
  }

  uiSettingValue(item: (typeof UI_SETTINGS)[number]): string {
    const c = this.ctx.config;
    switch (item) {
      case 'theme': return `${this.ctx.look.theme ?? c.ui.theme}${this.ctx.deps.caps.color ? '' : ' (NO_COLOR is set: no colours)'}`;
      case 'accent': return this.ctx.look.accent ?? c.ui.accent;
      case 'timeout': return c.security.sessionTimeoutMinutes ? `${c.security.sessionTimeoutMinutes} min` : 'never';
    }
  }

  private changeUiSetting(): void {
    const ctx = this.ctx;
    const item = UI_SETTINGS[this.lists.ui.cursor];
    const cur = { theme: ctx.look.theme ?? ctx.config.ui.theme, accent: ctx.look.accent ?? ctx.config.ui.accent };
    switch (item) {
      case 'theme': return saveSetting(ctx, ['ui', 'theme'], cur.theme === 'dark' ? 'light' : 'dark');
      case 'accent': {
        const i = ACCENTS.indexOf(cur.accent as (typeof ACCENTS)[number]);
        return saveSetting(ctx, ['ui', 'accent'], ACCENTS[(i + 1) % ACCENTS.length]);
      }
      case 'timeout': {
        if (ctx.role !== 'admin') return ctx.flash(`session timeout: admin only (${ctx.actor?.username} is a ${ctx.role})`, 'warn');
        ctx.open({
          kind: 'form', form: {
            title: 'Session timeout', focus: 0, error: null,
            fields: [{ id: 'minutes', label: 'Minutes', value: line(String(ctx.config.security.sessionTimeoutMinutes)), hint: 'lock after this many minutes without a key press; 0 = never' }],
            submit: (v) => {
              const n = Number(v.minutes.trim());
              if (!Number.isInteger(n) || n < 0) throw new VmiError('usage', 'minutes: a whole number, 0 or more');
              saveSetting(ctx, ['security', 'sessionTimeoutMinutes'], n);
            },
          },
        });
        return;
      }
    }
  }

  render(cols: number, h: number): React.ReactNode {
    return <SettingsBody s={this} cols={cols} h={h} />;
  }
}

/** Writes ui/security settings: admins save to config.json (audited); viewers change this session only. */
function saveSetting(ctx: AppContext, path: ['ui', 'theme' | 'accent'] | ['security', 'sessionTimeoutMinutes'], value: string | number): void {
  if (ctx.role !== 'admin') {
    if (path[0] === 'security') throw new VmiError('not-admin', `the session timeout is for admins only; ${ctx.actor?.username} is a ${ctx.role}`);
    ctx.look = { ...ctx.look, [path[1]]: value };
    ctx.retheme();
    ctx.flash(`${path[1]}: ${value} (this session only: saving settings is for admins)`, 'muted');
    return;
  }
  editConfig(ctx.home.configFile, (raw) => {
    const sec = (raw[path[0]] && typeof raw[path[0]] === 'object' ? raw[path[0]] : (raw[path[0]] = {})) as Record<string, unknown>;
    sec[path[1]] = value;
  });
  ctx.store.write((tx) => audit(ctx.store, tx, ctx.actor, { action: 'config.set', resourceType: 'CONFIG', resourceId: path.join('.'), details: { value } }));
  ctx.look = {};
  ctx.reloadConfig();
  ctx.flash(`${path.join('.')} = ${value}`, 'good');
}

export const settingsView: ViewDef = {
  id: 'settings', title: 'Settings', digit: '0', menu: 'settings',
  colon: [
    { names: ['settings', 'config', 'sources'], help: 'settings', run: (ctx) => (ctx.go('settings', { section: 'sources' }), null) },
    { names: ['users'], help: 'settings: users', run: (ctx) => (ctx.go('settings', { section: 'users' }), null) },
    {
      names: ['theme'], help: 'theme dark|light',
      run: (ctx, arg) => {
        if (arg !== 'dark' && arg !== 'light') return 'theme: dark or light';
        ctx.close();
        saveSetting(ctx, ['ui', 'theme'], arg);
        return null;
      },
    },
  ],
  keys: SETTINGS_KEYS,
  create: (ctx) => new Settings(ctx),
};
