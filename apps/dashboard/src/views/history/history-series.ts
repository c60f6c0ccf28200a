// Turns bucketed history answers into chart columns: one time axis, one series per (coin or pool, measure).

import type { History } from '../../api/types.ts';
import type { ChartScale, ChartSeries } from '../../components/chart.tsx';
import { hashrate, si, usd } from '../../format.ts';

export interface MeasureInfo {
  key: string;
  label: string;
  /** Series of one unit share an axis. */
  unit: string;
}

export const COIN_MEASURES: readonly MeasureInfo[] = [
  { key: 'priceUsd', label: 'price', unit: 'usd' },
  { key: 'difficulty', label: 'difficulty', unit: 'difficulty' },
  { key: 'networkHashrateHs', label: 'network hashrate', unit: 'hashrate' },
  { key: 'usdPerHsDay', label: 'USD/H/s/day', unit: 'usdPerHsDay' },
];

export const POOL_MEASURES: readonly MeasureInfo[] = [
  { key: 'usdPerHsDay', label: 'USD/H/s/day (net)', unit: 'usdPerHsDay' },
  { key: 'hashrateHs', label: 'pool hashrate', unit: 'hashrate' },
];

const UNIT_AXES: Record<string, Omit<ChartScale, 'key' | 'log'>> = {
  usd: { label: 'USD', format: usd },
  difficulty: { label: 'difficulty', format: (v) => si(v, 3) },
  hashrate: { label: 'H/s', format: hashrate },
  usdPerHsDay: { label: 'USD per H/s per day', format: (v) => v.toExponential(2) },
  relative: { label: 'change since start', format: (v) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %` },
};

export interface SeriesRequest {
  /** `ETC` or `2miners:ETC`. */
  name: string;
  measure: MeasureInfo;
  history: History;
}

export interface ChartColumns {
  times: number[];
  series: ChartSeries[];
  scales: ChartScale[];
}

function average(point: History['points'][number], measure: string): number | null {
  const value = (point as Record<string, unknown>)[measure];
  return typeof value === 'object' && value !== null ? ((value as { avg: number | null }).avg ?? null) : null;
}

/** Relative mode: every series as its change since its first value, on one axis. */
export function buildColumns(requests: readonly SeriesRequest[], relative: boolean): ChartColumns {
  const times = [
    ...new Set(requests.flatMap((r) => r.history.points.map((p) => Date.parse(p.at) / 1000))),
  ].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const series: ChartSeries[] = requests.map((r) => {
    const values: (number | null)[] = new Array(times.length).fill(null);
    for (const p of r.history.points) values[index.get(Date.parse(p.at) / 1000)!] = average(p, r.measure.key);
    const unit = relative ? 'relative' : r.measure.unit;
    return {
      label: `${r.name} ${r.measure.label}`,
      scale: unit,
      values: relative ? toRelative(values) : values,
    };
  });
  const units = [...new Set(series.map((s) => s.scale))];
  const scales = units.map((unit) => ({
    key: unit,
    ...UNIT_AXES[unit]!,
    log: !relative && spansDecades(series, unit),
  }));
  return { times, series, scales };
}

function toRelative(values: readonly (number | null)[]): (number | null)[] {
  const base = values.find((v) => v !== null && v !== 0);
  return base === undefined || base === null
    ? values.map(() => null)
    : values.map((v) => (v === null ? null : v / base - 1));
}

/** A log axis when one unit's series differ by more than 100× (BTC and RVN difficulty on one chart). */
function spansDecades(series: readonly ChartSeries[], unit: string): boolean {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const s of series) {
    if (s.scale !== unit) continue;
    for (const v of s.values) {
      if (v === null || v <= 0) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  return max / min > 100;
}
