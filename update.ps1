# Updates this vmi checkout: fast-forward from git, reinstall dependencies, rebuild.
# Stops without changing anything when local edits or a diverged branch are in the way.
$ErrorActionPreference = 'Stop'
Set-Location -Path $PSScriptRoot

function Get-VmiVersion {
  try { (Get-Content -Raw -Path 'package.json' | ConvertFrom-Json).version } catch { 'unknown' }
}

if (-not (Get-Command git -ErrorAction SilentlyContinue)) { Write-Error 'update: git is not installed'; exit 2 }
if (-not (Get-Command npm -ErrorAction SilentlyContinue)) { Write-Error 'update: Node.js/npm is not installed'; exit 2 }

$changes = git status --porcelain --untracked-files=no
if ($changes) {
  Write-Host "update: this checkout has local changes; nothing was changed. Review them with 'git status' and 'git diff', then commit, stash ('git stash') or discard them and run .\update.ps1 again." -ForegroundColor Red
  exit 2
}

$oldVersion = Get-VmiVersion
$oldCommit = (git rev-parse --short HEAD).Trim()
git pull --ff-only --quiet
if ($LASTEXITCODE -ne 0) {
  Write-Host 'update: could not fast-forward (no network, or your branch has commits that are not upstream); nothing was changed' -ForegroundColor Red
  exit 2
}
$newCommit = (git rev-parse --short HEAD).Trim()

if (($oldCommit -eq $newCommit) -and (Test-Path 'node_modules') -and (Test-Path 'dist')) {
  Write-Host "vmi is up to date: $oldVersion ($oldCommit)"
  exit 0
}

npm ci --no-audit --no-fund
if ($LASTEXITCODE -ne 0) { Write-Host 'update: npm ci failed (see above)' -ForegroundColor Red; exit 1 }
npm run build --silent
if ($LASTEXITCODE -ne 0) { Write-Host 'update: the build failed (see above)' -ForegroundColor Red; exit 1 }
Write-Host "vmi updated: $oldVersion ($oldCommit) -> $(Get-VmiVersion) ($newCommit)"
