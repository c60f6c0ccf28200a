// The API client's failure handling on real sockets: a URL that does not answer in time gives way to the next,
// 5xx too, and so do answers that are not the API's (a page, a body off the contract, an HTML 4xx); the API's 4xx
// does not (the request itself is wrong); a switch report the API never takes is given up after its bounded
// attempts, and retries run one pass at a time.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { closedPort, waitFor } from '@smart-mining/testkit';
import { pino } from 'pino';
import { z } from 'zod';
import type { SwitchReport } from '../ports.ts';
import { ApiClient, type ApiClientError, apiBaseUrls } from './api-client.ts';
import { HttpReportSink } from './report-client.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function server(handler: Handler): Promise<{ url: string; server: Server }> {
  const s = createServer(handler).listen(0, '127.0.0.1');
  await once(s, 'listening');
  return { url: `http://127.0.0.1:${(s.address() as { port: number }).port}`, server: s };
}

const ok = z.object({ ok: z.literal(true) });

describe('ApiClient', () => {
  const servers: Server[] = [];
  let silent: string;
  let failing: string;
  let good: string;
  let refusing: string;
  let odd: string;
  let htmlOk: string;
  let html404: string;
  const seen: { url: string; auth: string | undefined }[] = [];

  before(async () => {
    const add = async (h: Handler) => {
      const s = await server(h);
      servers.push(s.server);
      return s.url;
    };
    silent = await add(() => {}); // never answers
    failing = await add((_req, res) =>
      res.writeHead(503).end('{"error":{"code":"SM_API_DATABASE_UNAVAILABLE","message":"db"}}'),
    );
    good = await add((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    refusing = await add((_req, res) =>
      res
        .writeHead(400)
        .end('{"error":{"code":"SM_API_BAD_PARAMETER","message":"querystring/profile: unknown"}}'),
    );
    odd = await add((_req, res) => res.writeHead(200).end('{"ok":"yes"}'));
    // Something else on the address (a web server's page, a load balancer's error): not the API talking.
    htmlOk = await add((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>'),
    );
    html404 = await add((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html>404 Not Found</html>'),
    );
  });
  after(() => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  });

  it('moves past a URL that does not answer in time and one that answers 5xx, and starts at the good one next', async () => {
    // Long enough for the good server on a loaded machine; the silent one costs it once.
    const client = new ApiClient({ urls: [silent, failing, good], timeoutMs: 2000, token: 'secret' });
    assert.deepEqual(await client.get('/v1/x', ok), { ok: true });
    assert.equal(client.preferredUrl, good);
    const started = Date.now();
    await client.post('/v1/reports/miners', { a: 1 }, ok);
    assert.ok(Date.now() - started < 2000, 'the good URL first');
    assert.deepEqual(seen.at(-1), { url: '/v1/reports/miners', auth: 'Bearer secret' });
    assert.equal(seen.at(-2)?.auth, undefined, 'no token on reads');
  });

  it('names every URL when none answers', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const client = new ApiClient({ urls: [silent, down], timeoutMs: 200 });
    await assert.rejects(client.get('/v1/x', ok), (e: ApiClientError) => {
      assert.equal(e.code, 'SM_PROXY_API_UNREACHABLE');
      assert.match(e.message, new RegExp(`${silent}/v1/x: no answer within 200 ms`));
      assert.match(e.message, new RegExp(`${down}/v1/x: ECONNREFUSED`));
      return true;
    });
  });

  it('does not try further after a 4xx, and refuses an answer off the contract', async () => {
    const refused = new ApiClient({ urls: [refusing, good] });
    await assert.rejects(refused.get('/v1/x', ok), (e: ApiClientError) => {
      assert.equal(e.code, 'SM_PROXY_API_REFUSED');
      assert.equal(e.status, 400);
      assert.match(e.message, /SM_API_BAD_PARAMETER: querystring\/profile: unknown/);
      return true;
    });
    await assert.rejects(new ApiClient({ urls: [odd] }).get('/v1/x', ok), (e: ApiClientError) => {
      assert.equal(e.code, 'SM_PROXY_API_BAD_ANSWER');
      assert.match(e.message, /ok:/);
      return true;
    });
  });

  it('moves past a URL whose answer is not the API (garbage, another shape) and starts at the good one next', async () => {
    const client = new ApiClient({ urls: [htmlOk, odd, good], timeoutMs: 2000 });
    assert.deepEqual(await client.get('/v1/x', ok), { ok: true });
    assert.equal(client.preferredUrl, good);
    await assert.rejects(new ApiClient({ urls: [htmlOk, odd] }).get('/v1/x', ok), (e: ApiClientError) => {
      assert.equal(e.code, 'SM_PROXY_API_BAD_ANSWER');
      assert.match(e.message, new RegExp(`${htmlOk}/v1/x: not JSON`));
      assert.match(e.message, new RegExp(`${odd}/v1/x: ok:`));
      return true;
    });
  });

  it('takes a 4xx without the API error body for no answer: not "not found", not a refusal', async () => {
    const client = new ApiClient({ urls: [html404, good], timeoutMs: 2000 });
    assert.deepEqual(await client.get('/v1/profiles/p', ok, { notFoundIsNull: true }), { ok: true });
    assert.equal(client.preferredUrl, good);
    await assert.rejects(
      new ApiClient({ urls: [html404] }).get('/v1/profiles/p', ok, { notFoundIsNull: true }),
      (e: ApiClientError) => {
        assert.equal(e.code, 'SM_PROXY_API_UNREACHABLE');
        assert.match(e.message, /HTTP 404 <html>404 Not Found/);
        return true;
      },
    );
  });

  it('checks its URLs', () => {
    assert.deepEqual(apiBaseUrls(['http://a:8080/', 'https://b/api']), ['http://a:8080', 'https://b/api']);
    assert.throws(() => apiBaseUrls([]), /no API URL/);
    assert.throws(() => apiBaseUrls(['ftp://a']), /http or https only/);
    assert.throws(() => apiBaseUrls(['nope']), /not a URL/);
  });
});

function switchReport(idempotencyKey: string): SwitchReport {
  return {
    idempotencyKey,
    at: new Date(),
    route: { algorithm: 'scrypt', profile: 'max-usd-coin', hardware: null, account: 'a' },
    from: null,
    to: 'sim:LTC',
    trigger: 'fallback',
    reason: 'no decision yet',
    inputs: null,
    decisionRoute: null,
    method: 'notify',
    methods: { notify: 1, set_extranonce: 0, reconnect: 0 },
    miners: ['a.w'],
    durationMs: 5,
  };
}

describe('HttpReportSink', () => {
  it('gives a switch report up after its attempts, spaced by a growing delay', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const logged: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line).msg) });
    const sink = new HttpReportSink(new ApiClient({ urls: [down], timeoutMs: 500 }), {
      proxyId: 'p',
      logger,
      switchAttempts: 3,
      retryMinMs: 20,
      retryMaxMs: 40,
    });
    await sink.switched(switchReport('k-00000001'));
    assert.equal(sink.pending, 1);
    const deadline = Date.now() + 10_000;
    while (!logged.includes('switch report given up') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(logged.filter((m) => m === 'switch report not delivered').length, 3);
    assert.ok(logged.includes('switch report given up'));
    assert.equal(sink.pending, 0);
    sink.close();
  });

  it('retries one pass at a time: a switch failing during a slow pass neither starts a second pass nor is lost', async () => {
    const held: { key: string; res: ServerResponse }[] = [];
    const delivered: string[] = [];
    let phase: 'hold' | 'retry' = 'hold';
    let slow: { key: string; res: ServerResponse } | undefined;
    let refusedC = false;
    const answer = (res: ServerResponse, status: number, key: string) => {
      if (status === 200) delivered.push(key);
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(
          status === 200
            ? '{"stored":1,"duplicates":0}'
            : '{"error":{"code":"SM_API_DATABASE_UNAVAILABLE","message":"db"}}',
        );
    };
    const s = await server((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c;
      });
      req.on('end', () => {
        const key = (JSON.parse(body) as { switches: { idempotencyKey: string }[] }).switches[0]!
          .idempotencyKey;
        if (phase === 'hold') {
          held.push({ key, res });
        } else if (key === 'key-000c' && !refusedC) {
          refusedC = true;
          answer(res, 503, key);
        } else if (slow === undefined) {
          slow = { key, res }; // the first retry of the pass hangs
        } else if (!slow.res.writableEnded && !slow.res.destroyed) {
          // A second pass reached the other report while the first pass still waits: both answered.
          answer(res, 200, key);
          answer(slow.res, 200, slow.key);
        } else {
          answer(res, 200, key);
        }
      });
    });
    const retryMs = 1000;
    const sink = new HttpReportSink(new ApiClient({ urls: [s.url], timeoutMs: 3000 }), {
      proxyId: 'p',
      logger: pino({ level: 'silent' }),
      retryMinMs: retryMs,
      retryMaxMs: retryMs,
    });
    try {
      // Two reports kept at once, both due before their retry pass starts.
      const first = [sink.switched(switchReport('key-000a')), sink.switched(switchReport('key-000b'))];
      await waitFor(() => held.length === 2, { what: 'both first deliveries' });
      phase = 'retry';
      for (const h of held) answer(h.res, 503, h.key);
      await Promise.all(first);
      assert.equal(sink.pending, 2);
      const keptAt = Date.now();
      while (Date.now() < keptAt + retryMs + 5) {
        // Holds the event loop so the retry timer fires with both reports due.
      }
      await waitFor(() => slow !== undefined, { what: 'the pass waiting on its first report' });
      // A new switch fails meanwhile and is kept: it must wait for the pass in progress, not start another.
      await sink.switched(switchReport('key-000c'));
      await waitFor(
        () => sink.pending === 0 && ['key-000a', 'key-000b', 'key-000c'].every((k) => delivered.includes(k)),
        {
          what: 'every report delivered',
          timeoutMs: 20_000,
        },
      );
      // The report of the hung request may go twice (its first outcome is unknown), no other one.
      const others = delivered.filter((k) => k !== slow?.key);
      assert.equal(new Set(others).size, others.length, `sent twice: ${others.join(', ')}`);
    } finally {
      sink.close();
      s.server.closeAllConnections();
      s.server.close();
    }
  });
});
