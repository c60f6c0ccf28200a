// Every pool:coin the sources or the configuration know: fee, size, revenue per H/s after fee, health and age.

import type { Pool } from '../../api/types.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { Flag, MarketFlags } from '../../components/status.tsx';
import { age, fraction, hashrate } from '../../format.ts';

const columns: Column<Pool>[] = [
  { key: 'pool', title: 'Pool', render: (p) => <b>{p.poolKey}</b>, sortValue: (p) => p.poolKey },
  { key: 'algorithm', title: 'Algorithm', render: (p) => p.algorithm ?? '–', sortValue: (p) => p.algorithm },
  {
    key: 'fee',
    title: 'Fee',
    align: 'right',
    render: (p) => fraction(p.feeFraction),
    sortValue: (p) => p.feeFraction,
  },
  {
    key: 'usdPerHsDay',
    title: 'USD/H/s/day (net)',
    align: 'right',
    render: (p) => (p.usdPerHsDay === null ? '–' : p.usdPerHsDay.toExponential(3)),
    sortValue: (p) => p.usdPerHsDay,
  },
  {
    key: 'hashrate',
    title: 'Pool hashrate',
    align: 'right',
    wide: true,
    render: (p) => hashrate(p.hashrateHs),
    sortValue: (p) => p.hashrateHs,
  },
  {
    key: 'miners',
    title: 'Miners',
    align: 'right',
    wide: true,
    render: (p) => p.miners ?? '–',
    sortValue: (p) => p.miners,
  },
  { key: 'age', title: 'Age', align: 'right', render: (p) => age(p.dataAgeS), sortValue: (p) => p.dataAgeS },
  {
    key: 'flags',
    title: '',
    render: (p) => (
      <>
        <MarketFlags stale={p.stale} trusted />
        {!p.healthy && <Flag kind="error">unhealthy</Flag>}
      </>
    ),
  },
];

export function PoolsTable(props: { pools: readonly Pool[] }) {
  return (
    <DataTable
      label="Pools"
      rows={props.pools}
      columns={columns}
      rowKey={(p) => p.poolKey}
      sort={{ key: 'usdPerHsDay', descending: true }}
      rowClass={(p) => (p.stale ? 'is-stale' : '')}
    />
  );
}
