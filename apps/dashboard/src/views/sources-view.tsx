// Sources: each data source's last run, its last good run and rows, its error, and whether it is skipped for a key.

import { api } from '../api/client.ts';
import type { SourceStatus } from '../api/types.ts';
import { type Column, DataTable } from '../components/data-table.tsx';
import { ErrorLine, Flag } from '../components/status.tsx';
import { age, utc } from '../format.ts';
import { useResource } from '../live/use-resource.ts';
import type { ViewProps } from './view.ts';

function Status(props: { s: SourceStatus }) {
  const s = props.s;
  if (s.skipReason)
    return (
      <Flag kind="skipped" title={s.skipReason}>
        skipped
      </Flag>
    );
  if (s.lastRunAt === null) return <Flag kind="info">never ran</Flag>;
  return (
    <>
      {s.lastRunOk ? <Flag kind="ok">ok</Flag> : <Flag kind="error">failed</Flag>}
      {s.stale && (
        <Flag kind="stale" title="No good run within the allowed age">
          stale
        </Flag>
      )}
    </>
  );
}

const columns: Column<SourceStatus>[] = [
  { key: 'source', title: 'Source', render: (s) => <b>{s.source}</b>, sortValue: (s) => s.source },
  { key: 'status', title: 'Status', render: (s) => <Status s={s} /> },
  { key: 'lastRun', title: 'Last run', render: (s) => utc(s.lastRunAt), sortValue: (s) => s.lastRunAt },
  {
    key: 'lastOk',
    title: 'Last good run',
    align: 'right',
    render: (s) => (s.lastOkAgeS === null ? '–' : `${age(s.lastOkAgeS)} ago`),
    sortValue: (s) => s.lastOkAgeS,
  },
  {
    key: 'rows',
    title: 'Rows',
    align: 'right',
    render: (s) => s.lastOkRows ?? '–',
    sortValue: (s) => s.lastOkRows,
  },
  {
    key: 'note',
    title: 'Error or reason',
    render: (s) => (
      <span class="clip" title={s.skipReason ?? s.lastError ?? ''}>
        {s.skipReason ?? s.lastError ?? ''}
      </span>
    ),
  },
];

export function SourcesView(_props: ViewProps) {
  const sources = useResource(api.sources, []);
  return (
    <>
      <ErrorLine error={sources.error} />
      {sources.data && (
        <>
          <p class="muted">
            As of {utc(sources.data.at)}; a source is stale when its last good run is older than{' '}
            {age(sources.data.sourceMaxAgeS)}. Click a row for the whole message.
          </p>
          <DataTable
            label="Sources"
            rows={sources.data.sources}
            columns={columns}
            rowKey={(s) => s.source}
            detail={(s) => <pre class="message">{s.skipReason ?? s.lastError ?? 'no error'}</pre>}
          />
        </>
      )}
    </>
  );
}
