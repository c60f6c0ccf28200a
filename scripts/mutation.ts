// `npm run mutation`: runs StrykerJS (stryker.config.mjs) and writes the score, per area, into the "Mutation testing"
// section of docs/benchmarks.md with the date, the machine and the duration.
// `--report-only [--duration-s N]` writes the section from the last run's report without running again.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { machineDescription, withSection } from './doc-sections.ts';

const ROOT = new URL('../', import.meta.url);
const REPORT = new URL('reports/mutation/mutation.json', ROOT);
const DOC = new URL('docs/benchmarks.md', ROOT);

interface MutationReport {
  files: Record<string, { mutants: { status: string }[] }>;
}

const AREAS: [string, string][] = [
  ['domain (`packages/domain`)', 'packages/domain/'],
  ["aggregator's merge (`apps/aggregator/src/merge`)", 'apps/aggregator/src/merge/'],
  ["API's auth and decision service", 'apps/api/'],
];

interface Tally {
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
}

function tally(report: MutationReport, prefix: string): Tally {
  const t: Tally = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
  for (const [file, { mutants }] of Object.entries(report.files)) {
    if (!file.startsWith(prefix)) continue;
    for (const { status } of mutants) {
      if (status === 'Killed') t.killed++;
      else if (status === 'Timeout') t.timeout++;
      else if (status === 'Survived') t.survived++;
      else if (status === 'NoCoverage') t.noCoverage++;
      // CompileError, RuntimeError, Ignored: not valid mutants, left out of the score (as Stryker does).
    }
  }
  return t;
}

const percent = (part: number, whole: number) =>
  whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;

function row(name: string, t: Tally): string {
  const detected = t.killed + t.timeout;
  const covered = detected + t.survived;
  const all = covered + t.noCoverage;
  return `| ${name} | ${all} | ${t.killed} | ${t.timeout} | ${t.survived} | ${t.noCoverage} | ${percent(detected, all)} | ${percent(detected, covered)} |`;
}

export function mutationSection(
  report: MutationReport,
  durationS: number | undefined,
  at = new Date(),
): string {
  const took = durationS === undefined ? '' : `, in ${(durationS / 60).toFixed(0)} min`;
  return [
    '## Mutation testing',
    '',
    `Run ${at.toISOString()} by \`npm run mutation\` (StrykerJS, TAP runner, coverage per test file) on ` +
      `${machineDescription()}${took}.`,
    '',
    '| code | mutants | killed | timed out | survived | no test reaches it | score | score of reached |',
    '|---|---|---|---|---|---|---|---|',
    ...AREAS.map(([name, prefix]) => row(name, tally(report, prefix))),
    row('**all**', tally(report, '')),
    '',
    'Score: mutants detected (killed or timed out) ÷ all valid mutants; "of reached" leaves out those no test',
    'runs. Each mutant runs only the test files beside the code in scope, not the whole suite,',
    "so code that only other packages' tests reach counts as unreached: `@smart-mining/domain` imports resolve to",
    "the files outside Stryker's sandbox. Each surviving mutant is printed by the run and kept in",
    '`reports/mutation/mutation.json` (not committed).',
  ].join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  let durationS: number | undefined;
  if (args.includes('--report-only')) {
    const i = args.indexOf('--duration-s');
    durationS = i >= 0 ? Number(args[i + 1]) : undefined;
  } else {
    const started = performance.now();
    // The API tests run on PGlite only: a DATABASE_URL would make every mutant also wait for PostgreSQL.
    const { DATABASE_URL: _, ...env } = process.env;
    const run = spawnSync('npx', ['stryker', 'run'], { cwd: ROOT, env, stdio: 'inherit' });
    if (run.status !== 0) process.exit(run.status ?? 1);
    durationS = (performance.now() - started) / 1000;
  }
  const report = JSON.parse(readFileSync(REPORT, 'utf8')) as MutationReport;
  const section = mutationSection(report, durationS);
  writeFileSync(DOC, withSection(readFileSync(DOC, 'utf8'), 'Mutation testing', section));
  process.stdout.write(`${section}\n`);
}

main();
