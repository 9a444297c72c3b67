// What views and overlays may use of the app: the live model and its indexes, the store, the
// config, who is at the keyboard, and a few verbs (go to a view, open an overlay, say something).
// The shell implements it; views never reach each other except through `go`.
import type { Config, SourceConfig } from '../config.js';
import type { Derive } from '../crypto/keys.js';
import type { Home } from '../home.js';
import type { LiveModel } from '../model/live.js';
import type { Store } from '../store/store.js';
import type { Actor } from '../store/vault.js';
import type { SourceStatus } from '../worker/protocol.js';
import type { Searcher } from './data/search.js';
import type { VmIndex } from './data/vmindex.js';
import type { Overlay } from './overlays/types.js';
import type { Caps, Theme, Tone } from './widgets/theme.js';

/** The worker as the app sees it (a fake in tests). */
export interface WorkerLike {
  readonly statuses: Map<string, SourceStatus>;
  on(ev: 'status', fn: (s: SourceStatus) => void): unknown;
  on(ev: 'committed', fn: () => void): unknown;
  on(ev: 'fatal', fn: (f: { reason: string; message: string }) => void): unknown;
  on(ev: 'backfilled', fn: (r: { source: string; host: string; window: 'hour' | 'day' | 'week'; samples: number; error?: { reason: string; message: string } }) => void): unknown;
  /** platform 'nutanix': Prism Central's own account, when it differs from the vCenters'. */
  setCredentials(user: string, password: Buffer, platform?: 'nutanix'): void;
  refresh(source?: string): void;
  setSources(sources: SourceConfig[]): void;
  /** Fetches a host's history for a window from its source and stores it (answered by 'backfilled'). */
  backfill?(source: string, hostRef: string, window: 'hour' | 'day' | 'week'): void;
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
  /** Where x and W write (default: the current folder). */
  exportDir?: string;
  /** Lock timer (tests use fake ones). */
  setTimer?: (fn: () => void, ms: number) => { cancel(): void };
}

export interface Message {
  text: string;
  tone: Tone;
}

export interface Size {
  cols: number;
  rows: number;
}

/** Where `go` takes a view: a filter to apply, an object to open, a section to show. */
export interface GoParams {
  filter?: string;
  id?: number;
  section?: string;
}

/** Theme and accent a viewer picked for this session only (admins save them). */
export interface SessionLook {
  theme?: 'dark' | 'light';
  accent?: string;
}

export interface AppContext {
  readonly deps: AppDeps;
  readonly store: Store;
  readonly config: Config;
  readonly model: LiveModel | null;
  /** The VMs sorted and filtered, shared by the VMs view and the search. */
  readonly vmIndex: VmIndex | null;
  readonly searcher: Searcher | null;
  readonly actor: Actor | null;
  readonly role: 'admin' | 'viewer';
  readonly theme: Theme;
  readonly statuses: Map<string, SourceStatus>;
  readonly worker: WorkerLike | null;
  readonly overlay: Overlay | null;
  /** The view in front. */
  readonly current: string;
  look: SessionLook;
  now(): number;
  /** Rows of content between the header and the status line. */
  bodyRows(): number;
  go(view: string, p?: GoParams): void;
  /** Passes `p` to a view without showing it (the search selects a VM in the VMs view too). */
  tell(view: string, p: GoParams): void;
  /** The key scopes of the view in front. */
  viewScopes(): string[];
  back(): void;
  /** Shows an overlay in place of the one in front (if any). */
  open(o: Overlay): void;
  /** Closes the overlay in front. */
  close(): void;
  flash(text: string, tone?: Tone): void;
  bump(): void;
  /** Runs after the current key's frame (coalesced per tick). */
  later(fn: () => void): void;
  /** After a write: picks it up at once (the same path other processes' writes take). */
  reload(): void;
  reloadConfig(): void;
  refresh(): void;
  openCredentials(): void;
  needsCredentials(): SourceConfig[];
  lock(): void;
  quit(): void;
  /** Argon2id in a thread of its own (every derivation of the app). */
  readonly deriveBy: Derive;
  /** Work that derives a key: keys wait and the screen says what runs. */
  runBusy<T>(message: string, work: () => Promise<T>, done: (v: T) => void): void;
  /** Rebuilds the theme after the config or the session's look changed. */
  retheme(): void;
  home: Home;
}
