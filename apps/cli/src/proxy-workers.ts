// `smart-mining proxy` in several processes: the primary forks the workers (node:cluster, sharing the Stratum
// ports) and stops them on SIGTERM/SIGINT; each worker composes the proxy service as a single process does, under
// its own proxy id and status port.

import { type Config, type Logger, onShutdown, workerProxyId } from '@smart-mining/platform';
import { runWorkers } from '@smart-mining/proxy';
import { type ProxyServiceDeps, startProxyService } from './proxy-compose.ts';

/**
 * Worker n's configuration: reports as `<id>/worker-<n>` (the API tells the workers apart) and serves its own
 * status on `statusPort` + n (0: each its own free port; null: none), as one port cannot show several processes.
 */
export function workerConfig(config: Config, worker: number): Config {
  const { id, statusPort } = config.proxy;
  return {
    ...config,
    proxy: {
      ...config.proxy,
      id: workerProxyId(id, worker),
      statusPort: statusPort === null || statusPort === 0 ? statusPort : statusPort + worker,
    },
  };
}

/** Starts `workers` proxy processes; in the primary, resolves once they are forked, in a worker once it listens. */
export async function startProxyWorkers(
  config: Config,
  workers: number,
  logger: Logger,
  deps: ProxyServiceDeps,
): Promise<void> {
  let failed: { worker: number; code: number | null } | undefined;
  const pool = await runWorkers({
    workers,
    async start(n) {
      const log = logger.child({ worker: n });
      const service = await startProxyService(workerConfig(config, n), log, deps);
      onShutdown(log, [() => service.stop()]);
    },
    onRestart(worker, code, delayMs) {
      logger.warn({ worker, code, delayMs }, 'proxy worker died: starting it again');
    },
    onStartFailed(worker, code) {
      failed = { worker, code };
      logger.error(failed, 'proxy worker failed to start: stopping the others');
      // The same orderly stop as on a signal; the closer below turns it into a non-zero exit.
      process.kill(process.pid, 'SIGTERM');
    },
  });
  if (pool.role !== 'primary') return;
  logger.info({ workers }, 'proxy workers started');
  onShutdown(logger, [
    async () => {
      await pool.stop();
      if (failed) throw new Error(`proxy worker ${failed.worker} failed to start (exit code ${failed.code})`);
    },
  ]);
}
