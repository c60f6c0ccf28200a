// Routes /v1/decision (where to mine now: a safe read) and /v1/decisions (the log of target changes).

import { ROUTES } from '@smart-mining/api-contract';
import { listDecisions } from '@smart-mining/db';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { decisionJson, JSON_CONTENT_TYPE } from '../decision-json.ts';
import { decideFor } from '../decision-service.ts';
import { ApiError } from '../errors.ts';
import { parseOptionalWindow } from '../query-params.ts';
import { addRoute } from '../route-schema.ts';
import { snapshotAge } from '../snapshot-age.ts';

export function registerDecisionRoutes(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ROUTES.decision, async (request, reply) => {
    const q = request.query;
    if (q.since && !q.current) throw ApiError.badParameter('querystring/since', 'needs current');
    const market = await ctx.market.get();
    const result = decideFor(
      { market, now: ctx.now(), defaults: ctx.decisionDefaults },
      {
        profile: q.profile,
        hardware: q.hardware,
        algorithms: q.algorithms,
        hashrateHs: q.hashrateHs,
        current: q.current,
        since: q.since ? new Date(q.since) : undefined,
      },
    );
    const age = snapshotAge(ctx, market, reply);
    result.snapshotAgeS = age.snapshotAgeS;
    result.snapshotStale = age.snapshotStale;
    ctx.metrics.decisionsServed.inc({ snapshot: age.snapshotStale ? 'stale' : 'fresh' });
    // Serialized here, not by the response schema: the same bytes, cheaper (see decision-json.ts).
    reply.header('content-type', JSON_CONTENT_TYPE);
    return decisionJson(result);
  });

  addRoute(app, ROUTES.decisions, async (request) => {
    const q = request.query;
    const window = parseOptionalWindow(q);
    return { decisions: await listDecisions(ctx.db, { ...q, ...window }) };
  });
}
