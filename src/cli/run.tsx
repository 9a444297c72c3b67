import { Box, Text, useApp } from 'ink';
import TextInput from 'ink-text-input';
import React, { useEffect, useRef, useState } from 'react';
import { isVmiError, oneLine } from '../errors.js';
import { closeLog, log } from '../log.js';
import { commandName } from './context.js';

export interface IO {
  out(text: string): void;
  err(text: string): void;
  /** Asks for a secret at the terminal (no echo). Only when stdin is a TTY. */
  promptSecret(label: string): Promise<Buffer>;
  /** Asks a yes/no question at the terminal. */
  confirm(label: string): Promise<boolean>;
}

type Ask = { kind: 'secret' | 'confirm'; label: string; resolve: (v: string) => void };

/** Cleanups registered by a command (close the cache, wipe keys); run once the command ends. */
export type Cleanup = () => void | Promise<void>;

function SecretPrompt({ ask }: { ask: Ask }) {
  const [value, setValue] = useState('');
  return (
    <Box>
      <Text>{ask.label} </Text>
      <TextInput value={value} onChange={setValue} mask={ask.kind === 'secret' ? '*' : undefined} onSubmit={(v) => ask.resolve(v)} />
    </Box>
  );
}

/**
 * Runs a command's body, prints its one-line error on failure and sets the exit code that
 * README promises (VmiError carries it; anything else is 1). Output goes straight to stdout so
 * that JSON and tables are never re-wrapped by the terminal renderer.
 */
export function Run({ body }: { body: (io: IO, onCleanup: (c: Cleanup) => void) => Promise<number | void> }) {
  const { exit } = useApp();
  const [ask, setAsk] = useState<Ask | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const cleanups: Cleanup[] = [];
    const io: IO = {
      out: (t) => void process.stdout.write(t),
      err: (t) => void process.stderr.write(t),
      promptSecret: (label) => new Promise((res) => setAsk({ kind: 'secret', label, resolve: (v) => { setAsk(null); res(Buffer.from(v, 'utf8')); } })),
      confirm: (label) => new Promise((res) => setAsk({ kind: 'confirm', label: `${label} [y/N]`, resolve: (v) => { setAsk(null); res(/^y(es)?$/i.test(v.trim())); } })),
    };
    (async () => {
      try {
        const code = await body(io, (c) => cleanups.push(c));
        process.exitCode = code ?? 0;
      } catch (e) {
        process.stderr.write(`vmi: ${oneLine(e)}\n`);
        process.exitCode = isVmiError(e) ? e.exitCode : 1;
        if (!isVmiError(e)) log().error({ err: e }, 'unexpected failure');
        // The reason code only: messages can quote names and e-mails, and the log file is plaintext.
        else log().warn({ reason: e.reason, command: commandName() }, 'command failed');
      } finally {
        for (const c of cleanups.reverse()) {
          try { await c(); } catch { /* best effort on the way out */ }
        }
        await closeLog();
        exit();
      }
    })();
  }, []);
  return ask ? <SecretPrompt ask={ask} /> : null;
}
