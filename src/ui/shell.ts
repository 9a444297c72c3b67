// The app without React: phases (unlock, must-change, loading, main, locked, quitting), the view
// stack, the overlay stack, the message line, the key dispatcher driven by the key map, the lock
// timer and the worker's wiring. Views and overlays plug in (views/, overlays/) and reach the app
// through AppContext. Components re-render when `rev` changes. Tested without a terminal.
import type { Key } from 'ink';
import type { Config } from '../config.js';
import { loadConfig } from '../config.js';
import { KdfThread } from '../crypto/kdf.js';
import { deriveKek, type Derive, type KdfParams } from '../crypto/keys.js';
import { isVmiError, oneLine } from '../errors.js';
import { IdleTrim } from '../gc.js';
import type { Home } from '../home.js';
import { log } from '../log.js';
import { VmLoader } from '../model/loader.js';
import { worthALoader, type LiveModel } from '../model/live.js';
import type { Store } from '../store/store.js';
import type { Actor } from '../store/vault.js';
import type { SourceStatus } from '../worker/protocol.js';
import type { Searcher } from './data/search.js';
import type { VmIndex } from './data/vmindex.js';
import type { AppContext, AppDeps, GoParams, Message, SessionLook, Size, WorkerLike } from './context.js';
import { exportView, exportWorkbook } from './actions/export.js';
import { Gate, type GateHost } from './gate.js';
import { Notifier } from './notifier.js';
import { loadModel, startWorker } from './startup.js';
import { keyName, resolveKey, splitInput, type KeyCommand, type Scope } from './keymap.js';
import { credentialsPrompt } from './overlays/credentials.js';
import { overlayDef } from './overlays/index.js';
import type { Overlay } from './overlays/types.js';
import type { ViewDef, ViewInstance } from './view.js';
import { VIEWS } from './views/index.js';
import { EMPTY } from './widgets/lineedit.js';
import { initialStatus } from './widgets/pills.js';
import { makeTheme, type Theme, type Tone } from './widgets/theme.js';

export type { AppDeps, Message, Size, WorkerLike } from './context.js';

/** Without a key for this long, the screen counts as idle for giving memory back. */
const IDLE_TRIM_MS = 10_000;

export type Phase = 'unlock' | 'mustChange' | 'loading' | 'main' | 'locked' | 'quitting';

export const MIN_COLS = 40;
export const MIN_ROWS = 10;

const VIEW_DEFS = new Map<string, ViewDef>(VIEWS.map((v) => [v.id, v]));

export class Shell extends Notifier implements AppContext, GateHost {
  phase: Phase;
  size: Size = { cols: 80, rows: 24 };
  theme: Theme;
  config: Config;
  actor: Actor | null = null;
  model: LiveModel | null = null;
  vmIndex: VmIndex | null = null;
  searcher: Searcher | null = null;
  worker: WorkerLike | null = null;
  readonly statuses = new Map<string, SourceStatus>();
  readonly gate: Gate;
  busy: string | null = null;
  current = 'dashboard';
  history: string[] = [];
  private overlays: Overlay[] = [];
  message: Message | null = null;
  lastKeyAt: number;
  look: SessionLook = {};
  readonly store: Store;
  readonly home: Home;

  private readonly views = new Map<string, ViewInstance>();
  loader: VmLoader | null = null;
  private kdf: KdfThread | null = null;
  private lockTimer: { cancel(): void } | null = null;
  private trimTimer: NodeJS.Timeout | null = null;
  private keyChanged = false;
  readonly now: () => number;
  readonly defer: (fn: () => void) => void;
  private readonly setTimer: (fn: () => void, ms: number) => { cancel(): void };

