// Tests for the request log: one line per request, debug for ordinary ones, info for errors and slow ones.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDb, type Db, migrate } from '@smart-mining/db';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from './app.ts';
import { RequestLogController } from './request-log.ts';

interface LogLine {
  level: number;
  msg: string;
  url?: string;
  status?: number;
  durationMs?: number;
}

/** A pino logger at `level` whose lines are kept, parsed. */
function recordingLogger(level: string) {
  const lines: LogLine[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const DEBUG = 20;
const INFO = 30;

describe('request log', () => {
  let db: Db;
  before(async () => {
    db = await createDb();
    await migrate(db);
  });
  after(() => db.close());

  it('writes one debug line per ordinary request (a /health poll) and one info line per error', async () => {
    const { logger, lines } = recordingLogger('debug');
    const app = await buildApp({ db, logger });
    try {
      assert.equal((await app.inject({ url: '/health' })).statusCode, 200);
      assert.equal((await app.inject({ url: '/v1/no-such-route' })).statusCode, 404);
      const requests = lines.filter((l) => l.url !== undefined);
      assert.deepEqual(
        requests.map((l) => [l.level, l.url, l.status]),
        [
          [DEBUG, '/health', 200],
          [INFO, '/v1/no-such-route', 404],
        ],
      );
      assert.match(requests[0]!.msg, /^GET \/health 200 \d+ ms$/);
      assert.equal(lines.filter((l) => /incoming request|request completed/.test(l.msg)).length, 0);
    } finally {
      await app.close();
    }
  });

  it('keeps health polls out of an info log', async () => {
    const { logger, lines } = recordingLogger('info');
    const app = await buildApp({ db, logger });
    try {
      for (let i = 0; i < 3; i++) await app.inject({ url: '/health' });
      assert.deepEqual(
        lines.filter((l) => l.url !== undefined),
        [],
      );
    } finally {
      await app.close();
    }
  });

  it('logs a slow request at info', async () => {
    const { logger, lines } = recordingLogger('info');
    // The same cast as buildApp: a pino logger makes Fastify's logger type narrower than the hook's.
    const app = Fastify({
      loggerInstance: logger,
      logController: new RequestLogController({ slowMs: 0 }),
    }) as unknown as FastifyInstance;
    app.get('/ok', async () => ({ ok: true }));
    try {
      assert.equal((await app.inject({ url: '/ok' })).statusCode, 200);
      assert.deepEqual(
        lines.map((l) => [l.level, l.url, l.status]),
        [[INFO, '/ok', 200]],
      );
    } finally {
      await app.close();
    }
  });
});
