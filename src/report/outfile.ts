// Output files that are never left half-written: everything is written to a temp file in the
// target's own folder (same file system, so the rename is atomic), and renamed into place only
// once complete. A missing or unwritable folder is a one-line usage error before any work.
import { closeSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { VmiError } from '../errors.js';

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'the folder does not exist';
    case 'ENOTDIR': return 'not a folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on the device';
    case 'EISDIR': return 'a folder is in the way';
    default: return code ?? 'cannot write there';
  }
}

function folderError(dir: string, e: unknown): VmiError {
  return new VmiError('usage', `cannot write to folder "${dir}": ${why(e)}`, { cause: e });
}

/** Checks that `dir` is an existing folder. */
export function requireFolder(dir: string): string {
  const abs = resolve(dir);
  let st;
  try {
    st = statSync(abs);
  } catch (e) {
    throw folderError(abs, e);
  }
  if (!st.isDirectory()) throw new VmiError('usage', `cannot write to folder "${abs}": not a folder`);
  return abs;
}

// Temp files not yet committed or removed: an exit on the way (process.exit, an uncaught error)
// removes them too.
const pending = new Set<string>();
let hooked = false;
function track(temp: string): void {
  pending.add(temp);
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const t of pending) {
      try {
        unlinkSync(t);
      } catch {
        // gone already
      }
    }
  });
}

/**
 * A temp file beside `target`, created now (exclusive), so that an unwritable folder fails at once.
 * `commit()` renames it onto the target; `abort()` removes it.
 */
export class PendingFile {
  readonly target: string;
  readonly temp: string;
  private done = false;

  constructor(target: string) {
    this.target = resolve(target);
    const dir = dirname(this.target);
    requireFolder(dir);
    try {
      if (statSync(this.target).isDirectory()) throw new VmiError('usage', `cannot write "${this.target}": it is a folder`);
    } catch (e) {
      if (e instanceof VmiError) throw e;
    }
    this.temp = join(dir, `.${basename(this.target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
    try {
      closeSync(openSync(this.temp, 'wx', 0o600));
    } catch (e) {
      throw folderError(dir, e);
    }
    track(this.temp);
  }

  commit(): void {
    if (this.done) return;
    try {
      renameSync(this.temp, this.target);
      pending.delete(this.temp);
    } catch (e) {
      this.abort();
      throw new VmiError('usage', `cannot write "${this.target}": ${why(e)}`, { cause: e });
    }
    this.done = true;
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    pending.delete(this.temp);
    try {
      unlinkSync(this.temp);
    } catch {
      // already gone
    }
  }
}

/** Several files committed together: all renamed at the end, or none left behind. */
export class PendingFiles {
  private files: PendingFile[] = [];

  add(target: string): PendingFile {
    const f = new PendingFile(target);
    this.files.push(f);
    return f;
  }

  commit(): void {
    try {
      for (const f of this.files) f.commit();
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  abort(): void {
    for (const f of this.files) f.abort();
  }
}
