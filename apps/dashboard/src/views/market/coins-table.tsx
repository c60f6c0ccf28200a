// The market's coins: price, revenue per H/s, network figures, and how far the sources agree; click for provenance.

import type { Coin } from '../../api/types.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { MarketFlags } from '../../components/status.tsx';
import { age, hashrate, si, usd } from '../../format.ts';
import { CoinProvenance, priceAgreement } from './provenance.tsx';

const columns: Column<Coin>[] = [
  { key: 'coin', title: 'Coin', render: (c) => <b title={c.name}>{c.coin}</b>, sortValue: (c) => c.coin },
  { key: 'algorithm', title: 'Algorithm', render: (c) => c.algorithm, sortValue: (c) => c.algorithm },
  {
    key: 'price',
    title: 'Price',
    align: 'right',
    render: (c) => usd(c.priceUsd),
    sortValue: (c) => c.priceUsd,
  },
  {
    key: 'usdPerHsDay',
    title: 'USD/H/s/day',
    align: 'right',
    render: (c) => (c.usdPerHsDay === null ? '–' : c.usdPerHsDay.toExponential(3)),
    sortValue: (c) => c.usdPerHsDay,
  },
  {
    key: 'difficulty',
    title: 'Difficulty',
    align: 'right',
    wide: true,
    render: (c) => si(c.difficulty),
    sortValue: (c) => c.difficulty,
  },
  {
    key: 'network',
    title: 'Network',
    align: 'right',
    wide: true,
    render: (c) => hashrate(c.networkHashrateHs),
    sortValue: (c) => c.networkHashrateHs,
  },
  {
    key: 'sources',
    title: 'Price sources',
    render: (c) => {
      const { agree, rejected } = priceAgreement(c);
      return (
        <span title={`agree: ${agree.join(', ') || 'none'}; rejected: ${rejected.join(', ') || 'none'}`}>
          {agree.length} agree
          {rejected.length > 0 && <span class="reject-reason"> · {rejected.length} rejected</span>}
        </span>
      );
    },
    sortValue: (c) => priceAgreement(c).agree.length,
  },
  { key: 'age', title: 'Age', align: 'right', render: (c) => age(c.dataAgeS), sortValue: (c) => c.dataAgeS },
  { key: 'flags', title: '', render: (c) => <MarketFlags stale={c.stale} trusted={c.trusted} /> },
];

export function CoinsTable(props: { coins: readonly Coin[] }) {
  return (
    <DataTable
      label="Coins"
      rows={props.coins}
      columns={columns}
      rowKey={(c) => c.coin}
      sort={{ key: 'usdPerHsDay', descending: true }}
      detail={(c) => <CoinProvenance coin={c} />}
      rowClass={(c) => (c.stale ? 'is-stale' : '')}
    />
  );
}
