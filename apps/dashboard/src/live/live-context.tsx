// Preact glue for the live link: one LiveEvents per page, its snapshot in a context, and a hook to read it.

import { type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { LiveEvents, LiveSnapshot } from './live-events.ts';

const LiveContext = createContext<LiveSnapshot>({
  state: 'connecting',
  version: 0,
  counts: {},
  lastEventAt: null,
});

export function LiveProvider(props: { events: LiveEvents; children: ComponentChildren }) {
  const [snapshot, setSnapshot] = useState(props.events.snapshot);
  useEffect(() => props.events.subscribe(setSnapshot), [props.events]);
  return <LiveContext.Provider value={snapshot}>{props.children}</LiveContext.Provider>;
}

export function useLive(): LiveSnapshot {
  return useContext(LiveContext);
}
