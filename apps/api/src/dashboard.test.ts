// Tests for serving the built dashboard at /: files with their cache headers, and the JSON routes untouched.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testDatabases } from '@smart-mining/db/testing';
import { DASHBOARD_NOT_BUILT } from './dashboard.ts';
import { openTestApp, type TestApp } from './test-support.ts';

// Static files do not depend on the database: PGlite alone is enough.
const pglite = testDatabases({})[0]!;

describe('dashboard at /', () => {
  let dir: string;
  let t: TestApp;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sm-dashboard-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Smart Mining</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1);');
    t = await openTestApp(pglite, { dashboardDir: dir });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and revalidates it', async () => {
    const res = await t.app.inject({ url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /<title>Smart Mining<\/title>/);
    assert.equal(res.headers['cache-control'], 'no-cache');
  });

  it('serves hashed assets as immutable', async () => {
    const res = await t.app.inject({ url: '/assets/index-abc123.js' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.match(String(res.headers['cache-control']), /immutable/);
  });

  it('leaves the JSON API and its 404 as they were', async () => {
    assert.equal((await t.app.inject({ url: '/v1' })).json().docs, '/docs');
    const missing = await t.app.inject({ url: '/nothing-here.js' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'SM_API_NOT_FOUND');
    assert.equal((await t.app.inject({ url: '/docs/json' })).statusCode, 200);
  });
});

describe('dashboard not built', () => {
  it('answers / with 503 and the command that builds it', async () => {
    const t = await openTestApp(pglite, { dashboardDir: join(tmpdir(), 'sm-no-such-dashboard') });
    try {
      const res = await t.app.inject({ url: '/' });
      assert.equal(res.statusCode, 503);
      assert.equal(res.body, DASHBOARD_NOT_BUILT);
    } finally {
      await t.close();
    }
  });
});
