// Reads devices (table hardware) and their mining performance per algorithm (table hardware_mining).

import type { Queryable } from '../db.ts';

export interface HardwareMiningRow {
  hardware: string;
  algorithm: string;
  hashrateHs: number;
  powerW: number | null;
  source: string;
  bestCoin: string | null;
  revenueUsdPerDay: number | null;
  costUsdPerDay: number | null;
  profitUsdPerDay: number | null;
  updatedAt: Date;
}

export interface HardwareRow {
  hardware: string;
  name: string;
  vendor: string;
  kind: 'gpu' | 'cpu' | 'asic' | 'fpga';
  memoryGb: number | null;
  tdpW: number | null;
  updatedAt: Date;
}

export interface HardwareFilter {
  hardware?: readonly string[];
  kinds?: readonly string[];
  vendors?: readonly string[];
  /** Only devices that can mine at least one of these algorithms. */
  algorithms?: readonly string[];
}

export async function listHardware(db: Queryable, filter: HardwareFilter = {}): Promise<HardwareRow[]> {
  return db.query<HardwareRow>(
    `SELECT hardware, name, vendor, kind, memory_gb AS "memoryGb", tdp_w AS "tdpW", updated_at AS "updatedAt"
     FROM hardware h
     WHERE ($1::text[] IS NULL OR h.hardware = ANY($1::text[]))
       AND ($2::text[] IS NULL OR h.kind = ANY($2::text[]))
       AND ($3::text[] IS NULL OR lower(h.vendor) = ANY($3::text[]))
       AND ($4::text[] IS NULL OR EXISTS (
         SELECT 1 FROM hardware_mining m WHERE m.hardware = h.hardware AND m.algorithm = ANY($4::text[])))
     ORDER BY hardware`,
    [
      filter.hardware ?? null,
      filter.kinds ?? null,
      filter.vendors?.map((v) => v.toLowerCase()) ?? null,
      filter.algorithms ?? null,
    ],
  );
}

/** Mining performance rows, best revenue first within each device. */
export async function listHardwareMining(
  db: Queryable,
  filter: { hardware?: readonly string[]; algorithms?: readonly string[] } = {},
): Promise<HardwareMiningRow[]> {
  return db.query<HardwareMiningRow>(
    `SELECT hardware, algorithm, hashrate_hs AS "hashrateHs", power_w AS "powerW", source,
       best_coin AS "bestCoin", revenue_usd_per_day AS "revenueUsdPerDay", cost_usd_per_day AS "costUsdPerDay",
       profit_usd_per_day AS "profitUsdPerDay", updated_at AS "updatedAt"
     FROM hardware_mining
     WHERE ($1::text[] IS NULL OR hardware = ANY($1::text[]))
       AND ($2::text[] IS NULL OR algorithm = ANY($2::text[]))
     ORDER BY hardware, revenue_usd_per_day DESC NULLS LAST, algorithm`,
    [filter.hardware ?? null, filter.algorithms ?? null],
  );
}
