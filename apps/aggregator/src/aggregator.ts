// The aggregator role: runs each source on its own interval (with jitter), merges, and ingests serially.

import { type Db, ensureHistoryPartitions, type SourceRun } from '@smart-mining/db';
import type { SourceName } from '@smart-mining/domain';
import type { AggregatorMetrics } from '@smart-mining/platform';
import type { Logger } from 'pino';
import type { Collector } from './collectors/collector.ts';
import { DEFAULT_HISTORY_RETENTION_S, historyMaintenance } from './history-maintenance.ts';
import { type IngestOptions, type IngestSummary, ingest } from './ingest.ts';
import type { Leadership, Role } from './leadership.ts';
import { ObservationStore } from './observation-store.ts';
import { runSource, type SourceOutcome } from './run-source.ts';

export interface AggregatorDeps {
  db: Db;
  collectors: Collector[];
  logger: Logger;
  ingestOptions: IngestOptions;
  intervalsS: Partial<Record<SourceName, number>>;
  jitterS: number;
  /** Raw history is dropped a month at a time once older than this and rolled up (default 30 days). */
  historyRetentionS?: number;
  now?: () => Date;
  random?: () => number;
  /** Per-source run duration, errors and rows; ingest duration. */
  metrics?: AggregatorMetrics;
  /** Called as each source run finishes, after its log line (progress output, hints). */
  onSourceRun?: (run: SourceRun) => void;
  /**
   * Shared with other aggregators on the same database: sources run only while this instance leads, and each
   * ingest is fenced by the lease. Without it the aggregator always runs (a test, or one process alone).
   */
  leadership?: Leadership;
}

export interface CycleStatus {
  at: Date;
  ok: boolean;
  durationMs: number;
  error?: string;
}

export interface AggregatorStatus {
  role: Role;
  /** This instance's name in the lease and in source_runs.aggregator. */
  holder?: string;
  epoch?: number;
  lastCycle?: CycleStatus;
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
  /** Runs every source once, concurrently, then one ingest and the history upkeep; resolves with what happened. */
  runOnce(): Promise<CycleReport>;
  /** Starts the per-source loops; the first run of each source starts at once. */
  start(): void;
  /**
   * Stops scheduling, waits for the write in progress to finish (or roll back) and for the history upkeep, then
   * frees the lease.
   */
  stop(): Promise<void>;
  /** Leader or standby, and the last ingest (for /health). */
  status(): AggregatorStatus;
}

/** Thrown by runOnce when another aggregator holds the lease. */
export class NotLeaderError extends Error {
  readonly code = 'SM_AGGREGATOR_NOT_LEADER';
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
  /** Bumped when the loops start or stop (a change of role): a tick of an older generation does not reschedule. */
  let generation = 0;
  let lastCycle: CycleStatus | undefined;
  const leadership = deps.leadership;
  const fence = leadership ? (tx: Parameters<Leadership['fence']>[0]) => leadership.fence(tx) : undefined;

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
  /** Rollups and retention, one run at a time, each after the ingest of its cycle. */
  let upkeep: Promise<void> = Promise.resolve();
  const maintainHistory = historyMaintenance(
    deps.db,
    deps.historyRetentionS ?? DEFAULT_HISTORY_RETENTION_S,
    log,
  );
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
      const runs = outcomes.map((o) => (leadership ? { ...o.run, aggregator: leadership.holder } : o.run));
      try {
        const summary = await ingest(deps.db, store.all(), runs, at, deps.ingestOptions, fence);
        const durationMs = performance.now() - started;
        deps.metrics?.cycle(durationMs, true);
        lastCycle = { at, ok: true, durationMs };
        logDeclaredWarnings(summary.warnings);
        // Off the write chain: the next ingests stamp later cycle times, so they never touch the closed
        // hours being rolled up, and need not wait for a long catch-up.
        upkeep = upkeep.then(() => maintainHistory(at));
        return summary;
      } catch (error) {
        const durationMs = performance.now() - started;
        deps.metrics?.cycle(durationMs, false);
        lastCycle = { at, ok: false, durationMs, error: (error as Error).message };
        throw error;
      }
    });
    writeChain = next.catch((error) => log.error({ err: error }, 'ingest failed'));
    return next;
  };

  const loop = (collector: Collector, gen: number) => {
    const current = () => !stopped && gen === generation;
    const tick = async () => {
      timers.delete(collector.source);
      const outcome = await runSource(collector, now, deps.ingestOptions);
      // A fetch that finishes after stop() or a loss of the lease is dropped: the database may be closed, or
      // another aggregator now writes.
      if (!current()) return;
      logOutcome(outcome);
      await write([outcome]).catch(() => {});
      if (!current()) return;
      const intervalS = deps.intervalsS[collector.source] ?? 300;
      const delayMs = (intervalS + random() * deps.jitterS) * 1000;
      timers.set(
        collector.source,
        setTimeout(() => void tick(), delayMs),
      );
    };
    void tick();
  };

  const startLoops = () => {
    generation += 1;
    for (const c of active) loop(c, generation);
  };
  const stopLoops = () => {
    generation += 1;
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  };

  return {
    sources: active.map((c) => c.source),
    skipped,
    async runOnce() {
      if (leadership && (await leadership.tick()) !== 'leader') {
        const lease = leadership.status().lease;
        throw new NotLeaderError(
          `another aggregator (${lease?.holder ?? 'unknown'}) holds the ingest lease until ` +
            `${lease?.expiresAt.toISOString() ?? 'it expires'}: one aggregator writes at a time`,
        );
      }
      // Renewed while the sources run (a cycle with request spacing outlasts a lease), freed at the end.
      leadership?.start();
      try {
        return await cycleOnce();
      } finally {
        await leadership?.stop();
      }
    },
    start() {
      for (const s of skipped) log.info({ source: s.source }, s.reason);
      if (!leadership) return startLoops();
      leadership.onChange((role) => (role === 'leader' ? startLoops() : stopLoops()));
      leadership.start();
    },
    async stop() {
      stopped = true;
      stopLoops();
      // Fetches in flight are abandoned; the write in progress (if any) is finished, then the lease is freed.
      await writeChain;
      await upkeep;
      await leadership?.stop();
    },
    status() {
      const s = leadership?.status();
      return {
        role: s?.role ?? 'leader',
        ...(s ? { holder: s.holder } : {}),
        ...(s?.epoch !== undefined ? { epoch: s.epoch } : {}),
        ...(lastCycle ? { lastCycle } : {}),
      };
    },
  };

  async function cycleOnce(): Promise<CycleReport> {
    const outcomes = await Promise.all(
      active.map((c) =>
        runSource(c, now, deps.ingestOptions).then((o) => {
          logOutcome(o);
          return o;
        }),
      ),
    );
    const summary = outcomes.length > 0 ? await write(outcomes) : undefined;
    await upkeep;
    return { runs: outcomes.map((o) => o.run), skipped, ...(summary ? { ingest: summary } : {}) };
  }
}