  constructor(readonly deps: AppDeps) {
    super();
    this.config = deps.config;
    this.store = deps.store;
    this.home = deps.home;
    this.now = deps.now ?? Date.now;
    this.defer = deps.defer ?? ((fn) => setTimeout(fn, 30));
    this.setTimer = deps.setTimer ?? ((fn, ms) => {
      const t = setTimeout(fn, ms);
      t.unref?.();
      return { cancel: () => clearTimeout(t) };
    });
    this.theme = this.makeTheme();
    this.gate = new Gate(this, deps.user);
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

  // ---------------------------------------------------------------- key derivation

  /** A key derivation thread, started while the passphrase is being typed. */
  armKdf(): void {
    this.kdf ??= new KdfThread();
  }

  /**
   * Argon2id in a thread of its own, the one started at the unlock screen or a new one (its
   * 192 MiB go when it ends); here if the thread cannot run. Every derivation of the app.
   */
  async derive(passphrase: Uint8Array, salt: Uint8Array, p: KdfParams): Promise<Uint8Array> {
    const kdf = this.kdf ?? new KdfThread();
    this.kdf = null;
    try {
      return await kdf.derive(passphrase, salt, p);
    } catch (e) {
      log().warn({ reason: isVmiError(e) ? e.reason : 'kdf-thread' }, 'key derivation thread failed; deriving on the main thread');
    }
    return deriveKek(passphrase, salt, p);
  }

  readonly deriveBy: Derive = (passphrase, salt, p) => this.derive(passphrase, salt, p);

  runBusy<T>(message: string, work: () => Promise<T>, done: (v: T) => void): void {
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
    return makeTheme(this.look.theme ?? this.config.ui.theme, this.look.accent ?? this.config.ui.accent, this.deps.caps);
  }

  retheme(): void {
    this.theme = this.makeTheme();
  }

  flash(text: string, tone: Tone = 'text'): void {
    this.message = { text, tone };
    this.bump();
  }

  bodyRows(): number {
    return Math.max(1, this.size.rows - 3);
  }

  // ---------------------------------------------------------------- phases

  setPhase(p: 'mustChange' | 'main'): void {
    this.phase = p;
    this.bump();
  }

  beforeUnlock(): void {
    this.loader?.cancel();
    this.loader = !this.store.unlocked && worthALoader(this.store) ? new VmLoader(this.store.file) : null;
  }

  unlockFailed(): void {
    this.loader?.cancel();
    this.loader = null;
  }

  afterUnlock(): void {
    this.phase = 'loading';
    this.busy = 'Loading the cache...';
    this.bump();
    this.defer(() => void loadModel(this));
  }

  afterRelock(): void {
    this.phase = 'main';
    this.lastKeyAt = this.now();
    this.armLock();
    if (this.keyChanged) {
      // The new key is in the store now: pick up what was written with it, sync again.
      this.keyChanged = false;
      this.model?.poll(true);
      this.startWorker();
    }
  }

  startWorker(): void {
    startWorker(this);
  }

  /** Another process re-keyed the cache: stop syncing with the old key and ask for the passphrase. */
  onKeyChanged(): void {
    const w = this.worker;
    this.worker = null;
    void w?.stop();
    this.keyChanged = true;
    this.lock();
    this.gate.error = 'the cache was re-keyed by another vmi process: unlock again';
    this.bump();
  }

  onModelChange(): void {
    this.views.get(this.current)?.changed?.();
    if (this.phase === 'main') this.bump();
  }

  needsCredentials() {
    return this.config.sources.filter((s) => s.enabled && (s.platform === 'vsphere' || s.platform === 'nutanix'));
  }

  openCredentials(): void {
    const o = credentialsPrompt(this);
    if (o) this.open(o);
    else this.flash('no vCenter source needs credentials', 'muted');
  }

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

  /** Every 5 s: a full collection when the heap grew and no key came for 10 s (see IdleTrim). */
  armTrim(): void {
    if (this.trimTimer) return;
    const trim = new IdleTrim();
    this.trimTimer = setInterval(() => trim.tick(this.now() - this.lastKeyAt >= IDLE_TRIM_MS), 5_000);
    this.trimTimer.unref?.();
  }

  lock(): void {
    if (this.phase !== 'main') return;
    this.phase = 'locked';
    this.gate.clear();
    const o = this.overlay;
    // Nothing secret stays on a locked screen.
    if (o?.kind === 'credentials' || (o?.kind === 'form' && o.form.fields.some((f) => f.secret))) this.overlays = [];
    this.lockTimer?.cancel();
    this.lockTimer = null;
    log().info({ user: this.actor?.username }, 'screen locked');
    this.armKdf();
    this.bump();
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
    this.gate.close();
    this.bump();
    this.deps.onQuit?.();
  }

  /** Re-reads config.json (after an edit here, or by hand / another process). */
  reloadConfig(): void {
    try {
      this.config = loadConfig(this.home.configFile);
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

  /** Worker news for the views that want it. */
  workerEvent(name: string, payload: unknown): void {
    for (const v of this.views.values()) v.workerEvent?.(name, payload);
    if (this.phase === 'main') this.bump();
  }

  reload(): void {
    this.model?.poll(true);
    for (const v of this.views.values()) v.changed?.();
  }

  refresh(): void {
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

  // ---------------------------------------------------------------- views and overlays

  /** A view's state, made when first needed. */
  view(id: string = this.current): ViewInstance {
    let v = this.views.get(id);
    if (!v) {
      const def = VIEW_DEFS.get(id);
      if (!def) throw new Error(`no view ${id}`);
      this.views.set(id, (v = def.create(this)));
    }
    return v;
  }

  viewTitle(): string {
    return this.view().title?.() ?? VIEW_DEFS.get(this.current)!.title;
  }

  viewScopes(): Scope[] {
    return this.view().scopes();
  }

  go(id: string, p: GoParams = {}): void {
    if (id !== this.current) {
      this.history.push(this.current);
      if (this.history.length > 50) this.history.shift();
      this.current = id;
      this.dropLeft();
    }
    this.view(id).enter?.(p);
  }

  tell(id: string, p: GoParams): void {
    this.view(id).enter?.(p);
  }

  back(): void {
    const prev = this.history.pop();
    if (prev) this.current = prev;
    else if (this.current !== 'vms') this.current = 'vms';
    this.dropLeft();
  }

  /** Views out of sight give their rows back, but the one under the current (a detail's list) keeps them. */
  private dropLeft(): void {
    const keep = this.history.at(-1);
    for (const [id, v] of this.views) if (id !== this.current && id !== keep) v.leave?.();
  }

  get overlay(): Overlay | null {
    return this.overlays.at(-1) ?? null;
  }

  open(o: Overlay): void {
    this.overlays.pop();
    this.overlays.push(o);
  }

  close(): void {
    this.overlays.pop();
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
    if (name === 'ctrl+c') return this.quit();
    if (this.busy) return;
    try {
      switch (this.phase) {
        case 'unlock': this.gate.unlockKey(input, key, name); break;
        case 'mustChange': this.gate.mustChangeKey(input, key, name); break;
        case 'locked': this.gate.lockKey(input, key, name); break;
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

  /** The key map scopes that apply now, most specific first. */
  scopes(): Scope[] {
    const o = this.overlay;
    if (o) return overlayDef(o.kind).scopes;
    if (this.view().filter?.editing) return ['input'];
    return this.view().scopes();
  }

  private mainKey(input: string, key: Partial<Key>, name: string): void {
    this.message = null;
    const o = this.overlay;
    if (o) return overlayDef(o.kind).key(o as never, this, input, key, name);
    const v = this.view();
    if (v.filter?.editing) return v.filter.key(input, key, name, (fn) => this.later(fn));
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
    if (cmd.dangerous) {
      const asked = this.view().confirm?.(cmd.id);
      const text = asked === undefined ? `${cmd.description}?` : asked;
      if (text !== null) this.open({ kind: 'confirm', text, run: () => this.run(cmd.id) });
      return;
    }
    this.run(cmd.id);
  }

  private run(id: string): void {
    if (id.startsWith('view.')) return this.go(id.slice(5));
    const v = this.view();
    switch (id) {
      case 'help': return this.open({ kind: 'help', scroll: 0 });
      case 'search': return this.open({ kind: 'search', q: EMPTY, cursor: 0 });
      case 'command': return this.open({ kind: 'command', q: EMPTY, error: null });
      case 'back': return this.back();
      case 'quit': return this.quit();
      case 'refresh': return this.refresh();
      case 'lock': return this.lock();
      case 'connect': return this.openCredentials();
      case 'table.export': return exportView(this, this.current, v, this.deps.exportDir);
      case 'report.workbook': return exportWorkbook(this, this.view('vms').filter?.applied, this.deps.exportDir);
      case 'up': return v.move(-1);
      case 'down': return v.move(1);
      case 'pageUp': return v.move(-v.pageRows());
      case 'pageDown': return v.move(v.pageRows());
      case 'top': return v.move(-Infinity);
      case 'bottom': return v.move(Infinity);
      default: v.commands[id]?.();
    }
  }
}
