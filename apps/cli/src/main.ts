// The `smart-mining` command: the one composition root that may import the apps.

import { Command } from 'commander';
import { aggregateCommand } from './commands/aggregate.ts';
import { apiCommand } from './commands/api.ts';
import { registerBacktestCommand } from './commands/backtest.ts';
import { migrateCommand } from './commands/migrate.ts';
import { replayCommand } from './commands/replay.ts';
import { startCommand } from './commands/start.ts';
import { registerTokenCommand } from './commands/token.ts';

const program = new Command('smart-mining')
  .description('Profit-switching mining: aggregator, API with decision engine, Stratum proxy')
  .showHelpAfterError();

const run = (action: () => Promise<number>) => async () => {
  try {
    process.exitCode = await action();
  } catch (error) {
    const e = error as Error & { code?: string };
    process.stderr.write(`smart-mining: ${e.code ? `${e.code}: ` : ''}${e.message}\n`);
    process.exitCode = 1;
  }
};

program
  .command('start')
  .description(
    'run every role in one process (aggregator + API) on the configured database (PGlite by default)',
  )
  .action(run(() => startCommand()));

program
  .command('aggregate')
  .description('collect from the seven sources and write PostgreSQL; runs forever unless --once')
  .option('--once', 'run one cycle, print a summary table, exit non-zero only if every source failed')
  .action((opts: { once?: boolean }) => run(() => aggregateCommand(opts))());

program
  .command('api')
  .description('run the HTTP API alone on DATABASE_URL (several instances may share one PostgreSQL)')
  .action(run(() => apiCommand()));

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(run(() => migrateCommand()));

program
  .command('replay')
  .description('serve the recorded responses of the seven sources on 127.0.0.1 (offline runs, demos, tests)')
  .option('-p, --port <port>', 'port to listen on', '8099')
  .action((opts: { port: string }) => run(() => replayCommand(opts))());

registerBacktestCommand(program, run);
registerTokenCommand(program, run);

await program.parseAsync(process.argv);
