// The API as an unknown client meets it, over HTTP, on a market ingested by the real aggregator from the replay
// fixtures: what the published OpenAPI document (GET /docs/json) promises holds for reports, tokens and the
// event stream, also for requests a well-behaved client would not send.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { errorBodySchema, type RouteName } from '@smart-mining/api-contract';
import { createToken, type Db, revokeToken } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { silentLogger } from '@smart-mining/platform';
import { connectSse, type ReplayServer, startReplayServer } from '@smart-mining/testkit';
import type { FastifyInstance } from 'fastify';
import { type OpenApiDocument, OpenApiValidator } from '../../apps/api/src/contract/openapi-validator.ts';
import { httpRequest, type RawAnswer, rawHttp } from '../../apps/api/src/contract/raw-http.ts';
import { buildApp } from '../../apps/api/src/index.ts';
import { buildAggregator } from '../../apps/cli/src/compose.ts';
import { replayConfig, SNAPSHOT_NOW } from './support.ts';

const ADMIN_TOKEN = 'contract-admin-token-0123456789';
const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const reportedAt = new Date(SNAPSHOT_NOW.getTime() - 10_000).toISOString();
const miner = {
  miner: 'acct.rig1',
  poolKey: '2miners:ETC',
  accepted: 5,
  rejected: 0,
  stale: 0,
  hashrateHs: 1e8,
};
const minersBody = (m: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ proxy: 'proxy-1', reportedAt, miners: [{ ...miner, ...m }], ...extra });

