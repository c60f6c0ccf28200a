// Tests for /v1/events over a real socket: NOTIFY → SSE frame, fan-out, heartbeat, close, two API instances.

import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createDb, type Db, notifyRankingsChanged, RANKINGS_CHANNEL } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { openTestApp, T0, type TestApp } from '../test-support.ts';

const FRAME = `event: rankings-changed\ndata: {"ingestedAt":"${T0.toISOString()}"}\n\n`;

interface SseClient {
  response: IncomingMessage;
  text(): string;
  /** Resolves once the stream holds `expected` (or rejects after a timeout). */
  waitFor(expected: string, timeoutMs?: number): Promise<void>;
  ended: Promise<void>;
  close(): void;
}

async function listenOn(app: FastifyInstance): Promise<string> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/events`;
}

function connect(url: string): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const request = get(url, (response) => {
      let buffer = '';
      const waiters = new Set<() => void>();
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (const check of waiters) check();
      });
      const ended = new Promise<void>((done) => response.on('close', done));
      const waitFor = (expected: string, timeoutMs = 5000) =>
        new Promise<void>((done, fail) => {
          const timer = setTimeout(
            () => fail(new Error(`no ${JSON.stringify(expected)} in ${buffer}`)),
            timeoutMs,
          );
          const check = () => {
            if (!buffer.includes(expected)) return;
            clearTimeout(timer);
            waiters.delete(check);
            done();
          };
          waiters.add(check);
          check();
        });
      const client = { response, text: () => buffer, waitFor, ended, close: () => request.destroy() };
      client.waitFor(': connected').then(() => resolve(client), reject);
    });
    request.on('error', reject);
  });
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function databaseUrlOf(db: Db): Promise<string> {
  const [row] = await db.query<{ name: string }>('SELECT current_database() AS name');
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${row!.name}`;
  return url.toString();
}

for (const database of testDatabases()) {
  describe(`event stream (${database.name})`, () => {
    let t: TestApp;
    let url: string;
    before(async () => {
      t = await openTestApp(database, { eventsHeartbeatMs: 100 });
      url = await listenOn(t.app);
    });
    after(() => t.close());

    it('sends rankings-changed to every client after a NOTIFY, as server-sent events', async () => {
      const [a, b] = await Promise.all([connect(url), connect(url)]);
      assert.equal(a.response.statusCode, 200);
      assert.match(a.response.headers['content-type'] as string, /^text\/event-stream/);
      assert.equal(a.response.headers['cache-control'], 'no-cache, no-transform');
      await notifyRankingsChanged(t.db, T0);
      await Promise.all([a.waitFor(FRAME), b.waitFor(FRAME)]);
      a.close();
      b.close();
    });

    it('ignores a malformed notification and relays the next good one', async () => {
      const client = await connect(url);
      await t.db.notify(RANKINGS_CHANNEL, 'not json');
      await t.db.notify(RANKINGS_CHANNEL, JSON.stringify({ ingestedAt: '2026-11-25T13:00:00Z' }));
      await client.waitFor('data: {"ingestedAt":"2026-11-25T13:00:00.000Z"}\n\n');
      assert.equal(client.text().split('event: ').length, 2);
      client.close();
    });

    it('keeps the connection open with heartbeat comments', async () => {
      const client = await connect(url);
      await client.waitFor(': heartbeat\n\n');
      client.close();
    });

    it('counts connected clients and forgets those that disconnect', async () => {
      const clients = async () => {
        const metrics = (await t.app.inject({ url: '/metrics' })).body;
        return Number(/^sm_api_event_stream_clients (\d+)$/m.exec(metrics)?.[1]);
      };
      // Clients of earlier tests may still be closing on the server side.
      await waitUntil(async () => (await clients()) === 0);
      const client = await connect(url);
      assert.equal(await clients(), 1);
      client.close();
      await waitUntil(async () => (await clients()) === 0);
    });

    it('ends open streams when an app closes, close does not hang, the other app keeps listening', async () => {
      const closing = await buildApp({ db: t.db, ensureBuiltIns: false });
      const client = await connect(await listenOn(closing));
      await closing.close();
      await client.ended;
      const survivor = await connect(await listenOn(t.app));
      await notifyRankingsChanged(t.db, T0);
      await survivor.waitFor(FRAME);
      survivor.close();
    });

    it('two API instances on one database both deliver the event after one NOTIFY', async () => {
      // PGlite is in-process: both instances share it. On PostgreSQL each has its own pool and LISTEN session.
      const db =
        database.name === 'postgres' ? await createDb({ databaseUrl: await databaseUrlOf(t.db) }) : t.db;
      const second = await buildApp({ db, ensureBuiltIns: false });
      try {
        const [a, b] = await Promise.all([connect(await listenOn(t.app)), connect(await listenOn(second))]);
        await notifyRankingsChanged(t.db, T0);
        await Promise.all([a.waitFor(FRAME), b.waitFor(FRAME)]);
        a.close();
        b.close();
      } finally {
        await second.close();
        if (db !== t.db) await db.close();
      }
    });
  });
}
