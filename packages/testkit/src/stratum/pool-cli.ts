// Script entry: runs a SimPool in its own process, controlled by JSON lines on stdin, reporting on stdout.
//
//   node --import tsx packages/testkit/src/stratum/pool-cli.ts --algorithm sha256d --difficulty load \
//     [--port 0] [--extranonce1-bytes 4] [--extranonce2-size 8] [--job-interval-ms 2000] [--clean-every 4]
//     [--record-shares]
//
// --difficulty: a number, `sim` (SIM_DIFFICULTY, real hashing) or `load` (SIM_LOAD_DIFFICULTY, any nonce).
// Prints {"event":"listening","port":N}. Commands (stdin, one JSON per line): {"cmd":"stats"} →
// {"event":"stats","stats":…,"jobsSent":[{seq,jobId,clean,sentAtMs}]}; {"cmd":"push-job","clean":true};
// {"cmd":"set-difficulty","difficulty":D}; {"cmd":"stall"}; {"cmd":"resume"}; {"cmd":"drop"}; {"cmd":"stop"}.
// SIGTERM prints the stats and stops, as `stop` does.

import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SIM_DIFFICULTY, SIM_LOAD_DIFFICULTY, SimPool } from './sim-pool.ts';

const { values } = parseArgs({
  options: {
    algorithm: { type: 'string', default: 'sha256d' },
    difficulty: { type: 'string', default: 'load' },
    port: { type: 'string', default: '0' },
    'extranonce1-bytes': { type: 'string', default: '4' },
    'extranonce2-size': { type: 'string', default: '8' },
    'job-interval-ms': { type: 'string', default: '2000' },
    'clean-every': { type: 'string', default: '4' },
    'record-shares': { type: 'boolean', default: false },
  },
});

const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const algorithm = values.algorithm;
if (algorithm !== 'sha256d' && algorithm !== 'scrypt') {
  process.stderr.write('--algorithm must be sha256d or scrypt\n');
  process.exit(2);
}
const difficulty =
  values.difficulty === 'load'
    ? SIM_LOAD_DIFFICULTY[algorithm]
    : values.difficulty === 'sim'
      ? SIM_DIFFICULTY[algorithm]
      : Number(values.difficulty);

const pool = new SimPool({
  algorithm,
  difficulty,
  extranonce1Bytes: Number(values['extranonce1-bytes']),
  extranonce2Size: Number(values['extranonce2-size']),
  jobIntervalMs: Number(values['job-interval-ms']),
  cleanEvery: Number(values['clean-every']),
  recordShares: values['record-shares'],
});
await pool.listen(Number(values.port));
print({ event: 'listening', port: pool.port });

const stats = () => print({ event: 'stats', stats: pool.stats(), jobsSent: pool.jobsSent });
const stop = async () => {
  stats();
  await pool.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

for await (const line of createInterface({ input: process.stdin })) {
  let cmd: { cmd?: string; clean?: boolean; difficulty?: number };
  try {
    cmd = JSON.parse(line);
  } catch {
    print({ event: 'error', message: `not JSON: ${line.slice(0, 80)}` });
    continue;
  }
  if (cmd.cmd === 'stats') stats();
  else if (cmd.cmd === 'push-job') pool.pushJob({ clean: cmd.clean === true });
  else if (cmd.cmd === 'set-difficulty' && typeof cmd.difficulty === 'number')
    pool.setDifficulty(cmd.difficulty);
  else if (cmd.cmd === 'stall') pool.stall();
  else if (cmd.cmd === 'resume') pool.resume();
  else if (cmd.cmd === 'drop') pool.dropConnections();
  else if (cmd.cmd === 'stop') await stop();
  else print({ event: 'error', message: `unknown command ${JSON.stringify(cmd.cmd)}` });
}
// stdin closed (e.g. started in the background): serve on until SIGTERM.
