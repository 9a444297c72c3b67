// The app's state and behaviour, without React: phases (unlock, main, locked), views, overlays,
// the key dispatcher driven by the key map, and every action (store writes, config edits, worker
// requests). Components read from it and re-render when `rev` changes. Tested without a terminal.
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import type { Key } from 'ink';
import type { Session } from '../cli/context.js';
import { editSources, findSourceIndex } from '../cli/sources.js';
import { editConfig, loadConfig, normalizeThumbprint, PLATFORMS, type Config, type SourceConfig } from '../config.js';
import { KdfThread } from '../crypto/kdf.js';
import { deriveKek, type Derive, type KdfParams } from '../crypto/keys.js';
import { wipe } from '../crypto/sodium.js';
import { isVmiError, oneLine, VmiError } from '../errors.js';
import { collectGarbage, IdleTrim } from '../gc.js';
import type { Home } from '../home.js';
import { log } from '../log.js';
import { parseFilter } from '../model/filter.js';
import { VmLoader } from '../model/loader.js';
import { LiveModel, worthALoader, type OwnerEntry } from '../model/live.js';
import type { ManualDoc, VmView } from '../model/vm.js';
import { listAudit, type AuditEntry } from '../store/audit.js';
import { addManualIp, addOwner, assignOwners, setCustomField, setManual, tagVms, updateOwner } from '../store/manual.js';
import type { Store } from '../store/store.js';
import {
  addUserBy, audit, changePassphraseBy, checkNewPassphrase, checkNewUser, disableUser, listUsers, resetUserBy, setRole, unlockWith,
  type Actor, type UserInfo,
} from '../store/vault.js';
import type { SourceStatus } from '../worker/protocol.js';
import { parseAuditFilter, type AuditFilter } from './auditview.js';
import { dashboardData, type DashboardData } from './dashboard.js';
import { vmDetailLines, type DetailLine } from './detail.js';
import { fuzzyFilter } from './fuzzy.js';
import { keyName, resolveKey, splitInput, type KeyCommand, type Scope } from './keymap.js';
import { editLine, EMPTY, line, type Line } from './lineedit.js';
import { filterRows, ObjIndex, OBJECT_COLUMNS, OBJECT_DEFAULT_SORT, type ObjectKind, type ObjRow } from './objects.js';
import { initialStatus } from './pills.js';
import { allocate, Searcher, type SearchGroup, type SearchHit } from './search.js';
import { ACCENTS, makeTheme, type Caps, type Theme, type Tone } from './theme.js';
import { VmIndex, type RowList, type VmRows } from './vmindex.js';
import { SORTABLE, VM_COLUMN_BY_ID, type VmColumnId } from './vmrows.js';

/** Without a key for this long, the screen counts as idle for giving memory back. */
const IDLE_TRIM_MS = 10_000;

export type ViewId = 'dashboard' | 'vms' | 'vm' | 'hosts' | 'datastores' | 'networks' | 'changes' | 'alarms' | 'events' | 'owners' | 'audit' | 'settings';
export type Phase = 'unlock' | 'mustChange' | 'loading' | 'main' | 'locked' | 'quitting';
export type SettingsSection = 'sources' | 'ui' | 'users';

export const VIEW_TITLES: Record<ViewId, string> = {
  dashboard: 'Dashboard', vms: 'VMs', vm: 'VM', hosts: 'Hosts', datastores: 'Datastores', networks: 'Networks',
  changes: 'Changes', alarms: 'Alarms', events: 'Events', owners: 'Owners', audit: 'Audit', settings: 'Settings',
};
const OBJECT_VIEWS: ObjectKind[] = ['hosts', 'datastores', 'networks', 'changes', 'alarms', 'events'];
export const SETTINGS_SECTIONS: SettingsSection[] = ['sources', 'ui', 'users'];

/** The worker as the app sees it (a fake in tests). */
export interface WorkerLike {
  readonly statuses: Map<string, SourceStatus>;
  on(ev: 'status', fn: (s: SourceStatus) => void): unknown;
  on(ev: 'committed', fn: () => void): unknown;
  on(ev: 'fatal', fn: (f: { reason: string; message: string }) => void): unknown;
  setCredentials(user: string, password: Buffer): void;
  refresh(source?: string): void;
  setSources(sources: SourceConfig[]): void;
  stop(): Promise<void>;
}

export interface AppDeps {
  home: Home;
  store: Store;
  config: Config;
  caps: Caps;
  /** Prefilled user name on the unlock screen. */
  user: string;
  /** Already unlocked (vmi demo). */
  actor?: Actor;
  /** Shown on the lock screen of the throwaway demo home. */
  demoPassphrase?: string;
  startWorker?: (store: Store, config: Config) => WorkerLike | null;
  now?: () => number;
  /** Deferred work (unlock's Argon2id) runs after the "unlocking..." frame is on screen. */
  defer?: (fn: () => void) => void;
  /** Called once when the user quits. */
  onQuit?: () => void;
  /** Lock timer (tests use fake ones). */
  setTimer?: (fn: () => void, ms: number) => { cancel(): void };
}

export interface ListState {
  cursor: number;
  top: number;
  /** VMs view: the selected VM, which the cursor follows when rows move. */
  selectedId?: number;
}

export interface FilterState {
  applied: string;
  draft: Line;
  editing: boolean;
  error: string | null;
  before: string;
}

export interface FormField {
  id: string;
  label: string;
  value: Line;
  secret?: boolean;
  hint?: string;
  /** A fixed set of values: space or left/right cycle, a letter picks the first that starts with it. */
  choices?: string[];
}

export interface FormState {
  title: string;
  fields: FormField[];
  focus: number;
  error: string | null;
  note?: string;
  submit: (values: Record<string, string>) => void;
}

export type PickerRow = { kind: 'owner'; owner: OwnerEntry; vms: number } | { kind: 'new' } | { kind: 'none' };
export type TagRow = { kind: 'typed'; tag: string; add: boolean | null } | { kind: 'tag'; tag: string; count: number };

export type Overlay =
  | { kind: 'help'; scroll: number }
  | { kind: 'search'; q: Line; cursor: number; applied?: string }
  | { kind: 'command'; q: Line; error: string | null }
  | { kind: 'picker'; role: 'technical' | 'business'; q: Line; cursor: number; targets: number[] }
  | { kind: 'tags'; q: Line; cursor: number; targets: number[]; note: string | null }
  | { kind: 'form'; form: FormState }
  | { kind: 'confirm'; text: string; run: () => void }
  | { kind: 'notice'; title: string; lines: string[]; scroll: number }
  | { kind: 'credentials'; user: Line; pass: Line; field: 0 | 1; error: string | null };

export interface Message {
  text: string;
  tone: Tone;
}

export interface Size {
  cols: number;
  rows: number;
}

export const MIN_COLS = 40;
export const MIN_ROWS = 10;

/** Commands of the ":" line: name (and aliases) -> what it does. */
const COLON: { names: string[]; help: string }[] = [
  { names: ['dashboard', 'dash', 'home'], help: 'dashboard' },
  { names: ['vms', 'vm'], help: 'VMs (":vms EXPR" filters)' },
  { names: ['hosts', 'host', 'esx'], help: 'hosts' },
  { names: ['datastores', 'ds', 'storage'], help: 'datastores' },
  { names: ['networks', 'net', 'network', 'portgroups'], help: 'networks' },
  { names: ['changes', 'ch'], help: 'changes' },
  { names: ['alarms', 'alarm'], help: 'alarms' },
  { names: ['events', 'ev'], help: 'events' },
  { names: ['owners', 'owner'], help: 'owners' },
  { names: ['audit'], help: 'audit trail' },
  { names: ['settings', 'config', 'sources'], help: 'settings' },
  { names: ['users'], help: 'settings: users' },
  { names: ['filter', 'f'], help: 'filter VMs' },
  { names: ['search', 's'], help: 'search' },
  { names: ['refresh'], help: 'refresh now (":refresh NAME": one source)' },
  { names: ['connect'], help: 'vCenter credentials' },
  { names: ['theme'], help: 'theme dark|light' },
  { names: ['lock'], help: 'lock' },
  { names: ['help'], help: 'help' },
  { names: ['quit', 'q', 'exit'], help: 'quit' },
];
export const COLON_NAMES = COLON.flatMap((c) => c.names);

export class Controller extends EventEmitter {
  phase: Phase;
  rev = 0;
  size: Size = { cols: 80, rows: 24 };
  theme: Theme;
  config: Config;
  actor: Actor | null = null;
  model: LiveModel | null = null;
  worker: WorkerLike | null = null;
  readonly statuses = new Map<string, SourceStatus>();

  // Unlock / lock screens
  unlockUser: Line;
  unlockPass: Line = EMPTY;
  unlockField: 0 | 1 = 1;
  unlockError: string | null = null;
  busy: string | null = null;
  newPass1: Line = EMPTY;
  newPass2: Line = EMPTY;
  newPassField: 0 | 1 = 0;
  private pendingOld: Buffer | null = null;

  // Main screen
  view: ViewId = 'dashboard';
  history: ViewId[] = [];
  detailVm: number | null = null;
  settingsSection: SettingsSection = 'sources';
  overlay: Overlay | null = null;
  message: Message | null = null;
  readonly lists = new Map<string, ListState>();
  readonly filters = new Map<string, FilterState>();
  sortCol: VmColumnId = 'name';
  sortDesc = false;
  readonly objSort = new Map<ObjectKind, { col: string; desc: boolean }>();
  readonly marked = new Set<number>();
  lastKeyAt: number;
  /** Theme chosen in this session by a viewer (not saved). */
  private sessionTheme: { theme?: 'dark' | 'light'; accent?: string } = {};

  private index: VmIndex | null = null;
  private searcher: Searcher | null = null;
  private loader: VmLoader | null = null;
  private kdf: KdfThread | null = null;
  private memo = new Map<string, { key: string; value: unknown }>();
  /** The rows of the object table last shown. */
  private objIndex: ObjIndex | null = null;
  private auditEntries: AuditEntry[] = [];
  private auditLoadedAt = 0;
  private users: UserInfo[] | null = null;
  private lockTimer: { cancel(): void } | null = null;
  private keyChanged = false;
  private notifyPending = false;
  private readonly now: () => number;
  private readonly defer: (fn: () => void) => void;
  private readonly setTimer: (fn: () => void, ms: number) => { cancel(): void };

