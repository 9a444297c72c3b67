import type { TamperedRowError } from '../crypto/keys.js';
import type { IO } from './run.js';

export function gb(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  const g = bytes / 1024 ** 3;
  return g >= 1024 ? `${(g / 1024).toFixed(1)} TB` : `${g.toFixed(g >= 100 ? 0 : 1)} GB`;
}

export function pct(part: number | undefined, whole: number | undefined): string {
  if (part === undefined || !whole) return '';
  return `${Math.round((part / whole) * 100)}%`;
}

export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  return d > 0 ? `${d}d ${h}h` : `${h}h ${Math.floor((seconds % 3600) / 60)}m`;
}

/** Prints tampered-row warnings; the exit code says whether any were found. */
export function reportTampered(io: IO, tampered: TamperedRowError[]): number {
  for (const t of tampered) io.err(`vmi: ${t.message}\n`);
  return tampered.length ? 1 : 0;
}
