// A pool written line by line in a test, on a real TCP port: each request the proxy sends goes to the test's
// script, which answers in whatever shape, order or timing a real pool might. For pool behaviours the simulated
// pool does not have (odd subscribe answers, unusual submit verdicts, pushes at odd moments).

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { LineFramer, type NotifyParams, parseMessage, type RpcMessage } from '@smart-mining/stratum';

export type ScriptRequest = Extract<RpcMessage, { kind: 'request' }>;

export interface ScriptConnection {
  readonly id: number;
  readonly socket: Socket;
  /** Every request received, in order. */
  readonly requests: ScriptRequest[];
  /** Answers the proxy gave to this pool's own requests (ping, get_version …). */
  readonly answers: RpcMessage[];
  /** Writes one JSON line (an object is stringified) or raw text as it is. */
  say(line: object | string): void;
}

export type PoolScript = (req: ScriptRequest, conn: ScriptConnection) => void;

export class ScriptPool {
  readonly connections: ScriptConnection[] = [];
  #server: Server;
  #port = 0;

  private constructor(script: PoolScript) {
    this.#server = createServer((socket) => this.#accept(socket, script));
  }

  static async start(script: PoolScript): Promise<ScriptPool> {
    const pool = new ScriptPool(script);
    pool.#server.listen(0, '127.0.0.1');
    await once(pool.#server, 'listening');
    pool.#port = (pool.#server.address() as { port: number }).port;
    return pool;
  }

  get port(): number {
    return this.#port;
  }

  /** Open connections. */
  get open(): ScriptConnection[] {
    return this.connections.filter((c) => !c.socket.destroyed);
  }

  /** Every request with this method, over all connections. */
  requests(method: string): ScriptRequest[] {
    return this.connections.flatMap((c) => c.requests.filter((r) => r.method === method));
  }

  /** The params of the n-th mining.submit received (negative: from the end). */
  submitted(n = -1): string[] {
    const req = this.requests('mining.submit').at(n);
    if (req === undefined) throw new Error(`no mining.submit at ${n}`);
    return req.params as string[];
  }

  broadcast(line: object | string): void {
    for (const c of this.open) c.say(line);
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    if (this.#server.listening) {
      this.#server.close();
      await once(this.#server, 'close');
    }
  }

  #accept(socket: Socket, script: PoolScript): void {
    const requests: ScriptRequest[] = [];
    const answers: RpcMessage[] = [];
    const conn: ScriptConnection = {
      id: this.connections.length + 1,
      socket,
      requests,
      answers,
      say(line) {
        if (!socket.destroyed) socket.write(typeof line === 'string' ? line : `${JSON.stringify(line)}\n`);
      },
    };
    this.connections.push(conn);
    const framer = new LineFramer(1024 * 1024, {
      onLine(line) {
        const msg = parseMessage(line);
        if (msg.kind === 'request') {
          requests.push(msg);
          script(msg, conn);
        } else if (msg.kind === 'response' || msg.kind === 'error') {
          answers.push(msg);
        }
      },
      onLineError() {},
    });
    socket.on('data', (chunk: Buffer) => framer.push(chunk));
    socket.on('error', () => {});
  }
}

/** A job with random block data (the proxy checks shares against it exactly). */
export function scriptJob(jobId: string, over: Partial<NotifyParams> = {}): NotifyParams {
  return {
    jobId,
    prevhash: randomBytes(32).toString('hex'),
    coinb1: `01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20${randomBytes(4).toString('hex')}`,
    coinb2: `ffffffff0100f2052a010000001976a914${'11'.repeat(20)}88ac00000000`,
    merkleBranch: [randomBytes(32).toString('hex')],
    version: '20000000',
    nbits: '1703a30c',
    ntime: Math.floor(Date.now() / 1000)
      .toString(16)
      .padStart(8, '0'),
    cleanJobs: true,
    ...over,
  };
}

/** The wire params of a notify, in order. */
export function notifyParams(job: NotifyParams): unknown[] {
  return [
    job.jobId,
    job.prevhash,
    job.coinb1,
    job.coinb2,
    job.merkleBranch,
    job.version,
    job.nbits,
    job.ntime,
    job.cleanJobs,
  ];
}

export const notifyLine = (job: NotifyParams) => ({
  id: null,
  method: 'mining.notify',
  params: notifyParams(job),
});

export const difficultyLine = (difficulty: number) => ({
  id: null,
  method: 'mining.set_difficulty',
  params: [difficulty],
});