  constructor(readonly deps: AppDeps) {
    super();
    this.setMaxListeners(50);
    this.config = deps.config;
    this.now = deps.now ?? Date.now;
    this.defer = deps.defer ?? ((fn) => setTimeout(fn, 30));
    this.setTimer = deps.setTimer ?? ((fn, ms) => {
      const t = setTimeout(fn, ms);
      t.unref?.();
      return { cancel: () => clearTimeout(t) };
    });
    this.theme = this.makeTheme();
    this.unlockUser = line(deps.user);
    this.lastKeyAt = this.now();
    this.phase = deps.actor ? 'loading' : 'unlock';
    for (const s of this.config.sources) this.statuses.set(s.name, initialStatus(s.name, s.platform, s.enabled));
  }

  /** Starts the app: with a preset actor (demo) straight to the inventory. */
  start(): void {
    if (this.deps.actor) {
      this.actor = this.deps.actor;
      this.afterUnlock();
    } else this.armKdf();
  }

  /** A key derivation thread, started while the passphrase is being typed. */
  private armKdf(): void {
    this.kdf ??= new KdfThread();
  }

  /**
   * Argon2id in a thread of its own, the one started at the unlock screen or a new one (its
   * 192 MiB go when it ends); here if the thread cannot run. Every derivation of the app.
   */
  private async derive(passphrase: Uint8Array, salt: Uint8Array, p: KdfParams): Promise<Uint8Array> {
    const kdf = this.kdf ?? new KdfThread();
    this.kdf = null;
    try {
      return await kdf.derive(passphrase, salt, p);
    } catch (e) {
      log().warn({ reason: isVmiError(e) ? e.reason : 'kdf-thread' }, 'key derivation thread failed; deriving on the main thread');
    }
    return deriveKek(passphrase, salt, p);
  }

  private readonly deriveBy: Derive = (passphrase, salt, p) => this.derive(passphrase, salt, p);

  /** Work that derives a key: keys wait (busy) and the screen says what runs. */
  private runBusy<T>(message: string, work: () => Promise<T>, done: (v: T) => void): void {
    this.busy = message;
    this.flash(message, 'muted');
    work().then((v) => {
      this.busy = null;
      this.message = null;
      done(v);
      this.bump();
    }, (e) => {
      this.busy = null;
      this.flash(oneLine(e), 'bad');
    });
  }

  // ---------------------------------------------------------------- change notification

  subscribe = (fn: () => void): (() => void) => {
    this.on('rev', fn);
    return () => this.off('rev', fn);
  };

  getRev = (): number => this.rev;

  /** Marks the state changed; listeners hear about it once per tick. */
  bump(): void {
    this.rev++;
    if (this.notifyPending) return;
    this.notifyPending = true;
    queueMicrotask(() => {
      this.notifyPending = false;
      this.emit('rev');
    });
  }

  setSize(size: Size): void {
    if (size.cols === this.size.cols && size.rows === this.size.rows) return;
    this.size = size;
    this.bump();
  }

  get tooSmall(): boolean {
    return this.size.cols < MIN_COLS || this.size.rows < MIN_ROWS;
  }

  get role(): 'admin' | 'viewer' {
    return this.actor?.role ?? 'viewer';
  }

  private makeTheme(): Theme {
    return makeTheme(this.sessionTheme.theme ?? this.config.ui.theme, this.sessionTheme.accent ?? this.config.ui.accent, this.deps.caps);
  }

  // ---------------------------------------------------------------- unlock

  private submitUnlock(): void {
    const user = this.unlockUser.text.trim();
    if (!user) {
      this.unlockError = 'enter your vmi user name';
      this.unlockField = 0;
      return;
    }
    if (!this.unlockPass.text) {
      this.unlockError = 'enter your passphrase';
      this.unlockField = 1;
      return;
    }
    const pass = Buffer.from(this.unlockPass.text, 'utf8');
    this.unlockPass = EMPTY;
    this.busy = 'Unlocking...';
    this.unlockError = null;
    // The thread that helps load the cache starts while Argon2id runs (in its own thread).
    this.loader?.cancel();
    this.loader = !this.deps.store.unlocked && worthALoader(this.deps.store) ? new VmLoader(this.deps.store.file) : null;
    this.defer(async () => {
      if (this.phase === 'quitting') return wipe(pass);
      try {
        const actor = await unlockWith(this.deps.store, user, pass, (p, salt, params) => this.derive(p, salt, params), { via: 'tui' });
        if ((this.phase as Phase) === 'quitting') return wipe(pass);
        this.actor = actor;
        if (actor.mustChange) {
          this.pendingOld = pass;
          this.phase = 'mustChange';
          this.busy = null;
          this.bump();
          return;
        }
        wipe(pass);
        log().info({ user, role: actor.role }, 'unlocked');
        this.afterUnlock();
      } catch (e) {
        wipe(pass);
        this.loader?.cancel();
        this.loader = null;
        this.busy = null;
        this.unlockError = oneLine(e);
        this.armKdf();
        this.bump();
      }
    });
  }

  private submitNewPassphrase(): void {
    const a = Buffer.from(this.newPass1.text, 'utf8');
    const b = Buffer.from(this.newPass2.text, 'utf8');
    try {
      checkNewPassphrase(a);
      if (!a.equals(b)) throw new VmiError('usage', 'the two passphrases differ');
    } catch (e) {
      wipe(a, b);
      this.unlockError = oneLine(e);
      this.newPass1 = EMPTY;
      this.newPass2 = EMPTY;
      this.newPassField = 0;
      return;
    }
    this.busy = 'Saving the new passphrase...';
    this.unlockError = null;
    this.newPass1 = EMPTY;
    this.newPass2 = EMPTY;
    this.defer(async () => {
      try {
        await changePassphraseBy(this.deriveBy, this.deps.store, this.actor!, this.pendingOld!, a);
        wipe(this.pendingOld, a, b);
        this.pendingOld = null;
        this.afterUnlock();
        this.flash('passphrase changed', 'good');
      } catch (e) {
        wipe(a, b);
        this.busy = null;
        this.newPassField = 0;
        this.unlockError = oneLine(e);
        this.bump();
      }
    });
  }

  private afterUnlock(): void {
    this.phase = 'loading';
    this.busy = 'Loading the cache...';
    this.bump();
    this.defer(async () => {
      if (this.phase === 'quitting') return;
      try {
        const model = new LiveModel(this.deps.store);
        const loader = this.loader ?? undefined;
        this.loader = null;
        await model.loadParallel({ loader, deferRest: true });
        if ((this.phase as Phase) === 'quitting') return; // q while loading
        this.model = model;
        const index = new VmIndex(model);
        this.index = index;
        this.objIndex = null;
        this.searcher = new Searcher(model, () => index.syncedColumns());
        model.on('change', () => this.onModelChange());
        model.on('tampered', (t) => this.flash(`${t.length} cache row${t.length === 1 ? '' : 's'} failed authentication and were skipped (see the log)`, 'bad'));
        model.on('key-changed', () => this.onKeyChanged());
        model.start(1000);
      } catch (e) {
        this.busy = null;
        this.phase = 'unlock';
        this.unlockError = oneLine(e);
        this.bump();
        return;
      }
      this.phase = 'main';
      this.busy = null;
      this.lastKeyAt = this.now();
      this.armLock();
      this.armTrim();
      this.view = 'vms';
      this.bump();
      // Topology, alarms and history after the first frame, a step per turn of the event loop
      // (a key handled meanwhile finishes them first, see onKey()); then the worker.
      const model = this.model;
      const rest = () => {
        if (this.phase === 'quitting' || this.model !== model || !model) return;
        try {
          if (model.loadRestStep()) return void setImmediate(rest);
        } catch (e) {
          this.flash(`could not read the cache: ${oneLine(e)}`, 'bad');
        }
        // What loading left behind goes before the worker's first syncs grow the process again.
        collectGarbage();
        this.startWorker();
      };
      setImmediate(rest);
      if (this.needsCredentials().length) this.openCredentials();
    });
  }

  /** Computes every VM's search text in small slices after loading, so the first search is quick. */
  private startWorker(): void {
    if (this.worker || !this.deps.startWorker) return;
    try {
      this.worker = this.deps.startWorker(this.deps.store, this.config);
    } catch (e) {
      this.flash(`background sync did not start: ${oneLine(e)}`, 'bad');
      return;
    }
    if (!this.worker) return;
    for (const s of this.worker.statuses.values()) this.statuses.set(s.source, s);
    this.worker.on('status', (s) => {
      this.statuses.set(s.source, s);
      if (this.phase === 'main') this.bump();
    });
    this.worker.on('committed', () => this.model?.poll(true));
    this.worker.on('fatal', (f) => this.flash(`background sync: ${f.message}`, 'bad'));
  }

  /** Another process re-keyed the cache: stop syncing with the old key and ask for the passphrase. */
  private onKeyChanged(): void {
    const w = this.worker;
    this.worker = null;
    void w?.stop();
    this.keyChanged = true;
    this.lock();
    this.unlockError = 'the cache was re-keyed by another vmi process: unlock again';
    this.bump();
  }

  private onModelChange(): void {
    if (this.view === 'audit') this.auditLoadedAt = 0;
    if (this.phase === 'main') this.bump();
  }

  needsCredentials(): SourceConfig[] {
    return this.config.sources.filter((s) => s.enabled && (s.platform === 'vsphere' || s.platform === 'nutanix'));
  }

  private openCredentials(): void {
    const src = this.needsCredentials();
    if (src.length === 0) {
      this.flash('no vCenter source needs credentials', 'muted');
      return;
    }
    this.overlay = { kind: 'credentials', user: line(src.find((s) => s.user)?.user ?? ''), pass: EMPTY, field: src.some((s) => s.user) ? 1 : 0, error: null };
  }

  // ---------------------------------------------------------------- lock

  armLock(): void {
    this.lockTimer?.cancel();
    this.lockTimer = null;
    const minutes = this.config.security.sessionTimeoutMinutes;
    if (!minutes || this.phase !== 'main') return;
    const ms = minutes * 60_000;
    const check = () => {
      this.lockTimer = null;
      if (this.phase !== 'main') return;
      const idle = this.now() - this.lastKeyAt;
      if (idle >= ms) this.lock();
      else this.lockTimer = this.setTimer(check, ms - idle);
    };
    this.lockTimer = this.setTimer(check, Math.max(0, ms - (this.now() - this.lastKeyAt)));
  }

  private trimTimer: NodeJS.Timeout | null = null;

