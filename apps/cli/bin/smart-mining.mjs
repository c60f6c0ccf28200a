// Starts the `smart-mining` command from its TypeScript source (`npm start`, `npm run smart-mining`).
// The embedded database's JavaScript is loaded natively first and tsx registered after it: tsx would otherwise
// transform PGlite's 375 kB bundle on every start and keep about 40 MB for it (docs/benchmarks.md).
import '@electric-sql/pglite';
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
