// The aggregator role: runs each source on its own interval (with jitter), merges, and ingests serially.

import { type Db, ensureHistoryPartitions, type SourceRun } from '@smart-mining/db';
import type { SourceName } from '@smart-mining/domain';
import type { AggregatorMetrics } from '@smart-mining/platform';
import type { Logger } from 'pino';
import type { Collector } from './collectors/collector.ts';
import { type IngestOptions, type IngestSummary, ingest } from './ingest.ts';
import { ObservationStore } from './observation-store.ts';
import { runSource, type SourceOutcome } from './run-source.ts';

export interface AggregatorDeps {
  db: Db;
  collectors: Collector[];
  logger: Logger;
  ingestOptions: IngestOptions;
  intervalsS: Partial<Record<SourceName, number>>;
  jitterS: number;
  now?: () => Date;
  random?: () => number;
  /** Per-source run duration, errors and rows; ingest duration. */
  metrics?: AggregatorMetrics;
  /** Called as each source run finishes, after its log line (progress output, hints). */
  onSourceRun?: (run: SourceRun) => void;
}

export interface CycleReport {
  runs: SourceRun[];
  skipped: { source: SourceName; reason: string }[];
  ingest?: IngestSummary;
}

export interface Aggregator {
  /** The sources that run (the others are skipped, each with its reason). */
  readonly sources: SourceName[];
  readonly skipped: CycleReport['skipped'];
  /** Runs every source once, concurrently, then one ingest; resolves with what happened. */
  runOnce(): Promise<CycleReport>;
  /** Starts the per-source loops; the first run of each source starts at once. */
  start(): void;
  /** Stops scheduling and waits for runs and the write in progress to finish. */
  stop(): Promise<void>;
}

export function createAggregator(deps: AggregatorDeps): Aggregator {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const log = deps.logger;
  const store = new ObservationStore();
  const active = deps.collectors.filter((c) => !c.skipReason);
  const skipped = deps.collectors.flatMap((c) =>
    c.skipReason ? [{ source: c.source, reason: c.skipReason }] : [],
  );
  let writeChain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timers = new Map<SourceName, NodeJS.Timeout>();

  const logOutcome = (o: SourceOutcome) => {
    deps.metrics?.sourceRun(o.run);
    const { source, ok, rows, durationMs, error } = o.run;
    if (ok)
      log.info(
        { source, rows, durationMs: Math.round(durationMs), warnings: o.warnings.length || undefined },
        'source ok',
      );
    else log.warn({ source, durationMs: Math.round(durationMs), error }, 'source failed');
    deps.onSourceRun?.(o.run);
  };

  /** A declared pool's warning is logged when it starts to apply, not every cycle. */
  let declaredWarnings = new Set<string>();
  const logDeclaredWarnings = (warnings: readonly string[]) => {
    for (const w of warnings) if (!declaredWarnings.has(w)) log.warn(w);
    declaredWarnings = new Set(warnings);
  };

  // A process that runs for months must keep creating history partitions, not only at migrate time.
  let partitionsMonth = '';
  const keepPartitionsAhead = async (at: Date) => {
    const month = at.toISOString().slice(0, 7);
    if (month === partitionsMonth) return;
    await ensureHistoryPartitions(deps.db, at);
    partitionsMonth = month;
  };

  /** Ingests are serialized: one transaction at a time, in the order runs finished. */
  const write = (outcomes: SourceOutcome[]): Promise<IngestSummary> => {
    for (const o of outcomes) if (o.snapshot) store.set(o.run.source as SourceName, o.snapshot);
    const next = writeChain.then(async () => {
      const at = now();
      await keepPartitionsAhead(at);
      const started = performance.now();
      try {
        const summary = await ingest(
          deps.db,
          store.all(),
          outcomes.map((o) => o.run),
          at,
          deps.ingestOptions,
        );
        deps.metrics?.cycle(performance.now() - started, true);
        logDeclaredWarnings(summary.warnings);
        return summary;
      } catch (error) {
        deps.metrics?.cycle(performance.now() - started, false);
        throw error;
      }
    });
    writeChain = next.catch((error) => log.error({ err: error }, 'ingest failed'));
    return next;
  };

  const loop = (collector: Collector) => {
    const tick = async () => {
      timers.delete(collector.source);
      const outcome = await runSource(collector, now, deps.ingestOptions);
      // A fetch that finishes after stop() is dropped: the database may already be closed.
      if (stopped) return;
      logOutcome(outcome);
      await write([outcome]).catch(() => {});
      if (stopped) return;
      const intervalS = deps.intervalsS[collector.source] ?? 300;
      const delayMs = (intervalS + random() * deps.jitterS) * 1000;
      timers.set(
        collector.source,
        setTimeout(() => void tick(), delayMs),
      );
    };
    void tick();
  };

  return {
    sources: active.map((c) => c.source),
    skipped,
    async runOnce() {
      const outcomes = await Promise.all(
        active.map((c) =>
          runSource(c, now, deps.ingestOptions).then((o) => {
            logOutcome(o);
            return o;
          }),
        ),
      );
      const summary = outcomes.length > 0 ? await write(outcomes) : undefined;
      return { runs: outcomes.map((o) => o.run), skipped, ...(summary ? { ingest: summary } : {}) };
    },
    start() {
      for (const s of skipped) log.info({ source: s.source }, s.reason);
      for (const c of active) loop(c);
    },
    async stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      // Fetches in flight are abandoned; the write in progress (if any) is finished.
      await writeChain;
    },
  };
}