  /** Every 5 s: a full collection when the heap grew and no key came for 10 s (see IdleTrim). */
  private armTrim(): void {
    if (this.trimTimer) return;
    const trim = new IdleTrim();
    this.trimTimer = setInterval(() => trim.tick(this.now() - this.lastKeyAt >= IDLE_TRIM_MS), 5_000);
    this.trimTimer.unref?.();
  }

  lock(): void {
    if (this.phase !== 'main') return;
    this.phase = 'locked';
    this.unlockPass = EMPTY;
    this.unlockError = null;
    if (this.overlay?.kind === 'credentials' || (this.overlay?.kind === 'form' && this.overlay.form.fields.some((f) => f.secret))) this.overlay = null;
    this.lockTimer?.cancel();
    this.lockTimer = null;
    log().info({ user: this.actor?.username }, 'screen locked');
    this.armKdf();
    this.bump();
  }

  private submitLock(): void {
    if (!this.unlockPass.text) {
      this.unlockError = 'enter your passphrase';
      return;
    }
    const pass = Buffer.from(this.unlockPass.text, 'utf8');
    this.unlockPass = EMPTY;
    this.busy = 'Unlocking...';
    this.unlockError = null;
    this.defer(async () => {
      try {
        const a = await unlockWith(this.deps.store, this.actor!.username, pass, (p, salt, params) => this.derive(p, salt, params), { via: 'tui', after: 'lock' });
        if ((this.phase as Phase) === 'quitting') return;
        this.actor = { ...this.actor!, role: a.role };
        this.phase = 'main';
        this.lastKeyAt = this.now();
        this.armLock();
        if (this.keyChanged) {
          // The new key is in the store now: pick up what was written with it, sync again.
          this.keyChanged = false;
          this.model?.poll(true);
          this.startWorker();
        }
      } catch (e) {
        this.unlockError = oneLine(e);
        this.armKdf();
      } finally {
        wipe(pass);
        this.busy = null;
        this.bump();
      }
    });
  }

  quit(): void {
    if (this.phase === 'quitting') return;
    this.phase = 'quitting';
    this.lockTimer?.cancel();
    if (this.trimTimer) clearInterval(this.trimTimer);
    this.model?.stop();
    this.loader?.cancel();
    this.kdf?.close();
    this.kdf = null;
    wipe(this.pendingOld);
    this.bump();
    this.deps.onQuit?.();
  }

  // ---------------------------------------------------------------- keys

  onKey(input: string, key: Partial<Key>): void {
    const parts = splitInput(input, key);
    if (parts.length > 1) {
      for (const p of parts) this.onKey(p.input, p.key);
      return;
    }
    this.lastKeyAt = this.now();
    // Every view and overlay may read topology and history: whatever unlock left for later, now.
    this.model?.finishLoad();
    const name = keyName(input, key);
    if (name === 'ctrl+c') {
      this.quit();
      return;
    }
    if (this.busy) return;
    try {
      switch (this.phase) {
        case 'unlock': this.unlockKey(input, key, name); break;
        case 'mustChange': this.mustChangeKey(input, key, name); break;
        case 'locked': this.lockKey(input, key, name); break;
        case 'main': this.mainKey(input, key, name); break;
        default: break;
      }
    } catch (e) {
      // A store error (or a bug) never takes the screen down: one line, and the log has the rest.
      if (!isVmiError(e)) log().error({ err: e }, 'ui action failed');
      this.flash(oneLine(e), 'bad');
    }
    this.bump();
  }

  /** Keys of a two-field form (user + passphrase, new passphrase twice): esc quits, tab/arrows switch, enter moves on then submits. */
  private twoFieldKey(input: string, key: Partial<Key>, name: string, f: { field: 0 | 1; setField(v: 0 | 1): void; values: [Line, Line]; set(i: 0 | 1, v: Line): void; submit(): void }): void {
    if (name === 'esc') {
      this.quit();
      return;
    }
    if (name === 'tab' || name === 'shift+tab' || name === 'up' || name === 'down') {
      f.setField(f.field === 0 ? 1 : 0);
      return;
    }
    if (name === 'enter') {
      if (f.field === 0) f.setField(1);
      else f.submit();
      return;
    }
    f.set(f.field, editLine(f.values[f.field], input, key) ?? f.values[f.field]);
  }

  private unlockKey(input: string, key: Partial<Key>, name: string): void {
    this.twoFieldKey(input, key, name, {
      field: this.unlockField as 0 | 1, setField: (v) => (this.unlockField = v), values: [this.unlockUser, this.unlockPass],
      set: (i, v) => (i === 0 ? (this.unlockUser = v) : (this.unlockPass = v)), submit: () => this.submitUnlock(),
    });
  }

  private mustChangeKey(input: string, key: Partial<Key>, name: string): void {
    this.twoFieldKey(input, key, name, {
      field: this.newPassField as 0 | 1, setField: (v) => (this.newPassField = v), values: [this.newPass1, this.newPass2],
      set: (i, v) => (i === 0 ? (this.newPass1 = v) : (this.newPass2 = v)), submit: () => this.submitNewPassphrase(),
    });
  }

  private lockKey(input: string, key: Partial<Key>, name: string): void {
    if (name === 'enter') return this.submitLock();
    if (name === 'esc') {
      this.unlockPass = EMPTY;
      return;
    }
    this.unlockPass = editLine(this.unlockPass, input, key) ?? this.unlockPass;
  }

  /** The key map scopes that apply now, most specific first. */
  scopes(): Scope[] {
    if (this.overlay) {
      switch (this.overlay.kind) {
        case 'command': return ['input'];
        case 'credentials': return ['form'];
        default: return [this.overlay.kind];
      }
    }
    if (this.editingFilter()) return ['input'];
    switch (this.view) {
      case 'vms': return ['vms', 'list', 'global'];
      case 'vm': return ['vm', 'list', 'global'];
      case 'owners': return ['owners', 'list', 'global'];
      case 'audit': return ['audit', 'list', 'global'];
      case 'settings': return [`settings.${this.settingsSection}` as Scope, 'settings', 'list', 'global'];
      case 'dashboard': return ['dashboard', 'list', 'global'];
      default: return ['objects', 'list', 'global'];
    }
  }

  private mainKey(input: string, key: Partial<Key>, name: string): void {
    this.message = null;
    if (this.overlay) return this.overlayKey(input, key, name);
    const f = this.editingFilter();
    if (f) return this.filterKey(f, input, key, name);
    // Pasted text outside an input: treat each character as a key.
    if (input.length > 1 && !key.ctrl && !key.meta && name === input) {
      for (const ch of input) this.mainKey(ch, {}, keyName(ch, {}));
      return;
    }
    const cmd = resolveKey(this.scopes(), name);
    if (cmd) this.runCommand(cmd);
  }

  /** Runs a command from the key map, after the admin and "are you sure" checks. */
  runCommand(cmd: KeyCommand): void {
    if (cmd.adminOnly && this.role !== 'admin') {
      this.flash(`${cmd.description}: admin only (${this.actor?.username ?? 'you'} is a ${this.role})`, 'warn');
      return;
    }
    const target = cmd.dangerous ? this.confirmText(cmd) : null;
    if (cmd.dangerous && target === null) return;
    if (target) {
      this.overlay = { kind: 'confirm', text: target, run: () => this.run(cmd.id) };
      return;
    }
    this.run(cmd.id);
  }

