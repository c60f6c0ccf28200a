// Script entry: runs LoadMiners in its own process and prints JSON lines (ready, then the result).
//
//   node --import tsx packages/testkit/src/stratum/load-cli.ts --port 3333 --miners 5000 --rate 1 \
//     [--host 127.0.0.1] [--algorithm sha256d|scrypt] [--warmup-s 5] [--duration-s 30] [--hash] [--tick-ms 1]
//     [--linger] [--order shuffled|connection]
//
// Output: {"event":"ready",...} once every miner has a job (or closed), then after warm-up + duration
// {"event":"result","stats":{…submitLatencyMs…},"jobArrivals":[{seq,count,firstMs,p50Ms,p99Ms,lastMs}],…}.
// SIGTERM/SIGINT end the run early with the result so far. With --linger the miners keep mining after the result
// until SIGTERM/SIGINT (a later step, such as a switch, then meets the same miners, not a reconnect storm).

import { parseArgs } from 'node:util';
import { LoadMiners } from './load-miners.ts';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    miners: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '1' },
    algorithm: { type: 'string', default: 'sha256d' },
    'warmup-s': { type: 'string', default: '0' },
    'duration-s': { type: 'string', default: '10' },
    'username-prefix': { type: 'string', default: 'load.w' },
    hash: { type: 'boolean', default: false },
    'tick-ms': { type: 'string', default: '1' },
    linger: { type: 'boolean', default: false },
    order: { type: 'string', default: 'shuffled' },
  },
});

const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const algorithm = values.algorithm;
const order = values.order;
if (
  !values.port ||
  (algorithm !== 'sha256d' && algorithm !== 'scrypt') ||
  (order !== 'shuffled' && order !== 'connection')
) {
  process.stderr.write(
    'usage: load-cli.ts --port N [--miners N] [--rate R] [--algorithm sha256d|scrypt] [--order shuffled|connection]\n',
  );
  process.exit(2);
}

const prefix = values['username-prefix'];
const load = await LoadMiners.start({
  host: values.host,
  port: Number(values.port),
  miners: Number(values.miners),
  sharesPerSecond: Number(values.rate),
  algorithm,
  hash: values.hash,
  tickMs: Number(values['tick-ms']),
  order,
  username: (i) => `${prefix}${i}`,
});
print({ event: 'ready', miners: load.connections.length, mining: load.mining });

let finished = false;
const stop = async () => {
  await load.stop();
  process.exit(0);
};
const finish = async () => {
  if (finished) return;
  finished = true;
  const result = {
    event: 'result',
    stats: load.stats(),
    jobArrivals: load.jobArrivals(),
    rssBytes: process.memoryUsage().rss,
    cpuUs: process.cpuUsage(),
  };
  print(result);
  if (!values.linger) await stop();
};
process.on('SIGTERM', () => void (finished ? stop() : finish().then(stop)));
process.on('SIGINT', () => void (finished ? stop() : finish().then(stop)));

const sleep = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000));
await sleep(Number(values['warmup-s']));
load.resetMeasurements();
await sleep(Number(values['duration-s']));
await finish();
