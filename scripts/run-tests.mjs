// Runs every *.test.ts under packages/, apps/ and tests/ with node's test runner (Node 20 cannot glob .ts itself),
// in a temp folder of its own that must be empty afterwards: a test that leaves files behind fails the run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const roots = ['packages', 'apps', 'tests'];
const only = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.ts')) files.push(p);
  }
};
for (const r of roots) walk(r);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
selected.sort();
if (selected.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const testTmp = mkdtempSync(join(tmpdir(), 'sm-tests-'));
// tsx keeps its transform cache in the temp folder (tsx-<uid>): the shared one is linked in, so runs stay warm.
const tsxCache = `tsx-${process.geteuid?.() ?? 'user'}`;
mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
symlinkSync(join(tmpdir(), tsxCache), join(testTmp, tsxCache));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=120000', ...selected],
  { stdio: 'inherit', env: { ...process.env, TMPDIR: testTmp } },
);
const leftBehind = readdirSync(testTmp).filter((name) => name !== tsxCache);
rmSync(testTmp, { recursive: true, force: true });
if (leftBehind.length > 0) {
  console.error(
    `tests left these in the temp folder (remove them in an after hook): ${leftBehind.join(', ')}`,
  );
  process.exit(1);
}
process.exit(result.status ?? 1);
