// `smart-mining start` / `npm start`: every role in one process (aggregator + API + Stratum proxy) on one
// database. The proxy still follows the API over HTTP, with a proxy token created here, as a separate one would.

import { type Config, createLogger, loadConfig, onShutdown } from '@smart-mining/platform';
import {
  assertDatabaseFree,
  buildAggregator,
  createRegistry,
  issueInProcessProxyToken,
  openDatabase,
  startApi,
} from '../compose.ts';
import { offlineHint } from '../offline-hint.ts';
import { type AddressSettings, assertPortFree } from '../port-check.ts';
import { localApiUrl, proxyAddresses, startProxyService } from '../proxy-compose.ts';

export interface ServeDeps {
  config?: Config;
  /** Checks an address before the database is opened; tests replace it to reach the later failure. */
  checkPort?: (host: string, port: number, settings?: AddressSettings) => Promise<void>;
}

export async function startCommand(deps: ServeDeps = {}): Promise<number> {
  const config = deps.config ?? loadConfig();
  const logger = createLogger(config.log.level);
  if (config.proxy.workers > 1) {
    // The API and the database live in this process: forking it per worker is not what `start` is for.
    logger.warn(
      { workers: config.proxy.workers },
      'proxy.workers applies to `smart-mining proxy` only: `start` runs one proxy process',
    );
  }
  // A second process on the same embedded database is named first: its ports are the same ones too.
  assertDatabaseFree(config);
  const checkPort = deps.checkPort ?? assertPortFree;
  await checkPort(config.api.host, config.api.port);
  // The proxy's too: one taken would otherwise stop the process after the API and the aggregator had started.
  for (const a of proxyAddresses(config)) await checkPort(a.host, a.port, a.settings);
  const db = await openDatabase(config, logger, 'start');
  // One registry: the API's /metrics also shows the aggregator's.
  const registry = createRegistry();
  const app = await startApi(config, db, logger, registry).catch(async (error) => {
    await db.close();
    throw error;
  });
  const aggregator = buildAggregator(config, db, logger, {
    registry,
    onSourceRun: offlineHint((hint) => logger.warn(hint)),
  });
  aggregator.start();
  let proxy: Awaited<ReturnType<typeof startProxyService>>;
  try {
    const address = app.server.address();
    const port = address && typeof address === 'object' ? address.port : config.api.port;
    proxy = await startProxyService(config, logger, {
      apiUrls: [localApiUrl(config, port)],
      token: await issueInProcessProxyToken(db),
    });
  } catch (error) {
    await aggregator.stop();
    await app.close();
    await db.close();
    throw error;
  }
  // Closers run newest first: the proxy (miners told to reconnect, reports flushed while the API still answers),
  // the aggregator (finishing its write), the API, then the database.
  onShutdown(logger, [() => db.close(), () => app.close(), () => aggregator.stop(), () => proxy.stop()]);
  return new Promise<number>(() => {});
}
