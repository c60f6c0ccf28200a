// Tests for the first connection to PostgreSQL: URL scheme checked, "cannot connect to host:port/db", password hidden.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { createDb } from './create-db.ts';
import { describeTarget } from './postgres-connect.ts';

/** A port on 127.0.0.1 where nothing listens (it was just bound and released). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function rejectsWith(code: string, check: (message: string) => void) {
  return (e: Error & { code?: string }) => {
    assert.equal(e.code, code, e.message);
    check(e.message);
    return true;
  };
}

describe('PostgreSQL connection errors', () => {
  it('refuses a URL of another database with the expected form, without the password', async () => {
    await assert.rejects(
      createDb({ databaseUrl: 'mysql://root:s3cret@127.0.0.1:3306/mining' }),
      rejectsWith('SM_DB_URL', (m) => {
        assert.equal(
          m,
          'DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database), not mysql://…',
        );
      }),
    );
    await assert.rejects(
      createDb({ databaseUrl: 'localhost:5432' }),
      rejectsWith('SM_DB_URL', () => {}),
    );
    await assert.rejects(
      createDb({ databaseUrl: 'not a url' }),
      rejectsWith('SM_DB_URL', (m) => assert.match(m, /^DATABASE_URL is not a URL; expected postgres:\/\//)),
    );
  });

  it('says which server it cannot reach and what to do, hiding the password', async () => {
    const port = await closedPort();
    await assert.rejects(
      createDb({ databaseUrl: `postgres://alice:s3cret@127.0.0.1:${port}/mining` }),
      rejectsWith('SM_DB_CONNECT', (m) => {
        assert.match(m, new RegExp(`^cannot connect to 127\\.0\\.0\\.1:${port}/mining: .*ECONNREFUSED`));
        assert.match(m, /start PostgreSQL, or correct the host and port in DATABASE_URL$/);
        assert.doesNotMatch(m, /s3cret/);
      }),
    );
  });

  it('names the target with the defaults PostgreSQL clients use', () => {
    assert.equal(describeTarget(new URL('postgres://db.example:6543/prod')), 'db.example:6543/prod');
    assert.equal(describeTarget(new URL('postgresql://bob@10.0.0.5')), '10.0.0.5:5432/bob');
    assert.equal(
      describeTarget(new URL('postgres:///mining?host=/run/postgresql')),
      '/run/postgresql:5432/mining',
    );
  });

  const serverUrl = process.env.DATABASE_URL;
  // On the real server only (the suite's convention: defined when DATABASE_URL is set, never skipped).
  if (serverUrl)
    it('suggests creating a database that does not exist', async () => {
      const url = new URL(serverUrl);
      url.pathname = '/sm_no_such_database';
      await assert.rejects(
        createDb({ databaseUrl: url.toString() }),
        rejectsWith('SM_DB_CONNECT', (m) => {
          assert.match(m, /sm_no_such_database" does not exist/);
          assert.match(
            m,
            new RegExp(`createdb -h ${url.hostname} -p ${url.port || 5432} sm_no_such_database`),
          );
        }),
      );
    });
});
