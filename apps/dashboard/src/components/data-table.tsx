// A sortable, paged table: any number of rows renders one page at a time, so 10K rows never break the layout.

import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';

export interface Column<Row> {
  key: string;
  title: string;
  render: (row: Row) => ComponentChildren;
  /** The value to sort by; columns without one are not sortable. */
  sortValue?: (row: Row) => number | string | null;
  align?: 'right';
  /** Hidden on narrow screens. */
  wide?: boolean;
  /** Long text that wraps instead of widening the table. */
  wrap?: boolean;
}

interface Props<Row> {
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  pageSize?: number;
  /** Initial sort: column key and direction. */
  sort?: { key: string; descending: boolean };
  /** Extra content under a row (e.g. provenance), shown when the row is clicked. */
  detail?: (row: Row) => ComponentChildren;
  rowClass?: (row: Row) => string;
  empty?: string;
  label: string;
}

function compare(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1; // nulls last in either direction
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

export function DataTable<Row>(props: Props<Row>) {
  const pageSize = props.pageSize ?? 25;
  const [sort, setSort] = useState(props.sort);
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<string | null>(null);

  const sorted = useMemo(() => {
    const column = props.columns.find((c) => c.key === sort?.key);
    if (!column?.sortValue || !sort) return props.rows;
    const value = column.sortValue;
    const sign = sort.descending ? -1 : 1;
    return [...props.rows].sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      return va === null || vb === null ? compare(va, vb) : sign * compare(va, vb);
    });
  }, [props.rows, props.columns, sort]);

  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pages - 1);
  const shown = sorted.slice(current * pageSize, (current + 1) * pageSize);
  const onSort = (column: Column<Row>) => {
    if (!column.sortValue) return;
    setSort((s) => ({ key: column.key, descending: s?.key === column.key ? !s.descending : true }));
    setPage(0);
  };

  return (
    <div class="table-block">
      <div class="table-scroll">
        <table aria-label={props.label}>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th
                  key={c.key}
                  class={[c.align, c.wide && 'wide', c.sortValue && 'sortable'].filter(Boolean).join(' ')}
                  aria-sort={sort?.key === c.key ? (sort.descending ? 'descending' : 'ascending') : undefined}
                  onClick={() => onSort(c)}
                >
                  {c.title}
                  {sort?.key === c.key ? (sort.descending ? ' ↓' : ' ↑') : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 && (
              <tr>
                <td colSpan={props.columns.length} class="empty">
                  {props.empty ?? 'Nothing to show'}
                </td>
              </tr>
            )}
            {shown.flatMap((row) => {
              const key = props.rowKey(row);
              const lines = [
                <tr
                  key={key}
                  data-key={key}
                  class={[props.rowClass?.(row), props.detail && 'expandable', open === key && 'open']
                    .filter(Boolean)
                    .join(' ')}
                  onClick={props.detail ? () => setOpen(open === key ? null : key) : undefined}
                >
                  {props.columns.map((c) => (
                    <td
                      key={c.key}
                      class={[c.align, c.wide && 'wide', c.wrap && 'wrap'].filter(Boolean).join(' ')}
                    >
                      {c.render(row)}
                    </td>
                  ))}
                </tr>,
              ];
              if (props.detail && open === key) {
                lines.push(
                  <tr key={`${key}/detail`} class="detail">
                    <td colSpan={props.columns.length}>{props.detail(row)}</td>
                  </tr>,
                );
              }
              return lines;
            })}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <nav class="pager" aria-label={`${props.label} pages`}>
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
            ‹ Previous
          </button>
          <span>
            {current * pageSize + 1}–{Math.min(sorted.length, (current + 1) * pageSize)} of {sorted.length}
          </span>
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next ›
          </button>
        </nav>
      )}
    </div>
  );
}
