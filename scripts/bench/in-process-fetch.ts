// A fetch that answers from the replay routes without a socket, so timings measure our parsing, not loopback I/O.

import { loadFixtures, REPLAY_ROUTES } from '@smart-mining/testkit';

export function inProcessReplayFetch(): typeof globalThis.fetch {
  const fixtures = loadFixtures();
  // Bodies are serialized once per URL: the timing should be our parsing, not this stand-in's JSON.stringify.
  const memo = new Map<string, { status: number; text: string }>();
  return async (input, init) => {
    const hit = memo.get(String(input));
    if (hit) return new Response(hit.text, { status: hit.status });
    const url = new URL(String(input));
    const [, source = '', ...rest] = url.pathname.split('/');
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const response = REPLAY_ROUTES[source]?.(
      { path: `/${rest.join('/')}`, query: url.searchParams, headers },
      fixtures,
    ) ?? {
      status: 404,
      body: { error: 'not found' },
    };
    const entry = { status: response.status, text: JSON.stringify(response.body) };
    memo.set(String(input), entry);
    return new Response(entry.text, { status: entry.status });
  };
}

export const IN_PROCESS_ORIGIN = 'http://replay.invalid';
