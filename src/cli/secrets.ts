import { VmiError } from '../errors.js';

let stdinLines: Promise<string[]> | null = null;

/** Reads all of standard input once (it may hold several lines: passphrase, new passphrase, ...). */
function readStdinLines(): Promise<string[]> {
  if (!stdinLines) {
    stdinLines = new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      process.stdin.on('data', (c: Buffer) => chunks.push(c));
      process.stdin.on('end', () => {
        const all = Buffer.concat(chunks);
        const text = all.toString('utf8');
        all.fill(0);
        resolve(text.split(/\r?\n/));
      });
      process.stdin.on('error', reject);
    });
  }
  return stdinLines;
}

let lineIndex = 0;

/** The next line of standard input as bytes, or an error naming what was expected. */
export async function nextStdinSecret(what: string): Promise<Buffer> {
  const lines = await readStdinLines();
  const line = lines[lineIndex++];
  if (line === undefined || line === '') throw new VmiError('usage', `expected ${what} on standard input, got nothing`);
  return Buffer.from(line, 'utf8');
}

export function stdinIsTty(): boolean {
  return Boolean(process.stdin.isTTY);
}
