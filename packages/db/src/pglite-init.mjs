// Creates a PGlite data directory in a process of its own: initdb's memory (several hundred MB of WebAssembly
// heap) leaves with this process instead of staying in the long-running one.
// Usage: node pglite-init.mjs <data directory> [name=value …] (settings for initdb and the first start)
import { PGlite } from '@electric-sql/pglite';

const [dir, ...settings] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: node pglite-init.mjs <data directory> [name=value …]\n');
  process.exit(2);
}
const db = await PGlite.create(dir, {
  initDbStartParams: settings.flatMap((s) => ['--set', s]),
  startParams: [...PGlite.defaultStartParams, ...settings.flatMap((s) => ['-c', s])],
});
await db.close();
