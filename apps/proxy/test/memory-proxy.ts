// A proxy wired to simulated pools over in-memory streams, with a hand-driven clock and tick: unit tests of
// sessions and upstreams without ports or timers.

import type { Duplex } from 'node:stream';
import {
  decodeV1Call,
  LineFramer,
  type LineSink,
  type NotifyParams,
  parseMessage,
  type RpcMessage,
} from '@smart-mining/stratum';
import {
  memoryDuplexPair,
  SIM_DIFFICULTY,
  SimPool,
  type SimPoolOptions,
  waitFor,
} from '@smart-mining/testkit';
import type { Logger } from 'pino';
import type { ListenerInput, ProxyTimings } from '../src/config.ts';
import type { ConnectionInfo } from '../src/downstream/miner-session.ts';
import type { Target } from '../src/ports.ts';
import { createProxy, type StratumProxy } from '../src/proxy.ts';
import {
  localTarget,
  MemoryDecisionSource,
  MemoryDirectory,
  MemoryReportSink,
  testAccount,
} from './memory-ports.ts';

/** A miner end of an in-memory connection: write lines, read every message. */
export class DuplexClient implements LineSink {
  readonly messages: RpcMessage[] = [];
  readonly badLines: string[] = [];
  closed = false;
  #framer = new LineFramer(1024 * 1024, this);
  #nextId = 1;

  constructor(readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => this.#framer.push(chunk));
    stream.on('close', () => {
      this.closed = true;
    });
    stream.on('error', () => {});
  }

  onLine(line: string): void {
    try {
      this.messages.push(parseMessage(line));
    } catch {
      this.badLines.push(line);
    }
  }

  onLineError(): void {
    this.badLines.push('(too long)');
  }

  write(text: string | Buffer): void {
    this.stream.write(text);
  }

  async request(method: string, params: unknown[] = []): Promise<RpcMessage> {
    const id = this.#nextId++;
    this.write(`${JSON.stringify({ id, method, params })}\n`);
    return this.answer(id);
  }

  answer(id: number | string | null): Promise<RpcMessage> {
    return waitFor(
      () => this.messages.find((m) => m.id === id && (m.kind === 'response' || m.kind === 'error')),
      { what: `answer to ${id}` },
    );
  }

  /** mining.submit of a share (extranonce2, ntime, nonce), with `extra` params after them (version bits). */
  submit(
    jobId: string,
    share: { extranonce2: string; ntime: string; nonce: string },
    extra: unknown[] = [],
    worker = 'acct.w1',
  ): Promise<RpcMessage> {
    return this.request('mining.submit', [
      worker,
      jobId,
      share.extranonce2,
      share.ntime,
      share.nonce,
      ...extra,
    ]);
  }

  /** The difficulty of the last mining.set_difficulty (NaN: none yet). */
  difficulty(): number {
    return (this.calls('mining.set_difficulty').at(-1)?.params as number[] | undefined)?.[0] ?? Number.NaN;
  }

  /** Every job received, decoded. */
  jobs(): NotifyParams[] {
    return this.calls('mining.notify').map((call) => {
      const decoded = decodeV1Call(call, 'pool');
      if (decoded.method !== 'mining.notify') throw new Error('not a notify');
      return decoded.params;
    });
  }

  /** The answer to a request, as `true` or the error code. */
  static outcome(msg: RpcMessage): unknown {
    return msg.kind === 'error' ? msg.error.code : msg.kind === 'response' ? msg.result : undefined;
  }

  /** Calls (pushes) received with this method, in order. */
  calls(method: string): Extract<RpcMessage, { method: string }>[] {
    return this.messages.filter(
      (m): m is Extract<RpcMessage, { method: string }> => 'method' in m && m.method === method,
    );
  }
}

