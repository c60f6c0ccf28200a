// `npm run bench`: runs the benchmarks and writes docs/benchmarks.md with the machine and the date.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { type ApiBenchResult, benchApi } from './bench/api-bench.ts';
import { benchCycles, type CycleBenchResult } from './bench/cycle-bench.ts';
import { benchHealth, type HealthBenchResult } from './bench/health-bench.ts';
import { benchHistory, historySection } from './bench/history-bench.ts';
import { benchIngest, type IngestBenchResult } from './bench/ingest-bench.ts';
import { benchInstances, type InstancesBenchResult } from './bench/instances-bench.ts';
import { benchProxy, proxySection } from './bench/proxy-bench.ts';
import { sectionOf, withSection } from './doc-sections.ts';

const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';
const MUTATION_HEADING = 'Mutation testing';

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const f = (ms: number | undefined) => (ms === undefined ? '–' : `${ms.toFixed(1)} ms`);

function ingestSection(r: IngestBenchResult): string {
  const pgWrite = r.writes.find((w) => w.database === 'postgres');
  const lines = [
    '## Ingest cycle (fixtures ×10)',
    '',
    `Rows per cycle: ${r.rows.coins} coins, ${r.rows.pools} pools, ${r.rows.hardwareMining} hardware×algorithm (plus their history rows).`,
    '',
    '| step | measured | target |',
    '|---|---|---|',
    `| normalize: parse + validate + normalize the seven sources' responses ×10 (CPU) | ${f(r.normalizeCpuMs)} | |`,
    `| compute: merge + profitability of the ×10 snapshot (CPU, median of 20) | ${f(r.computeCpuMs)} | |`,
    `| normalize + compute | ${f(r.normalizeCpuMs + r.computeCpuMs)} | < 200 ms |`,
    ...r.writes.flatMap((w) => [
      `| write, first cycle (inserts), ${w.database} | ${f(w.firstWriteMs)} | |`,
      `| write, next cycles (updates + history), ${w.database}, median of 5 | ${f(w.updateWriteMs)} | |`,
    ]),
    `| COPY of the same rows into the same tables, postgres, median of 5 | ${f(pgWrite?.copyMs)} | |`,
    `| write ÷ COPY (postgres, next cycles) | ${pgWrite?.copyMs ? (pgWrite.updateWriteMs / pgWrite.copyMs).toFixed(2) : '–'}× | ≤ 2× |`,
  ];
  return lines.join('\n');
}

const DURATION_S = Number(process.env.SM_BENCH_DURATION_S ?? 5);

function healthSection(r: HealthBenchResult | undefined): string {
  if (!r) return '## /health under heavy reads\n\nSkipped: needs PostgreSQL (DATABASE_URL).';
  const statuses = Object.entries(r.history.byStatus)
    .map(([status, n]) => `${n} × ${status}`)
    .join(', ');
  return [
    '## /health under heavy reads (PostgreSQL)',
    '',
    `${r.historyClients} clients each asking, one after another, for one year of daily buckets over ${r.historyRows} history rows, for ${r.durationS} s; /health by autocannon (1 connection) in its own process.`,
    '',
    '| /health | requests/s | p50 | p99 | target |',
    '|---|---|---|---|---|',
    `| alone | ${r.alone.requestsPerS.toFixed(0)} | ${r.alone.p50Ms} ms | ${r.alone.p99Ms} ms | |`,
    `| during the history load | ${r.underLoad.requestsPerS.toFixed(0)} | ${r.underLoad.p50Ms} ms | ${r.underLoad.p99Ms} ms | p99 < 50 ms |`,
    '',
    `History answers meanwhile: ${statuses}; p50 ${r.history.p50Ms.toFixed(0)} ms, p99 ${r.history.p99Ms.toFixed(0)} ms ` +
      '(at most 3 run at once, the rest wait in line; /health and decisions never wait for them).',
  ].join('\n');
}

