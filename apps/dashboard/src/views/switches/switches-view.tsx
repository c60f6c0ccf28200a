// Switches: what the proxies did, as a timeline per route (account and decision route) or for one miner: from →
// to, the decision's reason, the margin, the threshold and dwell that applied, the method, and how long it held.

import { useMemo } from 'preact/hooks';
import { api, SWITCH_EVENTS } from '../../api/client.ts';
import { serverNow } from '../../api/server-clock.ts';
import type { SwitchLogEntry } from '../../api/types.ts';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { SearchField } from '../../components/field.tsx';
import { ErrorLine } from '../../components/status.tsx';
import { age, fraction, utc } from '../../format.ts';
import { useViewParams } from '../../hash-route.ts';
import { useResource } from '../../live/use-resource.ts';
import type { ViewProps } from '../view.ts';
import {
  minerSwitches,
  moveText,
  type RouteTimeline,
  routeTimelines,
  type TimelineEntry,
} from './switch-timeline.ts';

const DEFAULTS = { miner: '', route: '' };
/** The newest switches the view reads (the API's page limit). */
const LIMIT = 1000;
/** Routes shown at once; the rest are one filter away. */
const MAX_ROUTES = 20;

const PALETTE = ['#2f6fd6', '#d9480f', '#2b8a3e', '#ae3ec9', '#e8590c', '#0c8599', '#c2255c', '#5c940d'];

function colourOf(poolKey: string): string {
  let h = 0;
  for (const c of poolKey) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

function MarginCell(props: { s: SwitchLogEntry }) {
  const i = props.s.inputs;
  if (i.marginFraction === null) return <>–</>;
  return (
    <span title={`after the switch cost: ${fraction(i.netMarginFraction)}`}>
      {fraction(i.marginFraction)}
      {i.netMarginFraction !== null && i.netMarginFraction !== i.marginFraction && (
        <span class="muted"> (net {fraction(i.netMarginFraction)})</span>
      )}
    </span>
  );
}

function columns(withRoute: boolean): Column<TimelineEntry | SwitchLogEntry>[] {
  return [
    { key: 'at', title: 'At', render: (s) => utc(s.at), sortValue: (s) => s.at },
    ...(withRoute
      ? [
          {
            key: 'route',
            title: 'Route',
            render: (s: SwitchLogEntry) => `${s.account} · ${s.route}`,
            wide: true,
          },
        ]
      : []),
    { key: 'move', title: 'From → to', render: (s) => <b>{moveText(s)}</b> },
    { key: 'reason', title: 'Reason', render: (s) => s.reason, wrap: true },
    {
      key: 'margin',
      title: 'Margin',
      align: 'right',
      render: (s) => <MarginCell s={s} />,
      sortValue: (s) => s.inputs.marginFraction,
    },
    {
      key: 'threshold',
      title: 'Threshold',
      align: 'right',
      render: (s) => fraction(s.inputs.thresholdFraction),
      wide: true,
    },
    {
      key: 'dwell',
      title: 'Dwell / min',
      align: 'right',
      render: (s) => `${age(s.inputs.dwellS)} / ${age(s.inputs.minDwellS)}`,
      wide: true,
    },
    { key: 'method', title: 'Method', render: (s) => <code>{s.method}</code>, sortValue: (s) => s.method },
    {
      key: 'held',
      title: 'Held',
      align: 'right',
      render: (s) => ('heldS' in s ? (s.heldS === null ? 'now' : age(s.heldS)) : '–'),
      sortValue: (s) => ('heldS' in s ? s.heldS : null),
    },
  ];
}

/** The route's targets as a strip: one segment per switch, as wide as it held (the current one to now). */
function Strip(props: { timeline: RouteTimeline; now: number }) {
  const entries = props.timeline.entries;
  const start = Date.parse(entries[0]!.at);
  const span = Math.max(1, props.now - start);
  return (
    <div class="strip" role="img" aria-label={`${props.timeline.key} timeline`}>
      {entries.map((e) => {
        const held = e.heldS === null ? Math.max(0, props.now - Date.parse(e.at)) : e.heldS * 1000;
        return (
          <span
            key={e.id}
            class="strip-segment"
            style={{ flexGrow: Math.max(held / span, 0.02), background: colourOf(e.toPoolKey) }}
            title={`${e.toPoolKey} from ${utc(e.at)}`}
          >
            {e.toPoolKey}
          </span>
        );
      })}
    </div>
  );
}

function RouteCard(props: { timeline: RouteTimeline; now: number }) {
  const t = props.timeline;
  return (
    <section class="route-timeline" data-route={t.key}>
      <h3>
        {t.account} · <code>{t.route}</code> <span class="muted">now on</span> {t.current}
      </h3>
      <Strip timeline={t} now={props.now} />
      <DataTable
        label={`Switches of ${t.key}`}
        rows={[...t.entries].reverse()}
        columns={columns(false)}
        rowKey={(s) => String(s.id)}
        pageSize={10}
      />
    </section>
  );
}

export function SwitchesView({ route }: ViewProps) {
  const [params, setParams] = useViewParams(route, DEFAULTS);
  // The server's clock (the strip's current segment runs to its now): asked once with the switches.
  const switches = useResource(
    async () => {
      const [list] = await Promise.all([api.switches({ limit: LIMIT }), api.serverNow()]);
      return list;
    },
    [],
    { events: SWITCH_EVENTS },
  );
  const now = serverNow().getTime();
  const timelines = useMemo(() => routeTimelines(switches.data ?? []), [switches.data]);
  const shownRoutes = useMemo(
    () => timelines.filter((t) => !params.route || t.key.toLowerCase().includes(params.route.toLowerCase())),
    [timelines, params.route],
  );
  const forMiner = useMemo(
    () => (params.miner ? minerSwitches(switches.data ?? [], { miner: params.miner, profile: null }) : []),
    [switches.data, params.miner],
  );

  return (
    <>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <SearchField
          label="Miner"
          hint="ACCOUNT.WORKER: the switches that moved it"
          value={params.miner}
          onInput={(miner) => setParams({ miner })}
        />
        <SearchField
          label="Route"
          hint="account, profile, algorithm…"
          value={params.route}
          onInput={(route) => setParams({ route })}
        />
      </form>
      <ErrorLine error={switches.error} />
      {switches.data && params.miner && (
        <>
          <h2>Switches of {params.miner}</h2>
          <DataTable
            label={`Switches of ${params.miner}`}
            rows={forMiner}
            columns={columns(true)}
            rowKey={(s) => String(s.id)}
            pageSize={20}
            empty="No switch moved this miner"
          />
        </>
      )}
      {switches.data && (
        <>
          <h2>Routes</h2>
          <p class="muted">
            {timelines.length} routes, {switches.data.length} switches (the newest {LIMIT}).
            {shownRoutes.length > MAX_ROUTES && ` The ${MAX_ROUTES} most recently switched are shown.`}
          </p>
          {shownRoutes.length === 0 && <p class="empty">No switch reported yet</p>}
          {shownRoutes.slice(0, MAX_ROUTES).map((t) => (
            <RouteCard key={t.key} timeline={t} now={now} />
          ))}
        </>
      )}
    </>
  );
}
