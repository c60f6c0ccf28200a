// Proxy benchmark: simulated miners at 1 share/s against a simulated pool sending a job every 2 s, directly and
// through the proxy in the same run. Pool, proxy and load generators each run in their own processes (a process
// holds at most 20000 file descriptors here, so 20K miners take 2 load processes and 2 proxy workers). Fewer,
// busier processes than that cost less on 2 cores: each wake-up serves more sockets, with fewer context switches.
//
// Every pool has one process per 10000 miners (pool-cli --workers: one port, node:cluster handing each connection
// to the next process, one job clock for all): the direct baseline's pool and the proxy's pools a and b alike, so
// via the proxy the pool validates shares (sha256d) with the same CPU as direct (the proxy's ~40 upstream
// connections per worker spread over the pool's processes). A pool's job seq n is sent by all its processes at
// the same tick; fan-out is measured from the earliest of their send times.
//
// The switch: the decision ranks pool b second, as the API ranks the runner-up, so the listener's standby (on by
// default) holds connections to b open before the switch; SM_BENCH_PROXY_STANDBY=0 measures a switch to a pool with
// no connection yet. Each proxy worker answers when its route reports (switchReportAfterS = 30 s after the decision,
// finished or not), or 10 s past that without a report; a worker without miners answers at once. The row shows the
// slowest worker's time, or NaN with the method "…, cut short" when a worker's report came before every miner had
// its first job on pool b ("no report" when none came). The switch runs under load, right after the measured
// window: the load processes linger (--linger), so the same connected miners keep submitting and are moved.
//
//   npm run bench -- proxy                                 (5K and 20K miners)
//   SM_BENCH_PROXY_MINERS=500 npm run bench -- proxy       (a quick run at small scale)
//   SM_BENCH_PROXY_CPU_PROF=/tmp/prof npm run bench -- proxy   (the proxy runs with --cpu-prof into that folder)
//   SM_BENCH_PROXY_NODE_FLAGS='' npm run bench -- proxy    (the proxy's node flags; default --max-semi-space-size=1)
//   SM_BENCH_PROXY_PER_PROCESS=300 SM_BENCH_PROXY_WORKERS=2 SM_BENCH_PROXY_MINERS=600 …  (the 20K layout, small)
//   SM_BENCH_PROXY_WORKERS=2 …                             (proxy workers; default one per 10000 miners)
//   SM_BENCH_PROXY_PREFIX_BYTES=2 …                        (the listener's prefix bytes: 2^(8·n) miners per upstream)
//   SM_BENCH_PROXY_ORDER=connection …                      (miners take turns in connection order, not shuffled)
//   SM_BENCH_PROXY_STANDBY=0 …                             (no standby: pool b's connections open only at the switch)
//   SM_BENCH_PROXY_TICK_MS=10 npm run bench -- proxy        (load processes send due shares every 10 ms; default 1)
//   SM_BENCH_PROXY_TRACE_MS=2000 npm run bench -- proxy     (each proxy process prints its miners, routes and
//                                                            upstreams to stderr every 2 s: a diagnosis aid)
//
// The proxy runs with V8's young generation capped at 1 MiB per semi-space (the default grows to 16 MiB, tens of
// MB of RSS that only hold short-lived garbage): set it on the proxy's command line or in NODE_OPTIONS.
//
// Reported per scale: added submit latency p50/p99 (via − direct), job fan-out p99 (pool send → the p99 miner's
// arrival, median over jobs) via ÷ direct, RSS per miner (Σ proxy processes at N miners − Σ idle, ÷ N, each read after a full GC), CPU % of one
// core (Σ proxy processes over the measured window), and the time to switch every miner of the route.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { treeCpuUs } from './process-cpu.ts';
import { median } from './stats.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const POOL_CLI = here('../../packages/testkit/src/stratum/pool-cli.ts');
const LOAD_CLI = here('../../packages/testkit/src/stratum/load-cli.ts');
const PROXY_NODE = here('./proxy-bench-node.ts');
/** Miners per load process and per pool process. */
const MINERS_PER_PROCESS = Number(process.env.SM_BENCH_PROXY_PER_PROCESS ?? 10_000);
/** Proxy workers: one per 10000 miners (each holds its miners' and upstreams' sockets under the fd limit). */
const proxyWorkers = (miners: number) =>
  Number(process.env.SM_BENCH_PROXY_WORKERS ?? Math.ceil(miners / 10_000));
/** The proxy reports a switch within its switchReportAfterS (30 s), finished or not. */
const SWITCH_REPORT_WAIT_MS = 120_000;

type Line = Record<string, unknown> & { event: string };

interface Child {
  process: ChildProcessWithoutNullStreams;
  next(event: string, timeoutMs?: number): Promise<Line>;
  send(cmd: object): void;
  stop(): void;
}

