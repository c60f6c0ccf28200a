// The page shell: header with the views and the live link's state, and the view the URL hash names.

import type { FunctionComponent } from 'preact';
import { useHashRoute } from './hash-route.ts';
import { useLive } from './live/live-context.tsx';
import type { LiveState } from './live/live-events.ts';
import { BacktestView } from './views/backtest-view.tsx';
import { HistoryView } from './views/history/history-view.tsx';
import { MarketView } from './views/market/market-view.tsx';
import { MinersView } from './views/miners/miners-view.tsx';
import { ProfilesView } from './views/profiles/profiles-view.tsx';
import { SourcesView } from './views/sources-view.tsx';
import { SwitchesView } from './views/switches/switches-view.tsx';
import type { ViewProps } from './views/view.ts';

interface ViewEntry {
  path: string;
  title: string;
  View: FunctionComponent<ViewProps>;
}

/** The views, in menu order; a view is listed here once it works. */
export const VIEWS: readonly ViewEntry[] = [
  { path: 'market', title: 'Market', View: MarketView },
  { path: 'miners', title: 'Miners', View: MinersView },
  { path: 'switches', title: 'Switches', View: SwitchesView },
  { path: 'history', title: 'History', View: HistoryView },
  { path: 'backtest', title: 'Backtest', View: BacktestView },
  { path: 'profiles', title: 'Profiles', View: ProfilesView },
  { path: 'sources', title: 'Sources', View: SourcesView },
];

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: 'connecting…',
  live: 'live',
  lost: 'connection lost, retrying…',
};

function LiveBadge() {
  const live = useLive();
  return (
    <span
      class={`live live-${live.state}`}
      role="status"
      data-state={live.state}
      title={live.lastEventAt ? `last update ${live.lastEventAt.toLocaleTimeString()}` : undefined}
    >
      {LIVE_TEXT[live.state]}
    </span>
  );
}

export function App() {
  const route = useHashRoute();
  const current = VIEWS.find((v) => v.path === route.path) ?? VIEWS[0]!;
  return (
    <>
      <header class="top">
        <a class="brand" href="#/market">
          Smart Mining
        </a>
        <nav aria-label="Views">
          {VIEWS.map((v) => (
            <a key={v.path} href={`#/${v.path}`} aria-current={v === current ? 'page' : undefined}>
              {v.title}
            </a>
          ))}
        </nav>
        <LiveBadge />
      </header>
      <main>
        <h1>{current.title}</h1>
        <current.View key={current.path} route={route} />
      </main>
    </>
  );
}
