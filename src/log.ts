import { pino, type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';
import type { Config } from './config.js';

export type { Logger };

// Field names that must never carry a value into a log line, wherever they appear.
const REDACT = ['password', 'passphrase', 'secret', 'token', 'cookie', 'authorization', 'key',
  '*.password', '*.passphrase', '*.secret', '*.token', '*.cookie', '*.authorization', '*.key'];

let current: Logger = pino({ level: 'silent' });

/** Rotating log files in the home: size-based, keeps maxFiles, level from the config. */
export function openLog(logDir: string, cfg: Config['logging']): Logger {
  const stream = createStream('vmi.log', {
    path: logDir,
    size: `${cfg.maxSizeMB}M`,
    maxFiles: cfg.maxFiles,
    mode: 0o600,
  });
  current = pino({ level: cfg.level, redact: { paths: REDACT, censor: '[redacted]' }, base: { pid: process.pid } }, stream);
  return current;
}

export function log(): Logger {
  return current;
}

/** Flushes and closes the current log file (before exit). */
export async function closeLog(): Promise<void> {
  const l = current;
  current = pino({ level: 'silent' });
  await new Promise<void>((res) => l.flush(() => res()));
}
