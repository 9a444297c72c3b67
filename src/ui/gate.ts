// The screens before and instead of the inventory: unlock (user and passphrase), the new
// passphrase a one-time passphrase must be traded for, and the lock screen. Passphrases live in
// byte buffers that are wiped as soon as Argon2id has them.
import type { Key } from 'ink';
import { wipe } from '../crypto/sodium.js';
import { oneLine, VmiError } from '../errors.js';
import { log } from '../log.js';
import { changePassphraseBy, checkNewPassphrase, unlockWith, type Actor } from '../store/vault.js';
import { editLine, EMPTY, line, type Line } from './widgets/lineedit.js';

/** What the gate needs of the shell. */
export interface GateHost {
  readonly phase: string;
  actor: Actor | null;
  busy: string | null;
  readonly store: import('../store/store.js').Store;
  derive(passphrase: Uint8Array, salt: Uint8Array, p: import('../crypto/keys.js').KdfParams): Promise<Uint8Array>;
  readonly deriveBy: import('../crypto/keys.js').Derive;
  defer(fn: () => void): void;
  setPhase(p: 'mustChange' | 'main'): void;
  /** Before Argon2id runs: the thread that helps load the cache can start meanwhile. */
  beforeUnlock(): void;
  unlockFailed(): void;
  afterUnlock(): void;
  /** Back from the lock screen with the same key (or a new one another process set). */
  afterRelock(): void;
  armKdf(): void;
  flash(text: string, tone: 'good'): void;
  bump(): void;
  quit(): void;
}

export class Gate {
  user: Line;
  pass: Line = EMPTY;
  field: 0 | 1 = 1;
  error: string | null = null;
  newPass1: Line = EMPTY;
  newPass2: Line = EMPTY;
  newField: 0 | 1 = 0;
  private pendingOld: Buffer | null = null;

  constructor(private readonly host: GateHost, user: string) {
    this.user = line(user);
  }

  /** Keys of a two-field form (user + passphrase, new passphrase twice): esc quits, tab/arrows switch, enter moves on then submits. */
  private twoFieldKey(input: string, key: Partial<Key>, name: string, f: { field: 0 | 1; setField(v: 0 | 1): void; values: [Line, Line]; set(i: 0 | 1, v: Line): void; submit(): void }): void {
    if (name === 'esc') return this.host.quit();
    if (name === 'tab' || name === 'shift+tab' || name === 'up' || name === 'down') return f.setField(f.field === 0 ? 1 : 0);
    if (name === 'enter') {
      if (f.field === 0) f.setField(1);
      else f.submit();
      return;
    }
    f.set(f.field, editLine(f.values[f.field], input, key) ?? f.values[f.field]);
  }

  unlockKey(input: string, key: Partial<Key>, name: string): void {
    this.twoFieldKey(input, key, name, {
      field: this.field, setField: (v) => (this.field = v), values: [this.user, this.pass],
      set: (i, v) => (i === 0 ? (this.user = v) : (this.pass = v)), submit: () => this.submitUnlock(),
    });
  }

  mustChangeKey(input: string, key: Partial<Key>, name: string): void {
    this.twoFieldKey(input, key, name, {
      field: this.newField, setField: (v) => (this.newField = v), values: [this.newPass1, this.newPass2],
      set: (i, v) => (i === 0 ? (this.newPass1 = v) : (this.newPass2 = v)), submit: () => this.submitNewPassphrase(),
    });
  }

  lockKey(input: string, key: Partial<Key>, name: string): void {
    if (name === 'enter') return this.submitLock();
    if (name === 'esc') {
      this.pass = EMPTY;
      return;
    }
    this.pass = editLine(this.pass, input, key) ?? this.pass;
  }

  private submitUnlock(): void {
    const h = this.host;
    const user = this.user.text.trim();
    if (!user) {
      this.error = 'enter your vmi user name';
      this.field = 0;
      return;
    }
    if (!this.pass.text) {
      this.error = 'enter your passphrase';
      this.field = 1;
      return;
    }
    const pass = Buffer.from(this.pass.text, 'utf8');
    this.pass = EMPTY;
    h.busy = 'Unlocking...';
    this.error = null;
    h.beforeUnlock();
    h.defer(async () => {
      if (h.phase === 'quitting') return wipe(pass);
      try {
        const actor = await unlockWith(h.store, user, pass, (p, salt, params) => h.derive(p, salt, params), { via: 'tui' });
        if (h.phase === 'quitting') return wipe(pass);
        h.actor = actor;
        if (actor.mustChange) {
          this.pendingOld = pass;
          h.busy = null;
          h.setPhase('mustChange');
          return;
        }
        wipe(pass);
        log().info({ user, role: actor.role }, 'unlocked');
        h.afterUnlock();
      } catch (e) {
        wipe(pass);
        h.unlockFailed();
        h.busy = null;
        this.error = oneLine(e);
        h.armKdf();
        h.bump();
      }
    });
  }

  private submitNewPassphrase(): void {
    const h = this.host;
    const a = Buffer.from(this.newPass1.text, 'utf8');
    const b = Buffer.from(this.newPass2.text, 'utf8');
    try {
      checkNewPassphrase(a);
      if (!a.equals(b)) throw new VmiError('usage', 'the two passphrases differ');
    } catch (e) {
      wipe(a, b);
      this.error = oneLine(e);
      this.newPass1 = EMPTY;
      this.newPass2 = EMPTY;
      this.newField = 0;
      return;
    }
    h.busy = 'Saving the new passphrase...';
    this.error = null;
    this.newPass1 = EMPTY;
    this.newPass2 = EMPTY;
    h.defer(async () => {
      try {
        await changePassphraseBy(h.deriveBy, h.store, h.actor!, this.pendingOld!, a);
        wipe(this.pendingOld, a, b);
        this.pendingOld = null;
        h.afterUnlock();
        h.flash('passphrase changed', 'good');
      } catch (e) {
        wipe(a, b);
        h.busy = null;
        this.newField = 0;
        this.error = oneLine(e);
        h.bump();
      }
    });
  }

  private submitLock(): void {
    const h = this.host;
    if (!this.pass.text) {
      this.error = 'enter your passphrase';
      return;
    }
    const pass = Buffer.from(this.pass.text, 'utf8');
    this.pass = EMPTY;
    h.busy = 'Unlocking...';
    this.error = null;
    h.defer(async () => {
      try {
        const a = await unlockWith(h.store, h.actor!.username, pass, (p, salt, params) => h.derive(p, salt, params), { via: 'tui', after: 'lock' });
        if (h.phase === 'quitting') return;
        h.actor = { ...h.actor!, role: a.role };
        h.afterRelock();
      } catch (e) {
        this.error = oneLine(e);
        h.armKdf();
      } finally {
        wipe(pass);
        h.busy = null;
        h.bump();
      }
    });
  }

  /** Forgets what was typed (locking); the passphrase awaiting a change is wiped on quit. */
  clear(): void {
    this.pass = EMPTY;
    this.error = null;
  }

  close(): void {
    wipe(this.pendingOld);
    this.pendingOld = null;
  }
}
