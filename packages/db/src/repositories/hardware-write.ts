// Writes of the aggregator to hardware and hardware_mining.

import type { Queryable } from '../db.ts';

export interface DeviceState {
  hardware: string;
  name: string;
  vendor: string;
  kind: string;
  updatedAt: Date;
}

export interface HardwareMiningState {
  hardware: string;
  algorithm: string;
  hashrateHs: number;
  powerW?: number;
  source: string;
  sources: Record<string, unknown>;
  bestCoin?: string;
  /** The pool whose fee the revenue is net of; absent for a coin no pool lists. */
  bestPool?: string;
  revenueUsdPerDay?: number;
  costUsdPerDay?: number;
  profitUsdPerDay?: number;
  updatedAt: Date;
}

const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export async function upsertDevices(q: Queryable, rows: readonly DeviceState[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO hardware (hardware, name, vendor, kind, updated_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
     ON CONFLICT (hardware) DO UPDATE SET name = EXCLUDED.name, vendor = EXCLUDED.vendor, kind = EXCLUDED.kind,
       updated_at = GREATEST(hardware.updated_at, EXCLUDED.updated_at)`,
    [
      rows.map((r) => r.hardware),
      rows.map((r) => r.name),
      rows.map((r) => r.vendor),
      rows.map((r) => r.kind),
      rows.map((r) => r.updatedAt),
    ],
  );
}

export async function upsertHardwareMining(
  q: Queryable,
  rows: readonly HardwareMiningState[],
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO hardware_mining (hardware, algorithm, hashrate_hs, power_w, source, sources, best_coin,
       revenue_usd_per_day, cost_usd_per_day, profit_usd_per_day, updated_at, best_pool)
     SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::text[], $6::jsonb[], $7::text[],
       $8::float8[], $9::float8[], $10::float8[], $11::timestamptz[], $12::text[])
     ON CONFLICT (hardware, algorithm) DO UPDATE SET hashrate_hs = EXCLUDED.hashrate_hs,
       power_w = EXCLUDED.power_w, source = EXCLUDED.source,
       sources = EXCLUDED.sources, best_coin = EXCLUDED.best_coin, best_pool = EXCLUDED.best_pool,
       revenue_usd_per_day = EXCLUDED.revenue_usd_per_day, cost_usd_per_day = EXCLUDED.cost_usd_per_day,
       profit_usd_per_day = EXCLUDED.profit_usd_per_day, updated_at = EXCLUDED.updated_at`,
    [
      rows.map((r) => r.hardware),
      rows.map((r) => r.algorithm),
      rows.map((r) => r.hashrateHs),
      rows.map((r) => n(r.powerW)),
      rows.map((r) => r.source),
      rows.map((r) => JSON.stringify(r.sources)),
      rows.map((r) => n(r.bestCoin)),
      rows.map((r) => n(r.revenueUsdPerDay)),
      rows.map((r) => n(r.costUsdPerDay)),
      rows.map((r) => n(r.profitUsdPerDay)),
      rows.map((r) => r.updatedAt),
      rows.map((r) => n(r.bestPool)),
    ],
  );
}

interface MiningRow {
  hardware: string;
  algorithm: string;
  hashrateHs: number;
  powerW: number | null;
  source: string;
  sources: Record<string, unknown>;
  updatedAt: Date;
}

/** Stored device figures, so the ingest re-values them when coins move even if no benchmark source ran. */
export async function loadHardwareMining(q: Queryable): Promise<HardwareMiningState[]> {
  const rows = await q.query<MiningRow>(
    `SELECT hardware, algorithm, hashrate_hs AS "hashrateHs", power_w AS "powerW", source, sources,
       updated_at AS "updatedAt"
     FROM hardware_mining`,
  );
  return rows.map(({ powerW, ...r }) => (powerW === null ? r : { ...r, powerW }));
}
