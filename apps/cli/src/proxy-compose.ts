// The proxy's composition root: a Config's `proxy` section turned into a running Stratum proxy that follows the
// API over HTTP (decisions, events, reports), with its listeners, its status server and an orderly stop.

import { readFileSync } from 'node:fs';
import { withoutUndefined } from '@smart-mining/domain';
import { type Config, ConfigError, type Logger, type ProxyListenerConfig } from '@smart-mining/platform';
import {
  type ApiPorts,
  createApiPorts,
  createProxy,
  DEFAULT_TIMINGS,
  type DeclaredPool,
  type ListenerInput,
  listen,
  type PoolTls,
  type ProxyTimings,
  type StatusServer,
  type StratumProxy,
  type StratumServer,
  startStatusServer,
  within,
} from '@smart-mining/proxy';
import type { AddressSettings } from './port-check.ts';

export interface ProxyServiceDeps {
  /** API base URLs; default: `proxy.apiUrls`, else this configuration's API address. */
  apiUrls?: readonly string[];
  /** Proxy token; default SM_PROXY_TOKEN. */
  token?: string;
  /** Declared pools by key (fallback pools, dialing); default: the configuration's. */
  pool?: (poolKey: string) => DeclaredPool | undefined;
  timings?: Partial<ProxyTimings>;
  /** Event stream reconnect bounds (tests shorten them). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export interface ProxyService {
  proxy: StratumProxy;
  stratum: StratumServer;
  status: StatusServer | undefined;
  ports: ApiPorts;
  apiUrls: readonly string[];
  /**
   * Stops in order: no new miners, a last miner report, client.reconnect to every miner (then up to `drainS` for
   * them to leave), the switch reports still waiting, then every connection and the status server.
   */
  stop(): Promise<void>;
}

/** The API as a client on this host reaches it (a wildcard listen address is reached on loopback). */
export function localApiUrl(config: Config, port = config.api.port): string {
  const host = ['0.0.0.0', '::', ''].includes(config.api.host) ? '127.0.0.1' : config.api.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function readPem(file: string, path: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`config ${path}: cannot read ${file}: ${(error as Error).message}`]);
  }
}

/** Listener i's port: its own, else `stratumPort` + i (port 0, any free port, stays 0 for every listener). */
function listenerPort(config: Config, i: number): number {
  const { listeners, stratumPort } = config.proxy;
  return listeners[i]?.port ?? (stratumPort === 0 ? 0 : stratumPort + i);
}

/** An address the proxy listens on, with the settings that choose it (named when it is taken). */
export interface ProxyAddress {
  host: string;
  port: number;
  settings: AddressSettings;
}

/**
 * Every address the proxy will listen on: each listener's, then its status port (one process: `--workers` gives
 * each worker its own and reports its own failure). Checked before anything opens, so a port taken stops `start`
 * or `proxy` with the setting to change.
 */
export function proxyAddresses(config: Config): ProxyAddress[] {
  const { listeners, statusHost, statusPort } = config.proxy;
  const addresses = listeners.map((l, i): ProxyAddress => {
    const at = `proxy.listeners.${i}`;
    return {
      host: l.host,
      port: listenerPort(config, i),
      settings: { host: `${at}.host`, port: l.port === undefined ? 'SM_STRATUM_PORT' : `${at}.port` },
    };
  });
  if (statusPort !== null) {
    addresses.push({
      host: statusHost,
      port: statusPort,
      settings: { host: 'SM_PROXY_STATUS_HOST', port: 'SM_PROXY_STATUS_PORT' },
    });
  }
  return addresses;
}

/** The config's listeners as the proxy's inputs: ports from `stratumPort` on, TLS files read. */
export function listenerInputs(config: Config): ListenerInput[] {
  const { listeners } = config.proxy;
  return listeners.map((l: ProxyListenerConfig, i): ListenerInput => {
    // Only what the config states: the proxy fills its own defaults for the rest.
    const input = withoutUndefined({
      algorithm: l.algorithm,
      port: listenerPort(config, i),
      host: l.host,
      upstreamMode: l.upstreamMode,
      standby: l.standby,
      prefixBytes: l.prefixBytes,
      extranonce2Size: l.extranonce2Size,
      defaultProfile: l.defaultProfile,
      name: l.name,
      fallbackPool: l.fallbackPool,
      reconnectHost: l.reconnectHost,
      reconnectPort: l.reconnectPort,
      limits: l.limits && withoutUndefined(l.limits),
      vardiff: l.vardiff && withoutUndefined(l.vardiff),
    }) as ListenerInput;
    if (l.tls) {
      const at = `proxy.listeners.${i}.tls`;
      input.tls = {
        key: readPem(l.tls.keyFile, `${at}.keyFile`),
        cert: readPem(l.tls.certFile, `${at}.certFile`),
      };
    }
    return input;
  });
}

/** A declared pool's TLS trust with its CA file read (at start: a missing file is a configuration error). */
function poolTls(tls: { caFile?: string; verify?: boolean }, i: number): PoolTls {
  return withoutUndefined({
    ca: tls.caFile === undefined ? undefined : readPem(tls.caFile, `pools.${i}.tls.caFile`),
    verify: tls.verify,
  }) as PoolTls;
}