function start(script: string, args: string[], nodeArgs: string[] = []): Child {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args]);
  const queue: Line[] = [];
  const waiters: ((l: Line) => void)[] = [];
  child.stderr.on('data', (c: Buffer) => process.stderr.write(c));
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: Line;
    try {
      line = JSON.parse(text);
    } catch {
      return;
    }
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else queue.push(line);
  });
  const take = () =>
    new Promise<Line>((resolve) => {
      const queued = queue.shift();
      if (queued) resolve(queued);
      else waiters.push(resolve);
    });
  return {
    process: child,
    async next(event, timeoutMs = 600_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const timer = new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`${script}: no "${event}" in time`)),
            Math.max(0, deadline - Date.now()),
          ).unref(),
        );
        const line = await Promise.race([take(), timer]);
        if (line.event === event) return line;
        if (line.event === 'error') throw new Error(`${script}: ${JSON.stringify(line)}`);
      }
    },
    send: (cmd) => child.stdin.write(`${JSON.stringify(cmd)}\n`),
    stop: () => child.kill('SIGTERM'),
  };
}

interface LoadResult {
  stats: {
    submitted: number;
    accepted: number;
    rejected: number;
    errors: number;
    submitLatencyMs: { count: number; p50: number; p99: number };
  };
  jobArrivals: { seq: number; count: number; p99Ms: number }[];
}

interface RunResult {
  latencyP50Ms: number;
  latencyP99Ms: number;
  fanOutP99Ms: number;
  accepted: number;
  rejected: number;
  errors: number;
  /** CPU % of one core of the pool processes over the measured window (direct: the one pool; via: pools a and b). */
  poolCpuPercent: number;
}

export interface ProxyScaleResult {
  miners: number;
  loadProcesses: number;
  proxyProcesses: number;
  direct: RunResult;
  via: RunResult;
  rssPerMinerKb: number;
  cpuPercent: number;
  switchMs: number;
  switchedMiners: number;
  switchMethod: string;
}

export interface ProxyBenchOptions {
  scales: number[];
  warmupS: number;
  durationS: number;
  cpuProfDir: string | undefined;
  proxyNodeFlags: string[];
  /** How often each load process sends the shares due (ms). */
  tickMs: number;
  /** The order miners take turns in (load-cli --order). */
  order: 'shuffled' | 'connection';
}

function optionsFromEnv(): ProxyBenchOptions {
  const scales = (process.env.SM_BENCH_PROXY_MINERS ?? '5000,20000').split(',').map(Number);
  return {
    scales,
    warmupS: Number(process.env.SM_BENCH_PROXY_WARMUP_S ?? 10),
    durationS: Number(process.env.SM_BENCH_PROXY_DURATION_S ?? 30),
    cpuProfDir: process.env.SM_BENCH_PROXY_CPU_PROF,
    tickMs: Number(process.env.SM_BENCH_PROXY_TICK_MS ?? 1),
    order: process.env.SM_BENCH_PROXY_ORDER === 'connection' ? 'connection' : 'shuffled',
    proxyNodeFlags: (process.env.SM_BENCH_PROXY_NODE_FLAGS ?? '--max-semi-space-size=1')
      .split(' ')
      .filter(Boolean),
  };
}

const poolArgs = [
  '--algorithm',
  'sha256d',
  '--difficulty',
  'load',
  '--job-interval-ms',
  '2000',
  '--extranonce2-size',
  '8',
];

/** A pool of `workers` processes serving one port (pool-cli --workers). */
async function startPool(workers: number): Promise<{ child: Child; port: number }> {
  const child = start(POOL_CLI, [...poolArgs, '--workers', String(workers)]);
  const { port } = await child.next('listening');
  return { child, port: Number(port) };
}

async function poolJobs(pool: Child): Promise<Map<number, number>> {
  pool.send({ cmd: 'stats' });
  const { jobsSent } = (await pool.next('stats')) as unknown as {
    jobsSent: { seq: number; sentAtMs: number }[];
  };
  return new Map(jobsSent.map((j) => [j.seq, j.sentAtMs]));
}

/**
 * Starts the load processes (≤ MINERS_PER_PROCESS miners each) against `ports[i % ports.length]`; resolves when all are ready.
 * When one is not ready in time, all are stopped (none is left running under later runs) and the error thrown.
 */
