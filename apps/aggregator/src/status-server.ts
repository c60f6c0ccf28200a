// The aggregator's own HTTP port when it runs alone: GET /health (leader or standby, the last ingest) and
// GET /metrics (Prometheus). Plain node:http: two read-only routes need no framework.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readGauge } from '@smart-mining/platform';
import type { Registry } from 'prom-client';
import type { AggregatorStatus } from './aggregator.ts';

/** The routes this server answers (deployment health checks are tested against it). */
export const STATUS_ROUTES = ['/health', '/metrics'] as const;

export interface HealthBody {
  status: 'ok';
  role: AggregatorStatus['role'];
  holder: string | null;
  epoch: number | null;
  lastCycle: { at: string; ok: boolean; durationMs: number; error?: string } | null;
}

export function healthBody(s: AggregatorStatus): HealthBody {
  return {
    // A standby is healthy too: it is ready to take over.
    status: 'ok',
    role: s.role,
    holder: s.holder ?? null,
    epoch: s.epoch ?? null,
    lastCycle: s.lastCycle
      ? {
          at: s.lastCycle.at.toISOString(),
          ok: s.lastCycle.ok,
          durationMs: Math.round(s.lastCycle.durationMs),
          ...(s.lastCycle.error ? { error: s.lastCycle.error } : {}),
        }
      : null,
  };
}

/** Gauges read at scrape time: whether this instance leads, and when its last ingest committed. */
export function registerStatusMetrics(registry: Registry, status: () => AggregatorStatus): void {
  readGauge(
    registry,
    { name: 'sm_aggregator_leader', help: '1 while this aggregator holds the ingest lease, else 0' },
    () => [[{}, status().role === 'leader' ? 1 : 0]],
  );
  readGauge(
    registry,
    {
      name: 'sm_aggregator_last_cycle_timestamp_seconds',
      help: 'Unix time of the last ingest this instance attempted (0: none yet)',
    },
    () => [[{}, (status().lastCycle?.at.getTime() ?? 0) / 1000]],
  );
}

export interface StatusServer {
  url: string;
  close(): Promise<void>;
}

export async function startStatusServer(options: {
  host: string;
  port: number;
  status: () => AggregatorStatus;
  registry: Registry;
}): Promise<StatusServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(healthBody(options.status())));
      return;
    }
    if (path === '/metrics') {
      const body = await options.registry.metrics();
      res.writeHead(200, { 'content-type': options.registry.contentType }).end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'SM_NOT_FOUND', message: `no route ${path}` } }));
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'SM_INTERNAL', message: error.message } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
