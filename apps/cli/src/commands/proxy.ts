// `smart-mining proxy`: the Stratum proxy alone, following an API over HTTP (several proxies may follow one API;
// several --api URLs are tried in order), in one process or in `--workers N` sharing the Stratum ports.

import { type Config, createLogger, loadConfig, onShutdown, setPath } from '@smart-mining/platform';
import { assertPortFree } from '../port-check.ts';
import { type ProxyServiceDeps, proxyAddresses, startProxyService } from '../proxy-compose.ts';
import { startProxyWorkers } from '../proxy-workers.ts';

export interface ProxyCommandOptions {
  /** API base URLs (`--api`, repeatable); default: `proxy.apiUrls` / SM_PROXY_API_URLS. */
  api?: string[];
  /** Processes (`--workers`); default: `proxy.workers` / SM_PROXY_WORKERS. */
  workers?: number;
}

export interface ProxyCommandDeps extends ProxyServiceDeps {
  config?: Config;
}

export async function proxyCommand(
  options: ProxyCommandOptions = {},
  deps: ProxyCommandDeps = {},
): Promise<number> {
  const { workers } = options;
  // The flag goes through the config's checks (the worker ids must still fit the API's limit).
  const config =
    deps.config ??
    loadConfig(
      workers === undefined ? {} : { overrides: (raw) => setPath(raw, ['proxy', 'workers'], workers) },
    );
  const logger = createLogger(config.log.level);
  const serviceDeps: ProxyServiceDeps = {
    ...deps,
    ...(options.api && options.api.length > 0 ? { apiUrls: options.api } : {}),
  };
  const processes = workers ?? config.proxy.workers;
  if (processes > 1) {
    await startProxyWorkers(config, processes, logger, serviceDeps);
  } else {
    // A port taken is named with its setting before anything starts (workers report their own failure).
    for (const a of proxyAddresses(config)) await assertPortFree(a.host, a.port, a.settings);
    const service = await startProxyService(config, logger, serviceDeps);
    onShutdown(logger, [() => service.stop()]);
  }
  return new Promise<number>(() => {});
}
