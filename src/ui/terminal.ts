// The terminal around the app: alternate screen in, and always back out (quit, Ctrl-C, SIGTERM,
// SIGHUP, an exception), and the screen writer Ink renders into.
import { EventEmitter } from 'node:events';
import { writeSync } from 'node:fs';

// Alternate screen, cursor hidden, no auto-wrap (a line the terminal measures wider than we do is
// cut at the margin instead of wrapping and scrolling the frame), cleared.
const ENTER = '\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[H\x1b[2J';
const LEAVE = '\x1b[?2026l\x1b[0m\x1b[?7h\x1b[?25h\x1b[?1049l';
const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';

/** Enters and leaves the alternate screen; leave() is safe to call any number of times. */
export class AltScreen {
  private active = false;

  constructor(private readonly fd = 1, private readonly stdin: NodeJS.ReadStream = process.stdin) {}

  enter(): void {
    if (this.active) return;
    this.active = true;
    // Raw at once: keys typed while the app starts must not be echoed onto the frame.
    try {
      if (this.stdin.isTTY) this.stdin.setRawMode(true);
    } catch {
      /* not a terminal after all */
    }
    writeSync(this.fd, ENTER);
  }

  leave(): void {
    if (!this.active) return;
    this.active = false;
    try {
      if (this.stdin.isTTY) this.stdin.setRawMode(false);
    } catch {
      /* stdin already gone */
    }
    try {
      // Synchronous: this also runs from 'exit' and crash handlers, where async writes are lost.
      writeSync(this.fd, LEAVE);
    } catch {
      /* terminal already gone (SSH dropped) */
    }
  }

  get isActive(): boolean {
    return this.active;
  }
}

export interface RealOut {
  write(data: string): boolean;
  readonly columns?: number;
  readonly rows?: number;
}

// What Ink writes before a frame: erase the previous one line by line, relative to the cursor.
// eslint-disable-next-line no-control-regex
const ERASE_PREFIX = /^(?:\x1b\[2K|\x1b\[\d*A|\x1b\[G)+/;
// eslint-disable-next-line no-control-regex
const CONTROL_ONLY = /^(?:\x1b\[\?(?:25|2026)[hl])*$/;

/**
 * The stdout Ink renders into. Ink draws frames relative to the cursor, which breaks as soon as
 * the terminal changes size (and its incremental mode is off by one line in Ink 6.8); this class
 * takes each full frame Ink produces and writes only the lines that differ from what is on the
 * screen, at absolute positions, inside one synchronized update. So a key press that moves the
 * cursor rewrites two lines, an idle screen writes nothing, and a resize repaints cleanly.
 */
export class ScreenOut extends EventEmitter {
  readonly isTTY = true;
  writable = true;
  /** Frames that changed the screen, and when the last one was written (for measurements). */
  frames = 0;
  lastFrameAt = 0;
  bytes = 0;
  private shown: string[] = [];
  private last: string[] = [];
  private waiting: (() => void)[] = [];

  constructor(private readonly real: RealOut, private readonly onFrame?: (changedLines: number) => void) {
    super();
  }

  get columns(): number {
    return this.real.columns || 80;
  }

  /** One more than the terminal: Ink then never takes its "frame fills the screen, clear it all" path. */
  get rows(): number {
    return (this.real.rows || 24) + 1;
  }

  write(data: string, cb?: (() => void) | string): boolean {
    const done = typeof cb === 'function' ? cb : undefined;
    if (this.writable && data && !CONTROL_ONLY.test(data)) {
      const frame = data.replace(ERASE_PREFIX, '');
      // A write that only erases (Ink clearing its output) is not a frame: keep the screen.
      if (frame) this.paint(frame.endsWith('\n') ? frame.slice(0, -1).split('\n') : frame.split('\n'));
    }
    done?.();
    return true;
  }

  private paint(lines: string[]): void {
    this.last = lines;
    const rows = this.real.rows || 24;
    let out = '';
    let changed = 0;
    for (let i = 0; i < Math.min(lines.length, rows); i++) {
      if (lines[i] === this.shown[i]) continue;
      out += `\x1b[${i + 1};1H\x1b[2K${lines[i]}\x1b[0m`;
      changed++;
    }
    for (let i = lines.length; i < Math.min(this.shown.length, rows); i++) {
      out += `\x1b[${i + 1};1H\x1b[2K`;
      changed++;
    }
    this.shown = lines.slice(0, rows);
    if (!out) return;
    this.real.write(BSU + out + ESU);
    this.frames++;
    this.bytes += out.length;
    this.lastFrameAt = performance.now();
    this.onFrame?.(changed);
    const waiting = this.waiting;
    this.waiting = [];
    for (const go of waiting) go();
  }

  /**
   * Runs fn once the next frame is on screen (or after waitMs if none comes: nothing changed).
   * For work that blocks the thread (Argon2id, the first load), so that the screen first says
   * what is going on, without a fixed delay.
   */
  afterNextFrame(fn: () => void, waitMs = 40): void {
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      clearTimeout(t);
      setImmediate(fn);
    };
    const t = setTimeout(go, waitMs);
    this.waiting.push(go);
  }

  /** After a resize (or anything else that disturbed the screen): clear it and repaint everything. */
  invalidate(): void {
    this.shown = [];
    if (!this.writable) return;
    this.real.write('\x1b[H\x1b[2J');
    if (this.last.length) this.paint(this.last);
  }

  retire(): void {
    this.writable = false;
  }
}
