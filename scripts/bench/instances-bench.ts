// Two API instances on one PostgreSQL: how long after a profile write on A (its 201) B serves a decision with
// it. B's snapshot lives an hour, so only the rankings-changed event can bring the change.

import type { AddressInfo } from 'node:net';
import { buildApp } from '@smart-mining/api';
import { createDb } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { waitFor } from '@smart-mining/testkit';
import type { FastifyInstance } from 'fastify';
import { percentile } from './stats.ts';

export interface InstancesBenchResult {
  writes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const TOKEN = 'bench-admin-token';

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

export async function benchInstances(
  databaseUrl: string | undefined,
  writes = 30,
): Promise<InstancesBenchResult | undefined> {
  const postgres = testDatabases(databaseUrl ? { DATABASE_URL: databaseUrl } : {}).find(
    (d) => d.name === 'postgres',
  );
  if (!postgres) return undefined;
  const db = await postgres.open();
  const dbB = await createDb({ databaseUrl: db.url! });
  const appA = await buildApp({ db, apiToken: TOKEN });
  const appB = await buildApp({ db: dbB, marketCacheTtlMs: 3_600_000 });
  try {
    const [a, b] = [await listen(appA), await listen(appB)];
    const latencies: number[] = [];
    for (let i = 0; i < writes; i++) {
      const name = `bench-${i}`;
      const created = await fetch(`${a}/v1/profiles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, definition: {} }),
      });
      if (created.status !== 201) throw new Error(`create ${name}: HTTP ${created.status}`);
      const t0 = performance.now();
      await waitFor(
        async () => (await fetch(`${b}/v1/decision?profile=${name}&algorithms=etchash`)).status === 200,
        `B to serve ${name}`,
        10_000,
        1,
      );
      latencies.push(performance.now() - t0);
    }
    return {
      writes,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: Math.max(...latencies),
    };
  } finally {
    await appA.close();
    await appB.close();
    await dbB.close();
    await db.close();
  }
}
