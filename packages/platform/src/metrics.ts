// Prometheus metrics of the roles (prom-client), on a registry the caller owns: API and aggregator.

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

type Labels = Record<string, string>;
/** Reads current values when Prometheus scrapes: [labels, value] pairs. */
export type GaugeReader = () => [Labels, number][];

/** Several apps may share one registry (tests): a metric is created once and reused. */
function once<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

const readersByRegistry = new WeakMap<Registry, Map<string, Set<GaugeReader>>>();

/** A gauge read at scrape time from every registered reader (values summed); returns the unregister function. */
export function readGauge(
  registry: Registry,
  spec: { name: string; help: string; labelNames?: string[] },
  reader: GaugeReader,
): () => void {
  let byName = readersByRegistry.get(registry);
  if (!byName) {
    byName = new Map();
    readersByRegistry.set(registry, byName);
  }
  let readers = byName.get(spec.name);
  if (!readers) {
    const all = new Set<GaugeReader>();
    readers = all;
    byName.set(spec.name, all);
    new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames ?? [],
      registers: [registry],
      collect() {
        this.reset();
        for (const read of all) for (const [labels, value] of read()) this.inc(labels, value);
      },
    });
  }
  readers.add(reader);
  return () => readers.delete(reader);
}

export interface ApiMetrics {
  /** Decisions answered, by whether the snapshot was fresh or stale (database away). */
  decisionsServed: Counter<'snapshot'>;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
}

export function createApiMetrics(registry: Registry): ApiMetrics {
  return {
    decisionsServed: once(
      registry,
      'sm_api_decisions_served_total',
      () =>
        new Counter({
          name: 'sm_api_decisions_served_total',
          help: 'GET /v1/decision answers, by snapshot freshness (stale: the database was away)',
          labelNames: ['snapshot'],
          registers: [registry],
        }),
    ),
    httpDuration: once(
      registry,
      'sm_api_http_request_duration_seconds',
      () =>
        new Histogram({
          name: 'sm_api_http_request_duration_seconds',
          help: 'HTTP request duration in seconds, by method, route template and status code',
          labelNames: ['method', 'route', 'status_code'],
          buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
          registers: [registry],
        }),
    ),
  };
}

export interface SourceRunSample {
  source: string;
  ok: boolean;
  rows: number;
  durationMs: number;
}

export interface AggregatorMetrics {
  sourceRun(run: SourceRunSample): void;
  /** One ingest: its duration and whether it committed. */
  cycle(durationMs: number, ok: boolean): void;
}

export function createAggregatorMetrics(registry: Registry): AggregatorMetrics {
  const runDuration = once(
    registry,
    'sm_aggregator_source_run_duration_seconds',
    () =>
      new Histogram({
        name: 'sm_aggregator_source_run_duration_seconds',
        help: 'Duration of each source run (fetch, validate, normalize), by source and outcome',
        labelNames: ['source', 'ok'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        registers: [registry],
      }),
  );
  const errors = once(
    registry,
    'sm_aggregator_source_errors_total',
    () =>
      new Counter({
        name: 'sm_aggregator_source_errors_total',
        help: 'Failed source runs, by source',
        labelNames: ['source'],
        registers: [registry],
      }),
  );
  const rows = once(
    registry,
    'sm_aggregator_source_rows',
    () =>
      new Gauge({
        name: 'sm_aggregator_source_rows',
        help: 'Observations (coins + pools + hardware) of the last successful run, by source',
        labelNames: ['source'],
        registers: [registry],
      }),
  );
  const cycleDuration = once(
    registry,
    'sm_aggregator_cycle_duration_seconds',
    () =>
      new Histogram({
        name: 'sm_aggregator_cycle_duration_seconds',
        help: 'Duration of each ingest (merge + one write transaction), by outcome',
        labelNames: ['ok'],
        buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      }),
  );
  return {
    sourceRun(run) {
      runDuration.observe({ source: run.source, ok: String(run.ok) }, run.durationMs / 1000);
      if (run.ok) rows.set({ source: run.source }, run.rows);
      else errors.inc({ source: run.source });
    },
    cycle(durationMs, ok) {
      cycleDuration.observe({ ok: String(ok) }, durationMs / 1000);
    },
  };
}
