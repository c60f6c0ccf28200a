// The event stream's own connection handling on a real socket: a stream that goes silent is dropped and resumed
// with Last-Event-ID, the resume announces a catch-up, events map to the proxy's, and stop() ends it.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { waitFor } from '@smart-mining/testkit';
import { pino } from 'pino';
import type { DecisionEvent } from '../ports.ts';
import { ApiEventStream, toDecisionEvent } from './event-stream.ts';

describe('ApiEventStream', () => {
  const requests: (string | undefined)[] = [];
  const open: ServerResponse[] = [];
  const server = createServer((req, res) => {
    requests.push(req.headers['last-event-id'] as string | undefined);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    open.push(res);
    if (requests.length === 1) {
      // One event, then silence (no keep-alive comment): the client must give up on this connection.
      res.write(
        'id: 41\n\nid: 42\nevent: rankings-changed\ndata: {"id":42,"at":"2026-11-30T08:00:00Z","cause":"ingest"}\n\n',
      );
    } else {
      res.write(
        ': keep-alive\n\nid: 43\nevent: rankings-changed\ndata: {"id":43,"at":"2026-11-30T08:00:01Z","cause":"profile","profile":"p1","change":"updated"}\n\n',
      );
    }
  });
  after(() => {
    for (const res of open) res.destroy();
    server.close();
  });

  it('drops a silent stream, resumes with Last-Event-ID, and says catch-up', async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const stream = new ApiEventStream({
      urls: [url],
      logger: pino({ level: 'silent' }),
      silenceMs: 300,
      reconnectMinMs: 20,
      reconnectMaxMs: 50,
    });
    const seen: DecisionEvent[] = [];
    stream.subscribe((e) => seen.push(e));
    stream.start();
    try {
      await waitFor(() => seen.length >= 3, { what: 'events from both connections', timeoutMs: 10_000 });
      assert.deepEqual(requests.slice(0, 2), [undefined, '42']);
      assert.deepEqual(seen.slice(0, 3), [
        { kind: 'rankings-changed' },
        { kind: 'catch-up' },
        { kind: 'profile-changed', profile: 'p1' },
      ]);
      assert.equal(stream.lastEventId, '43');
    } finally {
      stream.stop();
    }
    assert.equal(stream.state, 'stopped');
  });

  it('maps API events: catch-up and rankings (malformed too), and ignores others', () => {
    const ev = (event: string, data: string) => toDecisionEvent({ event, data, lastEventId: '' });
    assert.deepEqual(ev('catch-up', '{"reason":"resume-gap","lastEventId":3,"replayed":0}'), {
      kind: 'catch-up',
    });
    // A catch-up whose body this proxy cannot read (a newer API's reason) still means "ask again".
    assert.deepEqual(ev('catch-up', '{"reason":"restored","lastEventId":3,"replayed":0}'), {
      kind: 'catch-up',
    });
    assert.deepEqual(ev('catch-up', 'not json'), { kind: 'catch-up' });
    assert.deepEqual(ev('rankings-changed', 'not json'), { kind: 'rankings-changed' });
    assert.equal(ev('message', '{}'), undefined);
  });
});

describe('ApiEventStream against what is not a stream', () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  });
  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    const s = createServer(handler).listen(0, '127.0.0.1');
    servers.push(s);
    await once(s, 'listening');
    return `http://127.0.0.1:${(s.address() as { port: number }).port}`;
  }
  const sse = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    res.write('retry: 5000\nid: 7\n: connected\n\n');
  };

  /** A stream following `urls` with a quick reconnect, started, and the events it emits. */
  const follow = (urls: string[]) => {
    const stream = new ApiEventStream({
      urls,
      logger: pino({ level: 'silent' }),
      reconnectMinMs: 20,
      reconnectMaxMs: 50,
    });
    const seen: DecisionEvent[] = [];
    stream.subscribe((e) => seen.push(e));
    stream.start();
    return { stream, seen };
  };

  it('a 200 page that is no event stream is a failed connect: the next URL is used, no catch-up per page', async () => {
    let pages = 0;
    const page = await serve((_req, res) => {
      pages++;
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    });
    const good = await serve(sse);
    const { stream, seen } = follow([page, good]);
    try {
      await waitFor(() => stream.state === 'open' && stream.url === good, {
        what: 'stream open on the URL that serves one',
        timeoutMs: 10_000,
      });
      assert.equal(pages, 1);
      assert.equal(stream.lastEventId, '7');
      // One catch-up at most: the open after the failed attempt, never one per page served.
      assert.ok(seen.filter((e) => e.kind === 'catch-up').length <= 1, JSON.stringify(seen));
    } finally {
      stream.stop();
    }
  });

  it('a stream closed as soon as it opens is retried with a growing delay, not every half second', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(': bye\n\n');
    });
    const delays: number[] = [];
    const logger = pino(
      { level: 'warn' },
      {
        write: (line: string) => {
          const entry = JSON.parse(line) as { msg: string; retryInMs?: number };
          if (entry.msg === 'event stream broken' && entry.retryInMs !== undefined)
            delays.push(entry.retryInMs);
        },
      },
    );
    const stream = new ApiEventStream({ urls: [url], logger, reconnectMinMs: 10, reconnectMaxMs: 60_000 });
    stream.start();
    try {
      await waitFor(() => delays.length >= 6, { what: 'six closed streams', timeoutMs: 10_000 });
      // Each delay is drawn from [base/2, base] with base = 10 ms · 2^(n−1): the sixth from [160, 320] ms.
      assert.ok(delays[5]! >= 160, JSON.stringify(delays));
    } finally {
      stream.stop();
    }
  });

  it('the first open after failed attempts says catch-up: decisions asked meanwhile failed', async () => {
    let requests = 0;
    const url = await serve((req, res) => {
      requests++;
      if (requests === 1) {
        res.writeHead(503, { 'retry-after': '1' }).end('{"error":{"code":"SM_API_STARTING","message":"x"}}');
        return;
      }
      sse(req, res);
    });
    const { stream, seen } = follow([url]);
    try {
      await waitFor(() => seen.some((e) => e.kind === 'catch-up'), {
        what: 'catch-up on the first open after a failure',
        timeoutMs: 10_000,
      });
      assert.equal(stream.state, 'open');
      assert.equal(requests, 2);
    } finally {
      stream.stop();
    }
  });
});
