// The API's metrics on a caller-owned registry: request durations, decisions served, snapshot age, event
// listener and clients, database pool and heavy-read usage (definitions in packages/platform).

import { readGauge } from '@smart-mining/platform';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { AppContext } from './app-context.ts';

/** Registers the hooks and gauges; returns the function that unregisters this app's gauges. */
export function registerApiMetrics(app: FastifyInstance, registry: Registry, ctx: AppContext): () => void {
  const histogram = ctx.metrics.httpDuration;
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
  const unregister = [
    readGauge(
      registry,
      { name: 'sm_api_snapshot_age_seconds', help: 'Age of the market snapshot that answers reads' },
      () => {
        const status = ctx.market.status;
        return status ? [[{}, (ctx.now().getTime() - status.loadedAt.getTime()) / 1000]] : [];
      },
    ),
    readGauge(
      registry,
      { name: 'sm_api_snapshot_stale', help: '1 while the database is away and the last snapshot answers' },
      () => [[{}, ctx.market.status?.stale ? 1 : 0]],
    ),
    readGauge(
      registry,
      { name: 'sm_api_event_listener_connected', help: "1 when the API's LISTEN connection is up" },
      () => [[{}, ctx.events.state.listening ? 1 : 0]],
    ),
    readGauge(
      registry,
      { name: 'sm_api_event_stream_clients', help: 'Clients connected to the /v1/events stream' },
      () => [[{}, ctx.events.state.clients]],
    ),
    readGauge(
      registry,
      {
        name: 'sm_db_pool_connections',
        help: 'Database connections by state (max, total, idle) and queries waiting for one',
        labelNames: ['state'],
      },
      () => {
        const s = ctx.db.poolStats();
        return [
          [{ state: 'max' }, s.max],
          [{ state: 'total' }, s.total],
          [{ state: 'idle' }, s.idle],
          [{ state: 'waiting' }, s.waiting],
        ];
      },
    ),
    readGauge(
      registry,
      {
        name: 'sm_api_heavy_reads',
        help: 'History and backtest reads running and waiting',
        labelNames: ['state'],
      },
      () => [
        [{ state: 'running' }, ctx.heavyReads.running],
        [{ state: 'waiting' }, ctx.heavyReads.waiting],
      ],
    ),
  ];
  return () => {
    for (const u of unregister) u();
  };
}
