// How each source's real paths map onto the fixtures: the behaviour of the seven APIs, recorded.

export interface ReplayRequest {
  /** Path below the source prefix, e.g. `/api/v3/ticker/price`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
}

export interface ReplayResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Fixtures = Map<string, unknown>;
type Route = (req: ReplayRequest, fx: Fixtures) => ReplayResponse | undefined;

const ok = (body: unknown): ReplayResponse => ({ status: 200, body });
const notFound: ReplayResponse = { status: 404, body: { error: 'Not found' } };

function get(fx: Fixtures, path: string): unknown {
  const value = fx.get(path);
  if (value === undefined) throw new Error(`fixture missing: ${path}`);
  return structuredClone(value);
}

function binanceTickers(file: string): Route {
  return (req, fx) => {
    const all = get(fx, file) as { symbol: string }[];
    const invalid = { status: 400, body: get(fx, 'binance/error_invalid_symbol.json') };
    const single = req.query.get('symbol');
    if (single) {
      const row = all.find((r) => r.symbol === single);
      return row ? ok(row) : invalid;
    }
    const symbols = req.query.get('symbols');
    if (!symbols) return ok(all);
    let wanted: string[];
    try {
      wanted = JSON.parse(symbols) as string[];
    } catch {
      return { status: 400, body: { code: -1100, msg: "Illegal characters found in parameter 'symbols'." } };
    }
    const rows = wanted.map((s) => all.find((r) => r.symbol === s));
    // Binance refuses the whole request when one symbol is unknown.
    return rows.every(Boolean) ? ok(rows) : invalid;
  };
}

function byPrefix(routes: Record<string, Route>): Route {
  return (req, fx) => {
    const route = routes[req.path];
    return route ? route(req, fx) : undefined;
  };
}

function filterObjectByIds(obj: Record<string, unknown>, ids: string | null): Record<string, unknown> {
  if (!ids) return obj;
  const wanted = new Set(ids.split(',').map((s) => s.trim()));
  return Object.fromEntries(Object.entries(obj).filter(([k]) => wanted.has(k)));
}

const binance = byPrefix({
  '/api/v3/ticker/24hr': binanceTickers('binance/ticker_24hr_symbols.json'),
  '/api/v3/ticker/price': binanceTickers('binance/ticker_price_symbols.json'),
  '/api/v3/klines': (req, fx) =>
    req.query.get('symbol') === 'BTCUSDT'
      ? ok(get(fx, 'binance/klines_BTCUSDT_1d.json'))
      : { status: 400, body: get(fx, 'binance/error_invalid_symbol.json') },
});

const coingecko = byPrefix({
  '/simple/price': (req, fx) =>
    ok(
      filterObjectByIds(
        get(fx, 'coingecko/simple_price.json') as Record<string, unknown>,
        req.query.get('ids'),
      ),
    ),
  '/coins/markets': (req, fx) => {
    if (!req.query.get('vs_currency'))
      return { status: 400, body: { error: 'Missing parameter vs_currency' } };
    const rows = get(fx, 'coingecko/coins_markets.json') as { id: string }[];
    const ids = req.query.get('ids');
    const wanted = ids ? new Set(ids.split(',')) : undefined;
    return ok(wanted ? rows.filter((r) => wanted.has(r.id)) : rows);
  },
  '/coins/list': (_req, fx) => ok(get(fx, 'coingecko/coins_list.json')),
});

const hashrateno: Route = (req, fx) => {
  if (!req.query.get('apiKey')) return { status: 401, body: get(fx, 'hashrate_no/error_invalid_key.json') };
  switch (req.path) {
    case '/coins': {
      const coin = req.query.get('coin');
      if (coin === 'RVN') return ok(get(fx, 'hashrate_no/coins_RVN.json'));
      const all = get(fx, 'hashrate_no/coins.json') as Record<string, unknown>;
      return ok(coin ? filterObjectByIds(all, coin) : all);
    }
    case '/gpuEstimates':
      return ok(get(fx, 'hashrate_no/gpuEstimates_powerCost_0.1.json'));
    case '/benchmarks':
      return req.query.get('coin') === 'RVN'
        ? ok(get(fx, 'hashrate_no/benchmarks_RVN.json'))
        : { status: 400, body: { title: 'Bad Request', detail: 'Unknown coin' } };
    default:
      return undefined;
  }
};

const minerstat: Route = (req, fx) => {
  if (!req.headers['x-api-key'] && !req.query.get('key')) {
    return { status: 401, body: { error: 'Missing or invalid API key' } };
  }
  switch (req.path) {
    case '/coins': {
      const rows = get(fx, 'minerstat/coins.json') as { coin: string }[];
      const list = req.query.get('list');
      const wanted = list ? new Set(list.split(',')) : undefined;
      return ok(wanted ? rows.filter((r) => wanted.has(r.coin)) : rows);
    }
    case '/hardware':
      return ok(get(fx, 'minerstat/hardware.json'));
    case '/pools':
      return ok(get(fx, 'minerstat/pools.json'));
    default:
      return undefined;
  }
};

const NANOPOOL_EARNINGS: Record<string, { file: string; hashrate: number }> = {
  etc: { file: 'nanopool/approximated_earnings_etc_100.json', hashrate: 100 },
  xmr: { file: 'nanopool/approximated_earnings_xmr_10000.json', hashrate: 10000 },
};

/** Scales every number of an earnings body linearly, as the API does for another hashrate. */
function scaleEarnings(body: { data: Record<string, Record<string, number>> }, factor: number): unknown {
  for (const [period, values] of Object.entries(body.data)) {
    if (period === 'prices') continue;
    for (const key of Object.keys(values)) values[key] = (values[key] ?? 0) * factor;
  }
  return body;
}

const nanopool: Route = (req, fx) => {
  const match = /^\/([a-z0-9]+)(\/.*)$/.exec(req.path);
  if (!match) return undefined;
  const [, coin, rest] = match as unknown as [string, string, string];
  const notFoundBody = ok(get(fx, 'nanopool/error_not_found.json'));
  const earnings = /^\/approximated_earnings\/([\d.]+)$/.exec(rest);
  if (earnings) {
    const known = NANOPOOL_EARNINGS[coin];
    if (!known) return notFoundBody;
    const body = get(fx, known.file) as { data: Record<string, Record<string, number>> };
    return ok(scaleEarnings(body, Number(earnings[1]) / known.hashrate));
  }
  const files: Record<string, string> = {
    '/prices': 'prices',
    '/network/avgblocktime': 'network_avgblocktime',
    '/network/lastblocknumber': 'network_lastblocknumber',
    '/network/timetonextepoch': 'network_timetonextepoch',
    '/pool/hashrate': 'pool_hashrate',
    '/pool/activeminers': 'pool_activeminers',
    '/pool/activeworkers': 'pool_activeworkers',
  };
  const name = files[rest];
  if (!name) return undefined;
  const path = `nanopool/${name}_${coin}.json`;
  return fx.has(path) ? ok(get(fx, path)) : notFoundBody;
};

const twominers: Route = (req, fx) => {
  const match = /^\/([a-z0-9-]+)\/api(\/.*)$/.exec(req.path);
  if (!match) return undefined;
  const [, coin, rest] = match as unknown as [string, string, string];
  const fileFor = (name: string): ReplayResponse => {
    const path = `2miners/${name}_${coin}.json`;
    return fx.has(path) ? ok(get(fx, path)) : notFound;
  };
  if (rest === '/stats') return fileFor('stats');
  if (rest === '/blocks') return fileFor('blocks');
  if (rest.startsWith('/accounts/')) return fileFor('accounts');
  return undefined;
};

const whattomine: Route = (req, fx) => {
  if (req.path === '/coins.json') return ok(get(fx, 'whattomine/coins.json'));
  if (req.path === '/asic.json') return ok(get(fx, 'whattomine/asic.json'));
  const one = /^\/coins\/(\d+)\.json$/.exec(req.path);
  if (one?.[1] === '162') return ok(get(fx, 'whattomine/coin_162_ETC.json'));
  return one ? notFound : undefined;
};

/** Source name (first path segment on the replay server) → its route. */
export const REPLAY_ROUTES: Record<string, Route> = {
  binance,
  coingecko,
  hashrateno,
  minerstat,
  nanopool,
  '2miners': twominers,
  whattomine,
};
