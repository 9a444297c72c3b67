#!/usr/bin/env node
import './production.js';
import Pastel from 'pastel';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; description: string };

// Commander and pastel exit with 1 on a bad option or argument; vmi's contract says 2 for bad usage.
const realExit = process.exit.bind(process);
let parsing = true;
process.exit = ((code?: number) => realExit(parsing && code === 1 ? 2 : code)) as typeof process.exit;

const app = new Pastel({ importMeta: import.meta, name: 'vmi', version: pkg.version, description: pkg.description });
await app.run();
parsing = false;
