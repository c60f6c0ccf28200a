// Script entry for the proxy benchmark: a proxy in its own process(es) mining on simulated pools, with a fixed
// decision it can be told to change, controlled by JSON lines on stdin and reporting on stdout.
//
//   node --import tsx scripts/bench/proxy-bench-node.ts --pool-a PORT --pool-b PORT [--workers 2]
//
// Prints {"event":"listening","port":N}. Commands: {"cmd":"stats"} → {"event":"stats","rssBytes","cpuUs",
// "authorized","mining","processes"} summed over every process of the proxy (primary and workers);
// {"cmd":"switch","to":"a"|"b"} → {"event":"switched","durationMs","miners","method"} once every worker has
// answered: with its route's switch report (durationMs: from the decision to the last miner's first job; null when
// the report came before every miner moved, method "…, cut short"), at once without miners, or 10 s past the
// report's deadline with none (method "no report"). Combined: the slowest worker, null when any did not finish.
// SM_BENCH_PROXY_TRACE_MS=N: every process prints a summary line (miners, routes, upstreams) to stderr every N ms.

import cluster from 'node:cluster';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  type Account,
  createProxy,
  type DecisionEvent,
  listen,
  type SwitchReport,
  type Target,
} from '@smart-mining/proxy';
import { forkWorkers, serveWorker } from '@smart-mining/testkit';

const { values } = parseArgs({
  options: {
    'pool-a': { type: 'string' },
    'pool-b': { type: 'string' },
    workers: { type: 'string', default: '1' },
    algorithm: { type: 'string', default: 'sha256d' },
    mode: { type: 'string', default: 'shared' },
  },
});

type Reply = Record<string, unknown> & { event: string };
/** The route's switchReportAfterS: a switch is reported this long after it began, finished or not. */
const SWITCH_REPORT_AFTER_S = 30;
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const algorithm = values.algorithm === 'scrypt' ? 'scrypt' : 'sha256d';
const target = (key: 'a' | 'b', port: number): Target => ({
  poolKey: `${key}:BTC`,
  coin: 'BTC',
  algorithm,
  feeFraction: 0.01,
  usdPerHsDay: 1e-12,
  endpoints: [{ host: '127.0.0.1', port, tls: false, dialect: 'stratum-v1' }],
});
const targets = { a: target('a', Number(values['pool-a'])), b: target('b', Number(values['pool-b'])) };

/** One whole proxy in this process; `handle` answers a command with a reply. */
async function startProxy(): Promise<{
  port: number;
  handle: (cmd: Record<string, unknown>) => Promise<Reply>;
}> {
  let chosen = targets.a;
  const listeners = new Set<(e: DecisionEvent) => void>();
  let switched: ((r: SwitchReport) => void) | undefined;
  const account: Account = { name: 'load', wallets: { BTC: 'bc1qbenchwallet' } };
  const proxy = createProxy({
    listeners: [
      {
        algorithm,
        port: 0,
        host: '127.0.0.1',
        upstreamMode: values.mode === 'per-miner' ? 'per-miner' : 'shared',
        prefixBytes: Number(process.env.SM_BENCH_PROXY_PREFIX_BYTES ?? 1),
        standby: values.mode !== 'per-miner' && process.env.SM_BENCH_PROXY_STANDBY !== '0',
        limits: { maxConnectionsPerIp: 0, handshakeTimeoutS: 120 },
      },
    ],
    decisions: {
      // Ranked as the API ranks them: the other pool second, so a listener with standby keeps it warm.
      decide: async () => ({
        chosen,
        ranked: [chosen, chosen === targets.a ? targets.b : targets.a],
        reason: 'bench',
      }),
      subscribe: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    },
    directory: {
      account: (name) => (name === 'load' ? account : undefined),
      knownProfile: () => true,
      knownHardware: () => true,
      pool: () => undefined,
    },
    reports: {
      miners: async () => {},
      switched: async (r) => switched?.(r),
    },
    timings: { reportIntervalS: 3600, switchReportAfterS: SWITCH_REPORT_AFTER_S },
  });
  const server = await listen(proxy);
  const traceMs = Number(process.env.SM_BENCH_PROXY_TRACE_MS ?? 0);
  if (traceMs > 0) setInterval(() => process.stderr.write(`trace ${traceLine(proxy)}\n`), traceMs).unref();
  const handle = async (cmd: Record<string, unknown>): Promise<Reply> => {
    if (cmd.cmd === 'stats') {
      const s = proxy.summary();
      return {
        event: 'stats',
        ...usage(),
        authorized: s.miners.authorized,
        mining: s.miners.mining,
        processes: 1,
      };
    }
    if (cmd.cmd === 'switch') {
      if (traceMs > 0)
        process.stderr.write(`trace ${process.pid} switch command at ${new Date().toISOString()}\n`);
      const next = cmd.to === 'b' ? targets.b : targets.a;
      if (next === chosen) return { event: 'switched', durationMs: 0, miners: 0, method: 'none' };
      const done = new Promise<SwitchReport>((resolve) => {
        switched = resolve;
      });
      chosen = next;
      for (const l of listeners) l({ kind: 'rankings-changed' });
      if (proxy.summary().miners.authorized === 0) {
        return { event: 'switched', durationMs: 0, miners: 0, method: 'none' };
      }
      // The route reports within switchReportAfterS, finished or not; past that (and a margin) this worker
      // answers anyway: a primary waiting for every worker must not wait for ever on one.
      let timer: NodeJS.Timeout | undefined;
      const r = await Promise.race([
        done,
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), (SWITCH_REPORT_AFTER_S + 10) * 1000);
        }),
      ]);
      clearTimeout(timer);
      if (r === undefined) return { event: 'switched', durationMs: null, miners: 0, method: 'no report' };
      return {
        event: 'switched',
        durationMs: r.durationMs,
        miners: r.miners.length,
        method: r.durationMs === null ? `${r.method}, cut short` : r.method,
      };
    }
    return { event: 'error', message: `unknown command ${JSON.stringify(cmd.cmd)}` };
  };
  return { port: server.addresses[0]!.port, handle };
}

