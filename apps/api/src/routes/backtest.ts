// Route /v1/backtest: replays a profile over coin and pool history and compares it with the best fixed target.

import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import {
  BACKTEST_DEFAULT_STEP_S,
  BACKTEST_MAX_ROWS,
  BACKTEST_MAX_STEPS,
  runBacktest,
} from '../backtest-service.ts';
import { parseHashrates } from '../capability.ts';
import {
  dateTime,
  minerQueryProperties,
  nullableNumber,
  nullableString,
  objectOf,
  responses,
} from '../json-schemas.ts';
import { type MinerQuerystring, parseAlgorithms } from '../query-params.ts';

const timelineEntrySchema = objectOf({
  at: dateTime,
  target: { ...nullableString, description: 'Pool key mined from `at` to the next step; null: idle' },
  valueUsdPerDay: { type: 'number', description: "The target's value then (revenue or profit); 0 when idle" },
  switched: { type: 'boolean', description: 'True when this step moved the miner off a previous target' },
});

const bestFixedSchema = objectOf({ target: { type: 'string' }, usdEarned: { type: 'number' } });

const backtestSchema = objectOf({
  from: dateTime,
  to: dateTime,
  stepS: { type: 'integer' },
  profile: { type: 'string' },
  snapshots: { type: 'integer', description: 'Steps replayed (one decision each)' },
  switches: { type: 'integer', description: 'Changes of target after the first one' },
  usdEarned: { type: 'number', description: 'USD the profile would have earned over the range' },
  // Type lists, not anyOf: anyOf makes the serializer validate every response at run time.
  bestFixed: {
    ...bestFixedSchema,
    type: ['object', 'null'],
    description: 'The one target that would have earned most over the range; null when none was eligible',
  },
  vsBestFixedFraction: {
    ...nullableNumber,
    description:
      '(usdEarned − bestFixed) / |bestFixed| (0.1 = the profile earned 10 % more); null when it earned 0',
  },
  timeline: { type: 'array', items: timelineEntrySchema, description: 'One entry per step, oldest first' },
});

interface BacktestQuerystring extends MinerQuerystring {
  from: string;
  to: string;
  stepS?: number;
}

function backtestRouteSchema(defaultProfile: string) {
  return {
    tags: ['decision'],
    summary: 'Replay a profile over history: USD earned, switches, and the best fixed target for comparison',
    description:
      'One decision per `stepS` over [from, to), each on the market as it was then: every pool valued from ' +
      "its coin's latest history row at or before the step (older than the profile's maxDataAgeS: stale, " +
      'skipped) and its latest fee. Each decision holds until the next step; a change of algorithm costs ' +
      "the profile's switch time. The miner is `hardware` (today's measured hashrates) or `algorithms` " +
      `(+ \`hashrate\`, default 1 H/s). At most ${BACKTEST_MAX_STEPS} steps and ${BACKTEST_MAX_ROWS} history rows.`,
    querystring: {
      type: 'object',
      properties: {
        ...minerQueryProperties(defaultProfile),
        from: { ...dateTime, description: 'Start of the replay (inclusive)' },
        to: { ...dateTime, description: 'End of the replay (exclusive)' },
        stepS: {
          type: 'integer',
          minimum: 60,
          maximum: 31 * 86_400,
          default: BACKTEST_DEFAULT_STEP_S,
          description: 'Seconds between decisions',
        },
      },
      required: ['from', 'to'],
    },
    response: responses({ 200: backtestSchema }),
  };
}

export function registerBacktestRoutes(app: FastifyInstance, ctx: AppContext): void {
  const schema = backtestRouteSchema(ctx.decisionDefaults.profile);
  app.get<{ Querystring: BacktestQuerystring }>('/v1/backtest', { schema }, async (request) => {
    const q = request.query;
    return runBacktest(
      { db: ctx.db, market: await ctx.market.get(), defaults: ctx.decisionDefaults },
      {
        profile: q.profile,
        hardware: q.hardware,
        algorithms: parseAlgorithms(q.algorithms, 'querystring/algorithms'),
        hashratesHs: parseHashrates(q.hashrate, 'querystring/hashrate'),
        from: new Date(q.from),
        to: new Date(q.to),
        stepS: q.stepS,
      },
    );
  });
}
