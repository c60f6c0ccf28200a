// The `smart-mining` command line: its commands and options, and how a failure is printed (once, with its code).

import { MAX_WORKERS } from '@smart-mining/platform';
import { Command, InvalidArgumentError } from 'commander';
// Imported, not read from disk: the bundled command (dist/bin) has no package.json beside it.
import cliPackage from '../package.json' with { type: 'json' };
import { aggregateCommand } from './commands/aggregate.ts';
import { apiCommand } from './commands/api.ts';
import { registerBacktestCommand } from './commands/backtest.ts';
import { migrateCommand } from './commands/migrate.ts';
import { proxyCommand } from './commands/proxy.ts';
import { replayCommand } from './commands/replay.ts';
import { startCommand } from './commands/start.ts';
import { registerTokenCommand } from './commands/token.ts';

const { version } = cliPackage;

/** `--port`: a whole number from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new InvalidArgumentError('must be a whole number from 0 (any free port) to 65535.');
  }
  return port;
}

/** `--workers N`: a whole number of processes from 1 to MAX_WORKERS. */
export function parseWorkers(value: string): number {
  const workers = Number(value);
  if (!/^\d+$/.test(value) || workers < 1 || workers > MAX_WORKERS) {
    throw new InvalidArgumentError(`must be a whole number of processes from 1 to ${MAX_WORKERS}.`);
  }
  return workers;
}

/** `--api URL` (repeatable, or comma-separated): each an http(s) URL. */
export function collectUrls(value: string, previous: string[] | undefined): string[] {
  const urls = value
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const url of urls) {
    if (!/^https?:\/\/[^\s/]+/.test(url)) throw new InvalidArgumentError(`${url} is not an http(s) URL.`);
  }
  if (urls.length === 0) throw new InvalidArgumentError('give an http(s) URL.');
  return [...(previous ?? []), ...urls];
}

/** `smart-mining: CODE: message`; every line of a multi-line message (all config problems) stays readable. */
export function formatFailure(error: unknown): string {
  const e = error as Error & { code?: string };
  return `smart-mining: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}\n`;
}

export function buildProgram(): Command {
  const program = new Command('smart-mining')
    .description('Profit-switching mining: aggregator, API with decision engine, Stratum proxy')
    .version(version, '-V, --version', 'print the version')
    .showHelpAfterError();

  const run = (action: () => Promise<number>) => async () => {
    try {
      process.exitCode = await action();
    } catch (error) {
      process.stderr.write(formatFailure(error));
      process.exitCode = 1;
    }
  };

  program
    .command('start')
    .description(
      'run every role in one process (aggregator + API + Stratum proxy) on the configured database (PGlite by default)',
    )
    .action(run(() => startCommand()));

  program
    .command('aggregate')
    .description(
      'collect from the seven sources and write the database; runs forever unless --once, leading or standing by ' +
        'among the aggregators on the database, with /health and /metrics on SM_AGGREGATOR_STATUS_PORT (8081)',
    )
    .option(
      '--once',
      'run one cycle, print a row per source as it finishes, exit non-zero if every source failed',
    )
    .action((opts: { once?: boolean }) => run(() => aggregateCommand(opts))());

  program
    .command('api')
    .description('run the HTTP API alone on DATABASE_URL (several instances may share one PostgreSQL)')
    .action(run(() => apiCommand()));

  program
    .command('proxy')
    .description(
      'run the Stratum proxy alone, following an API over HTTP (SM_PROXY_TOKEN for its reports); several proxies may follow one API',
    )
    .option(
      '--api <url...>',
      'API base URLs (several after one --api, repeated, or comma-separated), tried in order (default: proxy.apiUrls, SM_PROXY_API_URLS, else the configured API address)',
      collectUrls,
    )
    .option(
      '--workers <n>',
      'processes sharing the Stratum ports, each holding up to `ulimit -n` miners on its own core; worker n reports as <proxy.id>/worker-<n>, its status on proxy.statusPort + n (default: proxy.workers, SM_PROXY_WORKERS, 1)',
      parseWorkers,
    )
    .action((opts: { api?: string[]; workers?: number }) => run(() => proxyCommand(opts))());

  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(run(() => migrateCommand()));

  program
    .command('replay')
    .description('serve the recorded responses of the seven sources on 127.0.0.1, timestamps moved to now')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', parsePort, 8099)
    .option(
      '--scenario <file>',
      'a market scenario (JSON: {"steps": [{"atS": 60, "coins": {"DOGE": {"priceFactor": 1.4}}}], "loopS": 300}) played on the replayed market',
    )
    .action((opts: { port: number; scenario?: string }) => run(() => replayCommand(opts))());

  registerBacktestCommand(program, run);
  registerTokenCommand(program, run);
  return program;
}
