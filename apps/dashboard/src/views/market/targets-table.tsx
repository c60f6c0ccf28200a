// Targets ranked by USD/day for the chosen miner and electricity price, marked with the profile's pick and exclusions.

import type { Decision, RankingEntry } from '../../api/types.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { Flag, MarketFlags } from '../../components/status.tsx';
import { age, fraction, hashrate, usd } from '../../format.ts';

function columns(decision: Decision | undefined): Column<RankingEntry>[] {
  const excluded = new Map(decision?.excluded.map((e) => [e.poolKey, e.why]));
  const eligible = new Set(decision?.ranked.map((r) => r.poolKey));
  return [
    { key: 'rank', title: '#', align: 'right', render: (r) => r.rank, sortValue: (r) => -r.rank },
    { key: 'target', title: 'Target', render: (r) => <b>{r.target}</b>, sortValue: (r) => r.target },
    { key: 'algorithm', title: 'Algorithm', render: (r) => r.algorithm, sortValue: (r) => r.algorithm },
    {
      key: 'hashrate',
      title: 'Hashrate',
      align: 'right',
      wide: true,
      render: (r) => hashrate(r.hashrateHs),
      sortValue: (r) => r.hashrateHs,
    },
    {
      key: 'revenue',
      title: 'Revenue/day',
      align: 'right',
      render: (r) => usd(r.revenueUsdPerDay),
      sortValue: (r) => r.revenueUsdPerDay,
    },
    {
      key: 'cost',
      title: 'Power/day',
      align: 'right',
      wide: true,
      render: (r) => usd(r.costUsdPerDay),
      sortValue: (r) => r.costUsdPerDay,
    },
    {
      key: 'profit',
      title: 'Profit/day',
      align: 'right',
      render: (r) => usd(r.profitUsdPerDay),
      sortValue: (r) => r.profitUsdPerDay,
    },
    {
      key: 'fee',
      title: 'Fee',
      align: 'right',
      wide: true,
      render: (r) => fraction(r.feeFraction),
      sortValue: (r) => r.feeFraction,
    },
    {
      key: 'age',
      title: 'Age',
      align: 'right',
      render: (r) => age(r.dataAgeS),
      sortValue: (r) => r.dataAgeS,
    },
    {
      key: 'flags',
      title: '',
      render: (r) => (
        <>
          {decision?.chosen?.poolKey === r.target && <Flag kind="ok">profile's pick</Flag>}
          <MarketFlags stale={r.stale} trusted={r.trusted} />
          {excluded.has(r.target) && (
            <Flag kind="info" title={excluded.get(r.target)}>
              excluded
            </Flag>
          )}
          {decision && !eligible.has(r.target) && !excluded.has(r.target) && !r.stale && r.pool === null && (
            <Flag kind="info" title="No pool with a known Stratum endpoint: a decision cannot choose it">
              no pool
            </Flag>
          )}
        </>
      ),
    },
  ];
}

export function TargetsTable(props: {
  ranking: readonly RankingEntry[];
  decision: Decision | undefined;
  byProfit: boolean;
}) {
  return (
    <DataTable
      label="Targets"
      rows={props.ranking}
      columns={columns(props.decision)}
      rowKey={(r) => r.target}
      sort={{ key: props.byProfit ? 'profit' : 'revenue', descending: true }}
      rowClass={(r) =>
        r.stale ? 'is-stale' : props.decision?.chosen?.poolKey === r.target ? 'is-chosen' : ''
      }
    />
  );
}
