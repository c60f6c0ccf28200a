// Script entry: runs a SimPool in its own process, controlled by JSON lines on stdin, reporting on stdout.
//
//   node --import tsx packages/testkit/src/stratum/pool-cli.ts --algorithm sha256d --difficulty load \
//     [--port 0] [--extranonce1-bytes 4] [--extranonce2-size 8] [--job-interval-ms 2000] [--clean-every 4]
//     [--record-shares] [--workers 1]
//
// --difficulty: a number, `sim` (SIM_DIFFICULTY, real hashing) or `load` (SIM_LOAD_DIFFICULTY, any nonce).
// --workers N (N > 1): N pool processes serve the one port (node:cluster hands each new connection to the next
// one), as a pool's several servers would: a load that one process cannot validate gets N processes' CPU. Each
// worker is a SimPool of its own; the primary times the jobs and tells every worker at once, so job seq n is
// sent by all of them together, and `jobsSent` gives each seq its earliest send time over the workers.
// Prints {"event":"listening","port":N}. Commands (stdin, one JSON per line): {"cmd":"stats"} →
// {"event":"stats","stats":…,"jobsSent":[{seq,jobId,clean,sentAtMs}]} (summed over the workers);
// {"cmd":"push-job","clean":true}; {"cmd":"set-difficulty","difficulty":D}; {"cmd":"stall"}; {"cmd":"resume"};
// {"cmd":"drop"}; {"cmd":"stop"}. SIGTERM prints the stats and stops, as `stop` does.

import cluster from 'node:cluster';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { forkWorkers, serveWorker } from '../cluster-workers.ts';
import { emptyPoolStats, type SimPoolStats } from './pool-ledger.ts';
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
    workers: { type: 'string', default: '1' },
  },
});

type Command = { cmd?: string; clean?: boolean; difficulty?: number };
type JobSent = { seq: number; jobId: string; clean: boolean; sentAtMs: number };
type Stats = { event: 'stats'; stats: SimPoolStats; jobsSent: JobSent[] };

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
const workers = Math.max(1, Number(values.workers));
const jobIntervalMs = Number(values['job-interval-ms']);
const cleanEvery = Number(values['clean-every']);

/** One SimPool in this process; `control` applies a command (a stats reply, or nothing). */
async function startPool(ownTimer: boolean) {
  const pool = new SimPool({
    algorithm: algorithm as 'sha256d' | 'scrypt',
    difficulty,
    extranonce1Bytes: Number(values['extranonce1-bytes']),
    extranonce2Size: Number(values['extranonce2-size']),
    jobIntervalMs: ownTimer ? jobIntervalMs : 0,
    cleanEvery,
    recordShares: values['record-shares'],
  });
  await pool.listen(Number(values.port));
  const stats = (): Stats => ({ event: 'stats', stats: pool.stats(), jobsSent: pool.jobsSent });
  const control = (cmd: Command): Stats | undefined => {
    if (cmd.cmd === 'stats') return stats();
    if (cmd.cmd === 'push-job') pool.pushJob({ clean: cmd.clean === true });
    else if (cmd.cmd === 'set-difficulty' && typeof cmd.difficulty === 'number')
      pool.setDifficulty(cmd.difficulty);
    else if (cmd.cmd === 'stall') pool.stall();
    else if (cmd.cmd === 'resume') pool.resume();
    else if (cmd.cmd === 'drop') pool.dropConnections();
    return undefined;
  };
  return { pool, stats, control };
}

/** Reads commands from stdin; `stop` and SIGTERM print the stats first. */
async function serveCommands(
  control: (cmd: Command) => Promise<Stats | undefined>,
  stop: () => Promise<void>,
): Promise<void> {
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const known = new Set(['stats', 'push-job', 'set-difficulty', 'stall', 'resume', 'drop']);
  for await (const line of createInterface({ input: process.stdin })) {
    let cmd: Command;
    try {
      cmd = JSON.parse(line);
    } catch {
      print({ event: 'error', message: `not JSON: ${line.slice(0, 80)}` });
      continue;
    }
    if (cmd.cmd === 'stop') await stop();
    else if (cmd.cmd !== undefined && known.has(cmd.cmd)) {
      const reply = await control(cmd);
      if (reply) print(reply);
    } else print({ event: 'error', message: `unknown command ${JSON.stringify(cmd.cmd)}` });
  }
  // stdin closed (e.g. started in the background): serve on until SIGTERM.
}

/** The workers' stats as one pool's: counts summed, each job seq at its earliest send. */
function merge(replies: Stats[]): Stats {
  const stats = emptyPoolStats();
  const jobs = new Map<number, JobSent>();
  for (const r of replies) {
    const s = r.stats;
    stats.connections += s.connections;
    stats.accepted += s.accepted;
    stats.rejected += s.rejected;
    stats.blocks += s.blocks;
    stats.jobs = Math.max(stats.jobs, s.jobs);
    for (const [code, n] of Object.entries(s.rejectedByCode)) {
      stats.rejectedByCode[Number(code)] = (stats.rejectedByCode[Number(code)] ?? 0) + n;
    }
    for (const [name, w] of Object.entries(s.workers)) {
      const into = stats.workers[name] ?? { accepted: 0, rejected: 0, acceptedDifficulty: 0 };
      stats.workers[name] = into;
      into.accepted += w.accepted;
      into.rejected += w.rejected;
      into.acceptedDifficulty += w.acceptedDifficulty;
    }
    for (const j of r.jobsSent) {
      const known = jobs.get(j.seq);
      if (known === undefined || j.sentAtMs < known.sentAtMs) jobs.set(j.seq, j);
    }
  }
  return { event: 'stats', stats, jobsSent: [...jobs.values()].sort((a, b) => a.seq - b.seq) };
}

if (workers === 1) {
  const { pool, stats, control } = await startPool(true);
  print({ event: 'listening', port: pool.port });
  await serveCommands(
    async (cmd) => control(cmd),
    async () => {
      print(stats());
      await pool.stop();
      process.exit(0);
    },
  );
} else if (cluster.isPrimary) {
  const { forks, port, ask } = await forkWorkers<Command, Stats | undefined>(workers);
  // One clock for every worker: each timed job goes to all of them at once (SimPool's own timer, here).
  let timed = 0;
  const timer =
    jobIntervalMs > 0
      ? setInterval(() => {
          timed++;
          void ask({ cmd: 'push-job', clean: timed % cleanEvery === 0 });
        }, jobIntervalMs)
      : undefined;
  print({ event: 'listening', port });
  const stop = async () => {
    clearInterval(timer);
    print(merge((await ask({ cmd: 'stats' })) as Stats[]));
    for (const w of forks) w.kill();
    process.exit(0);
  };
  await serveCommands(async (cmd) => {
    const replies = await ask(cmd);
    return cmd.cmd === 'stats' ? merge(replies as Stats[]) : undefined;
  }, stop);
} else {
  // A worker: node:cluster shares the primary's port (listen(0) gives every worker the same one). A connection
  // handed over as the primary exits fails its acknowledgement (EPIPE): nothing to do, the worker ends.
  cluster.worker?.on('error', () => {});
  const { pool, control } = await startPool(false);
  serveWorker(pool.port, control);
  // The primary's SIGTERM reaches only the primary; a worker ends when the primary does.
  process.on('disconnect', () => process.exit(0));
}
