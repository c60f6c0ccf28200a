// `npm run demo`: the whole system offline in one command, until Ctrl-C (see scripts/demo/demo.ts).

import { createLogger } from '@smart-mining/platform';
import { demoOptionsFromEnv, startDemo } from './demo/demo.ts';

const logger = createLogger(process.env.SM_LOG_LEVEL ?? 'warn');
const demo = await startDemo(demoOptionsFromEnv(process.env), logger, undefined, (line) =>
  process.stdout.write(`${line}\n`),
);
process.stdout.write(
  [
    `dashboard: ${demo.dashboardUrl}`,
    demo.stratumUrl
      ? `miners: point a miner at ${demo.stratumUrl} (user ACCOUNT.WORKER)`
      : 'miners: the Stratum proxy is not part of this build yet',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${signal}: stopping\n`);
  demo.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
