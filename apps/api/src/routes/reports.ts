// Routes for proxy reports: POST miner stats and switches (proxy token; one bulk write each, switches stored
// once per idempotency key), GET /v1/miners and /v1/switches (public).

import { LIMITS, MINERS_REPORTED_EVENT, ROUTES, SWITCH_EVENT } from '@smart-mining/api-contract';
import {
  appendEvent,
  insertSwitches,
  listMinerStats,
  listSwitches,
  upsertMinerStats,
} from '@smart-mining/db';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { checkReportedAt, parseOptionalWindow } from '../query-params.ts';
import { addRoute } from '../route-schema.ts';

function registerReportWrites(app: FastifyInstance, ctx: AppContext): void {
  const extra = { onRequest: ctx.guards.proxy, bodyLimit: LIMITS.maxReportBodyBytes };
  addRoute(
    app,
    ROUTES.minersReport,
    async (request) => {
      const now = ctx.now();
      const { proxy, miners } = request.body;
      const reportedAt = request.body.reportedAt
        ? checkReportedAt(request.body.reportedAt, 'body/reportedAt', now)
        : now;
      // The event is in the write's transaction: announced once the rows are there, never without them.
      const stored = await ctx.db.transaction(async (tx) => {
        const written = await upsertMinerStats(tx, proxy, miners, reportedAt);
        if (written > 0) await appendEvent(tx, MINERS_REPORTED_EVENT, { proxy, miners: written }, now);
        return written;
      });
      return { stored, duplicates: 0 };
    },
    extra,
  );

  addRoute(
    app,
    ROUTES.switchesReport,
    async (request) => {
      const now = ctx.now();
      const { proxy, switches } = request.body;
      switches.forEach((s, i) => {
        checkReportedAt(s.at, `body/switches/${i}/at`, now);
      });
      return ctx.db.transaction(async (tx) => {
        const result = await insertSwitches(tx, proxy, switches, now);
        if (result.stored > 0) {
          const logged = result.inserted.map((s) => ({
            account: s.account,
            route: s.route,
            toPoolKey: s.toPoolKey,
            at: s.at.toISOString(),
          }));
          await appendEvent(tx, SWITCH_EVENT, { proxy, switches: logged }, now);
        }
        return { stored: result.stored, duplicates: result.duplicates };
      });
    },
    extra,
  );
}

function registerReportReads(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ROUTES.miners, async (request) => {
    const { proxy, miner, since } = request.query;
    return {
      miners: await listMinerStats(ctx.db, { proxy, miner, since: since ? new Date(since) : undefined }),
    };
  });

  addRoute(app, ROUTES.switches, async (request) => {
    const q = request.query;
    return { switches: await listSwitches(ctx.db, { ...q, ...parseOptionalWindow(q) }) };
  });
}

export function registerReportRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerReportWrites(app, ctx);
  registerReportReads(app, ctx);
}
