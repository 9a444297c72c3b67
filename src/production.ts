// Imported first by cli.ts, before Ink and React load:
// - React and Ink use their production builds (no development checks on every render).
// - The full-screen app ("vmi" alone, "vmi demo") must draw even where CI or
//   CONTINUOUS_INTEGRATION is set (a NOC tmux started by automation): Ink reads them once, at
//   load, and then writes nothing until exit. Commands keep Ink's CI behaviour.
process.env.NODE_ENV ??= 'production';
let first: string | undefined;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (['--home', '--user', '-u', '--vms', '--seed'].includes(argv[i])) i++;
  else if (!argv[i].startsWith('-')) {
    first = argv[i];
    break;
  }
}
if (first === undefined || first === 'demo') {
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) if (k in process.env) process.env[k] = '0';
}