/** SM_BENCH_PROXY_TRACE_MS: this process's miners, routes and upstreams (grouped by pool and state) as one line. */
function traceLine(proxy: ReturnType<typeof createProxy>): string {
  const s = proxy.summary();
  const ups: Record<
    string,
    { n: number; miners: number; joining: number; acc: number; stale: number; err: string | null }
  > = {};
  for (const u of s.upstreams) {
    const key = `${u.poolKey}/${u.state}`;
    const e = ups[key] ?? { n: 0, miners: 0, joining: 0, acc: 0, stale: 0, err: null };
    ups[key] = e;
    e.n++;
    e.miners += u.miners;
    e.joining += u.joining;
    e.acc += u.accepted;
    e.stale += u.stale;
    e.err ??= u.lastError;
  }
  const routes = s.routes.map((r) => ({
    miners: r.miners,
    target: r.target,
    switches: r.switches,
    last: r.lastSwitch && { to: r.lastSwitch.to, miners: r.lastSwitch.miners, ms: r.lastSwitch.durationMs },
  }));
  return JSON.stringify({
    t: new Date().toISOString().slice(11, 23),
    pid: process.pid,
    miners: s.miners.authorized,
    mining: s.miners.mining,
    routes,
    ups,
    closed: s.counters.closedBy,
  });
}

/** CPU time so far, and memory after a full GC when the process runs with --expose-gc (live memory, not garbage). */
function usage(): { rssBytes: number; heapUsedBytes: number; cpuUs: number } {
  const cpu = process.cpuUsage();
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  return { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, cpuUs: cpu.user + cpu.system };
}

/** Sums the workers' replies (and the primary's own usage) into one. */
function combine(replies: Reply[]): Reply {
  const first = replies[0]!;
  if (first.event === 'stats') {
    const own = usage();
    const sum = (k: string) => replies.reduce((n, r) => n + Number(r[k] ?? 0), 0);
    return {
      event: 'stats',
      rssBytes: sum('rssBytes') + own.rssBytes,
      heapUsedBytes: sum('heapUsedBytes') + own.heapUsedBytes,
      cpuUs: sum('cpuUs') + own.cpuUs,
      authorized: sum('authorized'),
      mining: sum('mining'),
      processes: replies.length + 1,
    };
  }
  // The slowest worker's time; none when a worker with miners did not finish (its method says why).
  const moving = replies.filter((r) => r.method !== 'none');
  const durations = moving.map((r) => r.durationMs);
  return {
    event: 'switched',
    durationMs: durations.some((d) => typeof d !== 'number') ? null : Math.max(0, ...(durations as number[])),
    miners: replies.reduce((n, r) => n + Number(r.miners ?? 0), 0),
    method: [...new Set(moving.map((r) => String(r.method)))].join(' + ') || 'none',
  };
}

async function commands(handle: (cmd: Record<string, unknown>) => Promise<Reply>): Promise<void> {
  for await (const line of createInterface({ input: process.stdin })) {
    let cmd: Record<string, unknown>;
    try {
      cmd = JSON.parse(line);
    } catch {
      print({ event: 'error', message: `not JSON: ${line.slice(0, 80)}` });
      continue;
    }
    if (cmd.cmd === 'stop') process.exit(0);
    print(await handle(cmd));
  }
}

const workers = Number(values.workers);
if (workers <= 1) {
  const { port, handle } = await startProxy();
  print({ event: 'listening', port, processes: 1 });
  await commands(handle);
} else if (cluster.isPrimary) {
  const { port, ask } = await forkWorkers<Record<string, unknown>, Reply>(workers);
  print({ event: 'listening', port, processes: workers + 1 });
  await commands(async (cmd) => combine(await ask(cmd)));
} else {
  // A worker: the same proxy; node:cluster shares the port (listen(0) gives every worker the same one).
  // A connection handed over as the primary exits fails its acknowledgement (EPIPE): nothing to do, the worker ends.
  cluster.worker?.on('error', () => {});
  const { port, handle } = await startProxy();
  serveWorker(port, handle);
}
