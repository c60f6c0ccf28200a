// `smart-mining proxy`: the Stratum proxy alone, following an API over HTTP (several proxies may follow one API;
// several --api URLs are tried in order).

import { type Config, createLogger, loadConfig, onShutdown } from '@smart-mining/platform';
import { type ProxyServiceDeps, startProxyService } from '../proxy-compose.ts';

export interface ProxyCommandOptions {
  /** API base URLs (`--api`, repeatable); default: `proxy.apiUrls` / SM_PROXY_API_URLS. */
  api?: string[];
}

export interface ProxyCommandDeps extends ProxyServiceDeps {
  config?: Config;
}

export async function proxyCommand(
  options: ProxyCommandOptions = {},
  deps: ProxyCommandDeps = {},
): Promise<number> {
  const config = deps.config ?? loadConfig();
  const logger = createLogger(config.log.level);
  const service = await startProxyService(config, logger, {
    ...deps,
    ...(options.api && options.api.length > 0 ? { apiUrls: options.api } : {}),
  });
  onShutdown(logger, [() => service.stop()]);
  return new Promise<number>(() => {});
}
