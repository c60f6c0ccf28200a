// Tests for `smart-mining token`: a created token is printed once and works for reports only; revoked, it is refused.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildApp } from '@smart-mining/api';
import { createDb, findActiveToken, migrate } from '@smart-mining/db';
import { loadConfig } from '@smart-mining/platform';
import { issueInProcessProxyToken } from '../compose.ts';
import { tokenCreate, tokenList, tokenRevoke } from './token.ts';

function sink() {
  const sink = { text: '', write: (chunk: string) => (sink.text += chunk) };
  return sink;
}

describe('token command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm-token-'));
  const config = loadConfig({ file: null, env: { SM_DATA_DIR: dir } });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates, lists and revokes proxy tokens; only the digest is stored', async () => {
    const out = sink();
    assert.equal(await tokenCreate('proxy-1', { config, out }), 0);
    const token = out.text.split('\n')[0]!;
    assert.match(token, /^smp_[A-Za-z0-9_-]{43}$/);
    assert.match(out.text, /shown only this once/);
    const again = await tokenCreate('proxy-1', { config, out: sink() }).catch((e: Error) => e.message);
    assert.match(String(again), /already named proxy-1/);

    const listed = sink();
    await tokenList({ config, out: listed });
    assert.match(listed.text, /^proxy-1\tproxy\tcreated \S+\tactive\n$/);
    assert.ok(!listed.text.includes(token));

    const db = await createDb({ dataDir: dir });
    try {
      const [row] = await db.query<{ token_sha256: string }>('SELECT token_sha256 FROM api_tokens');
      assert.notEqual(row!.token_sha256, token);
      assert.equal((await findActiveToken(db, token))?.name, 'proxy-1');
      const app = await buildApp({ db, ensureBuiltIns: false });
      const report = () =>
        app.inject({
          method: 'POST',
          url: '/v1/reports/miners',
          payload: { proxy: 'proxy-1', miners: [] },
          headers: { authorization: `Bearer ${token}` },
        });
      assert.equal((await report()).statusCode, 200);
      await app.close();
      await db.close();

      assert.equal(await tokenRevoke('proxy-1', { config, out: sink() }), 0);
      const err = sink();
      assert.equal(await tokenRevoke('proxy-1', { config, out: sink(), err }), 1);
      assert.match(err.text, /no active token named "proxy-1"/);

      const reopened = await createDb({ dataDir: dir });
      const app2 = await buildApp({ db: reopened, ensureBuiltIns: false });
      const refused = await app2.inject({
        method: 'POST',
        url: '/v1/reports/miners',
        payload: { proxy: 'proxy-1', miners: [] },
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(refused.statusCode, 401);
      await app2.close();
      await reopened.close();
    } finally {
      await db.close().catch(() => {});
    }
  });

  it('gives the in-process proxy a fresh token on every start, revoking the last one', async () => {
    const db = await createDb();
    try {
      await migrate(db);
      const first = await issueInProcessProxyToken(db);
      const second = await issueInProcessProxyToken(db);
      assert.notEqual(first, second);
      assert.equal(await findActiveToken(db, first), undefined);
      assert.deepEqual(await findActiveToken(db, second), { name: 'in-process', scope: 'proxy' });
    } finally {
      await db.close();
    }
  });
});
