// Market: targets ranked by USD/day for a miner, the profile's pick and why, and the coins and pools behind it.

import { useEffect, useMemo } from 'preact/hooks';
import { api } from '../../api/client.ts';
import type { Decision } from '../../api/types.ts';
import { Field } from '../../components/field.tsx';
import { MinerPicker, resolveDevice, toMiner } from '../../components/miner-picker.tsx';
import { ProfileSelect } from '../../components/profile-select.tsx';
import { ErrorLine, Loading } from '../../components/status.tsx';
import { usd } from '../../format.ts';
import { useViewParams } from '../../hash-route.ts';
import { useResource } from '../../live/use-resource.ts';
import type { ViewProps } from '../view.ts';
import { CoinsTable } from './coins-table.tsx';
import { PoolsTable } from './pools-table.tsx';
import { TargetsTable } from './targets-table.tsx';

const DEFAULTS = {
  hardware: 'auto',
  algorithm: '',
  hashrateHs: '1',
  profile: 'max-usd-hashrate',
  electricity: '0.10',
};

let firstRenderMarked = false;

function DecisionBanner(props: { decision: Decision | undefined; error: Error | undefined }) {
  if (props.error) return <ErrorLine error={props.error} />;
  const d = props.decision;
  if (!d) return null;
  return (
    <p class="banner" data-testid="decision">
      Profile <b>{d.profile}</b>{' '}
      {d.chosen ? (
        <>
          mines <b>{d.chosen.poolKey}</b> at <b>{usd(d.chosen.valueUsdPerDay)}</b>/day
        </>
      ) : (
        'finds nothing eligible'
      )}
      <span class="reason">{d.reason}</span>
    </p>
  );
}

export function MarketView({ route }: ViewProps) {
  const [params, setParams] = useViewParams(route, DEFAULTS);
  const hardware = useResource(api.hardware, []);
  const profiles = useResource(api.profiles, []);
  const coins = useResource(api.coins, []);
  const pools = useResource(api.pools, []);
  const minerParams = resolveDevice(params, hardware.data);
  const miner = toMiner(minerParams);
  const minerKey = JSON.stringify(miner);
  const electricity = Math.max(0, Number(params.electricity) || 0);
  const ranking = useResource(miner ? () => api.ranking(miner, electricity) : null, [minerKey, electricity]);
  const decision = useResource(miner ? () => api.decision(params.profile, miner) : null, [
    minerKey,
    params.profile,
  ]);
  const algorithms = useMemo(() => [...new Set(coins.data?.map((c) => c.algorithm))].sort(), [coins.data]);

  useEffect(() => {
    if (ranking.data && !firstRenderMarked) {
      firstRenderMarked = true;
      performance.mark('market-rendered');
    }
  }, [ranking.data]);

  return (
    <>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <MinerPicker
          hardware={hardware.data ?? []}
          algorithms={algorithms}
          value={minerParams}
          onChange={(change) => setParams({ ...minerParams, ...change })}
        />
        <ProfileSelect
          profiles={profiles.data}
          value={params.profile}
          onChange={(profile) => setParams({ profile })}
        />
        <Field label="Electricity USD/kWh">
          {(id) => (
            <input
              id={id}
              name="electricity"
              type="number"
              min="0"
              step="0.01"
              value={params.electricity}
              onChange={(e) => setParams({ electricity: e.currentTarget.value })}
            />
          )}
        </Field>
      </form>
      <DecisionBanner decision={decision.data} error={decision.error} />
      <section>
        <h2>Targets</h2>
        <ErrorLine error={ranking.error} />
        {coins.data?.length === 0 && (
          <p class="muted">
            No market data yet: the aggregator has not finished a run. <a href="#/sources">Sources</a> shows
            why.
          </p>
        )}
        {!miner && coins.data?.length !== 0 && (
          <p class="muted">Choose hardware, or an algorithm and a hashrate.</p>
        )}
        <Loading when={ranking.loading && !ranking.data} />
        {ranking.data && (
          <TargetsTable ranking={ranking.data.ranking} decision={decision.data} byProfit={electricity > 0} />
        )}
      </section>
      <section>
        <h2>Coins</h2>
        <p class="muted">Click a coin for every source's value and the ones rejected.</p>
        <ErrorLine error={coins.error} />
        {coins.data && <CoinsTable coins={coins.data} />}
      </section>
      <section>
        <h2>Pools</h2>
        <ErrorLine error={pools.error} />
        {pools.data && <PoolsTable pools={pools.data} />}
      </section>
    </>
  );
}
