// decisionJson writes the bytes Fastify's serializer makes from the decision route's response schema: for
// answers made up to reach every branch, and for the route's own answers on a seeded market.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROUTES } from '@smart-mining/api-contract';
import { testDatabases } from '@smart-mining/db/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { decisionJson, JSON_CONTENT_TYPE } from './decision-json.ts';
import type { DecisionResult, TargetBody } from './decision-service.ts';
import { routeOptions } from './route-schema.ts';
import { openTestApp, seedMarket, T0, type TestApp } from './test-support.ts';

/** The route's schema serialization, as the decision route had it before decisionJson. */
async function schemaSerializer(): Promise<{
  serialize(body: unknown): Promise<string>;
  close(): Promise<void>;
}> {
  let next: unknown;
  const app: FastifyInstance = Fastify();
  app.route({
    ...routeOptions(ROUTES.decision),
    schema: { response: routeOptions(ROUTES.decision).schema.response },
    handler: async () => next,
  });
  await app.ready();
  return {
    async serialize(body) {
      next = body;
      const res = await app.inject({ url: '/v1/decision' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], JSON_CONTENT_TYPE);
      return res.body;
    },
    close: () => app.close(),
  };
}

const target = (over: Partial<TargetBody> = {}): TargetBody => ({
  poolKey: '2miners:ETC',
  pool: '2miners',
  coin: 'ETC',
  algorithm: 'etchash',
  feeFraction: 0.01,
  endpoints: [
    { host: 'etc.2miners.com', port: 1010, tls: false, dialect: 'ethereum-stratum', region: 'eu' },
    { host: 'etc.2miners.com', port: 11010, tls: true, dialect: 'ethereum-stratum' },
  ],
  hashrateHs: 1e8,
  revenueUsdPerDay: 0.2683215576779691,
  costUsdPerDay: 0,
  valueUsdPerDay: -1.5e-7,
  dataAgeS: 60.123,
  ...over,
});

function answer(over: Partial<DecisionResult> = {}): DecisionResult {
  const ranked = [target(), target({ poolKey: 'nanopool:ETC', pool: 'nanopool', endpoints: [] })];
  return {
    at: new Date('2026-11-30T10:00:00.007Z'),
    profile: 'max-usd-coin',
    route: 'max-usd-coin|algorithms=etchash',
    current: '2miners:ETC',
    since: new Date('0999-01-01T00:00:00Z'),
    chosen: ranked[0]!,
    switched: false,
    reason: 'keeping ETC@2miners: ranks first at 0.2683 USD/day',
    dataAgeS: 60.123,
    snapshotAgeS: 2.5,
    snapshotStale: false,
    inputs: {
      thresholdFraction: 0.03,
      minDwellS: 600,
      algorithmSwitchCostS: 60,
      dwellS: 3600,
      marginFraction: -0.6552951186042127,
      netMarginFraction: 1e21,
      expectedUsdPerDay: 0.2683215576779691,
    },
    ranked,
    excluded: [{ poolKey: 'f2pool:ETC', why: 'too old: data 1000 s, max 900 s' }],
    ...over,
  };
}

const ANSWERS: [string, DecisionResult][] = [
  ['a kept target with its endpoints', answer()],
  [
    'nothing eligible',
    answer({
      current: null,
      since: null,
      chosen: null,
      switched: false,
      dataAgeS: null,
      snapshotStale: true,
      inputs: {
        thresholdFraction: 0,
        minDwellS: 0,
        algorithmSwitchCostS: 0,
        dwellS: null,
        marginFraction: null,
        netMarginFraction: null,
        expectedUsdPerDay: null,
      },
      ranked: [],
      excluded: [
        { poolKey: 'a:"quoted"\\', why: 'control \u0001 and tab\t, é, 🙂, lone \ud800' },
        { poolKey: 'b', why: 'x'.repeat(50) },
        { poolKey: '', why: `${'long "quoted" '.repeat(5)}` },
      ],
    }),
  ],
  [
    'a chosen target outside the ranking, odd numbers',
    answer({
      chosen: target({ poolKey: 'x:Y', feeFraction: Number.POSITIVE_INFINITY, hashrateHs: 5e-324 }),
      switched: true,
      reason: 'switching from ETC@2miners: "what" \\ why',
    }),
  ],
];

describe('decisionJson', () => {
  let schema: Awaited<ReturnType<typeof schemaSerializer>>;
  before(async () => {
    schema = await schemaSerializer();
  });
  after(() => schema.close());

  for (const [name, result] of ANSWERS) {
    it(`writes the schema's bytes: ${name}`, async () => {
      assert.equal(decisionJson(result), await schema.serialize(result));
    });
  }

  it('writes each target from its own fields when targets share an endpoint list', async () => {
    const endpoints = target().endpoints;
    const ranked = [
      target({ endpoints }),
      target({ endpoints, poolKey: 'other:ETC', pool: 'other', feeFraction: 0.02 }),
      target({ endpoints, coin: 'ETH', algorithm: 'kawpow' }),
    ];
    for (const result of [answer({ ranked }), answer({ ranked: ranked.toReversed() })]) {
      assert.equal(decisionJson(result), await schema.serialize(result));
    }
  });

  it('writes each asker its own values for one pool, more askers than are remembered included', async () => {
    const endpoints = target().endpoints;
    // Six askers of the same pool (two more than are remembered), -0 and 0 among them, twice round.
    const values = [0, -0, 1e8, 2.5e7, 3, 46450000];
    for (let round = 0; round < 2; round++) {
      for (const [i, hashrateHs] of values.entries()) {
        const t = target({
          endpoints,
          hashrateHs,
          revenueUsdPerDay: i * 0.1,
          costUsdPerDay: -0,
          dataAgeS: i,
        });
        const result = answer({ ranked: [t], chosen: t });
        assert.equal(decisionJson(result), await schema.serialize(result));
      }
    }
  });

  it('refuses NaN as the schema serializer does', () => {
    assert.throws(() => decisionJson(answer({ snapshotAgeS: Number.NaN })), /cannot be converted/);
  });

  for (const database of testDatabases()) {
    describe(`the route's answers (${database.name})`, () => {
      let t: TestApp;
      before(async () => {
        t = await openTestApp(database, {}, seedMarket);
      });
      after(() => t.close());

      const since = new Date(T0.getTime() - 3600_000).toISOString();
      for (const query of [
        'algorithms=etchash&hashrateHs=100e6',
        `profile=max-usd-hashrate&hardware=nvidia-rtx-3080&current=2miners:RVN&since=${since}`,
        'algorithms=etchash&current=nanopool:XMR',
        'algorithms=randomx',
      ]) {
        it(query, async () => {
          const res = await t.app.inject({ url: `/v1/decision?${query}` });
          assert.equal(res.statusCode, 200, res.body);
          assert.equal(res.headers['content-type'], JSON_CONTENT_TYPE);
          assert.equal(res.body, await schema.serialize(JSON.parse(res.body)));
        });
      }
    });
  }
});
