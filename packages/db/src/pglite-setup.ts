// How the embedded database is started: memory sized for a process that also runs the app, and a new data
// directory initialized in a short-lived child process.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { DbError } from './errors.ts';

/**
 * PostgreSQL's defaults (PGlite's shared_buffers is 160 MB) size memory for a server of its own; inside the app's
 * process every page PGlite touches stays in its WebAssembly heap, which never shrinks. The market's tables are a
 * few MB, so small buffers cost no reads that matter (measured in docs/benchmarks.md).
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '16MB',
  maintenance_work_mem: '16MB',
  temp_buffers: '4MB',
};

/**
 * V8 compiles PGlite's 9 MB of WebAssembly with its baseline compiler only. The optimizing tier recompiles hot
 * functions on background threads: ≈ 45 MB more code, and CPU the short statements of a cycle never earn back
 * (measured on 2 cores: PGlite starts ≈ 0.3 s sooner and a cycle's statements run 2–4× faster without it). Read when
 * a module is compiled, so it must be set before PGlite's first start; PGlite is the only WebAssembly here.
 */
export const WASM_BASELINE_FLAG = '--liftoff-only';

export function compileWasmBaselineOnly(): void {
  v8.setFlagsFromString(WASM_BASELINE_FLAG);
}

const assignments = () => Object.entries(PGLITE_SETTINGS).map(([name, value]) => `${name}=${value}`);

export function pgliteStartParams(): string[] {
  return [...PGlite.defaultStartParams, ...assignments().flatMap((a) => ['-c', a])];
}

const INIT_SCRIPT = fileURLToPath(new URL('./pglite-init.mjs', import.meta.url));
const run = promisify(execFile);

/**
 * Runs initdb for a new data directory in a child process (with the same settings: ≈ 120 MB less at its peak); a
 * directory that holds a database is left alone.
 */
export async function initializeDataDir(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  try {
    await run(process.execPath, [WASM_BASELINE_FLAG, INIT_SCRIPT, dataDir, ...assignments()], {
      maxBuffer: 1 << 20,
    });
  } catch (cause) {
    const stderr = (cause as { stderr?: string }).stderr?.trim();
    throw new DbError(
      'SM_DB_QUERY',
      `cannot create the PGlite data directory ${dataDir}: ${stderr || (cause as Error).message}`,
      {
        cause,
      },
    );
  }
}