function instancesSection(r: InstancesBenchResult | undefined): string {
  if (!r)
    return '## A profile write seen by another API instance\n\nSkipped: needs PostgreSQL (DATABASE_URL).';
  return [
    '## A profile write seen by another API instance (PostgreSQL)',
    '',
    `${r.writes} profiles created on instance A, one after another; the time from A's 201 until instance B (whose ` +
      'snapshot lives an hour, so only the event can tell it) answers a decision with the new profile.',
    '',
    '| p50 | p99 | max | target |',
    '|---|---|---|---|',
    `| ${r.p50Ms.toFixed(0)} ms | ${r.p99Ms.toFixed(0)} ms | ${r.maxMs.toFixed(0)} ms | < 1 s |`,
  ].join('\n');
}

const mbText = (mb: number | undefined) => (mb === undefined ? '–' : `${mb.toFixed(0)} MB`);
const sText = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? '–' : `${(a / b).toFixed(2)}×`;

/** What the cycle section's figures came from; kept with them because `npm run bench` rewrites the file. */
const CYCLE_NOTES = [
  "Before issue 7's fix (measured by hand with `/usr/bin/time` on a loaded machine), `aggregate --once` peaked at",
  '904–989 MB on a new PGlite directory and 423–433 MB on an existing one (PostgreSQL 187–194 MB), took 5.2–6.1 s',
  'without request spacing against 3.0–3.4 s on PostgreSQL, and an idle `npm start` held ≈ 343 MB (the issue saw',
  '490 MB). Where it went, found with `process.memoryUsage()`, `/proc/<pid>/smaps` and `--cpu-prof`, and what changed:',
  '',
  "- PGlite's `shared_buffers` default of 160 MB is touched as PGlite starts and stays in its WebAssembly heap, which",
  "  never shrinks: now 16 MB (≈ −120 MB; the market's tables are a few MB).",
  '- `initdb` of a new directory grew that heap to ≈ 800 MB for the life of the process: it now runs in a child',
  '  process that exits (its peak is the "initdb child" row).',
  "- tsx transformed PGlite's 375 kB bundle on every start and kept ≈ 40 MB for it: `npm start` and",
  '  `npm run smart-mining` now run the bundled command (no tsx at run time); `npm run dev` loads PGlite natively',
  '  before registering tsx (`apps/cli/bin/smart-mining.mjs`).',
  "- V8 compiled PGlite's 9 MB of WebAssembly twice (baseline, then optimized on background threads): ≈ 45 MB of",
  "  code and CPU that a cycle's short statements never earned back. It is compiled by the baseline tier only",
  "  (`--liftoff-only`, set before PGlite's first start); repeated ingest writes measured alike with and without it.",
  '- The ingest no longer reads history to decide what to append (`history_at` on the realtime rows); its writes',
  '  were already one bulk statement per table in one transaction.',
].join('\n');

function cycleSection(r: CycleBenchResult): string {
  const { spaced, unspaced, idle } = r;
  const first = unspaced.pgliteFirst;
  return [
    '## PGlite beside PostgreSQL: one cycle, and an idle `npm start`',
    '',
    'Each cycle is `smart-mining aggregate --once` as its own process (start, migrations check, the seven sources',
    "from the replay server with their clocks moved to now, one ingest, exit); peak RSS is the kernel's high-water",
    'mark of that process. Times are rough on a shared machine; RSS is a fair measure.',
    '',
    '| run | PGlite | PostgreSQL | PGlite ÷ PostgreSQL | target |',
    '|---|---|---|---|---|',
    `| cycle with the sources' request spacing: wall time | ${sText(spaced.pglite.wallMs)} | ${sText(spaced.postgres?.wallMs)} | ${ratio(spaced.pglite.wallMs, spaced.postgres?.wallMs)} | ≤ 1.5× |`,
    `| same: peak RSS | ${mbText(spaced.pglite.peakRssMb)} | ${mbText(spaced.postgres?.peakRssMb)} | | < 300 MB |`,
    `| cycle without request spacing (the database's share shows), median of 3: wall time | ${sText(unspaced.pglite.wallMs)} | ${sText(unspaced.postgres?.wallMs)} | ${ratio(unspaced.pglite.wallMs, unspaced.postgres?.wallMs)} | ≤ 1.5× |`,
    `| same: peak RSS (max of 3) | ${mbText(unspaced.pglite.peakRssMb)} | ${mbText(unspaced.postgres?.peakRssMb)} | | < 300 MB |`,
    `| first cycle on a new data directory: wall time | ${sText(first.wallMs)} | | | |`,
    `| same: peak RSS of the process; of its initdb child | ${mbText(first.peakRssMb)}; ${mbText(first.childPeakRssMb)} | | | |`,
    `| idle \`npm start\` after every source ran once: RSS over ${idle.sampledS} s, median (max) | ${mbText(idle.medianRssMb)} (${mbText(idle.maxRssMb)}) | | | < 250 MB |`,
    `| same: peak RSS since start | ${mbText(idle.peakRssMb)} | | | |`,
    '',
    CYCLE_NOTES,
  ].join('\n');
}

