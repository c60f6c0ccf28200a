// Script entry for the server test: 2 workers (node:cluster) where worker 1 dies shortly after every start. The
// primary prints {"event":"restart","worker","code","delayMs"} for each restart and stops after --restarts of them.

import { parseArgs } from 'node:util';
import { runWorkers } from '../src/server.ts';

const { values } = parseArgs({ options: { restarts: { type: 'string', default: '4' } } });
let seen = 0;
const workers = await runWorkers({
  workers: 2,
  restartBackoff: { minMs: 20, maxMs: 80, stableMs: 60_000 },
  async start(worker) {
    // Worker 1 dies after it reported ready; worker 0 lives until stopped.
    if (worker === 1) setTimeout(() => process.exit(3), 100);
    else setInterval(() => {}, 1000);
  },
  onRestart(worker, code, delayMs) {
    process.stdout.write(`${JSON.stringify({ event: 'restart', worker, code, delayMs })}\n`);
    if (++seen === Number(values.restarts)) {
      void workers.stop().then(() => process.exit(0));
    }
  },
});
