// The bad-input table: every case of issue 6 and more, sent as raw HTTP. Each answer must be 400, 404, 413, 415
// or 431 in our error shape (validated against the published document where the route is known) — never a
// 500, never a hang.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { errorBodySchema, type RouteName } from '@smart-mining/api-contract';
import { testDatabases } from '@smart-mining/db/testing';
import { auth, openTestApp, seedMarket, T0, type TestApp } from '../test-support.ts';
import { type OpenApiDocument, OpenApiValidator } from './openapi-validator.ts';
import { httpRequest, rawHttp } from './raw-http.ts';

type Case = {
  name: string;
  /** The route the request is meant for (its documented error answer is checked); none for unroutable ones. */
  route?: RouteName;
  request: string;
  status: 400 | 404 | 413 | 415 | 431;
  /** The message names the field: it must match this. */
  message?: RegExp;
};

const LEAP = '2026-06-30T23:59:60Z';
const json = { 'content-type': 'application/json' };
const get = (path: string) => httpRequest('GET', path);

function post(path: string, body: unknown, headers: Record<string, string>): string {
  return httpRequest(
    'POST',
    path,
    { ...json, ...headers },
    typeof body === 'string' ? body : JSON.stringify(body),
  );
}

const goodSwitch = {
  idempotencyKey: 'bad-input-0001',
  at: T0.toISOString(),
  account: 'acct',
  route: 'max-usd-coin|algorithms=etchash',
  profile: 'max-usd-coin',
  fromPoolKey: null,
  toPoolKey: '2miners:ETC',
  reason: 'starting',
  method: 'notify',
  inputs: {
    thresholdFraction: 0.03,
    minDwellS: 600,
    algorithmSwitchCostS: 60,
    dwellS: null,
    marginFraction: null,
    netMarginFraction: null,
    expectedUsdPerDay: 1,
  },
};
const goodMiner = { miner: 'acct.rig1', poolKey: '2miners:ETC', accepted: 1, rejected: 0, stale: 0 };

