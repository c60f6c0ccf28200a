// The proxy's ports over the API in one call: one client (several URLs), the event stream, decisions, reports
// and the directory, with one start and one orderly stop.

import type { Logger } from 'pino';
import type { DeclaredPool } from '../ports.ts';
import { ApiClient } from './api-client.ts';
import { ConfigDirectory } from './config-directory.ts';
import { HttpDecisionSource } from './decision-client.ts';
import { ApiEventStream } from './event-stream.ts';
import { HttpReportSink } from './report-client.ts';

export interface ApiPortsOptions {
  urls: readonly string[];
  /** Proxy token (`smart-mining token create`); reports are refused without it. */
  token: string | undefined;
  proxyId: string;
  accounts: Readonly<Record<string, Readonly<Record<string, string>>>>;
  bareWalletCoins?: readonly string[];
  pool?: (poolKey: string) => DeclaredPool | undefined;
  logger: Logger;
  /** Per request attempt (each URL). */
  requestTimeoutMs?: number;
  /** Event stream reconnect backoff bounds. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  fetch?: typeof globalThis.fetch;
}

export interface ApiPorts {
  client: ApiClient;
  events: ApiEventStream;
  decisions: HttpDecisionSource;
  reports: HttpReportSink;
  directory: ConfigDirectory;
  /** Opens the event stream. */
  start(): void;
  /** Closes the event stream and sends the switch reports still waiting, once, for at most `flushWithinMs`. */
  stop(flushWithinMs?: number): Promise<void>;
}

export function createApiPorts(o: ApiPortsOptions): ApiPorts {
  const logger = o.logger.child({ component: 'api-client' });
  const fetchOption = o.fetch ? { fetch: o.fetch } : {};
  const client = new ApiClient({
    urls: o.urls,
    ...(o.token ? { token: o.token } : {}),
    timeoutMs: o.requestTimeoutMs ?? 5000,
    ...fetchOption,
  });
  const events = new ApiEventStream({
    urls: o.urls,
    logger,
    ...fetchOption,
    ...(o.reconnectMinMs !== undefined ? { reconnectMinMs: o.reconnectMinMs } : {}),
    ...(o.reconnectMaxMs !== undefined ? { reconnectMaxMs: o.reconnectMaxMs } : {}),
  });
  const reports = new HttpReportSink(client, { proxyId: o.proxyId, logger });
  const directory = new ConfigDirectory(client, {
    accounts: o.accounts,
    logger,
    ...(o.bareWalletCoins ? { bareWalletCoins: o.bareWalletCoins } : {}),
    ...(o.pool ? { pool: o.pool } : {}),
  });
  if (!o.token) logger.warn('no SM_PROXY_TOKEN: the API will refuse this proxy’s reports');
  return {
    client,
    events,
    decisions: new HttpDecisionSource(client, events),
    reports,
    directory,
    start: () => events.start(),
    async stop(flushWithinMs = 2000) {
      events.stop();
      await within(reports.flush(), flushWithinMs);
      reports.close();
    },
  };
}

/** Waits for `work`, or `ms` at most (shutdown has a deadline; what is left is logged by its owner). */
export async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