export interface MemoryProxy {
  proxy: StratumProxy;
  pools: Map<string, SimPool>;
  targets: Map<string, Target>;
  decisions: MemoryDecisionSource;
  directory: MemoryDirectory;
  reports: MemoryReportSink;
  /** Moves the clock and runs one tick. */
  advance(ms: number): void;
  connect(info?: ConnectionInfo): DuplexClient;
  /** Subscribed and authorized, with its first job received. */
  miner(
    username?: string,
    password?: string,
  ): Promise<{ client: DuplexClient; extranonce1: string; extranonce2Size: number }>;
  stop(): Promise<void>;
}

export async function memoryProxy(
  options: {
    algorithm?: 'sha256d' | 'scrypt';
    pools?: { poolKey: string; options?: Partial<SimPoolOptions> }[];
    listener?: Partial<ListenerInput>;
    timings?: Partial<ProxyTimings>;
    logger?: Logger;
  } = {},
): Promise<MemoryProxy> {
  const algorithm = options.algorithm ?? 'sha256d';
  const pools = new Map<string, SimPool>();
  const targets = new Map<string, Target>();
  const byPort = new Map<number, SimPool>();
  let port = 1;
  for (const p of options.pools ?? [{ poolKey: 'a:BTC' }]) {
    const pool = new SimPool({ algorithm, difficulty: SIM_DIFFICULTY[algorithm], ...p.options });
    pools.set(p.poolKey, pool);
    byPort.set(port, pool);
    targets.set(p.poolKey, localTarget(p.poolKey, port++, { algorithm }));
  }
  let nowMs = Date.UTC(2026, 0, 1);
  const decisions = new MemoryDecisionSource([...targets.values()]);
  const directory = new MemoryDirectory(
    [testAccount('acct', ['BTC', 'LTC', 'BCH', 'DOGE'])],
    [...targets.values()],
  );
  const reports = new MemoryReportSink();
  const proxy = createProxy({
    listeners: [{ algorithm, port: 3333, ...options.listener }],
    decisions,
    directory,
    reports,
    now: () => nowMs,
    autoTick: false,
    timings: options.timings,
    ...(options.logger ? { logger: options.logger } : {}),
    dial: (endpoint) => {
      const [ours, theirs] = memoryDuplexPair();
      byPort.get(endpoint.port)?.handle(theirs);
      return ours;
    },
  });
  const connect = (info: ConnectionInfo = {}) => {
    const [minerEnd, proxyEnd] = memoryDuplexPair();
    proxy.handle(proxyEnd, {
      remoteAddress: '10.0.0.1',
      localAddress: '127.0.0.1',
      localPort: 3333,
      ...info,
    });
    return new DuplexClient(minerEnd);
  };
  return {
    proxy,
    pools,
    targets,
    decisions,
    directory,
    reports,
    advance(ms) {
      nowMs += ms;
      proxy.tick();
    },
    connect,
    async miner(username = 'acct.w1', password = 'x') {
      const client = connect();
      const sub = await client.request('mining.subscribe', ['test/1']);
      const result = (sub as { result: [unknown, string, number] }).result;
      const auth = await client.request('mining.authorize', [username, password]);
      if (auth.kind !== 'response' || auth.result !== true) throw new Error(JSON.stringify(auth));
      await waitFor(() => client.calls('mining.notify').length > 0, { what: 'first job' });
      return { client, extranonce1: result[1], extranonce2Size: result[2] };
    },
    async stop() {
      await proxy.close();
      for (const pool of pools.values()) await pool.stop();
    },
  };
}

/** `seconds` of the proxy's clock, a tick each second, then a new job from pool `poolKey` reaching `client`. */
export async function secondsThenAJob(
  proxy: MemoryProxy,
  client: DuplexClient,
  seconds: number,
  poolKey = 'a:BTC',
): Promise<void> {
  for (let i = 0; i < seconds; i++) proxy.advance(1000);
  const jobs = client.jobs().length;
  proxy.pools.get(poolKey)!.pushJob();
  await waitFor(() => client.jobs().length > jobs, { what: 'the next job' });
}