for (const database of testDatabases()) {
  describe(`API contract after a real ingest (${database.name})`, () => {
    let server: ReplayServer;
    let db: Db;
    let app: FastifyInstance;
    let port: number;
    let validator: OpenApiValidator;
    let proxyToken: string;
    let revokedToken: string;

    /** Sends `request`, asserts its status, and that the answer is what the document says for `route`. */
    const expect = async (route: RouteName, request: string, status: number): Promise<RawAnswer> => {
      const answer = await rawHttp(port, request);
      assert.equal(answer.status, status, `${request.slice(0, 80)}: ${answer.body.slice(0, 300)}`);
      const contentType = answer.headers['content-type'] ?? null;
      const body = contentType?.startsWith('application/json') ? JSON.parse(answer.body) : answer.body;
      validator.check(route, status, contentType, body);
      if (status >= 400) errorBodySchema.parse(body);
      return answer;
    };
    const errorMessage = (answer: RawAnswer) =>
      (JSON.parse(answer.body) as { error: { message: string } }).error.message;

    before(async () => {
      server = await startReplayServer();
      db = await database.open();
      const now = () => SNAPSHOT_NOW;
      await buildAggregator(replayConfig(server), db, silentLogger, { now, fetch: server.fetch }).runOnce();
      proxyToken = (await createToken(db, { name: 'proxy-1' })).token;
      revokedToken = (await createToken(db, { name: 'proxy-old' })).token;
      await revokeToken(db, 'proxy-old', SNAPSHOT_NOW);
      app = await buildApp({ db, now, apiToken: ADMIN_TOKEN });
      await app.listen({ port: 0, host: '127.0.0.1' });
      port = (app.server.address() as AddressInfo).port;
      validator = new OpenApiValidator((await app.inject({ url: '/docs/json' })).json() as OpenApiDocument);
    });
    after(async () => {
      await app?.close();
      await db?.close();
      await server?.close();
    });

    it('checks the token before the body: 401/403, never 400 or 413, for a caller who may not write', async () => {
      const post = (path: string, headers: Record<string, string>, body: string) =>
        httpRequest('POST', path, { ...json, ...headers }, body);
      const noToken = await expect('minersReport', post('/v1/reports/miners', {}, '{"x":1}'), 401);
      assert.match(errorMessage(noToken), /^headers\/authorization /);
      await expect('minersReport', post('/v1/reports/miners', bearer(revokedToken), '{"proxy":'), 401);
      await expect('switchesReport', post('/v1/reports/switches', bearer('wrong'), '[]'), 401);
      await expect('switchesReport', post('/v1/reports/switches', bearer(ADMIN_TOKEN), '{}'), 403);
      await expect('profileCreate', post('/v1/profiles', bearer(proxyToken), '{}'), 403);
      // A body announced at 20 MB is not read for a caller without a token.
      const huge = httpRequest('POST', '/v1/reports/miners', { ...json, 'content-length': '20000000' }, '{}');
      await expect('minersReport', huge, 401);
      // With the token, the body's problems are named as before.
      await expect('minersReport', post('/v1/reports/miners', bearer(proxyToken), '{"x":1}'), 400);
      await expect('minersReport', post('/v1/reports/miners', bearer(proxyToken), minersBody()), 200);
    });

    it('names the scheme it takes on every 401 (WWW-Authenticate: Bearer), as HTTP requires', async () => {
      const refused = [
        httpRequest('POST', '/v1/reports/miners', json, minersBody()),
        httpRequest('POST', '/v1/reports/switches', { ...json, ...bearer(revokedToken) }, '{}'),
        httpRequest('DELETE', '/v1/profiles/max-usd-coin', bearer('wrong')),
      ];
      for (const request of refused) {
        const answer = await rawHttp(port, request);
        assert.equal(answer.status, 401, answer.body);
        assert.equal(answer.headers['www-authenticate'], 'Bearer realm="smart-mining"');
      }
    });

    it('takes report fields only as the JSON types the document gives them, never converted', async () => {
      const send = (body: string) =>
        expect(
          'minersReport',
          httpRequest('POST', '/v1/reports/miners', { ...json, ...bearer(proxyToken) }, body),
          400,
        );
      const cases: [string, RegExp][] = [
        [minersBody({ miner: 'rig-null', accepted: null }), /^body\/miners\/0\/accepted must be an integer$/],
        [minersBody({ miner: 'rig-true', rejected: true }), /^body\/miners\/0\/rejected must be an integer$/],
        [minersBody({ miner: 'rig-text', stale: '3' }), /^body\/miners\/0\/stale must be an integer$/],
        [minersBody({ miner: 'rig-proxy' }, { proxy: 7 }), /^body\/proxy must be a string$/],
        [minersBody({ miner: ['rig-list'] }), /^body\/miners\/0\/miner must be a string$/],
      ];
      for (const [body, message] of cases) assert.match(errorMessage(await send(body)), message, body);
      const listed = await expect('miners', httpRequest('GET', '/v1/miners'), 200);
      const names = (JSON.parse(listed.body) as { miners: { miner: string }[] }).miners.map((m) => m.miner);
      assert.deepEqual(names, ['acct.rig1'], 'nothing of the refused reports was stored');
    });

    it('refuses a compressed body as unsupported (415), not as JSON that does not parse', async () => {
      const headers = { ...json, ...bearer(proxyToken), 'content-encoding': 'gzip' };
      const answer = await expect(
        'minersReport',
        httpRequest('POST', '/v1/reports/miners', headers, minersBody({ miner: 'rig-gzip' })),
        415,
      );
      assert.match(errorMessage(answer), /^headers\/content-encoding gzip is not supported/);
      const identity = { ...json, ...bearer(proxyToken), 'content-encoding': 'identity' };
      await expect('minersReport', httpRequest('POST', '/v1/reports/miners', identity, minersBody()), 200);
    });

    it('deletes a profile for a client that sends Content-Type: application/json on every call', async () => {
      const admin = { ...json, ...bearer(ADMIN_TOKEN) };
      const create = JSON.stringify({ name: 'contract-empty', definition: { objective: 'revenue' } });
      await expect('profileCreate', httpRequest('POST', '/v1/profiles', admin, create), 201);
      const del = httpRequest('DELETE', '/v1/profiles/contract-empty', { ...admin, 'content-length': '0' });
      await expect('profileDelete', del, 204);
      await expect('profile', httpRequest('GET', '/v1/profiles/contract-empty'), 404);
      // A route that takes a body still says an empty one is not one.
      const empty = httpRequest('POST', '/v1/reports/miners', { ...json, ...bearer(proxyToken) }, '');
      assert.match(errorMessage(await expect('minersReport', empty, 400)), /^body is empty/);
    });

    it('refuses hashrateHs beside hardware, whose measured hashrates apply, rather than ignoring it', async () => {
      const range = 'from=2024-02-16T12:00:00Z&to=2024-02-16T16:00:00Z';
      const cases: [RouteName, string][] = [
        ['decision', '/v1/decision?hardware=nvidia-rtx-3080&hashrateHs=1'],
        ['ranking', '/v1/ranking?hardware=nvidia-rtx-3080&hashrateHs=1'],
        ['backtest', `/v1/backtest?hardware=nvidia-rtx-3080&hashrateHs=1&${range}`],
      ];
      for (const [route, url] of cases) {
        const answer = await expect(route, httpRequest('GET', url), 400);
        assert.match(errorMessage(answer), /^querystring\/hashrateHs is not taken with hardware/, url);
      }
      const decided = await expect(
        'decision',
        httpRequest('GET', '/v1/decision?hardware=nvidia-rtx-3080'),
        200,
      );
      assert.equal(
        (JSON.parse(decided.body) as { chosen: { poolKey: string } }).chosen.poolKey,
        '2miners:RVN',
      );
      const doc = (await app.inject({ url: '/docs/json' })).json() as {
        paths: Record<string, { get: { parameters: { name: string; description?: string }[] } }>;
      };
      const param = doc.paths['/v1/decision']!.get.parameters.find((p) => p.name === 'hashrateHs');
      assert.match(param?.description ?? '', /not with `hardware`/);
    });

    it('answers HEAD /v1/events with the stream headers and ends, instead of holding the connection', async () => {
      const answer = await rawHttp(port, httpRequest('HEAD', '/v1/events'), 5000);
      assert.equal(answer.status, 200);
      assert.match(answer.headers['content-type'] ?? '', /^text\/event-stream/);
      assert.equal(answer.body, '');
    });

    it('takes an empty Last-Event-ID header as none, as EventSource means it', async () => {
      const events = await connectSse(`http://127.0.0.1:${port}/v1/events`, { 'last-event-id': '' });
      assert.equal(events.response.statusCode, 200);
      await events.waitFor(/^retry: 5000\nid: \d+\n: connected\n\n$/);
      events.close();
    });

    it('on an id the log never had, sends catch-up carrying the newest id, from which a resume is clean', async () => {
      const url = `http://127.0.0.1:${port}/v1/events`;
      const fresh = await connectSse(url);
      const newest = /^id: (\d+)$/m.exec(fresh.text())?.[1];
      fresh.close();
      assert.ok(newest && Number(newest) > 0, fresh.text());
      const unknown = await connectSse(url, { 'last-event-id': String(Number(newest) + 1000) });
      await unknown.waitFor('event: catch-up');
      assert.match(
        unknown.text(),
        new RegExp(`id: ${newest}\nevent: catch-up\ndata: .*"reason":"resume-gap"`),
      );
      unknown.close();
      // Resuming from the id the catch-up gave: nothing missed, so no second catch-up.
      const resumed = await connectSse(url, { 'last-event-id': newest });
      const report = httpRequest(
        'POST',
        '/v1/reports/miners',
        { ...json, ...bearer(proxyToken) },
        minersBody(),
      );
      await expect('minersReport', report, 200);
      await resumed.waitFor('event: miners-reported');
      assert.doesNotMatch(resumed.text(), /catch-up/);
      resumed.close();
    });
  });
}
