// Entry point: one live link to /v1/events for the page, and the app mounted on #app.

import { render } from 'preact';
import { CHANGE_EVENTS, EVENTS_URL } from './api/client.ts';
import { App } from './app.tsx';
import { LiveProvider } from './live/live-context.tsx';
import { LiveEvents } from './live/live-events.ts';
import './styles.css';

const events = new LiveEvents(EVENTS_URL, CHANGE_EVENTS);

render(
  <LiveProvider events={events}>
    <App />
  </LiveProvider>,
  document.getElementById('app')!,
);
