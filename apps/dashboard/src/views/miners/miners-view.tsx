// Miners: every miner the proxies report, where it mines now, its shares and USD/day, totals per account;
// filtered by text, sorted by any column, one page at a time (10K miners keep the layout), live on reports.

import { useMemo } from 'preact/hooks';
import { api, MINERS_EVENTS } from '../../api/client.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { SearchField } from '../../components/field.tsx';
import { ErrorLine, Stat } from '../../components/status.tsx';
import { fraction, hashrate, usd, utc } from '../../format.ts';
import { useViewParams } from '../../hash-route.ts';
import { useResource } from '../../live/use-resource.ts';
import type { ViewProps } from '../view.ts';
import {
  type AccountTotals,
  accountTotals,
  currentMiners,
  filterMiners,
  type MinerRow,
  rejectedFraction,
} from './miners-model.ts';

const DEFAULTS = { q: '' };

const count = (n: number) => n.toLocaleString('en-US');

const minerColumns: Column<MinerRow>[] = [
  { key: 'miner', title: 'Miner', render: (m) => <b>{m.miner}</b>, sortValue: (m) => m.miner },
  {
    key: 'pool',
    title: 'Pool / coin',
    render: (m) => (
      <span class="pool-key" data-pool={m.poolKey}>
        {m.poolKey}
      </span>
    ),
    sortValue: (m) => m.poolKey,
  },
  {
    key: 'hashrate',
    title: 'Hashrate',
    align: 'right',
    render: (m) => hashrate(m.hashrateHs),
    sortValue: (m) => m.hashrateHs,
  },
  {
    key: 'accepted',
    title: 'Accepted',
    align: 'right',
    render: (m) => count(m.accepted),
    sortValue: (m) => m.accepted,
  },
  {
    key: 'rejected',
    title: 'Rejected',
    align: 'right',
    render: (m) => count(m.rejected),
    sortValue: (m) => m.rejected,
  },
  {
    key: 'stale',
    title: 'Stale',
    align: 'right',
    render: (m) => count(m.stale),
    sortValue: (m) => m.stale,
    wide: true,
  },
  {
    key: 'usd',
    title: 'USD/day',
    align: 'right',
    render: (m) => usd(m.usdPerDay),
    sortValue: (m) => m.usdPerDay,
  },
  {
    key: 'profile',
    title: 'Profile',
    render: (m) => m.profile ?? '–',
    sortValue: (m) => m.profile,
    wide: true,
  },
  {
    key: 'hardware',
    title: 'Hardware',
    render: (m) => m.hardware ?? m.algorithm ?? '–',
    sortValue: (m) => m.hardware ?? m.algorithm,
    wide: true,
  },
  {
    key: 'agent',
    title: 'Agent',
    render: (m) => <span class="clip">{m.agent ?? '–'}</span>,
    sortValue: (m) => m.agent,
    wide: true,
  },
  {
    key: 'since',
    title: 'Connected since',
    render: (m) => utc(m.connectedAt),
    sortValue: (m) => m.connectedAt,
    wide: true,
  },
];

const accountColumns: Column<AccountTotals>[] = [
  { key: 'account', title: 'Account', render: (a) => <b>{a.account}</b>, sortValue: (a) => a.account },
  {
    key: 'miners',
    title: 'Miners',
    align: 'right',
    render: (a) => count(a.miners),
    sortValue: (a) => a.miners,
  },
  {
    key: 'hashrate',
    title: 'Hashrate',
    align: 'right',
    render: (a) => hashrate(a.hashrateHs),
    sortValue: (a) => a.hashrateHs,
  },
  {
    key: 'accepted',
    title: 'Accepted',
    align: 'right',
    render: (a) => count(a.accepted),
    sortValue: (a) => a.accepted,
  },
  {
    key: 'bad',
    title: 'Rejected + stale',
    align: 'right',
    render: (a) => fraction(rejectedFraction(a), 2),
    sortValue: (a) => rejectedFraction(a),
    wide: true,
  },
  {
    key: 'usd',
    title: 'USD/day',
    align: 'right',
    render: (a) => (
      <span title={a.withoutUsd ? `${a.withoutUsd} miners without an estimate` : undefined}>
        {usd(a.usdPerDay)}
        {a.withoutUsd > 0 && '+'}
      </span>
    ),
    sortValue: (a) => a.usdPerDay,
  },
];

export function MinersView({ route }: ViewProps) {
  const [params, setParams] = useViewParams(route, DEFAULTS);
  const stats = useResource(() => api.miners(), [], { events: MINERS_EVENTS });
  const miners = useMemo(() => currentMiners(stats.data ?? []), [stats.data]);
  const shown = useMemo(() => filterMiners(miners, params.q), [miners, params.q]);
  const accounts = useMemo(() => accountTotals(shown), [shown]);
  const total = useMemo(() => accountTotals(shown.map((m) => ({ ...m, account: '' })))[0], [shown]);

  return (
    <>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <SearchField
          label="Filter"
          hint="miner, pool, coin, profile, hardware"
          value={params.q}
          placeholder="e.g. alice DOGE"
          onInput={(q) => setParams({ q })}
        />
      </form>
      <ErrorLine error={stats.error} />
      {stats.data && (
        <>
          <div class="stats" data-testid="miners-summary">
            <Stat
              label="Miners"
              value={count(shown.length)}
              note={shown.length === miners.length ? undefined : `of ${count(miners.length)}`}
            />
            <Stat label="Hashrate" value={hashrate(total?.hashrateHs ?? 0)} />
            <Stat label="USD/day" value={usd(total?.usdPerDay ?? 0)} />
            <Stat label="Rejected + stale" value={fraction(total ? rejectedFraction(total) : null, 2)} />
          </div>
          <h2>Accounts</h2>
          <DataTable
            label="Accounts"
            rows={accounts}
            columns={accountColumns}
            rowKey={(a) => a.account}
            pageSize={10}
            empty="No miner reported yet"
          />
          <h2>Miners</h2>
          <DataTable
            label="Miners"
            rows={shown}
            columns={minerColumns}
            rowKey={(m) => m.key}
            pageSize={50}
            sort={{ key: 'usd', descending: true }}
            empty={miners.length ? 'No miner matches the filter' : 'No miner reported yet'}
          />
        </>
      )}
    </>
  );
}
