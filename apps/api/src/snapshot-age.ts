// The age of the market snapshot behind an answer: in the body (`snapshotAgeS`) and the Snapshot-Age-S header.

import { SNAPSHOT_AGE_HEADER } from '@smart-mining/api-contract';
import type { FastifyReply } from 'fastify';
import type { AppContext } from './app-context.ts';
import type { MarketSnapshot } from './market-cache.ts';

export interface SnapshotAge {
  snapshotAgeS: number;
  /** The last reload failed: the database is away and this snapshot answers meanwhile. */
  snapshotStale: boolean;
}

export function snapshotAge(ctx: AppContext, snapshot: MarketSnapshot, reply: FastifyReply): SnapshotAge {
  const snapshotAgeS = Math.max(0, (ctx.now().getTime() - snapshot.loadedAt.getTime()) / 1000);
  reply.header(SNAPSHOT_AGE_HEADER, snapshotAgeS.toFixed(1));
  return { snapshotAgeS, snapshotStale: ctx.market.status?.stale ?? false };
}
