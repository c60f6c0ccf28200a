// Loads data for a view and reloads it when its inputs change or the live link says the data changed.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { MARKET_EVENTS } from '../api/client.ts';
import { useLive } from './live-context.tsx';
import { versionOf } from './live-events.ts';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * `load` runs on mount, whenever `deps` change, and after every live change (with `live`, the default) of the
 * events the view shows (`events`, default: the market's).
 * The last data stays on screen while a reload runs; an answer that arrives after a newer request is dropped.
 */
export function useResource<T>(
  load: (() => Promise<T>) | null,
  deps: readonly unknown[],
  options: { live?: boolean; events?: readonly string[] } = {},
): Resource<T> {
  const live = useLive();
  const liveVersion = options.live === false ? 0 : versionOf(live, options.events ?? MARKET_EVENTS);
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({
    loading: load !== null,
  });
  const [manual, setManual] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    if (!load) {
      setState({ loading: false });
      return;
    }
    const ticket = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => ticket === latest.current && setState({ data, loading: false }),
      (error: Error) => ticket === latest.current && setState((s) => ({ ...s, error, loading: false })),
    );
  }, [...deps, liveVersion, manual]);

  const reload = useCallback(() => setManual((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