async function startLoads(
  miners: number,
  ports: number[],
  o: ProxyBenchOptions,
  linger = false,
): Promise<Child[]> {
  const count = Math.ceil(miners / MINERS_PER_PROCESS);
  const loads = Array.from({ length: count }, (_, i) =>
    start(LOAD_CLI, [
      '--port',
      String(ports[i % ports.length]),
      '--miners',
      String(Math.round(miners / count)),
      '--rate',
      '1',
      '--warmup-s',
      String(o.warmupS),
      '--duration-s',
      String(o.durationS),
      '--username-prefix',
      `load.p${i}w`,
      '--tick-ms',
      String(o.tickMs),
      '--order',
      o.order,
      ...(linger ? ['--linger'] : []),
    ]),
  );
  try {
    await Promise.all(loads.map((l) => l.next('ready')));
  } catch (e) {
    for (const l of loads) l.stop();
    throw e;
  }
  return loads;
}

/** Combines the load processes: mean of p50s, max of p99s (conservative), fan-out per job against its pool. */
function combine(results: LoadResult[], jobsOf: Map<number, number>[], poolCpuPercent: number): RunResult {
  const fanOuts: number[] = [];
  results.forEach((r, i) => {
    const sent = jobsOf[i % jobsOf.length]!;
    for (const a of r.jobArrivals) {
      const sentAt = sent.get(a.seq);
      if (sentAt !== undefined && a.count > 0) fanOuts.push(a.p99Ms - sentAt);
    }
  });
  const lat = results.map((r) => r.stats.submitLatencyMs);
  return {
    latencyP50Ms: lat.reduce((n, l) => n + l.p50, 0) / lat.length,
    latencyP99Ms: Math.max(...lat.map((l) => l.p99)),
    fanOutP99Ms: fanOuts.length ? median(fanOuts) : Number.NaN,
    accepted: results.reduce((n, r) => n + r.stats.accepted, 0),
    rejected: results.reduce((n, r) => n + r.stats.rejected, 0),
    errors: results.reduce((n, r) => n + r.stats.errors, 0),
    poolCpuPercent,
  };
}

/** CPU time of process trees from now on: call the result at the window's end for % of one core. */
function cpuMeter(pids: number[]): () => number {
  const sum = () => pids.reduce((n, pid) => n + treeCpuUs(pid), 0);
  const t0 = { at: performance.now(), us: sum() };
  return () => ((sum() - t0.us) / 1000 / (performance.now() - t0.at)) * 100;
}

const after = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000));

/** Pool processes per pool: one per MINERS_PER_PROCESS miners, the same direct and via the proxy. */
const poolProcesses = (miners: number) => Math.ceil(miners / MINERS_PER_PROCESS);

async function runDirect(miners: number, o: ProxyBenchOptions): Promise<RunResult> {
  const pool = await startPool(poolProcesses(miners));
  try {
    const loads = await startLoads(miners, [pool.port], o);
    await after(o.warmupS);
    const poolCpu = cpuMeter([pool.child.process.pid!]);
    const results = (await Promise.all(loads.map((l) => l.next('result')))) as unknown as LoadResult[];
    const poolCpuPercent = poolCpu();
    return combine(results, [await poolJobs(pool.child)], poolCpuPercent);
  } finally {
    pool.child.stop();
  }
}

type ViaResult = Omit<ProxyScaleResult, 'miners' | 'loadProcesses' | 'direct'>;

async function runVia(miners: number, o: ProxyBenchOptions): Promise<ViaResult> {
  const [a, b] = await Promise.all([startPool(poolProcesses(miners)), startPool(poolProcesses(miners))]);
  const workers = proxyWorkers(miners);
  const prof = [
    '--expose-gc',
    ...o.proxyNodeFlags,
    ...(o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : []),
  ];
  const proxy = start(
    PROXY_NODE,
    ['--pool-a', String(a!.port), '--pool-b', String(b!.port), '--workers', String(workers)],
    prof,
  );
  let loads: Child[] = [];
  try {
    const { port, processes } = await proxy.next('listening');
    const stats = async () => {
      proxy.send({ cmd: 'stats' });
      return (await proxy.next('stats')) as unknown as { rssBytes: number; cpuUs: number; mining: number };
    };
    const idle = await stats();
    // The miners linger after their result: the switch then moves the same connected miners, as in production
    // (fresh ones would first have to connect all at once through the proxy).
    loads = await startLoads(miners, [Number(port)], o, true);
    await after(o.warmupS);
    const t0 = { at: performance.now(), ...(await stats()) };
    const poolCpu = cpuMeter([a!.child.process.pid!, b!.child.process.pid!]);
    const results = (await Promise.all(loads.map((l) => l.next('result')))) as unknown as LoadResult[];
    const poolCpuPercent = poolCpu();
    const t1 = { at: performance.now(), ...(await stats()) };
    const via = combine(results, [await poolJobs(a!.child)], poolCpuPercent);
    proxy.send({ cmd: 'switch', to: 'b' });
    // A switch that never reports is a result to show beside the others, not a reason to lose them.
    const switched: Record<string, unknown> = await proxy
      .next('switched', SWITCH_REPORT_WAIT_MS)
      .catch(() => ({
        durationMs: Number.NaN,
        miners: 0,
        method: `no report in ${SWITCH_REPORT_WAIT_MS / 1000} s`,
      }));
    return {
      proxyProcesses: Number(processes),
      via,
      rssPerMinerKb: (t1.rssBytes - idle.rssBytes) / miners / 1024,
      cpuPercent: ((t1.cpuUs - t0.cpuUs) / 1000 / (t1.at - t0.at)) * 100,
      switchMs: typeof switched.durationMs === 'number' ? switched.durationMs : Number.NaN,
      switchedMiners: Number(switched.miners),
      switchMethod: String(switched.method),
    };
  } finally {
    // Load processes left running would weigh on every later run.
    for (const l of loads) l.stop();
    // A clean exit lets --cpu-prof write its profile.
    proxy.send({ cmd: 'stop' });
    await Promise.race([
      new Promise((resolve) => proxy.process.once('exit', resolve)),
      new Promise((resolve) => setTimeout(resolve, 5000)),
    ]);
    proxy.stop();
    a!.child.stop();
    b!.child.stop();
  }
}