  private confirmText(cmd: KeyCommand): string | null {
    switch (cmd.id) {
      case 'source.remove': {
        const s = this.selectedSource();
        return s ? `Remove source ${s.name} from config.json? Its cached inventory stays.` : null;
      }
      case 'source.trust': {
        const s = this.selectedSource();
        if (!s) return null;
        const tp = this.reportedThumbprint(s.name);
        if (!tp) {
          this.flash(`${s.name} has not reported a certificate to trust (its pill shows a certificate error when it does)`, 'warn');
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
      default:
        return `${cmd.description}?`;
    }
  }

  private run(id: string): void {
    if (id.startsWith('view.')) return this.go(id.slice(5) as ViewId);
    switch (id) {
      case 'help': this.overlay = { kind: 'help', scroll: 0 }; return;
      case 'search': this.overlay = { kind: 'search', q: EMPTY, cursor: 0 }; return;
      case 'command': this.overlay = { kind: 'command', q: EMPTY, error: null }; return;
      case 'back': return this.back();
      case 'quit': return this.quit();
      case 'refresh': return this.refresh();
      case 'lock': return this.lock();
      case 'connect': return this.openCredentials();
      case 'up': return this.move(-1);
      case 'down': return this.move(1);
      case 'pageUp': return this.move(-this.pageRows());
      case 'pageDown': return this.move(this.pageRows());
      case 'top': return this.move(-Infinity);
      case 'bottom': return this.move(Infinity);
      case 'vms.open': {
        const v = this.selectedVm();
        if (v) this.openVm(v.id);
        return;
      }
      case 'vms.filter':
      case 'objects.filter': return this.startFilter();
      case 'vms.sort': return this.nextSort();
      case 'vms.reverse': return this.reverseSort();
      case 'vms.mark': {
        const v = this.selectedVm();
        if (!v) return;
        if (this.marked.has(v.id)) this.marked.delete(v.id);
        else this.marked.add(v.id);
        this.move(1);
        return;
      }
      case 'vms.markAll': {
        const rows = this.vmRows();
        let all = rows.length > 0;
        for (const v of rows) {
          if (this.marked.has(v.id)) continue;
          all = false;
          break;
        }
        for (const v of rows) if (all) this.marked.delete(v.id); else this.marked.add(v.id);
        this.flash(all ? `unmarked ${rows.length} VMs` : `${this.marked.size} VMs marked`, 'muted');
        return;
      }
      case 'vms.unmark': this.marked.clear(); return;
      case 'vm.owner.technical': return this.openPicker('technical');
      case 'vm.owner.business': return this.openPicker('business');
      case 'vm.tags': {
        const t = this.targets();
        if (t.length) this.overlay = { kind: 'tags', q: EMPTY, cursor: 0, targets: t.map((v) => v.id), note: null };
        return;
      }
      case 'vm.edit': return this.openEdit();
      case 'owners.vms': {
        const o = this.ownerRows()[this.list('owners').cursor];
        if (o) this.showVms(`owner=${quoteValue(o.owner.email)}`);
        return;
      }
      case 'owners.unowned': return this.showVms('owner:none');
      case 'owners.add': return this.openOwnerForm(null, null);
      case 'owners.edit': {
        const o = this.ownerRows()[this.list('owners').cursor];
        if (o) this.openOwnerForm(o.owner, null);
        return;
      }
      case 'audit.details': {
        const e = this.auditRows()[this.list('audit').cursor];
        if (e) this.overlay = { kind: 'notice', title: `Audit entry ${e.id}`, scroll: 0, lines: auditNotice(e) };
        return;
      }
      case 'objects.open': return this.openObject();
      case 'settings.next':
      case 'settings.prev': {
        const i = SETTINGS_SECTIONS.indexOf(this.settingsSection);
        const n = SETTINGS_SECTIONS.length;
        this.settingsSection = SETTINGS_SECTIONS[(i + (id === 'settings.next' ? 1 : n - 1)) % n];
        if (this.settingsSection === 'users') this.users = null;
        return;
      }
      case 'source.add': return this.openSourceForm(null);
      case 'source.edit': {
        const s = this.selectedSource();
        if (s) this.openSourceForm(s);
        return;
      }
      case 'source.toggle': {
        const s = this.selectedSource();
        if (!s) return;
        this.editSource('config.source.set', s.name, { fields: ['enabled'] }, (src) => { src.enabled = !s.enabled; });
        this.flash(`${s.name} ${s.enabled ? 'disabled' : 'enabled'}`, 'good');
        return;
      }
      case 'source.refresh': {
        const s = this.selectedSource();
        if (!s) return;
        if (!this.worker) return this.flash('background sync is not running', 'warn');
        this.worker.refresh(s.name);
        this.flash(`refreshing ${s.name}`, 'muted');
        return;
      }
      case 'source.trust': {
        const s = this.selectedSource();
        const tp = s && this.reportedThumbprint(s.name);
        if (!s || !tp) return;
        this.editSource('config.source.trust', s.name, { thumbprint: tp }, (src) => { src.thumbprint = tp; });
        this.flash(`${s.name}: thumbprint pinned`, 'good');
        return;
      }
      case 'source.remove': {
        const s = this.selectedSource();
        if (!s) return;
        this.editSource('config.source.remove', s.name, {}, (_src, all, i) => { all.splice(i, 1); });
        this.flash(`${s.name} removed from config.json`, 'good');
        return;
      }
      case 'ui.change': return this.changeUiSetting();
      case 'user.add': return this.openUserForm();
      case 'user.role': {
        const u = this.selectedUser();
        if (!u) return;
        setRole(this.deps.store, this.actor!, u.username, u.role === 'admin' ? 'viewer' : 'admin');
        this.users = null;
        this.flash(`${u.username} is now ${u.role === 'admin' ? 'a viewer' : 'an admin'}`, 'good');
        return;
      }
      case 'user.reset': {
        const u = this.selectedUser();
        if (!u) return;
        this.runBusy(`Making a one-time passphrase for ${u.username}...`, () => resetUserBy(this.deriveBy, this.deps.store, this.actor!, u.username), (temp) => {
          this.users = null;
          this.overlay = { kind: 'notice', title: `One-time passphrase for ${u.username}`, scroll: 0, lines: oneTimeLines(u.username, temp) };
        });
        return;
      }
      case 'user.disable': {
        const u = this.selectedUser();
        if (!u) return;
        disableUser(this.deps.store, this.actor!, u.username);
        this.users = null;
        this.flash(`${u.username} disabled; run "vmi rekey" so that a copy of the old key opens nothing`, 'good');
        return;
      }
      default:
        return;
    }
  }

  flash(text: string, tone: Tone = 'text'): void {
    this.message = { text, tone };
    this.bump();
  }

  // ---------------------------------------------------------------- views and lists

  go(view: ViewId): void {
    if (view === this.view) return;
    this.history.push(this.view);
    if (this.history.length > 50) this.history.shift();
    this.view = view;
    if (view === 'audit') this.auditLoadedAt = 0;
    if (view === 'settings' && this.settingsSection === 'users') this.users = null;
    this.dropObjRows();
  }

  back(): void {
    const prev = this.history.pop();
    if (prev) this.view = prev;
    else if (this.view !== 'vms') this.view = 'vms';
    this.dropObjRows();
  }

  /** An object table's rows (over 100,000 for changes) are kept while it or a VM opened from it is shown. */
  private dropObjRows(): void {
    if (this.view !== 'vm' && !OBJECT_VIEWS.includes(this.view as ObjectKind)) this.objIndex = null;
  }

  private openVm(id: number): void {
    this.detailVm = id;
    this.list('vm').top = 0;
    if (this.view === 'vm') return;
    this.go('vm');
  }

  /** Switches to the VMs view with a filter (owner's VMs, a host's VMs...). */
  showVms(filter: string): void {
    this.setFilter('vms', filter);
    this.go('vms');
  }

  list(id: string): ListState {
    let l = this.lists.get(id);
    if (!l) this.lists.set(id, (l = { cursor: 0, top: 0 }));
    return l;
  }

  /** The list the cursor keys move in the current view. */
  listId(): string {
    return this.view === 'settings' ? `settings.${this.settingsSection}` : this.view;
  }

  rowCount(): number {
    switch (this.view) {
      case 'vms': return this.vmRows().length;
      case 'vm': return this.detailLines().length;
      case 'dashboard': return Number.MAX_SAFE_INTEGER;
      case 'owners': return this.ownerRows().length;
      case 'audit': return this.auditRows().length;
      case 'settings':
        return this.settingsSection === 'sources' ? this.config.sources.length : this.settingsSection === 'users' ? this.userRows().length : UI_SETTINGS.length;
      default: return this.objRows(this.view as ObjectKind).length;
    }
  }

  /** Rows of content between the header and the status line. */
  bodyRows(): number {
    return Math.max(1, this.size.rows - 3);
  }

  /** Visible rows of the current list (what PgUp/PgDn move by). */
  pageRows(view: ViewId = this.view): number {
    const body = this.bodyRows();
    switch (view) {
      case 'vm':
      case 'dashboard': return Math.max(1, body);
      case 'vms':
      case 'owners':
      case 'audit': return Math.max(1, body - 2 - (this.filterState(view).error ? 1 : 0));
      case 'settings': return Math.max(1, body - 2);
      default: return Math.max(1, body - 2 - (this.filterState(view).error ? 1 : 0));
    }
  }

  /** Scroll-only views move the window; lists move the cursor. */
  move(delta: number): void {
    const l = this.list(this.listId());
    if (this.view === 'vm' || this.view === 'dashboard') {
      const max = this.view === 'vm' ? Math.max(0, this.detailLines().length - this.pageRows()) : this.dashMaxScroll;
      l.top = clamp(delta === -Infinity ? 0 : delta === Infinity ? max : l.top + delta, 0, max);
      return;
    }
    // Rows first: reading them re-anchors the cursor on the selected row.
    const rows: RowList<{ id: number }> | null = this.view === 'vms' ? this.vmRows()
      : OBJECT_VIEWS.includes(this.view as ObjectKind) ? this.objRows(this.view as ObjectKind) : null;
    const n = rows ? rows.length : this.rowCount();
    if (n === 0) return;
    l.cursor = clamp(delta === -Infinity ? 0 : delta === Infinity ? n - 1 : l.cursor + delta, 0, n - 1);
    if (rows) l.selectedId = rows.at(l.cursor)?.id;
  }

  /** Set by the dashboard when it knows how tall its content is. */
  dashMaxScroll = 0;

  /** The window of a list: adjusts `top` so that the cursor is visible. */
  window(id: string, count: number, height: number): { top: number; cursor: number } {
    const l = this.list(id);
    l.cursor = clamp(l.cursor, 0, Math.max(0, count - 1));
    if (l.cursor < l.top) l.top = l.cursor;
    if (l.cursor >= l.top + height) l.top = l.cursor - height + 1;
    l.top = clamp(l.top, 0, Math.max(0, count - height));
    return { top: l.top, cursor: l.cursor };
  }

  // ---------------------------------------------------------------- filters

  filterState(id: string): FilterState {
    let f = this.filters.get(id);
    if (!f) this.filters.set(id, (f = { applied: '', draft: EMPTY, editing: false, error: null, before: '' }));
    return f;
  }

  editingFilter(): FilterState | null {
    const f = this.filters.get(this.listId());
    return f?.editing ? f : null;
  }

  private startFilter(): void {
    const f = this.filterState(this.listId());
    f.editing = true;
    f.before = f.applied;
    f.draft = line(f.applied);
    f.error = null;
  }

  private filterKey(f: FilterState, input: string, key: Partial<Key>, name: string): void {
    if (name === 'enter') {
      if (f.error) return; // stays open with its message; the previous results are still shown
      this.flushFilter();
      f.editing = false;
      return;
    }
    if (name === 'esc') {
      this.pendingFilter = null;
      f.editing = false;
      f.error = null;
      this.setFilter(this.listId(), f.before);
      return;
    }
    if (name === 'ctrl+u') f.draft = EMPTY;
    else {
      const next = editLine(f.draft, input, key);
      if (!next) return;
      f.draft = next;
    }
    // Applied as typed; a draft that does not parse leaves the previous results on screen. The
    // parse is immediate (the error shows with the key press); the pass over every VM runs just
    // after the frame that echoes the key, and only for the latest draft when keys come fast.
    const id = this.listId();
    const src = f.draft.text;
    try {
      if (id === 'vms') parseFilter(src);
      else if (id === 'audit') parseAuditFilter(src);
      f.error = null;
    } catch (e) {
      f.error = oneLine(e);
      this.pendingFilter = null;
      return;
    }
    this.pendingFilter = { id, src };
    this.later(() => this.flushFilter());
  }

  private pendingFilter: { id: string; src: string } | null = null;
  private laterQueued = false;
  private laterFns: (() => void)[] = [];

  /** Runs after the current key's frame (coalesced per tick). */
  private later(fn: () => void): void {
    this.laterFns.push(fn);
    if (this.laterQueued) return;
    this.laterQueued = true;
    setImmediate(() => {
      this.laterQueued = false;
      const fns = this.laterFns;
      this.laterFns = [];
      for (const f of fns) f();
      this.bump();
    });
  }

  private flushFilter(): void {
    const p = this.pendingFilter;
    this.pendingFilter = null;
    if (!p) return;
    try {
      this.setFilter(p.id, p.src);
    } catch (e) {
      this.filterState(p.id).error = oneLine(e);
    }
  }

  /** Applies a filter to a view; throws (and changes nothing) when it does not parse. */
  setFilter(id: string, src: string): void {
    const f = this.filterState(id);
    if (id === 'vms') this.index?.setFilter(src);
    else if (id === 'audit') parseAuditFilter(src);
    f.applied = src;
    if (!f.editing) f.draft = line(src);
    f.error = null;
  }

  // ---------------------------------------------------------------- derived data (memoized)

  private memoize<T>(name: string, key: string, fn: () => T): T {
    const hit = this.memo.get(name);
    if (hit && hit.key === key) return hit.value as T;
    const value = fn();
    this.memo.set(name, { key, value });
    return value;
  }

  private warming = false;

  /** The VMs view's rows: filtered and sorted; the cursor follows the selected VM. */
  vmRows(): VmRows {
    if (!this.index) return [];
    const rows = this.index.view(this.sortCol, this.sortDesc);
    if (this.index.wantsWarm && !this.warming) {
      // Filter columns for this order, built between frames.
      this.warming = true;
      const step = () => {
        if (this.phase !== 'quitting' && this.index?.warm()) setImmediate(step);
        else this.warming = false;
      };
      setImmediate(step);
    }
    const l = this.list('vms');
    if (l.selectedId !== undefined && rows.at(l.cursor)?.id !== l.selectedId) {
      const i = this.index.indexOf(l.selectedId);
      if (i >= 0) l.cursor = i;
    }
    l.cursor = clamp(l.cursor, 0, Math.max(0, rows.length - 1));
    l.selectedId = rows.at(l.cursor)?.id;
    return rows;
  }

  get vmTotal(): number {
    return this.index?.total ?? 0;
  }

  selectedVm(): VmView | undefined {
    if (this.view === 'vm') return this.detailVm !== null ? this.model?.vms.get(this.detailVm) : undefined;
    return this.vmRows().at(this.list('vms').cursor);
  }

  /** What owner/tag/edit actions apply to: the marked VMs in the VMs view, else the selected one. */
  targets(): VmView[] {
    if (this.view === 'vms' && this.marked.size) {
      const out: VmView[] = [];
      for (const id of this.marked) {
        const v = this.model?.vms.get(id);
        if (v) out.push(v);
      }
      return out;
    }
    const v = this.selectedVm();
    return v ? [v] : [];
  }

  detailVmView(): VmView | undefined {
    return this.detailVm !== null ? this.model?.vms.get(this.detailVm) : undefined;
  }

  detailLines(): DetailLine[] {
    const m = this.model;
    const v = this.detailVmView();
    if (!m || !v) return [{ text: 'This VM is not in the cache any more.', tone: 'muted' }];
    return this.memoize('detail', `${m.version}|${v.id}|${this.theme.glyphs.arrow}`, () => {
      const alarms = [...m.alarms.values()].filter((a) => a.deletedAt === null && a.sourceId === v.sourceId && a.doc.entity === v.name);
      let doc;
      let history;
      try {
        doc = m.vmDoc(v.id);
        history = m.vmHistory(v.id);
      } catch (e) {
        return [{ text: oneLine(e), tone: 'bad' }];
      }
      if (!doc) return [{ text: 'This VM is not in the cache any more.', tone: 'muted' }];
      return vmDetailLines(v, doc, history, alarms, this.theme.glyphs.arrow);
    });
  }

  dashboard(): DashboardData | null {
    const m = this.model;
    if (!m) return null;
    return this.memoize('dash', String(m.version), () => dashboardData(m, this.now()));
  }

  objRows(kind: ObjectKind): ObjRow[] {
    const m = this.model;
    if (!m) return [];
    const sort = this.objSort.get(kind) ?? OBJECT_DEFAULT_SORT[kind];
    const f = this.filterState(kind).applied;
    // One table's rows at a time: leaving it gives their memory back.
    if (this.objIndex?.kind !== kind) this.objIndex = new ObjIndex(kind);
    const rows = this.objIndex.view(m, m.version, sort.col, sort.desc, f);
    const l = this.list(kind);
    if (l.selectedId !== undefined && rows.at(l.cursor)?.id !== l.selectedId) {
      const i = rows.findIndex((r) => r.id === l.selectedId);
      if (i >= 0) l.cursor = i;
    }
    return rows;
  }

  objTotal(kind: ObjectKind): number {
    return this.objIndex?.kind === kind ? this.objIndex.total : 0;
  }

  /** The change table holds the newest changes only: how many the history window has in all. */
  changesInWindow(): number {
    return this.model?.changesInWindow ?? 0;
  }

  ownerCounts(): Map<number, { tech: number; bus: number }> {
    const m = this.model;
    if (!m) return new Map();
    return this.memoize('ownerCounts', String(m.version), () => {
      const c = new Map<number, { tech: number; bus: number }>();
      const get = (id: number) => {
        let x = c.get(id);
        if (!x) c.set(id, (x = { tech: 0, bus: 0 }));
        return x;
      };
      for (const v of m.vms.values()) {
        if (v.deletedAt !== null) continue;
        if (v.technicalOwner) get(v.technicalOwner.id).tech++;
        if (v.businessOwner) get(v.businessOwner.id).bus++;
      }
      return c;
    });
  }

  ownerRows(): { owner: OwnerEntry; tech: number; bus: number; text: string }[] {
    const m = this.model;
    if (!m) return [];
    const f = this.filterState('owners').applied;
    const counts = this.ownerCounts();
    return this.memoize('owners', `${m.version}|${f}`, () => {
      const rows = [...m.owners.values()].sort((a, b) => a.fullName.localeCompare(b.fullName)).map((owner) => ({
        owner, tech: counts.get(owner.id)?.tech ?? 0, bus: counts.get(owner.id)?.bus ?? 0,
        text: `${owner.fullName} ${owner.email} ${owner.department ?? ''} ${owner.designation ?? ''}`.toLowerCase(),
      }));
      return filterRows(rows, f);
    });
  }

  /** Audit entries, newest first, filtered; new entries are read incrementally. */
  auditRows(): AuditEntry[] {
    if (this.now() - this.auditLoadedAt > 2000 || this.auditLoadedAt === 0) {
      const last = this.auditEntries[0];
      const r = listAudit(this.deps.store, last ? last.time : undefined);
      const known = new Set(this.auditEntries.map((e) => e.id));
      const fresh = r.entries.filter((e) => !known.has(e.id));
      if (fresh.length) this.auditEntries = [...fresh.reverse(), ...this.auditEntries];
      this.auditLoadedAt = this.now();
    }
    const f = this.filterState('audit').applied;
    return this.memoize('audit', `${this.auditEntries.length}|${this.auditEntries[0]?.id}|${f}`, () => {
      let filter: AuditFilter;
      try {
        filter = parseAuditFilter(f, this.now());
      } catch {
        return this.auditEntries;
      }
      return this.auditEntries.filter(filter.test);
    });
  }

  get auditTotal(): number {
    return this.auditEntries.length;
  }

  userRows(): UserInfo[] {
    if (!this.users) this.users = listUsers(this.deps.store).users;
    return this.users;
  }

  private selectedUser(): UserInfo | undefined {
    return this.userRows()[this.list('settings.users').cursor];
  }

  private selectedSource(): SourceConfig | undefined {
    return this.config.sources[this.list('settings.sources').cursor];
  }

  /** The thumbprint a source's certificate error reported, if any. */
  reportedThumbprint(source: string): string | null {
    const e = this.statuses.get(source)?.lastError;
    if (!e || (e.reason !== 'tls-untrusted' && e.reason !== 'tls-mismatch')) return null;
    const m = /thumbprint ([0-9A-Fa-f:]{64,95})/.exec(e.message);
    return m ? normalizeThumbprint(m[1]) : null;
  }

  // ---------------------------------------------------------------- sort

  private nextSort(): void {
    if (this.view === 'vms') {
      const i = SORTABLE.indexOf(this.sortCol);
      this.sortCol = SORTABLE[(i + 1) % SORTABLE.length];
      this.sortDesc = false;
      this.flash(`sorted by ${VM_COLUMN_BY_ID.get(this.sortCol)!.title.toLowerCase()}`, 'muted');
      return;
    }
    const kind = this.view as ObjectKind;
    if (!OBJECT_VIEWS.includes(kind)) return;
    const cols = OBJECT_COLUMNS[kind];
    const cur = this.objSort.get(kind) ?? OBJECT_DEFAULT_SORT[kind];
    const next = cols[(cols.findIndex((c) => c.id === cur.col) + 1) % cols.length];
    this.objSort.set(kind, { col: next.id, desc: false });
    this.flash(`sorted by ${next.title.toLowerCase()}`, 'muted');
  }

  private reverseSort(): void {
    if (this.view === 'vms') {
      this.sortDesc = !this.sortDesc;
      return;
    }
    const kind = this.view as ObjectKind;
    if (!OBJECT_VIEWS.includes(kind)) return;
    const cur = this.objSort.get(kind) ?? OBJECT_DEFAULT_SORT[kind];
    this.objSort.set(kind, { col: cur.col, desc: !cur.desc });
  }

  objSortOf(kind: ObjectKind): { col: string; desc: boolean } {
    return this.objSort.get(kind) ?? OBJECT_DEFAULT_SORT[kind];
  }

  // ---------------------------------------------------------------- actions

  private refresh(): void {
    if (!this.worker) {
      this.model?.poll(true);
      this.flash('background sync is not running; re-read the cache', 'muted');
      return;
    }
    this.worker.refresh();
    this.model?.poll(true);
    const offline = this.needsCredentials().filter((s) => this.statuses.get(s.name)?.state === 'offline');
    this.flash(offline.length ? `refreshing; ${offline.map((s) => s.name).join(', ')} need credentials: press c` : 'refreshing every source', 'muted');
  }

  private openObject(): void {
    const kind = this.view as ObjectKind;
    const row = this.objRows(kind)[this.list(kind).cursor];
    if (!row?.open) return;
    if ('vm' in row.open) this.openVm(row.open.vm);
    else this.showVms(row.open.filter);
  }

  /** After a write: pick it up at once (the same path other processes' writes take). */
  private reload(): void {
    this.model?.poll(true);
    this.auditLoadedAt = 0;
  }

  // ----- owners

  pickerRows(): PickerRow[] {
    const o = this.overlay;
    if (!o || o.kind !== 'picker' || !this.model) return [];
    const counts = this.ownerCounts();
    const owners = this.memoize('pickerOwners', String(this.model.version), () => [...this.model!.owners.values()].sort((a, b) => a.fullName.localeCompare(b.fullName)));
    const found = fuzzyFilter(owners, o.q.text, (x) => `${x.fullName} ${x.email} ${x.department ?? ''}`);
    const rows: PickerRow[] = found.map((owner) => ({ kind: 'owner', owner, vms: (o.role === 'technical' ? counts.get(owner.id)?.tech : counts.get(owner.id)?.bus) ?? 0 }));
    rows.push({ kind: 'new' });
    if (!o.q.text.trim()) rows.push({ kind: 'none' });
    return rows;
  }

  private openPicker(role: 'technical' | 'business'): void {
    const t = this.targets();
    if (t.length === 0) return this.flash('no VM selected', 'warn');
    this.overlay = { kind: 'picker', role, q: EMPTY, cursor: 0, targets: t.map((v) => v.id) };
  }

  private assignTo(role: 'technical' | 'business', targetIds: number[], ownerId: number | null, label: string): void {
    const vms = targetIds.map((id) => this.model?.vms.get(id)).filter((v): v is VmView => !!v);
    const n = assignOwners(this.deps.store, this.actor!, vms, role === 'technical' ? { technical: ownerId } : { business: ownerId });
    this.reload();
    // Marks stay (set the business owner of the same VMs next; u clears them).
    this.flash(ownerId === null ? `${role} owner cleared on ${n} VM${n === 1 ? '' : 's'}` : `${label} is now the ${role} owner of ${vms.length} VM${vms.length === 1 ? '' : 's'}${n < vms.length ? ` (${vms.length - n} already were)` : ''}`, 'good');
  }

  private openOwnerForm(existing: OwnerEntry | null, assign: { role: 'technical' | 'business'; targets: number[] } | null, name = ''): void {
    const looksLikeMail = name.includes('@');
    this.overlay = {
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
            updateOwner(this.deps.store, this.actor!, existing.id, { fullName: v.fullName.trim(), email: v.email.trim(), department: v.department.trim() || undefined, designation: v.designation.trim() || undefined });
            this.reload();
            this.flash(`owner ${v.fullName.trim()} saved`, 'good');
            return;
          }
          const id = addOwner(this.deps.store, this.actor!, { fullName: v.fullName, email: v.email, department: v.department.trim() || undefined, designation: v.designation.trim() || undefined });
          this.reload();
          if (assign) this.assignTo(assign.role, assign.targets, id, v.fullName.trim());
          else this.flash(`owner ${v.fullName.trim()} added`, 'good');
        },
      },
    };
  }

  // ----- edit VM

  private openEdit(): void {
    const t = this.targets();
    if (t.length === 0) return this.flash('no VM selected', 'warn');
    const same = (get: (v: VmView) => string | undefined) => {
      const first = get(t[0]) ?? '';
      return t.every((v) => (get(v) ?? '') === first) ? first : '';
    };
    const mixed = (get: (v: VmView) => string | undefined) => (t.length > 1 && !t.every((v) => (get(v) ?? '') === (get(t[0]) ?? '')) ? 'mixed: leave empty to keep each VM\'s value' : undefined);
    const power = (v: VmView) => (v.overridden.includes('power') ? POWER_WORD[v.power] : '');
    const ovText = (f: VmView['overridden'][number], val: (v: VmView) => string | undefined) => (v: VmView) => (v.overridden.includes(f) ? val(v) : '');
    const fields: FormField[] = [
      { id: 'project', label: 'Project', value: line(same((v) => v.project)), hint: mixed((v) => v.project) },
      { id: 'environment', label: 'Environment', value: line(same((v) => v.environment)), hint: mixed((v) => v.environment) },
      { id: 'notes', label: 'Notes', value: line(same((v) => v.notes)), hint: mixed((v) => v.notes) },
      { id: 'power', label: 'Power override', value: line(same(power)), choices: ['', 'on', 'off', 'suspended'], hint: `none = the synced value (${t.length === 1 ? POWER_WORD[t[0].synced.power] : 'per VM'})` },
      { id: 'cluster', label: 'Cluster override', value: line(same(ovText('cluster', (v) => v.cluster))), hint: t.length === 1 ? `synced: ${t[0].synced.cluster ?? '-'}` : undefined },
      { id: 'hostname', label: 'Hostname override', value: line(same(ovText('hostname', (v) => v.hostname))), hint: t.length === 1 ? `synced: ${t[0].synced.hostname ?? '-'}` : undefined },
      { id: 'os', label: 'OS override', value: line(same(ovText('os', (v) => v.os))), hint: t.length === 1 ? `synced: ${t[0].synced.os ?? '-'}` : undefined },
      { id: 'field', label: 'Custom field', value: EMPTY, hint: 'key=value sets it, key= removes it' },
      { id: 'ip', label: 'Manual IP', value: EMPTY, hint: 'an address; add " primary" to make it the primary IP' },
    ];
    const initial = Object.fromEntries(fields.map((f) => [f.id, f.value.text]));
    this.overlay = {
      kind: 'form', form: {
        title: t.length === 1 ? `Edit ${t[0].name}` : `Edit ${t.length} marked VMs`, focus: 0, error: null, fields,
        note: 'Synced values stay visible in the detail view; a sync never overwrites these.',
        submit: (v) => this.saveEdit(t, initial, v),
      },
    };
  }

  private saveEdit(targets: VmView[], initial: Record<string, string>, v: Record<string, string>): void {
    const patch: ManualDoc = {};
    const overrides: NonNullable<ManualDoc['overrides']> = {};
    const changed = (k: string) => v[k].trim() !== (initial[k] ?? '').trim();
    if (changed('project')) patch.project = v.project.trim();
    if (changed('environment')) patch.environment = v.environment.trim();
    if (changed('notes')) patch.notes = v.notes.trim();
    if (changed('power')) {
      const p = v.power.trim().toLowerCase();
      const want = p === '' ? '' : POWER_FROM_WORD[p];
      if (want === undefined) throw new VmiError('usage', `power override: on, off, suspended or empty, not "${v.power}"`);
      (overrides as Record<string, unknown>).powerState = want; // '' removes the override
    }
    if (changed('cluster')) (overrides as Record<string, unknown>).cluster = v.cluster.trim();
    if (changed('hostname')) (overrides as Record<string, unknown>).hostname = v.hostname.trim();
    if (changed('os')) (overrides as Record<string, unknown>).osType = v.os.trim();
    let field: { key: string; value: string | null } | null = null;
    if (v.field.trim()) {
      const m = /^([^=]+)=(.*)$/.exec(v.field.trim());
      if (!m || !m[1].trim()) throw new VmiError('usage', 'custom field: write key=value (or key= to remove it)');
      field = { key: m[1].trim(), value: m[2].trim() === '' ? null : m[2].trim() };
    }
    let ip: { ip: string; primary: boolean } | null = null;
    if (v.ip.trim()) {
      const [addr, flag] = v.ip.trim().split(/\s+/);
      if (!isIP(addr)) throw new VmiError('usage', `"${addr}" is not an IP address`);
      if (flag && flag !== 'primary') throw new VmiError('usage', 'manual IP: an address, optionally followed by "primary"');
      ip = { ip: addr, primary: flag === 'primary' };
    }
    if (Object.keys(overrides).length) patch.overrides = overrides;
    const n = Object.keys(patch).length;
    if (n === 0 && !field && !ip) {
      this.flash('nothing changed', 'muted');
      return;
    }
    for (const vm of targets) {
      if (n) setManual(this.deps.store, this.actor!, vm, patch);
      if (field) setCustomField(this.deps.store, this.actor!, vm, field.key, field.value);
      if (ip) addManualIp(this.deps.store, this.actor!, vm, ip.ip, { primary: ip.primary });
    }
    this.reload();
    this.flash(`saved ${targets.length === 1 ? targets[0].name : `${targets.length} VMs`}`, 'good');
  }

  // ----- tags

  tagRows(): TagRow[] {
    const o = this.overlay;
    const m = this.model;
    if (!o || o.kind !== 'tags' || !m) return [];
    const onTargets = new Map<string, number>();
    for (const id of o.targets) for (const t of m.vms.get(id)?.tags ?? []) onTargets.set(t, (onTargets.get(t) ?? 0) + 1);
    const all = this.memoize('allTags', String(m.version), () => {
      const s = new Set<string>();
      for (const v of m.vms.values()) for (const t of v.tags) s.add(t);
      return [...s].sort();
    });
    const q = o.q.text.trim();
    const rows: TagRow[] = [];
    if (q) {
      const sign = q[0] === '+' ? true : q[0] === '-' ? false : null;
      const tag = sign === null ? q : q.slice(1).trim();
      if (tag) rows.push({ kind: 'typed', tag, add: sign });
    }
    const names = q ? fuzzyFilter([...new Set([...onTargets.keys(), ...all])], q.replace(/^[+-]/, ''), (x) => x) : [...onTargets.keys()].sort();
    for (const t of names.slice(0, 200)) rows.push({ kind: 'tag', tag: t, count: onTargets.get(t) ?? 0 });
    return rows;
  }

  private toggleTag(tag: string, add: boolean | null): void {
    const o = this.overlay;
    if (!o || o.kind !== 'tags') return;
    const vms = o.targets.map((id) => this.model?.vms.get(id)).filter((v): v is VmView => !!v);
    const all = vms.every((v) => v.tags.includes(tag));
    const doAdd = add ?? !all;
    const n = tagVms(this.deps.store, this.actor!, vms, tag, doAdd);
    this.reload();
    o.note = `${doAdd ? 'added' : 'removed'} "${tag}" ${doAdd ? 'to' : 'from'} ${n} VM${n === 1 ? '' : 's'}`;
    o.q = EMPTY;
    o.cursor = 0;
  }

  // ----- settings

  private session(): Session {
    return { home: this.deps.home, config: this.config, store: this.deps.store, actor: this.actor! };
  }

  private editSource(action: string, name: string, details: Record<string, unknown>, edit: (src: Record<string, unknown>, all: Record<string, unknown>[], i: number) => void): void {
    editSources(this.session(), action, name, details, (sources) => {
      const i = findSourceIndex(sources, name);
      edit(sources[i], sources, i);
    });
    this.reloadConfig();
  }

  /** Re-reads config.json (after an edit here, or by hand / another process). */
  reloadConfig(): void {
    try {
      this.config = loadConfig(this.deps.home.configFile);
    } catch (e) {
      this.flash(`config.json not reloaded: ${oneLine(e)}`, 'bad');
      return;
    }
    for (const s of this.config.sources) if (!this.statuses.has(s.name)) this.statuses.set(s.name, initialStatus(s.name, s.platform, s.enabled));
    for (const name of [...this.statuses.keys()]) if (!this.config.sources.some((s) => s.name === name)) this.statuses.delete(name);
    this.worker?.setSources(this.config.sources);
    this.theme = this.makeTheme();
    this.armLock();
    this.bump();
  }

  private openSourceForm(existing: SourceConfig | null): void {
    const f = (id: string, label: string, value: string, hint?: string): FormField => ({ id, label, value: line(value), hint });
    this.overlay = {
      kind: 'form', form: {
        title: existing ? `Edit source ${existing.name}` : 'Add a source', focus: 0, error: null,
        note: 'No password is stored: vCenter credentials are asked for after unlocking (c).',
        fields: [
          f('name', 'Name', existing?.name ?? '', 'short name, e.g. vc-prod'),
          { ...f('platform', 'Platform', existing?.platform ?? 'vsphere'), choices: [...PLATFORMS] },
          f('url', 'URL', existing?.url ?? 'https://', 'https://vcenter.example.com'),
          f('user', 'vCenter user', existing?.user ?? '', 'read-only is enough'),
          f('thumbprint', 'Thumbprint', existing?.thumbprint ?? '', 'SHA-256 to pin (self-signed certificates); empty = normal verification'),
          f('refresh', 'Refresh (s)', String(existing?.refreshSeconds ?? 120), 'seconds between full syncs, minimum 15'),
          { ...f('insecure', 'Insecure', existing?.insecure ? 'yes' : 'no', 'yes skips certificate checks (not recommended)'), choices: ['no', 'yes'] },
        ],
        submit: (v) => {
          const name = v.name.trim();
          const refresh = Number(v.refresh.trim());
          if (!Number.isInteger(refresh)) throw new VmiError('usage', 'refresh: a whole number of seconds');
          const tp = v.thumbprint.trim();
          const thumb = tp ? normalizeThumbprint(tp) : undefined;
          if (tp && !thumb) throw new VmiError('usage', 'thumbprint: 64 hex digits, colons optional');
          const insecure = /^(y|yes|true|1)$/i.test(v.insecure.trim());
          const entry: Record<string, unknown> = { name, platform: v.platform.trim(), url: v.url.trim(), refreshSeconds: refresh };
          if (v.user.trim()) entry.user = v.user.trim();
          if (thumb) entry.thumbprint = thumb;
          if (existing) {
            this.editSource('config.source.set', existing.name, { fields: Object.keys(entry) }, (src) => {
              for (const k of ['user', 'thumbprint', 'insecure']) delete src[k];
              Object.assign(src, entry);
              if (insecure) src.insecure = true;
            });
            this.flash(`source ${name} saved`, 'good');
          } else {
            editSources(this.session(), 'config.source.add', name, { platform: entry.platform, url: entry.url }, (sources) => {
              if (sources.some((x) => typeof x.name === 'string' && x.name.toLowerCase() === name.toLowerCase())) throw new VmiError('conflict', `a source named "${name}" already exists`);
              sources.push({ ...entry, ...(insecure ? { insecure: true } : {}), enabled: true });
            });
            this.reloadConfig();
            this.flash(`source ${name} added${entry.platform === 'vsphere' ? '; press c to enter its credentials' : ''}`, 'good');
          }
          if (insecure) this.flash(`${name}: certificate verification is OFF; pin its thumbprint instead`, 'warn');
        },
      },
    };
  }

  /** Writes ui/security settings: admins save to config.json (audited); viewers change this session only. */
  private saveSetting(path: ['ui', 'theme' | 'accent'] | ['security', 'sessionTimeoutMinutes'], value: string | number): void {
    if (this.role !== 'admin') {
      if (path[0] === 'security') throw new VmiError('not-admin', `the session timeout is for admins only; ${this.actor?.username} is a ${this.role}`);
      this.sessionTheme = { ...this.sessionTheme, [path[1]]: value };
      this.theme = this.makeTheme();
      this.flash(`${path[1]}: ${value} (this session only: saving settings is for admins)`, 'muted');
      return;
    }
    editConfig(this.deps.home.configFile, (raw) => {
      const sec = (raw[path[0]] && typeof raw[path[0]] === 'object' ? raw[path[0]] : (raw[path[0]] = {})) as Record<string, unknown>;
      sec[path[1]] = value;
    });
    this.deps.store.write((tx) => audit(this.deps.store, tx, this.actor, { action: 'config.set', resourceType: 'CONFIG', resourceId: path.join('.'), details: { value } }));
    this.sessionTheme = {};
    this.reloadConfig();
    this.flash(`${path.join('.')} = ${value}`, 'good');
  }

  private changeUiSetting(): void {
    const item = UI_SETTINGS[this.list('settings.ui').cursor];
    const cur = { theme: this.sessionTheme.theme ?? this.config.ui.theme, accent: this.sessionTheme.accent ?? this.config.ui.accent };
    switch (item) {
      case 'theme': return this.saveSetting(['ui', 'theme'], cur.theme === 'dark' ? 'light' : 'dark');
      case 'accent': {
        const i = ACCENTS.indexOf(cur.accent as (typeof ACCENTS)[number]);
        return this.saveSetting(['ui', 'accent'], ACCENTS[(i + 1) % ACCENTS.length]);
      }
      case 'timeout': {
        if (this.role !== 'admin') return this.flash(`session timeout: admin only (${this.actor?.username} is a ${this.role})`, 'warn');
        this.overlay = {
          kind: 'form', form: {
            title: 'Session timeout', focus: 0, error: null,
            fields: [{ id: 'minutes', label: 'Minutes', value: line(String(this.config.security.sessionTimeoutMinutes)), hint: 'lock after this many minutes without a key press; 0 = never' }],
            submit: (v) => {
              const n = Number(v.minutes.trim());
              if (!Number.isInteger(n) || n < 0) throw new VmiError('usage', 'minutes: a whole number, 0 or more');
              this.saveSetting(['security', 'sessionTimeoutMinutes'], n);
            },
          },
        };
        return;
      }
    }
  }

  uiSettingValue(item: (typeof UI_SETTINGS)[number]): string {
    switch (item) {
      case 'theme': return `${this.sessionTheme.theme ?? this.config.ui.theme}${this.deps.caps.color ? '' : ' (NO_COLOR is set: no colours)'}`;
      case 'accent': return this.sessionTheme.accent ?? this.config.ui.accent;
      case 'timeout': return this.config.security.sessionTimeoutMinutes ? `${this.config.security.sessionTimeoutMinutes} min` : 'never';
    }
  }

  private openUserForm(): void {
    this.overlay = {
      kind: 'form', form: {
        title: 'Add a vmi user', focus: 0, error: null,
        note: 'They get a one-time passphrase to change at first unlock.',
        fields: [
          { id: 'username', label: 'User name', value: EMPTY },
          { id: 'role', label: 'Role', value: line('viewer'), choices: ['viewer', 'admin'], hint: 'viewers read everything and change nothing' },
        ],
        submit: (v) => {
          const name = v.username.trim();
          const role = v.role.trim() as 'admin' | 'viewer';
          checkNewUser(this.deps.store, this.actor!, name, role); // said in the form
          this.runBusy(`Adding ${name}...`, () => addUserBy(this.deriveBy, this.deps.store, this.actor!, name, role), (temp) => {
            this.users = null;
            this.reload();
            this.overlay = { kind: 'notice', title: `User ${name} added`, scroll: 0, lines: oneTimeLines(name, temp) };
          });
        },
      },
    };
  }

  // ---------------------------------------------------------------- overlays

  private overlayKey(input: string, key: Partial<Key>, name: string): void {
    const o = this.overlay!;
    switch (o.kind) {
      case 'help':
      case 'notice': {
        const cmd = resolveKey([o.kind], name);
        const max = o.kind === 'notice' ? o.lines.length : 200;
        if (cmd?.id === 'help.scrollUp') o.scroll = Math.max(0, o.scroll - (name === 'pgup' ? this.bodyRows() : 1));
        else if (cmd?.id === 'help.scrollDown') o.scroll = Math.min(max, o.scroll + (name === 'pgdn' ? this.bodyRows() : 1));
        else if (cmd || name === 'enter') this.overlay = null;
        return;
      }
      case 'confirm': {
        const cmd = resolveKey(['confirm'], name);
        if (cmd?.id === 'confirm.yes') {
          this.overlay = null;
          o.run();
        } else if (cmd?.id === 'confirm.no' || name === 'enter') {
          this.overlay = null;
          this.flash('cancelled', 'muted');
        }
        return;
      }
      case 'command': return this.commandKey(o, input, key, name);
      case 'search': return this.searchKey(o, input, key, name);
      case 'picker': return this.pickerKey(o, input, key, name);
      case 'tags': return this.tagsKey(o, input, key, name);
      case 'form': return this.formKey(o.form, input, key, name);
      case 'credentials': return this.credentialsKey(o, input, key, name);
    }
  }

  private commandKey(o: Extract<Overlay, { kind: 'command' }>, input: string, key: Partial<Key>, name: string): void {
    if (name === 'esc') {
      this.overlay = null;
      return;
    }
    if (name === 'tab') {
      const word = o.q.text.trim().toLowerCase();
      const match = COLON_NAMES.filter((n) => n.startsWith(word));
      if (match.length === 1) o.q = line(`${match[0]} `);
      else if (match.length > 1) o.error = match.join(' ');
      return;
    }
    if (name === 'enter') {
      const err = this.runColon(o.q.text);
      if (err) o.error = err;
      else if (this.overlay === o) this.overlay = null;
      return;
    }
    o.q = editLine(o.q, input, key) ?? o.q;
    o.error = null;
  }

  /** Runs a ":" command; returns an error to show, or null. */
  runColon(text: string): string | null {
    const [word = '', ...rest] = text.trim().replace(/^:/, '').split(/\s+/);
    const arg = rest.join(' ');
    const w = word.toLowerCase();
    const is = (...names: string[]) => names.includes(w);
    if (!w) return null;
    if (is('dashboard', 'dash', 'home')) this.go('dashboard');
    else if (is('vms', 'vm')) {
      if (arg) {
        try {
          this.setFilter('vms', arg);
        } catch (e) {
          return oneLine(e);
        }
      }
      this.go('vms');
    } else if (is('hosts', 'host', 'esx')) this.go('hosts');
    else if (is('datastores', 'ds', 'storage')) this.go('datastores');
    else if (is('networks', 'net', 'network', 'portgroups')) this.go('networks');
    else if (is('changes', 'ch')) this.go('changes');
    else if (is('alarms', 'alarm')) this.go('alarms');
    else if (is('events', 'ev')) this.go('events');
    else if (is('owners', 'owner')) this.go('owners');
    else if (is('audit')) this.go('audit');
    else if (is('settings', 'config', 'sources')) {
      this.settingsSection = 'sources';
      this.go('settings');
    } else if (is('users')) {
      this.settingsSection = 'users';
      this.users = null;
      this.go('settings');
    } else if (is('filter', 'f')) {
      try {
        this.setFilter('vms', arg);
      } catch (e) {
        return oneLine(e);
      }
      this.go('vms');
    } else if (is('search', 's')) this.overlay = { kind: 'search', q: line(arg), cursor: 0 };
    else if (is('refresh')) {
      if (arg && !this.config.sources.some((s) => s.name === arg)) return `no source named "${arg}"`;
      if (arg) this.worker?.refresh(arg);
      else this.refresh();
    } else if (is('connect')) this.openCredentials();
    else if (is('theme')) {
      if (arg !== 'dark' && arg !== 'light') return 'theme: dark or light';
      this.overlay = null;
      this.saveSetting(['ui', 'theme'], arg);
    } else if (is('lock')) {
      this.overlay = null;
      this.lock();
    } else if (is('help')) this.overlay = { kind: 'help', scroll: 0 };
    else if (is('quit', 'q', 'exit')) this.quit();
    else return `unknown command ":${word}" (tab completes; try :vms :hosts :owners :audit :settings)`;
    return null;
  }

  /** Search results sized to the screen. */
  searchResults(): { groups: SearchGroup[]; hits: SearchHit[] } {
    const o = this.overlay;
    if (!o || o.kind !== 'search' || !this.searcher || !this.model) return { groups: [], hits: [] };
    const rows = Math.max(4, this.bodyRows() - 2);
    // The query being searched lags the typed one by one frame (see searchKey).
    const q = o.applied ?? o.q.text;
    return this.memoize('search', `${q}|${this.model.version}|${rows}`, () => {
      const groups = allocate(this.searcher!.search(q, rows), rows);
      return { groups, hits: groups.flatMap((g) => g.hits) };
    });
  }

  private searchKey(o: Extract<Overlay, { kind: 'search' }>, input: string, key: Partial<Key>, name: string): void {
    const cmd = resolveKey(['search'], name);
    if (cmd?.id === 'search.close') {
      this.overlay = null;
      return;
    }
    const { hits } = this.searchResults();
    if (cmd?.id === 'search.up') o.cursor = Math.max(0, o.cursor - 1);
    else if (cmd?.id === 'search.down') o.cursor = Math.min(Math.max(0, hits.length - 1), o.cursor + 1);
    else if (cmd?.id === 'search.jump') {
      if (o.applied !== undefined && o.applied !== o.q.text) {
        o.applied = o.q.text; // enter right after typing: search the final query first
        o.cursor = 0;
      }
      const h = this.searchResults().hits[o.cursor];
      if (!h) return;
      this.overlay = null;
      this.jump(h);
    } else {
      const next = name === 'ctrl+u' ? EMPTY : editLine(o.q, input, key);
      if (next) {
        o.q = next;
        o.cursor = 0;
        // Echo the key now, search right after that frame (the latest query only).
        if (o.applied === undefined) o.applied = '';
        this.later(() => {
          if (this.overlay === o) o.applied = o.q.text;
        });
      }
    }
  }

  private jump(h: SearchHit): void {
    if (h.kind === 'vm') {
      // The VMs view's cursor goes to the VM too (when the current filter shows it).
      const l = this.list('vms');
      l.selectedId = h.id;
      this.openVm(h.id);
      return;
    }
    const kind: ObjectKind = h.kind === 'host' ? 'hosts' : h.kind === 'datastore' ? 'datastores' : 'networks';
    const f = this.filterState(kind);
    f.applied = '';
    f.draft = EMPTY;
    const l = this.list(kind);
    l.selectedId = h.id;
    this.go(kind);
    const i = this.objRows(kind).findIndex((r) => r.id === h.id);
    if (i >= 0) l.cursor = i;
  }

  private pickerKey(o: Extract<Overlay, { kind: 'picker' }>, input: string, key: Partial<Key>, name: string): void {
    const cmd = resolveKey(['picker'], name);
    const rows = this.pickerRows();
    if (cmd?.id === 'search.close') {
      this.overlay = null;
      return;
    }
    if (cmd?.id === 'search.up') o.cursor = Math.max(0, o.cursor - 1);
    else if (cmd?.id === 'picker.down') o.cursor = Math.min(rows.length - 1, o.cursor + 1);
    else if (cmd?.id === 'picker.new' || (cmd?.id === 'picker.assign' && rows[o.cursor]?.kind === 'new')) {
      if (this.role !== 'admin') return this.flash('new owner: admin only', 'warn');
      this.openOwnerForm(null, { role: o.role, targets: o.targets }, o.q.text.trim());
    } else if (cmd?.id === 'picker.assign') {
      if (this.role !== 'admin') return this.flash(`${o.role} owner: admin only (${this.actor?.username} is a ${this.role})`, 'warn');
      const r = rows[o.cursor];
      if (!r) return;
      this.overlay = null;
      if (r.kind === 'none') this.assignTo(o.role, o.targets, null, '');
      else if (r.kind === 'owner') this.assignTo(o.role, o.targets, r.owner.id, r.owner.fullName);
    } else if (name === 'ctrl+u') {
      o.q = EMPTY;
      o.cursor = 0;
    } else {
      const next = editLine(o.q, input, key);
      if (next) {
        o.q = next;
        o.cursor = 0;
      }
    }
  }

  private tagsKey(o: Extract<Overlay, { kind: 'tags' }>, input: string, key: Partial<Key>, name: string): void {
    const cmd = resolveKey(['tags'], name);
    const rows = this.tagRows();
    if (cmd?.id === 'search.close') {
      this.overlay = null;
      return;
    }
    if (cmd?.id === 'search.up') o.cursor = Math.max(0, o.cursor - 1);
    else if (cmd?.id === 'search.down') o.cursor = Math.min(Math.max(0, rows.length - 1), o.cursor + 1);
    else if (cmd?.id === 'tags.toggle') {
      if (this.role !== 'admin') return this.flash('tags: admin only', 'warn');
      const r = rows[o.cursor];
      if (!r) return;
      this.toggleTag(r.tag, r.kind === 'typed' ? r.add : null);
    } else if (name === 'ctrl+u') o.q = EMPTY;
    else {
      const next = editLine(o.q, input, key);
      if (next) {
        o.q = next;
        o.cursor = 0;
        o.note = null;
      }
    }
  }

  private formKey(f: FormState, input: string, key: Partial<Key>, name: string): void {
    const cmd = resolveKey(['form'], name);
    const submit = () => {
      const values = Object.fromEntries(f.fields.map((x) => [x.id, x.value.text]));
      const overlay = this.overlay;
      try {
        f.submit(values);
        if (this.overlay === overlay) this.overlay = null;
      } catch (e) {
        f.error = oneLine(e);
        if (!isVmiError(e)) log().error({ err: e }, 'form failed');
      }
    };
    switch (cmd?.id) {
      case 'form.cancel': this.overlay = null; return;
      case 'form.next': f.focus = (f.focus + 1) % f.fields.length; return;
      case 'form.prev': f.focus = (f.focus + f.fields.length - 1) % f.fields.length; return;
      case 'form.enter':
        if (f.focus < f.fields.length - 1) f.focus++;
        else submit();
        return;
      case 'form.submit': submit(); return;
      default: break;
    }
    const field = f.fields[f.focus];
    if (field.choices) {
      const c = field.choices;
      const i = Math.max(0, c.indexOf(field.value.text));
      if (name === 'space' || name === 'right') field.value = line(c[(i + 1) % c.length]);
      else if (name === 'left') field.value = line(c[(i + c.length - 1) % c.length]);
      else if (input.length === 1 && !key.ctrl) {
        const hit = c.find((x) => x.toLowerCase().startsWith(input.toLowerCase()));
        if (hit !== undefined) field.value = line(hit);
      }
      f.error = null;
      return;
    }
    if (name === 'ctrl+u') field.value = EMPTY;
    else field.value = editLine(field.value, input, key) ?? field.value;
    f.error = null;
  }

  private credentialsKey(o: Extract<Overlay, { kind: 'credentials' }>, input: string, key: Partial<Key>, name: string): void {
    if (name === 'esc') {
      this.overlay = null;
      this.flash('running on the cache: vCenter sources stay offline until you press c', 'muted');
      return;
    }
    if (name === 'tab' || name === 'shift+tab' || name === 'up' || name === 'down') {
      o.field = o.field === 0 ? 1 : 0;
      return;
    }
    if (name === 'enter') {
      if (o.field === 0) {
        o.field = 1;
        return;
      }
      if (!o.user.text.trim() || !o.pass.text) {
        o.error = 'enter the vCenter user and password';
        return;
      }
      const pw = Buffer.from(o.pass.text, 'utf8');
      o.pass = EMPTY;
      this.overlay = null;
      if (!this.worker) {
        wipe(pw);
        this.flash('background sync is not running', 'warn');
        return;
      }
      this.worker.setCredentials(o.user.text.trim(), pw);
      this.flash(`connecting to ${this.needsCredentials().map((s) => s.name).join(', ')} as ${o.user.text.trim()} (password kept in memory only)`, 'muted');
      return;
    }
    if (o.field === 0) o.user = editLine(o.user, input, key) ?? o.user;
    else o.pass = editLine(o.pass, input, key) ?? o.pass;
    o.error = null;
  }

}

export const UI_SETTINGS = ['theme', 'accent', 'timeout'] as const;

const POWER_WORD: Record<string, string> = { poweredOn: 'on', poweredOff: 'off', suspended: 'suspended', unknown: 'unknown' };
const POWER_FROM_WORD: Record<string, string> = { on: 'poweredOn', off: 'poweredOff', suspended: 'suspended', poweredon: 'poweredOn', poweredoff: 'poweredOff' };

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

/** Quotes a filter value when it has spaces or quotes. */
export function quoteValue(s: string): string {
  return /[\s"']/.test(s) ? `"${s.replace(/"/g, '')}"` : s;
}

function oneTimeLines(user: string, temp: string): string[] {
  return [
    `One-time passphrase for ${user}:`,
    '',
    `    ${temp}`,
    '',
    'It is shown once and never stored. Give it to them over a safe channel;',
    'they must choose their own passphrase at their first unlock.',
    '',
    'enter or esc closes this.',
  ];
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

