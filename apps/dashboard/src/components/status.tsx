// Small status pieces shared by the views: flags (stale, untrusted), the loading and error lines, a summary card.

import type { ComponentChildren } from 'preact';
import { ApiRequestError } from '../api/client.ts';

export function Flag(props: {
  kind: 'stale' | 'untrusted' | 'ok' | 'error' | 'skipped' | 'info';
  children: ComponentChildren;
  title?: string;
}) {
  return (
    <span class={`flag flag-${props.kind}`} title={props.title}>
      {props.children}
    </span>
  );
}

/** Stale and untrusted flags of a market row. */
export function MarketFlags(props: { stale: boolean; trusted: boolean }) {
  return (
    <>
      {props.stale && (
        <Flag kind="stale" title="Older than its staleness limit: never used for a decision">
          stale
        </Flag>
      )}
      {!props.trusted && (
        <Flag kind="untrusted" title="Sources disagree or the market is too thin">
          untrusted
        </Flag>
      )}
    </>
  );
}

export function ErrorLine(props: { error: Error | undefined }) {
  if (!props.error) return null;
  const code = props.error instanceof ApiRequestError ? `${props.error.code}: ` : '';
  return (
    <p class="error-line" role="alert">
      {code}
      {props.error.message}
    </p>
  );
}

export function Loading(props: { when: boolean }) {
  return props.when ? <p class="loading">Loading…</p> : null;
}

export function Stat(props: { label: string; value: ComponentChildren; note?: ComponentChildren }) {
  return (
    <div class="stat">
      <div class="stat-label">{props.label}</div>
      <div class="stat-value">{props.value}</div>
      {props.note && <div class="stat-note">{props.note}</div>}
    </div>
  );
}
