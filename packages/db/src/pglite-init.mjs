// Creates a PGlite data directory in a process of its own: initdb's memory (several hundred MB of WebAssembly
// heap) leaves with this process instead of staying in the long-running one. Usage: node pglite-init.mjs <dir>
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node pglite-init.mjs <data directory>\n');
  process.exit(2);
}
const db = await PGlite.create(dir);
await db.close();
