// `npm run demo`: the whole system offline in one command, until Ctrl-C (see scripts/demo/demo.ts).

import { createLogger } from '@smart-mining/platform';
import { demoOptionsFromEnv, startDemo } from './demo/demo.ts';
import { simulatedFleet } from './demo/demo-proxy.ts';

const logger = createLogger(process.env.SM_LOG_LEVEL ?? 'warn');
const options = demoOptionsFromEnv(process.env);
const demo = await startDemo(
  options,
  logger,
  simulatedFleet({ miners: options.miners, reportIntervalS: options.reportIntervalS }),
  (line) => process.stdout.write(`${line}\n`),
);
process.stdout.write(
  [
    `dashboard: ${demo.dashboardUrl}`,
    ...(demo.stratumUrls.length > 0
      ? demo.stratumUrls.map(
          (s) => `miners (${s.algorithm}): ${s.url} (user ACCOUNT.WORKER, e.g. alice.rig99)`,
        )
      : ['miners: the Stratum proxy is not part of this build']),
    `${options.miners} simulated miners are mining through the proxy. Ctrl-C stops everything.`,
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
