// History: price, difficulty, network hashrate and USD/H/s/day of coins and pools over 1 hour … 1 year, on one chart.

import { useMemo } from 'preact/hooks';
import { api } from '../../api/client.ts';
import { Chart } from '../../components/chart.tsx';
import { ChipPicker } from '../../components/chip-picker.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { ErrorLine, Loading } from '../../components/status.tsx';
import { useViewParams } from '../../hash-route.ts';
import { useResource } from '../../live/use-resource.ts';
import { RANGES, rangeChoice, rangeEndingAt } from '../ranges.ts';
import type { ViewProps } from '../view.ts';
import {
  buildColumns,
  COIN_MEASURES,
  type MeasureInfo,
  POOL_MEASURES,
  type SeriesRequest,
} from './history-series.ts';

const DEFAULTS = { coins: 'ETC', pools: '', measures: 'priceUsd', range: '24h', mode: 'absolute' };

const list = (value: string) => value.split(',').filter(Boolean);

async function loadSeries(
  coins: string[],
  pools: string[],
  measures: string[],
  rangeKey: string,
): Promise<SeriesRequest[]> {
  const choice = rangeChoice(rangeKey);
  const range = rangeEndingAt(await api.serverNow(), choice);
  const pick = (all: readonly MeasureInfo[]) => all.filter((m) => measures.includes(m.key));
  const [coinHistories, poolHistories] = await Promise.all([
    Promise.all(coins.map((c) => api.coinHistory(c, range, choice.bucketS))),
    Promise.all(pools.map((p) => api.poolHistory(p, range, choice.bucketS))),
  ]);
  return [
    ...coinHistories.flatMap((history, i) =>
      pick(COIN_MEASURES).map((measure) => ({ name: coins[i]!, measure, history })),
    ),
    ...poolHistories.flatMap((history, i) =>
      pick(POOL_MEASURES).map((measure) => ({ name: pools[i]!, measure, history })),
    ),
  ];
}

function MeasureChoices(props: { chosen: string[]; onChange: (chosen: string[]) => void }) {
  const all = [...COIN_MEASURES, ...POOL_MEASURES.filter((m) => !COIN_MEASURES.some((c) => c.key === m.key))];
  return (
    <fieldset class="checks">
      <legend>Measures</legend>
      {all.map((m) => (
        <label key={m.key}>
          <input
            type="checkbox"
            name="measure"
            value={m.key}
            checked={props.chosen.includes(m.key)}
            onChange={(e) =>
              props.onChange(
                e.currentTarget.checked ? [...props.chosen, m.key] : props.chosen.filter((k) => k !== m.key),
              )
            }
          />
          {m.key === 'hashrateHs' ? 'pool hashrate' : m.label}
        </label>
      ))}
    </fieldset>
  );
}

export function HistoryView({ route }: ViewProps) {
  const [params, setParams] = useViewParams(route, DEFAULTS);
  const coins = list(params.coins);
  const pools = list(params.pools);
  const measures = list(params.measures);
  const coinList = useResource(api.coins, [], { live: false });
  const poolList = useResource(api.pools, [], { live: false });
  const series = useResource(
    () => loadSeries(coins, pools, measures, params.range),
    [params.coins, params.pools, params.measures, params.range],
  );
  const columns = useMemo(
    () => (series.data ? buildColumns(series.data, params.mode === 'relative') : undefined),
    [series.data, params.mode],
  );
  const choice = rangeChoice(params.range);

  return (
    <>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <ChipPicker
          label="Coins"
          name="coins"
          options={coinList.data?.map((c) => c.coin) ?? []}
          chosen={coins}
          onChange={(c) => setParams({ coins: c.join(',') })}
        />
        <ChipPicker
          label="Pools"
          name="pools"
          options={poolList.data?.map((p) => p.poolKey) ?? []}
          chosen={pools}
          onChange={(p) => setParams({ pools: p.join(',') })}
        />
        <MeasureChoices chosen={measures} onChange={(m) => setParams({ measures: m.join(',') })} />
        <SelectField
          label="Range"
          name="range"
          value={params.range}
          options={RANGES.map((r) => [r.key, r.label] as const)}
          onChange={(range) => setParams({ range })}
        />
        <SelectField
          label="Scale"
          name="mode"
          value={params.mode}
          options={[
            ['absolute', 'values (one axis per unit)'],
            ['relative', 'change since start (%)'],
          ]}
          onChange={(mode) => setParams({ mode })}
        />
      </form>
      <ErrorLine error={series.error} />
      <Loading when={series.loading && !series.data} />
      {columns && columns.series.length === 0 && <p class="muted">Choose a coin or a pool and a measure.</p>}
      {columns && columns.series.length > 0 && (
        <section>
          <p class="muted">
            {columns.times.length} buckets of{' '}
            {choice.bucketS >= 3600 ? `${choice.bucketS / 3600} h` : `${choice.bucketS / 60} min`} (average
            per bucket) · drag to zoom, double-click to reset
          </p>
          <Chart
            label="History chart"
            times={columns.times}
            series={columns.series}
            scales={columns.scales}
            height={380}
          />
        </section>
      )}
    </>
  );
}