/** Declared pools of the configuration (`pools`) by key, as the proxy dials them. */
export function declaredPoolLookup(config: Config): (poolKey: string) => DeclaredPool | undefined {
  const pools = new Map(
    config.pools.map((p, i): [string, DeclaredPool] => [
      p.poolKey,
      {
        poolKey: p.poolKey,
        coin: p.coin,
        algorithm: p.algorithm,
        feeFraction: p.feeFraction,
        endpoints: p.endpoints.map((e) => ({ host: e.host, port: e.port, tls: e.tls, dialect: e.dialect })),
        ...(p.password !== undefined ? { password: p.password } : {}),
        ...(p.tls !== undefined ? { tls: poolTls(p.tls, i) } : {}),
      },
    ]),
  );
  return (poolKey) => pools.get(poolKey);
}

/**
 * The proxy's timings from the config. A route waits for a decision long enough for the client to try every API
 * URL once (each up to apiTimeoutMs): with a shorter wait, a raised apiTimeoutMs had no effect, and with the first
 * URLs hung the first decision failed (the fallback pool) while a later URL would have answered.
 */
export function composedTimings(config: Config, apiUrlCount: number): Partial<ProxyTimings> {
  const everyUrlMs = config.proxy.apiTimeoutMs * Math.max(1, apiUrlCount) + 1000;
  return {
    decisionIntervalS: config.proxy.decisionIntervalS,
    reportIntervalS: config.proxy.reportIntervalS,
    decisionTimeoutMs: Math.max(DEFAULT_TIMINGS.decisionTimeoutMs, everyUrlMs),
  };
}

export async function startProxyService(
  config: Config,
  logger: Logger,
  deps: ProxyServiceDeps = {},
): Promise<ProxyService> {
  const log = logger.child({ role: 'proxy' });
  if (Object.keys(config.proxy.accounts).length === 0 && config.proxy.bareWalletCoins.length === 0) {
    // Every login would be refused, and only the miners would see why.
    log.warn(
      'no proxy.accounts (nor proxy.bareWalletCoins) in the config file: every miner is refused until one is set',
    );
  }
  const apiUrls = deps.apiUrls ?? config.proxy.apiUrls ?? [localApiUrl(config)];
  const listeners = listenerInputs(config);
  const ports = createApiPorts({
    urls: apiUrls,
    token: deps.token ?? config.secrets.proxyToken,
    proxyId: config.proxy.id,
    accounts: config.proxy.accounts,
    bareWalletCoins: config.proxy.bareWalletCoins,
    pool: deps.pool ?? declaredPoolLookup(config),
    logger: log,
    requestTimeoutMs: config.proxy.apiTimeoutMs,
    ...(deps.reconnectMinMs !== undefined ? { reconnectMinMs: deps.reconnectMinMs } : {}),
    ...(deps.reconnectMaxMs !== undefined ? { reconnectMaxMs: deps.reconnectMaxMs } : {}),
  });
  const proxy = createProxy({
    listeners,
    decisions: ports.decisions,
    directory: ports.directory,
    reports: ports.reports,
    proxyId: config.proxy.id,
    logger: log,
    timings: { ...composedTimings(config, apiUrls.length), ...deps.timings },
  });
  let stratum: StratumServer;
  try {
    stratum = await listen(proxy, (e) => log.error({ err: e }, 'stratum listener error'));
  } catch (error) {
    await proxy.close();
    throw error;
  }
  let status: StatusServer | undefined;
  if (config.proxy.statusPort !== null) {
    try {
      status = await startStatusServer(proxy, {
        port: config.proxy.statusPort,
        host: config.proxy.statusHost,
      });
    } catch (error) {
      await stratum.close();
      await proxy.close();
      throw error;
    }
  }
  ports.start();
  log.info(
    {
      proxyId: config.proxy.id,
      listeners: stratum.addresses.map((a) => `${a.listener} ${a.host}:${a.port}`),
      api: apiUrls,
      status: status ? `http://${config.proxy.statusHost}:${status.port}` : null,
      // `--max-semi-space-size=1` belongs here (see v8-flags.ts); the log shows whether it is.
      nodeFlags: process.execArgv.filter((a) => !a.startsWith('--import')),
    },
    'proxy listening',
  );
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    // Stops accepting now; the promise settles once the miners' connections are gone (after proxy.close()).
    const listenersClosed = stratum.close();
    // The last counters first: once told to reconnect, miners leave the report.
    // Each step bounded: the whole stop stays within the 8 s grace of onShutdown even with the API hung.
    await within(
      proxy.report().catch((e) => log.warn({ err: e }, 'last miner report not delivered')),
      2000,
    );
    const told = proxy.drain();
    log.info({ miners: told }, 'miners told to reconnect');
    if (told > 0 && config.proxy.drainS > 0) {
      await waitUntil(() => proxy.summary().connections === 0, config.proxy.drainS * 1000);
    }
    await ports.stop();
    await proxy.close();
    await listenersClosed;
    await status?.close();
  };
  return {
    proxy,
    stratum,
    status,
    ports,
    apiUrls,
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}
