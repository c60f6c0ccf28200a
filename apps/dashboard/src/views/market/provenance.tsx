// Which sources gave a coin's values, which agree, and which were rejected (outlier, lagging, untrusted) and why.

import type { Coin, FieldProvenance } from '../../api/types.ts';
import { si } from '../../format.ts';

const FIELD_LABELS: Record<string, string> = {
  priceUsd: 'Price (USD)',
  difficulty: 'Difficulty',
  networkHashrateHs: 'Network hashrate (H/s)',
  blockReward: 'Block reward',
  blockTimeS: 'Block time (s)',
  usdPerHsDay: 'USD per H/s per day',
  volume24hUsd: '24 h volume (USD)',
};

function isProvenance(value: unknown): value is FieldProvenance {
  return typeof value === 'object' && value !== null && ('from' in value || 'estimates' in value);
}

function reasonText(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  if (reason && typeof reason === 'object' && 'reason' in reason)
    return String((reason as { reason: unknown }).reason);
  return JSON.stringify(reason);
}

/** Counts for the price: sources that agree and sources left out. */
export function priceAgreement(coin: Coin): { agree: string[]; rejected: string[] } {
  const price = coin.sources.priceUsd;
  if (!isProvenance(price)) return { agree: [], rejected: [] };
  const rejected = Object.keys(price.rejected ?? {});
  const agree = Object.keys(price.from ?? {}).filter((s) => !rejected.includes(s));
  return { agree, rejected };
}

/** A field without provenance detail: each source's number (anything else is not shown). */
function plainQuotes(value: unknown): Record<string, number> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, number] => typeof e[1] === 'number'),
  );
}

function FieldSources(props: { field: string; value: unknown }) {
  const { field, value } = props;
  const quotes = isProvenance(value) ? (value.from ?? value.estimates ?? {}) : plainQuotes(value);
  const rejected = isProvenance(value) ? (value.rejected ?? {}) : {};
  const names = [...new Set([...Object.keys(quotes), ...Object.keys(rejected)])].sort();
  return (
    <tr>
      <th scope="row">
        {FIELD_LABELS[field] ?? field}
        {isProvenance(value) && value.method && <span class="muted"> ({value.method})</span>}
        {isProvenance(value) && value.trusted === false && <span class="flag flag-untrusted">untrusted</span>}
      </th>
      <td>
        <ul class="quotes">
          {names.map((source) => {
            const why = rejected[source];
            return (
              <li key={source} class={why === undefined ? 'agrees' : 'rejected'}>
                <b>{source}</b> {si(quotes[source], 6)}
                {why !== undefined && <span class="reject-reason"> rejected: {reasonText(why)}</span>}
              </li>
            );
          })}
        </ul>
      </td>
    </tr>
  );
}

export function CoinProvenance(props: { coin: Coin }) {
  const fields = Object.entries(props.coin.sources).sort(([a], [b]) => a.localeCompare(b));
  return (
    <table class="provenance" aria-label={`${props.coin.coin} sources`}>
      <tbody>
        {fields.map(([field, value]) => (
          <FieldSources key={field} field={field} value={value} />
        ))}
      </tbody>
    </table>
  );
}
