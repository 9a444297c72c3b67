// How the app's state tells React it changed: a revision number, listeners told once per tick,
// and work deferred until after the frame that echoes a key.
import { EventEmitter } from 'node:events';

export class Notifier extends EventEmitter {
  rev = 0;
  private notifyPending = false;
  private laterQueued = false;
  private laterFns: (() => void)[] = [];

  constructor() {
    super();
    this.setMaxListeners(50);
  }

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

  later(fn: () => void): void {
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
}
