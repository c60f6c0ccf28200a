// One replay server and one database, with the aggregator and the API as separate fresh processes would run them:
// what tests of markets the recording never showed drive and read.

import { buildApp } from '@smart-mining/api';
import type { ResponseOf } from '@smart-mining/api-contract';
import type { Db } from '@smart-mining/db';
import type { testDatabases } from '@smart-mining/db/testing';
import { silentLogger } from '@smart-mining/platform';
import { type ReplayServer, startReplayServer, waitFor } from '@smart-mining/testkit';
import { buildAggregator } from '../../apps/cli/src/compose.ts';
import { replayConfig } from './support.ts';

export type DecisionBody = ResponseOf<'decision'>;

export interface Rig {
  server: ReplayServer;
  db: Db;
  /** One `aggregate --once` at `at` (a fresh process each time: nothing kept in memory between cycles). */
  cycle(at: Date, fetch?: typeof globalThis.fetch): ReturnType<ReturnType<typeof buildAggregator>['runOnce']>;
  /** What a fresh API answering at `at` says at `url` (a read of the market as committed). */
  read<T>(at: Date, url: string): Promise<T>;
  /** The decision an API answering at `at` gives for `query`: the route a proxy asks. */
  decide(at: Date, query: string): Promise<DecisionBody>;
  close(): Promise<void>;
}

export async function openRig(database: ReturnType<typeof testDatabases>[number]): Promise<Rig> {
  const server = await startReplayServer();
  const db = await database.open();
  return {
    server,
    db,
    cycle: (at, fetch = server.fetch) =>
      buildAggregator(replayConfig(server), db, silentLogger, { now: () => at, fetch }).runOnce(),
    read: (at, url) => readApi(db, at, url),
    decide: (at, query) => readApi(db, at, `/v1/decision?profile=max-usd-hashrate&${query}`),
    close: async () => {
      await db.close();
      await server.close();
    },
  };
}

async function readApi<T>(db: Db, at: Date, url: string): Promise<T> {
  const app = await buildApp({ db, now: () => at });
  try {
    return await waitFor(async () => {
      const res = await app.inject({ url });
      return res.statusCode === 200 && (res.json() as T);
    }, url);
  } finally {
    await app.close();
  }
}