function cases(proxy: Record<string, string>): Case[] {
  const switches = (s: object) =>
    post('/v1/reports/switches', { proxy: 'p', switches: [{ ...goodSwitch, ...s }] }, proxy);
  const miners = (m: object, extra: object = {}) =>
    post('/v1/reports/miners', { proxy: 'p', miners: [{ ...goodMiner, ...m }], ...extra }, proxy);
  const profile = (body: unknown) => post('/v1/profiles', body, auth);
  const leap: Case[] = [
    ['coinHistory', `/v1/coins/ETC/history?from=${LEAP}`, 'from'],
    ['coinHistory', `/v1/coins/ETC/history?to=${LEAP}`, 'to'],
    ['poolHistory', `/v1/pools/2miners:ETC/history?from=${LEAP}`, 'from'],
    ['decision', `/v1/decision?algorithms=etchash&current=2miners:ETC&since=${LEAP}`, 'since'],
    ['backtest', `/v1/backtest?algorithms=etchash&from=${LEAP}&to=2026-07-01T00:00:00Z`, 'from'],
    ['backtest', `/v1/backtest?algorithms=etchash&from=2026-06-30T00:00:00Z&to=${LEAP}`, 'to'],
    ['decisions', `/v1/decisions?from=${LEAP}`, 'from'],
    ['switches', `/v1/switches?to=${LEAP}`, 'to'],
    ['miners', `/v1/miners?since=${LEAP}`, 'since'],
  ].map(([route, path, field]) => ({
    name: `leap second in ${route} ${field}`,
    route: route as RouteName,
    request: get(path!),
    status: 400,
    message: new RegExp(`^querystring/${field} must be an ISO 8601 date-time`),
  }));
  const query = (name: string, route: RouteName, path: string, message: RegExp): Case => ({
    name,
    route,
    request: get(path),
    status: 400,
    message,
  });
  return [
    ...leap,
    query(
      'February 30th',
      'coinHistory',
      '/v1/coins/ETC/history?from=2026-02-30T00:00:00Z',
      /^querystring\/from /,
    ),
    query('a time without a zone', 'miners', '/v1/miners?since=2026-06-30T12:00:00', /^querystring\/since /),
    query(
      'year 0 in a history range',
      'coinHistory',
      '/v1/coins/ETC/history?from=0000-01-01T00:00:00Z',
      /^querystring\/from is too far before to/,
    ),
    query(
      'year 9999 in a history range',
      'poolHistory',
      '/v1/pools/2miners:ETC/history?from=9999-12-31T00:00:00Z',
      /^querystring\/from must be before to$/,
    ),
    query(
      'from after to',
      'switches',
      '/v1/switches?from=2026-11-25T11:00:00Z&to=2026-11-25T10:00:00Z',
      /^querystring\/from must be before to$/,
    ),
    query(
      'bucketS=Infinity',
      'coinHistory',
      '/v1/coins/ETC/history?bucketS=Infinity',
      /^querystring\/bucketS must be a finite number$/,
    ),
    query(
      'bucketS=1e309',
      'coinHistory',
      '/v1/coins/ETC/history?bucketS=1e309',
      /^querystring\/bucketS must be a finite number$/,
    ),
    query(
      'bucketS=NaN',
      'coinHistory',
      '/v1/coins/ETC/history?bucketS=NaN',
      /^querystring\/bucketS must be an integer$/,
    ),
    query(
      'bucketS=1.5',
      'coinHistory',
      '/v1/coins/ETC/history?bucketS=1.5',
      /^querystring\/bucketS must be an integer$/,
    ),
    query(
      'bucketS too small for the range',
      'coinHistory',
      '/v1/coins/ETC/history?from=2026-01-01T00:00:00Z&bucketS=60',
      /^querystring\/bucketS is too small/,
    ),
    query(
      'electricityUsdPerKwh=1e309',
      'ranking',
      '/v1/ranking?electricityUsdPerKwh=1e309',
      /^querystring\/electricityUsdPerKwh must be a finite number$/,
    ),
    query(
      'electricityUsdPerKwh=1e308',
      'ranking',
      '/v1/ranking?electricityUsdPerKwh=1e308',
      /^querystring\/electricityUsdPerKwh must be <= 10$/,
    ),
    query(
      'electricityUsdPerKwh=-1',
      'ranking',
      '/v1/ranking?electricityUsdPerKwh=-1',
      /^querystring\/electricityUsdPerKwh must be >= 0$/,
    ),
    query(
      'electricityUsdPerKwh=-Infinity',
      'ranking',
      '/v1/ranking?electricityUsdPerKwh=-Infinity',
      /^querystring\/electricityUsdPerKwh must be a finite number$/,
    ),
    query('limit=0', 'ranking', '/v1/ranking?limit=0', /^querystring\/limit must be >= 1$/),
    query('limit=100000', 'switches', '/v1/switches?limit=100000', /^querystring\/limit must be <= 1000$/),
    query(
      'includeStale=maybe',
      'ranking',
      '/v1/ranking?includeStale=maybe',
      /^querystring\/includeStale must be a boolean$/,
    ),
    query(
      'stepS=Infinity',
      'backtest',
      '/v1/backtest?algorithms=etchash&from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z&stepS=Infinity',
      /^querystring\/stepS must be a finite number$/,
    ),
    query(
      'hashrateHs=1e309',
      'decision',
      '/v1/decision?algorithms=etchash&hashrateHs=1e309',
      /^querystring\/hashrateHs must be H\/s above 0/,
    ),
    query(
      'hashrateHs=0',
      'ranking',
      '/v1/ranking?algorithms=etchash&hashrateHs=0',
      /^querystring\/hashrateHs must be H\/s above 0/,
    ),
    query(
      'hashrateHs=1e22',
      'decision',
      '/v1/decision?algorithms=etchash&hashrateHs=1e22',
      /^querystring\/hashrateHs must be H\/s above 0/,
    ),
    query(
      'hashrateHs=fast',
      'decision',
      '/v1/decision?algorithms=etchash&hashrateHs=fast',
      /^querystring\/hashrateHs /,
    ),
    query(
      'the old name hashrate',
      'decision',
      '/v1/decision?algorithms=etchash&hashrate=1e8',
      /^querystring\/hashrate is not a known parameter \(known: .*hashrateHs/,
    ),
    query(
      'an unknown parameter',
      'coins',
      '/v1/coins?bogus=1',
      /^querystring\/bogus is not a known parameter/,
    ),
    query(
      'a parameter on a route that takes none',
      'health',
      '/health?verbose=1',
      /^querystring\/verbose is not a known parameter \(this route takes no parameters\)$/,
    ),
    query(
      'a parameter given twice',
      'switches',
      '/v1/switches?from=2026-11-25T10:00:00Z&from=2026-11-25T11:00:00Z',
      /^querystring\/from must be a string$/,
    ),
    query(
      'an unknown algorithm',
      'decision',
      '/v1/decision?algorithms=scrypto',
      /^querystring\/algorithms has unknown algorithm\(s\): scrypto$/,
    ),
    query(
      'NUL in a query value',
      'decision',
      '/v1/decision?algorithms=etchash&profile=a%00b',
      /^querystring\/profile must not contain control characters$/,
    ),
    query(
      'a bad percent-encoding in the query',
      'coins',
      '/v1/coins?coins=%E0%A4%A',
      /^querystring is not valid percent-encoding/,
    ),
    query(
      'current is not a pool key',
      'decision',
      '/v1/decision?algorithms=etchash&current=ETC',
      /^querystring\/current must be a pool key like 2miners:ETC$/,
    ),
    query(
      'since without current',
      'decision',
      '/v1/decision?algorithms=etchash&since=2026-11-25T10:00:00Z',
      /^querystring\/since needs current$/,
    ),
    query('lastEventId=-1', 'events', '/v1/events?lastEventId=-1', /^querystring\/lastEventId must be >= 0$/),
    query(
      'lastEventId=1e309',
      'events',
      '/v1/events?lastEventId=1e309',
      /^querystring\/lastEventId must be a finite number$/,
    ),
    {
      name: 'a malformed Last-Event-ID header',
      route: 'events',
      request: httpRequest('GET', '/v1/events', { 'last-event-id': 'yesterday' }),
      status: 400,
      message: /^headers\/last-event-id /,
    },
    query(
      'NUL in a path parameter',
      'coin',
      '/v1/coins/%00',
      /^params\/coin must not contain control characters$/,
    ),
    {
      name: 'a bad percent-encoding in the path',
      route: 'coin',
      request: get('/v1/coins/%E0%A4%A'),
      status: 400,
    },
    {
      name: 'a 300-character path parameter',
      request: get(`/v1/pools/${'x'.repeat(300)}`),
      status: 400,
      message: /^params has a value longer than 200 characters$/,
    },
    {
      name: 'an unknown route',
      request: get('/v1/nope'),
      status: 404,
      message: /^route GET \/v1\/nope not found$/,
    },
    {
      name: 'a method the route does not have',
      request: httpRequest('PATCH', '/v1/profiles/x'),
      status: 404,
    },
    {
      name: 'an unknown coin',
      route: 'coin',
      request: get('/v1/coins/NOPE'),
      status: 404,
      message: /^coin NOPE not found$/,
    },
    { name: 'a 20 KiB URL', request: get(`/v1/coins?coins=${'A,'.repeat(10_000)}`), status: 431 },
    {
      name: 'a 20 KiB header',
      request: httpRequest('GET', '/v1', { cookie: 'c'.repeat(20_000) }),
      status: 431,
    },
    { name: 'not HTTP at all', request: 'GARBAGE\r\n\r\n', status: 400 },
    {
      name: 'HTTP/1.1 without Host',
      request: 'GET /v1 HTTP/1.1\r\nconnection: close\r\n\r\n',
      status: 400,
      message: /^headers\/host /,
    },
    // Bodies.
    {
      name: 'a text/plain body',
      route: 'profileCreate',
      request: post('/v1/profiles', 'name=x', { ...auth, 'content-type': 'text/plain' }),
      status: 415,
    },
    {
      name: 'an XML body',
      route: 'minersReport',
      request: post('/v1/reports/miners', '<x/>', { ...proxy, 'content-type': 'application/xml' }),
      status: 415,
    },
    {
      name: 'a body without a content type',
      route: 'profileCreate',
      request: httpRequest('POST', '/v1/profiles', auth, '{}'),
      status: 415,
    },
    {
      name: 'invalid JSON',
      route: 'profileCreate',
      request: profile('{"name":'),
      status: 400,
      message: /^body is not valid JSON$/,
    },
    { name: 'an empty JSON body', route: 'profileCreate', request: profile(''), status: 400 },
    {
      name: 'a JSON array body',
      route: 'switchesReport',
      request: post('/v1/reports/switches', [], proxy),
      status: 400,
      message: /^body must be an object$/,
    },
    {
      name: 'a __proto__ key',
      route: 'profileCreate',
      request: profile('{"__proto__":{"admin":true},"name":"x"}'),
      status: 400,
    },
    {
      name: 'an unknown body field',
      route: 'profileCreate',
      request: profile({ name: 'x', definition: {}, owner: 'me' }),
      status: 400,
      message: /^body\/owner is not a known field \(known: name, definition\)$/,
    },
    {
      name: 'a misspelt definition field',
      route: 'profileCreate',
      request: profile({ name: 'x', definition: { switching: { thresold: 1 } } }),
      status: 400,
      message: /^body\/definition\/switching\/thresold is not a known field/,
    },
    {
      name: 'electricity 1e308 in a profile',
      route: 'profileCreate',
      request: profile({ name: 'x', definition: { objective: 'profit', electricityUsdPerKwh: 1e308 } }),
      status: 400,
      message: /^body\/definition\/electricityUsdPerKwh must be <= 10$/,
    },
    {
      name: 'a JSON number beyond double (1e309)',
      route: 'profileCreate',
      request: profile('{"name":"x","definition":{"filters":{"maxDataAgeS":1e309}}}'),
      status: 400,
      message: /^body\/definition\/filters\/maxDataAgeS must be a number$/,
    },
    {
      name: 'a 2 MiB profile body',
      route: 'profileCreate',
      request: profile({ name: 'x', definition: { description: 'd'.repeat(2 << 20) } }),
      status: 413,
    },
    {
      name: 'a report announced at 20 MB',
      route: 'minersReport',
      request: httpRequest(
        'POST',
        '/v1/reports/miners',
        { ...json, ...proxy, 'content-length': '20000000' },
        '{}',
      ),
      status: 413,
    },
    {
      name: 'a share count of 1e20',
      route: 'minersReport',
      request: miners({ accepted: 1e20 }),
      status: 400,
      message: /^body\/miners\/0\/accepted must be <= 9007199254740991$/,
    },
    {
      name: 'a negative share count',
      route: 'minersReport',
      request: miners({ rejected: -1 }),
      status: 400,
      message: /^body\/miners\/0\/rejected must be >= 0$/,
    },
    {
      name: 'NUL in a miner name',
      route: 'minersReport',
      request: miners({ miner: 'rig\u0000' }),
      status: 400,
      message: /^body\/miners\/0\/miner must not contain control characters$/,
    },
    {
      name: 'a miner report dated in year 9999',
      route: 'minersReport',
      request: miners({}, { reportedAt: '9999-01-01T00:00:00Z' }),
      status: 400,
      message: /^body\/reportedAt is more than 600 s in the future$/,
    },
    {
      name: 'NUL in a switch reason',
      route: 'switchesReport',
      request: switches({ reason: 'up\u0000' }),
      status: 400,
      message: /^body\/switches\/0\/reason must not contain control characters$/,
    },
    {
      name: 'a switch dated in year 9999',
      route: 'switchesReport',
      request: switches({ at: '9999-12-31T23:59:59Z' }),
      status: 400,
      message: /^body\/switches\/0\/at is more than 600 s in the future$/,
    },
    {
      name: 'a switch dated in 1970',
      route: 'switchesReport',
      request: switches({ at: '1970-01-01T00:00:00Z' }),
      status: 400,
      message: /^body\/switches\/0\/at is more than 30 days in the past$/,
    },
    {
      name: 'a switch at a leap second',
      route: 'switchesReport',
      request: switches({ at: LEAP }),
      status: 400,
      message: /^body\/switches\/0\/at must be an ISO 8601 date-time/,
    },
    {
      name: 'an unknown switch method',
      route: 'switchesReport',
      request: switches({ method: 'teleport' }),
      status: 400,
      message: /^body\/switches\/0\/method must be one of: /,
    },
    {
      name: 'an unknown switch field',
      route: 'switchesReport',
      request: switches({ note: 'x' }),
      status: 400,
      message: /^body\/switches\/0\/note is not a known field/,
    },
    {
      name: 'a switch without inputs',
      route: 'switchesReport',
      request: switches({ inputs: undefined }),
      status: 400,
      message: /^body\/switches\/0\/inputs is required$/,
    },
  ];
}

for (const database of testDatabases()) {
  describe(`bad input: only 400/404/413/415/431 in our error shape (${database.name})`, () => {
    let t: TestApp;
    let port: number;
    let validator: OpenApiValidator;
    before(async () => {
      t = await openTestApp(database, {}, seedMarket);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      port = (t.app.server.address() as AddressInfo).port;
      const doc = (await t.app.inject({ url: '/docs/json' })).json() as OpenApiDocument;
      validator = new OpenApiValidator(doc);
    });
    after(() => t.close());

    it('answers every case with a client error that names the problem, never a 500 or a hang', async () => {
      const table = cases(t.proxyAuth);
      assert.ok(table.length >= 70, `${table.length} cases`);
      for (const c of table) {
        const answer = await rawHttp(port, c.request);
        assert.equal(answer.status, c.status, `${c.name}: ${answer.status} ${answer.body.slice(0, 300)}`);
        assert.match(answer.headers['content-type'] ?? '', /^application\/json/, c.name);
        const body = JSON.parse(answer.body);
        errorBodySchema.parse(body);
        if (c.message) assert.match(body.error.message, c.message, c.name);
        if (c.route) validator.check(c.route, c.status, answer.headers['content-type'] ?? null, body);
      }
    });

    it('is still healthy afterwards', async () => {
      const res = await t.app.inject({ url: '/health' });
      assert.equal(res.statusCode, 200);
    });
  });
}
