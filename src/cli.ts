#!/usr/bin/env node
import './production.js';
import { Command } from 'commander';
import Pastel from 'pastel';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; description: string };

// Commander and pastel exit with 1 on a bad option or argument; vmi's contract says 2 for bad usage.
const realExit = process.exit.bind(process);
let parsing = true;
process.exit = ((code?: number) => realExit(parsing && code === 1 ? 2 : code)) as typeof process.exit;

// Commands are files under commands/; folders of subcommands have no file of their own to carry
// a description, so it is set here.
const GROUPS: Record<string, string> = {
  user: 'vmi users and roles: list (default), add, role, disable, reset, passwd',
  owner: 'Owners VMs are assigned to: list (default), add',
  source: 'vCenter and Prism Central sources in config.json: list (default), add, set, remove, trust',
  tag: 'Tag VMs: add, remove',
  help: 'Reference: help filters',
};
// "vmi" itself takes --home and --user: keep the root's options positional, so that
// "vmi vms --home X" gives --home to "vms" and not to the root command.
const parse = Command.prototype.parse;
Command.prototype.parse = function (this: Command, ...a: Parameters<Command['parse']>) {
  if (!this.parent) {
    this.enablePositionalOptions();
    for (const c of this.commands) if (GROUPS[c.name()] && !c.description()) c.description(GROUPS[c.name()]);
  }
  return parse.apply(this, a);
} as Command['parse'];

const app = new Pastel({ importMeta: import.meta, name: 'vmi', version: pkg.version, description: pkg.description });
await app.run();
parsing = false;
