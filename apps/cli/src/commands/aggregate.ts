// `smart-mining aggregate`: one cycle whose table is printed a row at a time as sources finish (--once), or the
// aggregator alone, forever.

import type { CycleReport, IngestSummary } from '@smart-mining/aggregator';
import { registerStatusMetrics, startStatusServer } from '@smart-mining/aggregator';
import type { SourceRun } from '@smart-mining/db';
import { type Config, createLogger, loadConfig, onShutdown } from '@smart-mining/platform';
import { buildAggregator, type ComposeDeps, createRegistry, openDatabase } from '../compose.ts';
import { isUnreachable, OFFLINE_HINT, offlineHint } from '../offline-hint.ts';
import { assertPortFree } from '../port-check.ts';

export interface AggregateOptions {
  once?: boolean;
}

type TextSink = { write(text: string): unknown };

export interface AggregateDeps extends ComposeDeps {
  config?: Config;
  /** The table (stdout). */
  out?: TextSink;
  /** Progress for slow sources and hints (stderr). */
  err?: TextSink;
  /** How often the sources still running are named; 10 s. */
  progressEveryMs?: number;
}

/** Returns the exit code: non-zero only when every source that ran failed. */
export async function aggregateCommand(options: AggregateOptions, deps: AggregateDeps = {}): Promise<number> {
  const config = deps.config ?? loadConfig();
  if (!options.once) return aggregateForever(config, deps);
  const { out = process.stdout, err = process.stderr } = deps;
  // Source outcomes are rows of the table and a failed write ends the command with its error: logging either
  // would print it twice.
  const logger = createLogger('silent');
  const db = await openDatabase(config, logger, 'aggregator');
  const pending = new Set<string>();
  const aggregator = buildAggregator(config, db, logger, {
    ...deps,
    onSourceRun: (run) => {
      pending.delete(run.source);
      out.write(`${runRow(run)}\n`);
    },
  });
  for (const source of aggregator.sources) pending.add(source);
  out.write(`${tableHeader()}\n`);
  for (const s of aggregator.skipped) out.write(`${row([s.source, 'skip', '0', '-', s.reason])}\n`);
  const startedMs = performance.now();
  const progress = setInterval(() => {
    if (pending.size === 0) return;
    const waitedS = Math.round((performance.now() - startedMs) / 1000);
    err.write(
      `  … waiting for ${[...pending].join(', ')} (${waitedS} s; each source's requests are spaced by its rate limit)\n`,
    );
  }, deps.progressEveryMs ?? 10_000);
  try {
    const report = await aggregator.runOnce();
    if (report.ingest) out.write(`\n${writtenLine(report.ingest)}\n`);
    if (report.runs.some(isUnreachable)) err.write(`${OFFLINE_HINT}\n`);
    return exitCodeFor(report);
  } finally {
    clearInterval(progress);
    await aggregator.stop();
    await db.close();
  }
}

/**
 * The aggregator alone, forever: leader or standby among the aggregators on this database, with its status port
 * (/health, /metrics). On SIGTERM it finishes the ingest in progress, frees the lease, and exits 0.
 */
async function aggregateForever(config: Config, deps: ComposeDeps): Promise<number> {
  const logger = createLogger(config.log.level);
  const { host, port } = config.aggregator.status;
  const vars = { host: 'SM_AGGREGATOR_STATUS_HOST', port: 'SM_AGGREGATOR_STATUS_PORT' };
  await assertPortFree(host, port, vars);
  const db = await openDatabase(config, logger, 'aggregator');
  const registry = deps.registry ?? createRegistry();
  const aggregator = buildAggregator(config, db, logger, {
    ...deps,
    registry,
    onSourceRun: offlineHint((hint) => logger.warn(hint)),
  });
  registerStatusMetrics(registry, () => aggregator.status());
  const status = await startStatusServer({ host, port, registry, status: () => aggregator.status() }).catch(
    async (error) => {
      await db.close();
      throw error;
    },
  );
  logger.info({ url: status.url, routes: ['/health', '/metrics'] }, 'aggregator status listening');
  aggregator.start();
  // Closers run newest first: stop ingesting and free the lease, close the status port, then the database.
  onShutdown(logger, [() => db.close(), () => status.close(), () => aggregator.stop()]);
  return new Promise<number>(() => {});
}

/** Non-zero only when sources ran and every one of them failed (skipped sources do not count). */
export function exitCodeFor(report: CycleReport): number {
  return report.runs.length > 0 && report.runs.every((r) => !r.ok) ? 1 : 0;
}

/** Fixed widths (rows are printed before all are known): source, ok, rows, duration; the note runs on. */
const WIDTHS = [10, 4, 5, 9] as const;
const NOTE_MAX_CHARS = 160;

function row(cells: readonly string[]): string {
  return cells
    .map((cell, i) => (i < WIDTHS.length ? cell.padEnd(WIDTHS[i]!) : cell))
    .join('  ')
    .trimEnd();
}

export function tableHeader(): string {
  return `${row(['source', 'ok', 'rows', 'duration', 'note'])}\n${row(WIDTHS.map((w) => '-'.repeat(w)))}  ----`;
}

/** The error or the warnings of a run, cut to fit a line. */
export function noteOf(run: SourceRun): string {
  const note = run.error ?? '';
  return note.length > NOTE_MAX_CHARS ? `${note.slice(0, NOTE_MAX_CHARS - 1)}…` : note;
}

export function runRow(run: SourceRun): string {
  return row([
    run.source,
    run.ok ? 'yes' : 'NO',
    String(run.rows),
    `${Math.round(run.durationMs)} ms`,
    noteOf(run),
  ]);
}

export function writtenLine(i: IngestSummary): string {
  return (
    `written: ${i.coins} coins (${i.coinHistory} history), ${i.pools} pools (${i.poolHistory} history), ` +
    `${i.hardware} devices, ${i.hardwareMining} hardware×algorithm; compute ${i.computeMs.toFixed(1)} ms, ` +
    `write ${i.writeMs.toFixed(1)} ms`
  );
}
