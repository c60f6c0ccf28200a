// Backtest: a profile replayed over history for a miner: USD earned, switches, the best fixed target, the timeline.

import { useMemo } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { Backtest, BacktestStep } from '../api/types.ts';
import { Chart, type ChartScale, type ChartSeries } from '../components/chart.tsx';
import { type Column, DataTable } from '../components/data-table.tsx';
import { MinerPicker, resolveDevice, toMiner } from '../components/miner-picker.tsx';
import { ProfileSelect } from '../components/profile-select.tsx';
import { SelectField } from '../components/select-field.tsx';
import { ErrorLine, Loading, Stat } from '../components/status.tsx';
import { fraction, usd, utc } from '../format.ts';
import { useViewParams } from '../hash-route.ts';
import { useResource } from '../live/use-resource.ts';
import { RANGES, rangeChoice, rangeEndingAt } from './ranges.ts';
import type { ViewProps } from './view.ts';

const DEFAULTS = {
  profile: 'max-usd-hashrate',
  hardware: 'auto',
  algorithm: '',
  hashrateHs: '1',
  range: '24h',
};

const USD_SCALE: ChartScale[] = [{ key: 'usd', label: 'USD/day', format: usd }];

/** One series per target, set only while the profile mined it: the chart's colours are the timeline. */
function timelineColumns(timeline: readonly BacktestStep[]): { times: number[]; series: ChartSeries[] } {
  const times = timeline.map((s) => Date.parse(s.at) / 1000);
  const targets = [...new Set(timeline.map((s) => s.target ?? 'idle'))];
  const series = targets.map((target) => ({
    label: target,
    scale: 'usd',
    stepped: true,
    values: timeline.map((s) => ((s.target ?? 'idle') === target ? s.valueUsdPerDay : null)),
  }));
  return { times, series };
}

interface Switch {
  at: string;
  from: string | null;
  to: string | null;
  valueUsdPerDay: number;
}

function switchesOf(timeline: readonly BacktestStep[]): Switch[] {
  return timeline.flatMap((step, i) =>
    i === 0 || step.switched
      ? [
          {
            at: step.at,
            from: timeline[i - 1]?.target ?? null,
            to: step.target,
            valueUsdPerDay: step.valueUsdPerDay,
          },
        ]
      : [],
  );
}

const switchColumns: Column<Switch>[] = [
  { key: 'at', title: 'At', render: (s) => utc(s.at), sortValue: (s) => s.at },
  { key: 'from', title: 'From', render: (s) => s.from ?? '–' },
  { key: 'to', title: 'To', render: (s) => <b>{s.to ?? 'idle'}</b> },
  {
    key: 'value',
    title: 'Value/day',
    align: 'right',
    render: (s) => usd(s.valueUsdPerDay),
    sortValue: (s) => s.valueUsdPerDay,
  },
];

function Result(props: { result: Backtest }) {
  const r = props.result;
  const columns = useMemo(() => timelineColumns(r.timeline), [r]);
  const switches = useMemo(() => switchesOf(r.timeline), [r]);
  const marks = useMemo(() => switches.slice(1).map((s) => Date.parse(s.at) / 1000), [switches]);
  return (
    <>
      <div class="stats" data-testid="backtest-summary">
        <Stat
          label="USD earned"
          value={usd(r.usdEarned)}
          note={`${r.snapshots} steps of ${r.stepS / 60} min`}
        />
        <Stat label="Switches" value={r.switches} />
        <Stat
          label="Best fixed target"
          value={r.bestFixed?.target ?? '–'}
          note={r.bestFixed && usd(r.bestFixed.usdEarned)}
        />
        <Stat
          label="vs best fixed"
          value={r.vsBestFixedFraction === null ? '–' : fraction(r.vsBestFixedFraction)}
        />
      </div>
      <Chart
        label="Backtest timeline"
        times={columns.times}
        series={columns.series}
        scales={USD_SCALE}
        height={300}
        marks={marks}
      />
      <h2>Target changes</h2>
      <DataTable
        label="Target changes"
        rows={switches}
        columns={switchColumns}
        rowKey={(s) => s.at}
        pageSize={20}
      />
    </>
  );
}

export function BacktestView({ route }: ViewProps) {
  const [params, setParams] = useViewParams(route, DEFAULTS);
  const profiles = useResource(api.profiles, [], { live: false });
  const hardware = useResource(api.hardware, [], { live: false });
  const coins = useResource(api.coins, [], { live: false });
  const algorithms = useMemo(() => [...new Set(coins.data?.map((c) => c.algorithm))].sort(), [coins.data]);
  const minerParams = resolveDevice(params, hardware.data);
  const miner = toMiner(minerParams);
  const result = useResource(
    miner
      ? async () => {
          const choice = rangeChoice(params.range);
          return api.backtest(
            params.profile,
            miner,
            rangeEndingAt(await api.serverNow(), choice),
            choice.bucketS,
          );
        }
      : null,
    [JSON.stringify(miner), params.profile, params.range],
    { live: false },
  );

  return (
    <>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <ProfileSelect
          profiles={profiles.data}
          value={params.profile}
          onChange={(profile) => setParams({ profile })}
        />
        <MinerPicker
          hardware={hardware.data ?? []}
          algorithms={algorithms}
          value={minerParams}
          onChange={(change) => setParams({ ...minerParams, ...change })}
        />
        <SelectField
          label="Range"
          name="range"
          value={params.range}
          options={RANGES.map((r) => [r.key, `last ${r.label}`] as const)}
          onChange={(range) => setParams({ range })}
        />
      </form>
      {!miner && <p class="muted">Choose hardware, or an algorithm and a hashrate.</p>}
      <ErrorLine error={result.error} />
      <Loading when={result.loading} />
      {result.data && <Result result={result.data} />}
    </>
  );
}
