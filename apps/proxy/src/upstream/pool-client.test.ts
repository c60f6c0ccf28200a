import assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import { describe, it, mock } from 'node:test';
import { LineFramer, parseMessage, type RpcMessage } from '@smart-mining/stratum';
import { memoryDuplexPair, waitFor } from '@smart-mining/testkit';
import pino from 'pino';
import { DEFAULT_TIMINGS } from '../config.ts';
import type { ProxyContext } from '../context.ts';
import { PoolClient } from './pool-client.ts';
import type { PoolClientSink } from './pool-client-sink.ts';

type Request = Extract<RpcMessage, { kind: 'request' }>;

/** A pool end that hands each request line to `answer`, which writes what the pool says back. */
function scriptedPool(answer: (req: Request, say: (line: object) => void) => void): {
  stream: Duplex;
  seen: Request[];
} {
  const [ours, theirs] = memoryDuplexPair();
  const seen: Request[] = [];
  const say = (line: object) => theirs.write(`${JSON.stringify(line)}\n`);
  const framer = new LineFramer(64 * 1024, {
    onLine(line) {
      const msg = parseMessage(line);
      if (msg.kind !== 'request') return;
      seen.push(msg);
      answer(msg, say);
    },
    onLineError() {},
  });
  theirs.on('data', (chunk: Buffer) => framer.push(chunk));
  return { stream: ours, seen };
}

/** A client dialing `stream` (or, given a function, the stream it makes for each attempt), with its sink's events. */
function client(
  stream: Duplex | (() => Duplex),
  timings = DEFAULT_TIMINGS,
): { client: PoolClient; events: string[] } {
  const events: string[] = [];
  const ctx = {
    agent: 'test/1',
    timings,
    logger: pino({ level: 'silent' }),
    dial: typeof stream === 'function' ? stream : () => stream,
    now: () => 0,
    nowS: 0,
  } as unknown as ProxyContext;
  const sink = {
    poolSubscribed: () => events.push('subscribed'),
    poolReady: () => events.push('ready'),
    poolDown: (reason: string) => events.push(`down: ${reason}`),
  } as unknown as PoolClientSink;
  const c = new PoolClient(ctx, {
    endpoints: [{ host: '127.0.0.1', port: 1, tls: false, dialect: 'stratum-v1' }],
    username: 'wallet.w1',
    password: 'x',
    versionMask: 0,
    sink,
  });
  return { client: c, events };
}

const subscribed = (id: unknown) => ({ id, result: [[['mining.notify', 'ab']], 'f0000001', 8], error: null });

describe('pool client: the handshake', () => {
  it('sends subscribe and authorize together: ready after one answer from the pool', async () => {
    // This pool answers nothing until it has both, as a client waiting for the subscribe answer would wait for ever.
    const pool = scriptedPool((req, say) => {
      if (req.method !== 'mining.authorize') return;
      const sub = pool.seen.find((r) => r.method === 'mining.subscribe')!;
      say(subscribed(sub.id));
      say({ id: req.id, result: true, error: null });
    });
    const { client: c, events } = client(pool.stream);
    c.start();
    await waitFor(() => c.state === 'ready', { what: 'ready' });
    assert.deepEqual(events, ['subscribed', 'ready']);
    assert.deepEqual(
      pool.seen.slice(0, 2).map((r) => r.method),
      ['mining.subscribe', 'mining.authorize'],
    );
    assert.equal(c.extranonce1, 'f0000001');
    c.close();
  });

  it('an authorize answered before the subscribe: ready once the subscribe answer comes', async () => {
    const pool = scriptedPool((req, say) => {
      if (req.method !== 'mining.authorize') return;
      say({ id: req.id, result: true, error: null });
      say(subscribed(pool.seen.find((r) => r.method === 'mining.subscribe')!.id));
    });
    const { client: c, events } = client(pool.stream);
    c.start();
    await waitFor(() => c.state === 'ready', { what: 'ready' });
    assert.deepEqual(events, ['subscribed', 'ready']);
    c.close();
  });

  it('a pool refusing subscribe with params: a bare subscribe and a new authorize; the first refusal does not count', async () => {
    let subscribedOnce = false;
    const pool = scriptedPool((req, say) => {
      if (req.method === 'mining.subscribe') {
        if (Array.isArray(req.params) && req.params.length > 0) {
          say({ id: req.id, result: null, error: [20, 'params not supported', null] });
          return;
        }
        subscribedOnce = true;
        say(subscribed(req.id));
        return;
      }
      if (req.method === 'mining.authorize') {
        if (subscribedOnce) say({ id: req.id, result: true, error: null });
        else say({ id: req.id, result: null, error: [25, 'Not subscribed', null] });
      }
    });
    const { client: c, events } = client(pool.stream);
    c.start();
    await waitFor(() => c.state === 'ready', { what: 'ready' });
    assert.deepEqual(events, ['subscribed', 'ready'], 'never down');
    assert.deepEqual(
      pool.seen.filter((r) => r.method !== 'mining.extranonce.subscribe').map((r) => r.method),
      ['mining.subscribe', 'mining.authorize', 'mining.subscribe', 'mining.authorize'],
    );
    c.close();
  });

  it('an authorize refused after a good subscribe: down, with the pool’s reason', async () => {
    const pool = scriptedPool((req, say) => {
      if (req.method === 'mining.subscribe') say(subscribed(req.id));
      if (req.method === 'mining.authorize')
        say({ id: req.id, result: null, error: [24, 'Unauthorized worker', null] });
    });
    const { client: c, events } = client(pool.stream);
    c.start();
    await waitFor(() => events.some((e) => e.startsWith('down')), { what: 'down' });
    assert.match(
      events.find((e) => e.startsWith('down'))!,
      /authorize wallet\.w1 refused: Unauthorized worker/,
    );
    c.close();
  });
});

describe('pool client: a pool that asks it to reconnect', () => {
  /** Lets in-memory streams and the coalesced writer run (they use setImmediate, not the mocked setTimeout). */
  const flush = async () => {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  };

  it('on every connection, before any job: each new attempt waits the backoff, longer each time, never at once', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const timings = { ...DEFAULT_TIMINGS, reconnectMinMs: 1000, reconnectMaxMs: 60_000 };
      let dials = 0;
      const { client: c } = client(() => {
        dials++;
        // A pool that sends its miners elsewhere (an address the proxy will not dial) as soon as they log in.
        return scriptedPool((req, say) => {
          if (req.method === 'mining.subscribe') say(subscribed(req.id));
          if (req.method !== 'mining.authorize') return;
          say({ id: req.id, result: true, error: null });
          say({ id: null, method: 'client.reconnect', params: ['elsewhere.example', 3333, 0] });
        }).stream;
      }, timings);
      c.start();
      // The n-th redirect waits at least half of reconnectMinMs · 2^(n−1) (the jitter takes off at most half).
      for (let n = 1; n <= 4; n++) {
        await flush();
        assert.equal(c.state, 'waiting', `redirect ${n}`);
        const leastMs = (timings.reconnectMinMs * 2 ** (n - 1)) / 2;
        mock.timers.tick(leastMs - 1);
        await flush();
        assert.equal(dials, n, `no new connection within ${leastMs - 1} ms of redirect ${n}`);
        mock.timers.tick(leastMs + 1);
        await flush();
        assert.equal(dials, n + 1, `a new connection after redirect ${n}`);
      }
      c.close();
    } finally {
      mock.timers.reset();
    }
  });
});
