// A real terminal for end-to-end tests: programs run in tmux windows, read with capture-pane.
// Every wait polls the screen with a deadline; nothing sleeps a fixed time.
import { spawnSync } from 'node:child_process';

export const HAVE_TMUX = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `vmi-e2e-${process.pid}`;
export const DONE = '__VMI_EXIT_';

export function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A command running in its own tmux window, with a clean environment (no CI variables: Ink renders differently there). */
export class Term {
  constructor(readonly name: string, cmd: string[], env: Record<string, string>, width = 120, height = 40) {
    const base: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm-256color', LANG: 'C.UTF-8', ...env,
    };
    const envArgs = Object.entries(base).map(([k, v]) => `${k}=${shq(v)}`).join(' ');
    const line = `env -i ${envArgs} ${cmd.map(shq).join(' ')}; echo ${DONE}$?__; sleep 600`;
    tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), line);
  }

  screen(): string {
    return tmux('capture-pane', '-p', '-t', this.name);
  }

  keys(...keys: string[]): void {
    for (const k of keys) tmux('send-keys', '-t', this.name, k);
  }

  /** Literal text (no key names). */
  type(text: string): void {
    tmux('send-keys', '-t', this.name, '-l', text);
  }

  resize(w: number, h: number): void {
    tmux('resize-window', '-t', this.name, '-x', String(w), '-y', String(h));
  }

  pid(): number {
    // The pane runs "sh -c ..."; the program is its child.
    const shell = Number(tmux('display-message', '-p', '-t', this.name, '#{pane_pid}').trim());
    const r = spawnSync('pgrep', ['-P', String(shell)], { encoding: 'utf8' });
    return Number(r.stdout.trim().split('\n')[0]);
  }

  async waitFor(what: RegExp | ((s: string) => boolean), timeoutMs = 20_000): Promise<string> {
    const test = typeof what === 'function' ? what : (s: string) => what.test(s);
    const deadline = Date.now() + timeoutMs;
    let s = '';
    while (Date.now() < deadline) {
      s = this.screen();
      if (test(s)) return s;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
  }

  kill(): void {
    try {
      tmux('kill-session', '-t', this.name);
    } catch { /* gone */ }
  }
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

