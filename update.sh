#!/usr/bin/env bash
# Updates this vmi checkout: fast-forward from git, reinstall dependencies, rebuild.
# Stops without changing anything when local edits or a diverged branch are in the way.
set -euo pipefail
cd "$(dirname "$0")"

version() { node -p "require('./package.json').version" 2>/dev/null || echo unknown; }

if ! command -v git >/dev/null 2>&1; then echo "update: git is not installed" >&2; exit 2; fi
if ! command -v npm >/dev/null 2>&1; then echo "update: Node.js/npm is not installed" >&2; exit 2; fi

if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "update: this checkout has local changes; nothing was changed. Review them with 'git status' and 'git diff', then commit, stash ('git stash') or discard them and run ./update.sh again." >&2
  exit 2
fi

old_version=$(version)
old_commit=$(git rev-parse --short HEAD)
if ! git pull --ff-only --quiet; then
  echo "update: could not fast-forward (no network, or your branch has commits that are not upstream); nothing was changed" >&2
  exit 2
fi
new_commit=$(git rev-parse --short HEAD)

if [ "$old_commit" = "$new_commit" ] && [ -d node_modules ] && [ -d dist ]; then
  echo "vmi is up to date: $old_version ($old_commit)"
  exit 0
fi

npm ci --no-audit --no-fund
npm run build --silent
echo "vmi updated: $old_version ($old_commit) -> $(version) ($new_commit)"
