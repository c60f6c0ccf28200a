// Tests for the event log: written only with its transaction, NOTIFY carries the id after commit, pruned by age.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../db.ts';
import { testDatabases } from '../testing.ts';
import { appendEvent, EVENTS_CHANNEL, eventLogBounds, pruneEvents, readEventsAfter } from './event-log.ts';

for (const database of testDatabases()) {
  describe(`event log (${database.name})`, () => {
    let db: Db;
    before(async () => {
      db = await database.open();
    });
    after(() => db.close());

    it('appends in the transaction of the change; a rollback leaves no event and no notification', async () => {
      const heard: string[] = [];
      const stop = await db.listen(EVENTS_CHANNEL, (id) => heard.push(id));
      await db
        .transaction(async (tx) => {
          await appendEvent(tx, 'rankings-changed', { cause: 'ingest' });
          throw new Error('rolled back');
        })
        .catch(() => {});
      const id = await db.transaction((tx) =>
        appendEvent(tx, 'rankings-changed', { cause: 'profile', profile: 'p' }),
      );
      const deadline = Date.now() + 10_000;
      while (!heard.includes(String(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await stop();
      assert.deepEqual(heard, [String(id)]);
      const events = await readEventsAfter(db, 0, 10);
      assert.deepEqual(
        events.map((e) => [e.id, e.type, e.payload]),
        [[id, 'rankings-changed', { cause: 'profile', profile: 'p' }]],
      );
    });

    it('reads after an id (and late ids), and prunes what is older than a time', async () => {
      const old = await appendEvent(db, 'rankings-changed', { n: 1 }, new Date('2026-01-01T00:00:00Z'));
      const recent = await appendEvent(db, 'rankings-changed', { n: 2 }, new Date('2026-11-25T00:00:00Z'));
      assert.deepEqual(
        (await readEventsAfter(db, recent, 10, [old])).map((e) => e.id),
        [old],
      );
      assert.equal(await pruneEvents(db, new Date('2026-06-01T00:00:00Z')), 1);
      assert.ok(!(await readEventsAfter(db, 0, 100)).some((e) => e.id === old));
      assert.equal((await eventLogBounds(db)).newest, recent);
    });
  });
}
