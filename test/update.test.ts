import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { tempDir } from './helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });

/** An "upstream" repository holding update.sh, and a user's clone of it. */
function setup(): { upstream: string; clone: string } {
  const base = tempDir('vmi-update-');
  const upstream = join(base, 'upstream');
  mkdirSync(upstream);
  git(upstream, 'init', '-q', '-b', 'main');
  copyFileSync(join(ROOT, 'update.sh'), join(upstream, 'update.sh'));
  writeFileSync(join(upstream, 'package.json'), JSON.stringify({ name: 'vmi', version: '1.0.0' }));
  git(upstream, 'add', '.');
  git(upstream, 'commit', '-qm', 'v1');
  const clone = join(base, 'clone');
  git(base, 'clone', '-q', upstream, clone);
  return { upstream, clone };
}

const run = (clone: string) => spawnSync('bash', [join(clone, 'update.sh')], { cwd: clone, encoding: 'utf8' });

describe('update.sh', () => {
  it('stops with a clear message and changes nothing when local edits are in the way', () => {
    const { upstream, clone } = setup();
    writeFileSync(join(upstream, 'package.json'), JSON.stringify({ name: 'vmi', version: '1.1.0' }));
    git(upstream, 'commit', '-qam', 'v1.1');
    writeFileSync(join(clone, 'package.json'), JSON.stringify({ name: 'vmi', version: '1.0.0-local' }));
    const head = git(clone, 'rev-parse', 'HEAD');
    const r = run(clone);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /local changes; nothing was changed/);
    assert.equal(git(clone, 'rev-parse', 'HEAD'), head);
    assert.match(readFileSync(join(clone, 'package.json'), 'utf8'), /1\.0\.0-local/);
  });

  it('refuses a branch that cannot be fast-forwarded', () => {
    const { upstream, clone } = setup();
    writeFileSync(join(upstream, 'a.txt'), 'upstream');
    git(upstream, 'add', '.');
    git(upstream, 'commit', '-qm', 'upstream change');
    writeFileSync(join(clone, 'b.txt'), 'local');
    git(clone, 'add', '.');
    git(clone, 'commit', '-qm', 'local change');
    const head = git(clone, 'rev-parse', 'HEAD');
    const r = run(clone);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /could not fast-forward/);
    assert.equal(git(clone, 'rev-parse', 'HEAD'), head);
  });

  it('says so when already up to date', () => {
    const { clone } = setup();
    mkdirSync(join(clone, 'node_modules'));
    mkdirSync(join(clone, 'dist'));
    const r = run(clone);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /vmi is up to date: 1\.0\.0/);
  });
});