export async function benchProxy(options: ProxyBenchOptions = optionsFromEnv()): Promise<ProxyScaleResult[]> {
  const out: ProxyScaleResult[] = [];
  for (const miners of options.scales) {
    process.stderr.write(`bench: proxy, ${miners} miners direct…\n`);
    const direct = await runDirect(miners, options);
    process.stderr.write(`bench: proxy, ${miners} miners via the proxy…\n`);
    const via = await runVia(miners, options);
    out.push({ miners, loadProcesses: Math.ceil(miners / MINERS_PER_PROCESS), direct, ...via });
    process.stderr.write(`${proxySection(out.slice(-1), options)}\n`);
  }
  return out;
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

export function proxySection(results: ProxyScaleResult[], o: ProxyBenchOptions = optionsFromEnv()): string {
  const lines = [
    '## Stratum proxy (sha256d, shared upstreams)',
    '',
    `Simulated miners at 1 share/s (taking turns in ${o.order === 'shuffled' ? 'a shuffled order, as independent miners do' : 'connection order'}), the simulated pool sending a job every 2 s; direct and via the proxy in the same run, ${o.warmupS} s warm-up then ${o.durationS} s measured. Pool, proxy and load generators in separate processes; RSS is read after a full GC in every proxy process (idle, then with the miners connected); the proxy runs with \`${o.proxyNodeFlags.join(' ') || '(no node flags)'}\`.`,
    '',
    '| miners | added submit latency p50 / p99 | fan-out p99 via ÷ direct | RSS per miner | CPU (% of one core) | pool CPU, direct · via | switch every miner | shares accepted / rejected, direct · via |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.miners} (${r.loadProcesses} load, ${r.proxyProcesses} proxy processes) | ${ms(r.via.latencyP50Ms - r.direct.latencyP50Ms)} / ${ms(r.via.latencyP99Ms - r.direct.latencyP99Ms)} | ${(r.via.fanOutP99Ms / r.direct.fanOutP99Ms).toFixed(2)}× (${ms(r.via.fanOutP99Ms)} vs ${ms(r.direct.fanOutP99Ms)}) | ${r.rssPerMinerKb.toFixed(2)} KB | ${r.cpuPercent.toFixed(0)} % | ${r.direct.poolCpuPercent.toFixed(0)} % · ${r.via.poolCpuPercent.toFixed(0)} % | ${r.switchMs.toFixed(0)} ms (${r.switchedMiners} miners, ${r.switchMethod}) | ${r.direct.accepted} / ${r.direct.rejected} · ${r.via.accepted} / ${r.via.rejected} |`,
    ),
    '',
    'Direct baselines: ' +
      results
        .map(
          (r) =>
            `${r.miners} miners p50 ${ms(r.direct.latencyP50Ms)}, p99 ${ms(r.direct.latencyP99Ms)}, fan-out p99 ${ms(r.direct.fanOutP99Ms)}`,
        )
        .join('; ') +
      '.',
    '',
    'Targets (performance.md): added p50 ≤ 0.2 ms and p99 ≤ 15 ms, fan-out ≤ 1.0× direct, RSS ≤ 5.5 KB per miner, CPU ≤ 38 % of a core at 5K, switch < 1 s at 20K. Latency percentiles of several load processes combine as the mean of their p50s and the largest p99. Rejected shares are stale ones (21) in flight when the pool starts a new block (a clean job every 4th). Pool CPU is that of the simulated pool processes (read from /proc over the same window): direct, one pool serves every miner socket itself (a read, a sha256d check and an answer per share, a write per miner per job), the work the proxy takes over, so it shows what that socket work costs on the machine of the run; via, the pools behind the proxy.',
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${proxySection(await benchProxy())}\n`);
}
