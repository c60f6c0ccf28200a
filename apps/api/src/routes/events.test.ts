// Tests for /v1/events over a real socket: log → NOTIFY → SSE frames with ids, Last-Event-ID resume, catch-up
// after the listener reconnects, heartbeat, close, two API instances.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createDb, EVENTS_CHANNEL } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { connectSse } from '@smart-mining/testkit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { auth, marketChanged, openTestApp, T0, type TestApp, waitFor } from '../test-support.ts';

const INGESTED = `"cause":"ingest","ingestedAt":"${T0.toISOString()}"`;

async function eventsUrl(app: FastifyInstance): Promise<string> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/events`;
}

for (const database of testDatabases()) {
  describe(`event stream (${database.name})`, () => {
    let t: TestApp;
    let url: string;
    before(async () => {
      t = await openTestApp(database, { eventsHeartbeatMs: 100 });
      url = await eventsUrl(t.app);
    });
    after(() => t.close());

    it('relays each logged event to every client with its id, after the transaction commits', async () => {
      const [a, b] = await Promise.all([connectSse(url), connectSse(url)]);
      assert.equal(a.response.statusCode, 200);
      assert.match(a.response.headers['content-type'] as string, /^text\/event-stream/);
      assert.equal(a.response.headers['cache-control'], 'no-cache, no-transform');
      const id = await marketChanged(t.db);
      const frame = new RegExp(
        `id: ${id}\nevent: rankings-changed\ndata: \\{"id":${id},"at":"[^"]+",${INGESTED}\\}\n\n`,
      );
      await Promise.all([a.waitFor(frame), b.waitFor(frame)]);
      a.close();
      b.close();
    });

    it('announces nothing for a change rolled back, ignores a malformed notification', async () => {
      const client = await connectSse(url);
      await t.db
        .transaction(async (tx) => {
          await tx.query(`INSERT INTO events (type, payload) VALUES ('rankings-changed', '{}')`);
          throw new Error('rolled back');
        })
        .catch(() => {});
      await t.db.notify(EVENTS_CHANNEL, 'not an id');
      const id = await marketChanged(t.db);
      await client.waitFor(`id: ${id}\n`);
      assert.equal(client.text().split('event: ').length, 2);
      client.close();
    });

    it('opens with the newest id, so a client that saw no event can resume from it', async () => {
      const newest = await marketChanged(t.db);
      await waitFor(
        async () => (await t.app.inject({ url: '/health' })).json().events.lastEventId === newest,
        'relay',
      );
      const quiet = await connectSse(url);
      assert.match(quiet.text(), new RegExp(`^retry: 5000\nid: ${newest}\n: connected\n\n`));
      quiet.close();
    });

    it('replays what a client missed from Last-Event-ID (header or query), then goes live', async () => {
      const first = await marketChanged(t.db);
      const second = await marketChanged(t.db);
      const third = await marketChanged(t.db);
      const resumed = await connectSse(url, { 'last-event-id': String(first) });
      await resumed.waitFor(`id: ${third}\n`);
      const text = resumed.text();
      assert.ok(text.indexOf(`id: ${second}\n`) < text.indexOf(`id: ${third}\n`));
      assert.ok(!text.includes(`id: ${first}\n`));
      const live = await marketChanged(t.db);
      await resumed.waitFor(`id: ${live}\n`);
      resumed.close();
      const byQuery = await connectSse(`${url}?lastEventId=${second}`);
      await byQuery.waitFor(`id: ${live}\n`);
      assert.ok(!byQuery.text().includes(`id: ${second}\n`));
      byQuery.close();
    });

    it('sends a catch-up when a resume reaches past the retained log', async () => {
      const client = await connectSse(url, { 'last-event-id': '999999999' });
      await client.waitFor(/event: catch-up\ndata: \{"reason":"resume-gap",/);
      client.close();
      const bad = await t.app.inject({ url: '/v1/events', headers: { 'last-event-id': 'yesterday' } });
      assert.equal(bad.statusCode, 400);
      assert.equal(
        bad.json().error.message,
        'headers/last-event-id must be an event id (a non-negative integer)',
      );
    });

    it("announces a proxy's miners report and its new switches, not a switch sent again", async () => {
      const client = await connectSse(url);
      const post = (path: string, payload: object) =>
        t.app.inject({ method: 'POST', url: path, payload, headers: t.proxyAuth });
      const miners = [
        { miner: 'acct.rig1', poolKey: '2miners:ETC', accepted: 1, rejected: 0, stale: 0 },
        { miner: 'acct.rig2', poolKey: '2miners:ETC', accepted: 2, rejected: 0, stale: 0 },
      ];
      assert.equal((await post('/v1/reports/miners', { proxy: 'p-events', miners })).statusCode, 200);
      await client.waitFor(
        /event: miners-reported\ndata: \{"id":\d+,"at":"[^"]+","proxy":"p-events","miners":2\}/,
      );
      const report = {
        proxy: 'p-events',
        switches: [
          {
            idempotencyKey: 'events-switch-1',
            at: '2026-11-25T11:59:00Z',
            account: 'acct',
            route: 'max-usd-coin|algorithms=etchash',
            profile: 'max-usd-coin',
            fromPoolKey: '2miners:ETC',
            toPoolKey: 'nanopool:ETC',
            reason: 'switching to ETC@nanopool',
            method: 'notify',
            inputs: {
              thresholdFraction: 0.03,
              minDwellS: 600,
              algorithmSwitchCostS: 0,
              dwellS: 900,
              marginFraction: 0.05,
              netMarginFraction: 0.05,
              expectedUsdPerDay: 1,
            },
          },
        ],
      };
      assert.equal((await post('/v1/reports/switches', report)).json().stored, 1);
      await client.waitFor('event: switch\n');
      const data = JSON.parse(/event: switch\ndata: (.*)\n/.exec(client.text())![1]!);
      assert.equal(data.proxy, 'p-events');
      assert.deepEqual(data.switches, [
        {
          account: 'acct',
          route: 'max-usd-coin|algorithms=etchash',
          toPoolKey: 'nanopool:ETC',
          at: '2026-11-25T11:59:00.000Z',
        },
      ]);
      assert.equal((await post('/v1/reports/switches', report)).json().duplicates, 1);
      // A market event after the duplicate: had the duplicate been announced, it would come before.
      const id = await marketChanged(t.db);
      await client.waitFor(`id: ${id}\n`);
      assert.equal(client.text().split('event: switch\n').length, 2);
      client.close();
    });

    it('announces profile writes, so other instances reload at once', async () => {
      const client = await connectSse(url);
      await t.app.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: { name: 'evented', definition: {} },
        headers: auth,
      });
      await client.waitFor(/data: \{[^}]*"cause":"profile"[^}]*"change":"created"[^}]*"profile":"evented"/);
      client.close();
    });

    it('keeps the connection open with heartbeat comments', async () => {
      const client = await connectSse(url);
      await client.waitFor(': heartbeat\n\n');
      client.close();
    });

    it('beats every 15 s by default, not at once', async () => {
      const quiet = await buildApp({ db: t.db, ensureBuiltIns: false });
      try {
        const client = await connectSse(await eventsUrl(quiet));
        const id = await marketChanged(t.db);
        await client.waitFor(`id: ${id}\n`);
        assert.ok(!client.text().includes(': heartbeat'), client.text());
        client.close();
      } finally {
        await quiet.close();
      }
    });

    it('counts connected clients and forgets those that disconnect', async () => {
      const clients = async () => {
        const metrics = (await t.app.inject({ url: '/metrics' })).body;
        return Number(/^sm_api_event_stream_clients (\d+)$/m.exec(metrics)?.[1]);
      };
      // Clients of earlier tests may still be closing on the server side.
      await waitFor(async () => (await clients()) === 0, 'no clients');
      const client = await connectSse(url);
      assert.equal(await clients(), 1);
      client.close();
      await waitFor(async () => (await clients()) === 0, 'the client to be forgotten');
    });

    it('ends open streams when an app closes, close does not hang, the other app keeps relaying', async () => {
      const closing = await buildApp({ db: t.db, ensureBuiltIns: false });
      const client = await connectSse(await eventsUrl(closing));
      await closing.close();
      await client.ended;
      const survivor = await connectSse(url);
      const id = await marketChanged(t.db);
      await survivor.waitFor(`id: ${id}\n`);
      survivor.close();
    });

    it('two API instances on one database both deliver the event', async () => {
      // PGlite is in-process: both instances share it. On PostgreSQL each has its own pool and LISTEN session.
      const db = t.db.url ? await createDb({ databaseUrl: t.db.url }) : t.db;
      const second = await buildApp({ db, ensureBuiltIns: false });
      try {
        const [a, b] = await Promise.all([connectSse(url), connectSse(await eventsUrl(second))]);
        const id = await marketChanged(t.db);
        await Promise.all([a.waitFor(`id: ${id}\n`), b.waitFor(`id: ${id}\n`)]);
        a.close();
        b.close();
      } finally {
        await second.close();
        if (db !== t.db) await db.close();
      }
    });

    if (database.name === 'postgres') {
      it('after its LISTEN connection drops, replays what was committed meanwhile and sends a catch-up', async () => {
        const client = await connectSse(url);
        const listener = async () =>
          t.db.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
          );
        const [session] = await listener();
        assert.ok(session, 'a LISTEN session');
        await t.db.query('SELECT pg_terminate_backend($1)', [session.pid]);
        // Committed while no LISTEN session exists: its NOTIFY reaches nobody.
        const missed = await marketChanged(t.db);
        await client.waitFor(`id: ${missed}\n`);
        await client.waitFor(
          /event: catch-up\ndata: \{"reason":"listener-reconnected","lastEventId":\d+,"replayed":\d+\}/,
        );
        const health = (await t.app.inject({ url: '/health' })).json();
        assert.equal(health.events.listening, true);
        client.close();
      });
    }
  });
}
