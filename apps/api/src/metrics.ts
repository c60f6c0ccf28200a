// HTTP metrics on a caller-owned prom-client Registry: request duration by method, route and status.

import type { FastifyInstance } from 'fastify';
import { Gauge, Histogram, type Registry } from 'prom-client';

const DURATION_METRIC = 'sm_api_http_request_duration_seconds';
const EVENT_CLIENTS_METRIC = 'sm_api_event_stream_clients';
/** Per registry, the client counters of every app registered on it (one gauge sums them). */
const eventClientCounters = new WeakMap<Registry, Set<() => number>>();

function durationHistogram(registry: Registry): Histogram<'method' | 'route' | 'status_code'> {
  // Several apps may share one registry (tests, one-process mode): reuse the metric when it exists.
  const existing = registry.getSingleMetric(DURATION_METRIC);
  if (existing) return existing as Histogram<'method' | 'route' | 'status_code'>;
  return new Histogram({
    name: DURATION_METRIC,
    help: 'HTTP request duration in seconds, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
}

export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const histogram = durationHistogram(registry);
  app.addHook('onResponse', async (request, reply) => {
    histogram.observe(
      {
        method: request.method,
        // The route template keeps label cardinality bounded; unmatched URLs share one label.
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}

/** Exposes how many SSE clients are connected; returns the function that unregisters this app's count. */
export function registerEventClientsGauge(registry: Registry, count: () => number): () => void {
  let counters = eventClientCounters.get(registry);
  if (!counters) {
    const all = new Set<() => number>();
    counters = all;
    eventClientCounters.set(registry, all);
    new Gauge({
      name: EVENT_CLIENTS_METRIC,
      help: 'Clients connected to the /v1/events stream',
      registers: [registry],
      collect() {
        this.set([...all].reduce((sum, c) => sum + c(), 0));
      },
    });
  }
  counters.add(count);
  return () => counters.delete(count);
}
