// Tests for an unknown device: on an empty database the answer says no hardware data has arrived and where to look.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '@smart-mining/db/testing';
import { openTestApp, type TestApp } from './test-support.ts';

for (const database of testDatabases()) {
  describe(`unknown device on a database without hardware (${database.name})`, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(database);
    });
    after(() => t.close());

    for (const route of ['/v1/decision?profile=max-usd-hashrate&', '/v1/ranking?']) {
      it(`${route.split('?')[0]} says no hardware data has arrived yet and where to look`, async () => {
        const res = await t.app.inject({ url: `${route}hardware=nvidia-rtx-3080` });
        assert.equal(res.statusCode, 400);
        const { code, message } = res.json().error;
        assert.equal(code, 'SM_API_BAD_PARAMETER');
        assert.match(
          message,
          /^querystring\/hardware is not a known device: nvidia-rtx-3080; no hardware data has arrived yet\./,
        );
        assert.match(message, /MINERSTAT_API_KEY/);
        assert.match(message, /\/health shows each source's last run/);
        assert.match(message, /smart-mining replay/);
      });
    }
  });
}
