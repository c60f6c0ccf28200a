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
      assert.match(res.json().error.message, /^body\/definition\/switching\/thresholdFraction is invalid: /);
      const badName = await t.app.inject({
        method: 'POST',
        url: '/v1/profiles',
        payload: { name: 'Bad Name', definition },
        headers: auth,
      });
      assert.equal(badName.statusCode, 400);
      assert.match(badName.json().error.message, /^body\/name must match /);
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
  });
}
