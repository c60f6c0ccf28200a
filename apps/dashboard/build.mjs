// Builds the dashboard into dist/ with Vite; an install without dev dependencies (no Vite) keeps what is there.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = import.meta.dirname;
let vite;
try {
  vite = await import('vite');
} catch {
  const built = existsSync(join(root, 'dist', 'index.html'));
  console.warn(
    `dashboard: Vite is not installed (an install without dev dependencies); ${built ? 'keeping the built dist/' : 'the API will serve no dashboard'}`,
  );
  process.exit(0);
}
await vite.build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
console.log(`dashboard: built into ${join(root, 'dist')}`);