function apiSection(results: ApiBenchResult[]): string {
  const lines = ['## API under load', ''];
  for (const r of results) {
    lines.push(
      `### ${r.database} — autocannon in a separate process, ${r.connections} connections × ${r.pipelining} in flight, ${r.rounds} rounds of ${r.durationS} s per route`,
      '',
      '| route | requests/s (median) | vs trivial (median of rounds) | p50 | p99 (median; worst) | errors |',
      '|---|---|---|---|---|---|',
      ...r.routes.map(
        (x) =>
          `| ${x.route} | ${x.requestsPerS.toFixed(0)} | ${(100 * x.vsTrivial).toFixed(0)} % | ${x.p50Ms} ms | ${x.p99Ms} ms; ${x.worstP99Ms} ms | ${x.errors} |`,
      ),
      '',
    );
  }
  lines.push(
    "Targets: decision ≥ 50 % of the trivial route's throughput, with and without `current`, p99 < 10 ms.",
    '',
    'Every route runs once per round, in turn, and each ratio is taken against the trivial route of its own round:',
    "the machine's speed drifts between minutes (the trivial route alone has measured from 12,000 to 36,000",
    'requests/s on this machine), so a ratio across rounds would measure the drift.',
    'The load generator runs on the same 2 cores as the server. With one request in flight per connection the',
    'server sits partly idle while autocannon parses responses, so the ratio also measures the generator; with 4',
    "in flight the server is the bottleneck and the ratio is the server's own. The decision route answers from the",
    "in-memory market snapshot (reloaded after each ingest's event) and never touches the database.",
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? ((await reachable(DEFAULT_PG)) ? DEFAULT_PG : undefined);
  // `npm run bench -- api` (ingest, cycle, api, instances, health, history, proxy) runs one part and prints it without rewriting
  // docs/benchmarks.md; SM_BENCH_DURATION_S sets the seconds per measured route (default 5).
  const only = process.argv[2];
  const sections: string[] = [];
  if (!only || only === 'ingest') {
    process.stderr.write('bench: ingest…\n');
    sections.push(ingestSection(await benchIngest(url)));
  }
  if (!only || only === 'cycle') {
    process.stderr.write('bench: cycle…\n');
    sections.push(cycleSection(await benchCycles(url)));
  }
  if (!only || only === 'api') {
    process.stderr.write('bench: api…\n');
    sections.push(apiSection(await benchApi(url, 10, DURATION_S)));
  }
  if (!only || only === 'instances') {
    process.stderr.write('bench: two API instances…\n');
    sections.push(instancesSection(await benchInstances(url)));
  }
  if (!only || only === 'health') {
    process.stderr.write('bench: health under heavy reads…\n');
    sections.push(healthSection(await benchHealth(url, DURATION_S * 2)));
  }
  if (!only || only === 'history') {
    process.stderr.write('bench: history for years…\n');
    sections.push(historySection(await benchHistory(url)));
  }
  if (!only || only === 'proxy') sections.push(proxySection(await benchProxy()));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    '# Benchmarks',
    `Run ${new Date().toISOString()} by \`npm run bench\` on ${cpu}, ${os.cpus().length} cores, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}` +
      `${url ? ', PostgreSQL on 127.0.0.1' : ' (no PostgreSQL reachable: PGlite only)'}.`,
  ];
  const text = `${[...header, ...sections].join('\n\n')}\n`;
  const file = new URL('../docs/benchmarks.md', import.meta.url);
  // `npm run mutation` writes its own section: kept as it was.
  const mutation = existsSync(file) ? sectionOf(readFileSync(file, 'utf8'), MUTATION_HEADING) : undefined;
  if (!only) writeFileSync(file, mutation ? withSection(text, MUTATION_HEADING, mutation) : text);
  process.stdout.write(text);
}

await main();
