// Tests for /v1/profiles: public reads, token-guarded writes, built-ins protected, definitions validated.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '@smart-mining/db/testing';
import { auth, openTestApp, type TestApp } from '../test-support.ts';

const definition = {
  description: 'ETC only, sticky',
  filters: { coins: { allow: ['ETC'] }, maxDataAgeS: 300 },
  switching: { thresholdFraction: 0.1 },
};

for (const database of testDatabases()) {
  describe(`profile routes (${database.name})`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(database);
    });
    after(() => t.close());

    it('lists the built-in profiles, first, with their definitions', async () => {
      const res = await t.app.inject({ url: '/v1/profiles' });
      assert.equal(res.statusCode, 200);
      const profiles = res.json().profiles as {
        name: string;
        builtIn: boolean;
        definition: { scope: string };
      }[];
      assert.deepEqual(
        profiles.map((p) => [p.name, p.builtIn]),
        [
          ['fixed', true],
          ['max-profit', true],
          ['max-usd-coin', true],
          ['max-usd-hashrate', true],
        ],
      );
      assert.equal(profiles.find((p) => p.name === 'max-usd-hashrate')!.definition.scope, 'hardware');
    });

    it('gets one profile and 404s an unknown one', async () => {
      const res = await t.app.inject({ url: '/v1/profiles/max-profit' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().definition.objective, 'profit');
      assert.equal(res.json().definition.electricityUsdPerKwh, 0.1);
      assert.equal((await t.app.inject({ url: '/v1/profiles/nope' })).statusCode, 404);
    });

    it('refuses writes without a token or with a wrong one (401)', async () => {
      const payload = { name: 'etc-only', definition };
      const none = await t.app.inject({ method: 'POST', url: '/v1/profiles', payload });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().error.code, 'SM_API_UNAUTHORIZED');
      for (const authorization of ['Bearer wrong', 'Bearer test-token-012345678', 'Basic dGVzdA==']) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/profiles',
          payload,
          headers: { authorization },
        });
        assert.equal(res.statusCode, 401, authorization);
      }
      const del = await t.app.inject({ method: 'DELETE', url: '/v1/profiles/max-profit' });
      assert.equal(del.statusCode, 401);
      assert.equal((await t.app.inject({ url: '/v1/profiles/etc-only' })).statusCode, 404);
    });

    it('creates a profile with defaults filled in, then refuses the same name (409)', async () => {
      const payload = { name: 'etc-only', definition };
      const res = await t.app.inject({ method: 'POST', url: '/v1/profiles', payload, headers: auth });
      assert.equal(res.statusCode, 201);
      const body = res.json();
      assert.equal(body.name, 'etc-only');
      assert.equal(body.builtIn, false);
      assert.equal(body.createdAt, '2026-11-25T12:00:00.000Z');
      assert.deepEqual(body.definition.filters, { coins: { allow: ['ETC'] }, maxDataAgeS: 300 });
      assert.equal(body.definition.switching.thresholdFraction, 0.1);
      assert.equal(body.definition.switching.minDwellS, 600);
      assert.equal(body.definition.priceBasis, 'current');
      const again = await t.app.inject({ method: 'POST', url: '/v1/profiles', payload, headers: auth });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'SM_API_PROFILE_EXISTS');
    });

    it('names the bad field of an invalid definition or name (400)', async () => {
      const bad = { ...definition, switching: { thresholdFraction: 2 } };
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: { name: 'bad', definition: bad },
        headers: auth,
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'SM_API_BAD_PARAMETER');
      assert.equal(res.json().error.message, 'body/definition/switching/thresholdFraction must be <= 1');
      const badName = await t.app.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: { name: 'Bad Name', definition },
        headers: auth,
      });
      assert.equal(badName.statusCode, 400);
      assert.equal(
        badName.json().error.message,
        'body/name must be 1 to 63 lowercase letters, digits, - and _, starting with a letter or digit',
      );
      const missing = await t.app.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: { name: 'x' },
        headers: auth,
      });
      assert.equal(missing.json().error.message, 'body/definition is required');
      const profitWithoutPrice = await t.app.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: { name: 'p', definition: { objective: 'profit' } },
        headers: auth,
      });
      assert.match(
        profitWithoutPrice.json().error.message,
        /^body\/definition\/electricityUsdPerKwh is invalid/,
      );
    });

    it('updates a user profile; built-ins cannot be updated (409)', async () => {
      const payload = { definition: { ...definition, priceBasis: 'avg_1h' } };
      const res = await t.app.inject({ method: 'PUT', url: '/v1/profiles/etc-only', payload, headers: auth });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().definition.priceBasis, 'avg_1h');
      const stored = await t.app.inject({ url: '/v1/profiles/etc-only' });
      assert.equal(stored.json().definition.priceBasis, 'avg_1h');
      const builtIn = await t.app.inject({
        method: 'PUT',
        url: '/v1/profiles/max-usd-coin',
        payload,
        headers: auth,
      });
      assert.equal(builtIn.statusCode, 409);
      assert.equal(builtIn.json().error.code, 'SM_API_BUILT_IN_PROFILE');
      const missing = await t.app.inject({ method: 'PUT', url: '/v1/profiles/nope', payload, headers: auth });
      assert.equal(missing.statusCode, 404);
    });

    it('deletes a user profile; a built-in cannot be deleted (409)', async () => {
      const builtIn = await t.app.inject({
        method: 'DELETE',
        url: '/v1/profiles/max-usd-coin',
        headers: auth,
      });
      assert.equal(builtIn.statusCode, 409);
      assert.deepEqual(builtIn.json().error, {
        code: 'SM_API_BUILT_IN_PROFILE',
        message: 'profile max-usd-coin is built in and cannot be changed or deleted',
      });
      const res = await t.app.inject({ method: 'DELETE', url: '/v1/profiles/etc-only', headers: auth });
      assert.equal(res.statusCode, 204);
      assert.equal(res.body, '');
      assert.equal((await t.app.inject({ url: '/v1/profiles/etc-only' })).statusCode, 404);
      const again = await t.app.inject({ method: 'DELETE', url: '/v1/profiles/etc-only', headers: auth });
      assert.equal(again.statusCode, 404);
      assert.equal((await t.app.inject({ url: '/v1/profiles/max-usd-coin' })).statusCode, 200);
    });

    it('refuses every write when no token is configured (403)', async () => {
      const { buildApp } = await import('../app.ts');
      const open = await buildApp({ db: t.db, ensureBuiltIns: false });
      try {
        const res = await open.inject({ method: 'DELETE', url: '/v1/profiles/x', headers: auth });
        assert.equal(res.statusCode, 403);
        assert.equal(res.json().error.code, 'SM_API_WRITES_DISABLED');
      } finally {
        await open.close();
      }
    });

    it('serves the version as ETag and refuses a write with a stale If-Match (412)', async () => {
      const put = (ifMatch: string | undefined, thresholdFraction: number) =>
        t.app.inject({
          method: 'PUT',
          url: '/v1/profiles/etag-test',
          payload: { definition: { switching: { thresholdFraction } } },
          headers: { ...auth, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        });
      const created = await t.app.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: { name: 'etag-test', definition: {} },
        headers: auth,
      });
      assert.equal(created.headers.etag, '"1"');
      const read = await t.app.inject({ url: '/v1/profiles/etag-test' });
      assert.equal(read.headers.etag, '"1"');
      assert.equal(read.json().version, 1);
      const first = await put('"1"', 0.05);
      assert.equal(first.statusCode, 200);
      assert.equal(first.headers.etag, '"2"');
      // A second writer that read version 1 too: its update would be lost, so it is refused.
      const lost = await put('"1"', 0.07);
      assert.equal(lost.statusCode, 412);
      assert.deepEqual(lost.json().error, {
        code: 'SM_API_PRECONDITION_FAILED',
        message: 'headers/if-match "1" is not the current version "2" of profile etag-test: read it again',
      });
      assert.equal((await put('*', 0.08)).statusCode, 200);
      assert.equal((await put(undefined, 0.09)).json().version, 4);
      const stale = await t.app.inject({
        method: 'DELETE',
        url: '/v1/profiles/etag-test',
        headers: { ...auth, 'if-match': '"2"' },
      });
      assert.equal(stale.statusCode, 412);
      const gone = await t.app.inject({
        method: 'DELETE',
        url: '/v1/profiles/etag-test',
        headers: { ...auth, 'if-match': '"4"' },
      });
      assert.equal(gone.statusCode, 204);
    });

    it('concurrent deletes, updates and creates of one profile never answer "built in"', async () => {
      const payload = { name: 'racy', definition: {} };
      const statuses = new Set<number>();
      const codes = new Set<string>();
      for (let round = 0; round < 10; round++) {
        const answers = await Promise.all([
          t.app.inject({ method: 'POST', url: '/v1/profiles', payload, headers: auth }),
          t.app.inject({
            method: 'PUT',
            url: '/v1/profiles/racy',
            payload: { definition: {} },
            headers: auth,
          }),
          t.app.inject({ method: 'DELETE', url: '/v1/profiles/racy', headers: auth }),
        ]);
        for (const a of answers) {
          statuses.add(a.statusCode);
          if (a.statusCode >= 400) codes.add(a.json().error.code);
        }
      }
      assert.ok(
        [...statuses].every((s) => [200, 201, 204, 404, 409].includes(s)),
        [...statuses].join(),
      );
      assert.ok(!codes.has('SM_API_BUILT_IN_PROFILE'), [...codes].join());
    });

    it('announces each profile write as a rankings-changed event, in the write transaction', async () => {
      const events = async () =>
        t.db.query<{ payload: { profile: string; change: string } }>(
          `SELECT payload FROM events WHERE payload->>'profile' = 'announced' ORDER BY id`,
        );
      const write = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
        t.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
      await write('POST', '/v1/profiles', { name: 'announced', definition: {} });
      await write('PUT', '/v1/profiles/announced', { definition: { objective: 'revenue' } });
      await write('PUT', '/v1/profiles/announced', { definition: { switching: { thresholdFraction: 9 } } });
      await write('DELETE', '/v1/profiles/announced');
      await write('DELETE', '/v1/profiles/announced');
      assert.deepEqual(
        (await events()).map((e) => e.payload.change),
        ['created', 'updated', 'deleted'],
      );
    });

    it('takes profile writes only with the admin token: a proxy token is forbidden, a raw token unauthorized', async () => {
      const url = '/v1/profiles/anything';
      const asProxy = await t.app.inject({ method: 'DELETE', url, headers: t.proxyAuth });
      assert.equal(asProxy.statusCode, 403);
      assert.equal(asProxy.json().error.code, 'SM_API_FORBIDDEN');
      // The token alone, without the "Bearer " scheme, is not a credential.
      const raw = await t.app.inject({
        method: 'DELETE',
        url,
        headers: { authorization: auth.authorization.slice(7) },
      });
      assert.equal(raw.statusCode, 401);
      assert.deepEqual(raw.json().error, {
        code: 'SM_API_UNAUTHORIZED',
        message: 'headers/authorization must be "Bearer <token>"',
      });
      const wrong = await t.app.inject({ method: 'DELETE', url, headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.statusCode, 401);
      const none = await t.app.inject({ method: 'DELETE', url });
      assert.equal(none.statusCode, 401);
      // The token is checked before the body: one that would not validate still gets 403 or 401.
      const bad = { name: 'x', definition: { objective: 'usd' } };
      const post = (headers: Record<string, string>) =>
        t.app.inject({ method: 'POST', url: '/v1/profiles', payload: bad, headers });
      assert.equal((await post(t.proxyAuth)).statusCode, 403);
      assert.equal((await post({})).statusCode, 401);
    });
  });
}
