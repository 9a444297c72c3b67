// npm run bench: figures from the issues, measured as medians on this machine.
import { storeBench } from './store.bench.js';

console.log(`vmi bench — node ${process.version}, ${new Date().toISOString()}`);
await storeBench();
