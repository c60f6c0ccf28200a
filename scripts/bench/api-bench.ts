// API benchmark: decision and coins routes under load beside a trivial route of the same server, same run.

import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ingest } from '@smart-mining/aggregator';
import { buildApp } from '@smart-mining/api';
import { testDatabases } from '@smart-mining/db/testing';
import { collectSnapshot, NOW, OPTIONS } from './ingest-bench.ts';
import { median } from './stats.ts';

export interface RouteLoad {
  route: string;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** A route over several rounds: medians, the worst p99, and the median of its per-round ratio to the trivial route. */
export interface RouteRounds extends RouteLoad {
  worstP99Ms: number;
  /** Median over rounds of (requests/s ÷ the trivial route's requests/s in the same round). */
  vsTrivial: number;
}

export interface ApiBenchResult {
  database: string;
  connections: number;
  /** Requests in flight per connection: 1 is how clients behave; more keeps the server itself busy. */
  pipelining: number;
  durationS: number;
  rounds: number;
  routes: RouteRounds[];
}

const SINCE = new Date(NOW.getTime() - 3600_000).toISOString();

const ROUTES: [string, string][] = [
  ['trivial: GET /v1', '/v1'],
  ['GET /v1/coins', '/v1/coins'],
  [
    'GET /v1/decision, no current (max-usd-coin, etchash)',
    '/v1/decision?profile=max-usd-coin&algorithms=etchash&hashrateHs=1e8',
  ],
  [
    'GET /v1/decision, current + since (max-usd-coin, etchash)',
    `/v1/decision?profile=max-usd-coin&algorithms=etchash&hashrateHs=1e8&current=2miners:ETC&since=${SINCE}`,
  ],
  [
    'GET /v1/decision, no current (max-usd-hashrate, RTX 3080)',
    '/v1/decision?profile=max-usd-hashrate&hardware=nvidia-rtx-3080',
  ],
  [
    'GET /v1/decision, current + since (max-usd-hashrate, RTX 3080)',
    `/v1/decision?profile=max-usd-hashrate&hardware=nvidia-rtx-3080&current=2miners:RVN&since=${SINCE}`,
  ],
];

const AUTOCANNON = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));

/** autocannon in its own process, so the load generator does not share the server's event loop. */
export function load(
  url: string,
  connections: number,
  pipelining: number,
  durationS: number,
): Promise<RouteLoad & { raw: unknown }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        AUTOCANNON,
        '--json',
        '-c',
        String(connections),
        '-p',
        String(pipelining),
        '-d',
        String(durationS),
        url,
      ],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', () => {
      try {
        const r = JSON.parse(out);
        resolve({
          route: url,
          requestsPerS: r.requests.average,
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          errors: r.errors + r.non2xx,
          raw: r,
        });
      } catch (error) {
        reject(error);
      }
    });
  });
}

export async function benchApi(
  databaseUrl: string | undefined,
  connections = 10,
  durationS = 5,
  rounds = 3,
): Promise<ApiBenchResult[]> {
  const results: ApiBenchResult[] = [];
  for (const database of testDatabases(databaseUrl ? { DATABASE_URL: databaseUrl } : {})) {
    const db = await database.open();
    try {
      const { snapshot } = await collectSnapshot(db);
      await ingest(db, snapshot, [], NOW, OPTIONS);
      const app = await buildApp({ db, now: () => NOW });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      for (const pipelining of [1, 4]) {
        for (const [, path] of ROUTES) {
          const res = await fetch(base + path);
          if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
          await load(base + path, connections, pipelining, 1); // warm-up
        }
        // Rounds of every route in turn: the machine's speed drifts, so each ratio is taken within one round.
        const measured: RouteLoad[][] = ROUTES.map(() => []);
        for (let round = 0; round < rounds; round++) {
          for (const [i, [name, path]] of ROUTES.entries()) {
            const { raw: _raw, ...r } = await load(base + path, connections, pipelining, durationS);
            measured[i]!.push({ ...r, route: name });
          }
        }
        const trivial = measured[0]!;
        const routes = measured.map(
          (runs): RouteRounds => ({
            route: runs[0]!.route,
            requestsPerS: median(runs.map((r) => r.requestsPerS)),
            p50Ms: median(runs.map((r) => r.p50Ms)),
            p99Ms: median(runs.map((r) => r.p99Ms)),
            worstP99Ms: Math.max(...runs.map((r) => r.p99Ms)),
            errors: runs.reduce((n, r) => n + r.errors, 0),
            vsTrivial: median(runs.map((r, round) => r.requestsPerS / trivial[round]!.requestsPerS)),
          }),
        );
        results.push({ database: database.name, connections, pipelining, durationS, rounds, routes });
      }
      await app.close();
    } finally {
      await db.close();
    }
  }
  return results;
}
