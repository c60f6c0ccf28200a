// The proxy's own HTTP port (like xmrig-proxy's HTTP API): /metrics (Prometheus), /summary and /miners (JSON),
// /health. Read-only; node:http keeps it small.

import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { StratumProxy } from '../proxy.ts';

export interface StatusServer {
  readonly port: number;
  close(): Promise<void>;
}

const MAX_MINERS = 100_000;

export async function startStatusServer(
  proxy: StratumProxy,
  options: { port: number; host?: string },
): Promise<StatusServer> {
  const server = createServer((req, res) => {
    serve(proxy, req, res).catch((e: Error) =>
      json(res, 500, { error: 'SM_PROXY_STATUS_FAILED', message: e.message }),
    );
  });
  // Exclusive: in a node:cluster worker the port is this process's own, not shared round-robin with the other
  // workers (each shows its own miners; port 0 gives each worker its own free port).
  server.listen({ port: options.port, host: options.host ?? '127.0.0.1', exclusive: true });
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(proxy: StratumProxy, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://status');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    json(res, 405, { error: 'method not allowed' });
    return;
  }
  switch (url.pathname) {
    case '/metrics':
      res.writeHead(200, { 'content-type': proxy.registry.contentType });
      res.end(await proxy.registry.metrics());
      return;
    case '/summary':
      json(res, 200, proxy.summary());
      return;
    case '/miners': {
      const limit = Number(url.searchParams.get('limit') ?? 1000);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MINERS) {
        json(res, 400, { error: `limit must be an integer in 1..${MAX_MINERS}` });
        return;
      }
      json(res, 200, { miners: proxy.miners(limit) });
      return;
    }
    case '/health':
      json(res, 200, { ok: true });
      return;
    default:
      json(res, 404, { error: `no route ${url.pathname} (try /summary, /miners, /metrics, /health)` });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
