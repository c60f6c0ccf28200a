// Configuration: one JSON file (optional) merged under environment overrides, validated with zod.
// Secrets (API keys, the API token) come only from the environment.

import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_STALENESS_LIMITS } from '@smart-mining/domain';
import { z } from 'zod';
import { declaredPoolsSchema } from './declared-pools-config.ts';
import { proxyConfigSchema } from './proxy-config.ts';

const sourceBase = {
  enabled: z.boolean().default(true),
  intervalS: z.number().positive(),
  timeoutMs: z.number().int().positive().default(10_000),
  /** Spacing between two requests; undefined: the source's documented limit. */
  minIntervalMs: z.number().int().min(0).optional(),
  /** Attempts per request, the first included (every call costs quota on some plans). */
  attempts: z.number().int().min(1).max(10).optional(),
};

const perCoinSource = (urlTemplate: string, coins: string[], intervalS: number) =>
  z
    .object({
      ...sourceBase,
      intervalS: sourceBase.intervalS.default(intervalS),
      urlTemplate: z.string().includes('{coin}').default(urlTemplate),
      coins: z.array(z.string().regex(/^[A-Z0-9]+$/)).default(coins),
      feeFraction: z.number().min(0).max(1).default(0.01),
    })
    .strict()
    .prefault({});

const source = (baseUrl: string, intervalS: number) =>
  z
    .object({
      ...sourceBase,
      intervalS: sourceBase.intervalS.default(intervalS),
      baseUrl: z.url().default(baseUrl),
    })
    .strict()
    .prefault({});

export const configSchema = z
  .object({
    database: z
      .object({
        url: z.string().optional(),
        dataDir: z.string().default('./data/pglite'),
        /**
         * PostgreSQL connections per process, by role (`start` opens the sum). The API: up to 3 heavy reads, the
         * snapshot reload, report writes and /health at once, with room to spare; the aggregator: one ingest
         * transaction, the lease renewal and the collectors' cache reads. Each process also holds one LISTEN
         * connection outside the pool (the API).
         */
        pool: z
          .object({
            api: z.number().int().min(1).max(1000).default(10),
            aggregator: z.number().int().min(1).max(1000).default(4),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    api: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
      })
      .strict()
      .prefault({}),
    aggregator: z
      .object({
        /** Electricity price used for hardware profit figures, USD/kWh. */
        electricityUsdPerKwh: z.number().min(0).default(0.1),
        /** Seconds of random spread added to each source interval so runs do not bunch up. */
        jitterS: z.number().min(0).default(5),
        staleness: z
          .object({
            priceS: z.number().positive().default(DEFAULT_STALENESS_LIMITS.priceS),
            networkS: z.number().positive().default(DEFAULT_STALENESS_LIMITS.networkS),
            poolS: z.number().positive().default(DEFAULT_STALENESS_LIMITS.poolS),
            hardwareS: z
              .number()
              .positive()
              .default(30 * 86_400),
          })
          .strict()
          .prefault({}),
        trust: z
          .object({
            /** A quote further than this from the median of the others is not trusted. */
            maxDeviationFraction: z.number().positive().default(0.05),
            minVolume24hUsd: z.number().min(0).default(10_000),
            /** One polling cycle: a quote older than the freshest quote of the same value by more than this never votes. */
            maxQuoteLagS: z.number().positive().default(600),
          })
          .strict()
          .prefault({}),
        /**
         * Unchanged values are appended to history at most this often; below the profiles' default maxDataAgeS
         * (900 s) so a backtest over quiet data still sees it as fresh.
         */
        historyHeartbeatS: z.number().positive().default(600),
        /**
         * Raw history is kept at least this many days, then dropped a whole month at a time once the hourly and
         * daily rollups (kept for good) cover it. At least one day: the live price bases read the last 24 h.
         */
        historyRetentionDays: z.number().min(1).default(30),
        /**
         * Several aggregators may run on one database; the lease holder ingests. A dead or hung leader is replaced
         * within ttlS + renewS (40 s), below the shortest source interval (60 s).
         */
        lease: z
          .object({
            ttlS: z.number().positive().default(30),
            renewS: z.number().positive().default(10),
          })
          .strict()
          .prefault({})
          .refine((l) => l.renewS < l.ttlS, {
            message: 'renewS must be below ttlS (the lease is renewed before it expires)',
          }),
        /** /health (leader or standby, last cycle) and /metrics of `smart-mining aggregate`. */
        status: z
          .object({
            host: z.string().default('127.0.0.1'),
            port: z.number().int().min(0).max(65535).default(8081),
          })
          .strict()
          .prefault({}),
        sources: z
          .object({
            binance: source('https://api.binance.com', 60),
            coingecko: source('https://api.coingecko.com/api/v3', 120),
            hashrateno: z
              .object({
                ...sourceBase,
                intervalS: sourceBase.intervalS.default(3600),
                baseUrl: z.url().default('https://hashrate.no/api/v2'),
                /** ~100 calls a month on the free plan: responses are cached this long (in the database). */
                coinsTtlS: z
                  .number()
                  .positive()
                  .default(12 * 3600),
                benchmarksTtlS: z
                  .number()
                  .positive()
                  .default(7 * 86_400),
                benchmarkCoins: z
                  .array(z.string().regex(/^[A-Z0-9]+$/))
                  .default(['RVN', 'ETC', 'ERG', 'KAS']),
              })
              .strict()
              .prefault({}),
            minerstat: source('https://api.minerstat.com/v2', 300),
            whattomine: source('https://whattomine.com', 300),
            nanopool: perCoinSource(
              'https://api.nanopool.org/v1/{coin}',
              ['ETC', 'XMR', 'RVN', 'ERG', 'ZEC', 'CFX'],
              300,
            ),
            twominers: perCoinSource(
              'https://{coin}.2miners.com/api',
              ['ETC', 'RVN', 'KAS', 'ERG', 'XMR', 'ZEC', 'FLUX'],
              120,
            ),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Pools the operator declares: pools no source lists, or the endpoints and fee of one a source lists. */
    pools: declaredPoolsSchema,
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .prefault({}),
    proxy: proxyConfigSchema,
  })
  .strict();

export type FileConfig = z.infer<typeof configSchema>;

export interface Secrets {
  apiToken?: string;
  /** The proxy's token for its reports (SM_PROXY_TOKEN, from `smart-mining token create`). */
  proxyToken?: string;
  minerstatApiKey?: string;
  hashratenoApiKey?: string;
  coingeckoApiKey?: string;
  coingeckoPlan: 'demo' | 'pro';
}

export type Config = FileConfig & { secrets: Secrets };

/** Every problem found in the file and the environment, reported together (one per line). */
export class ConfigError extends Error {
  readonly code = 'SM_CONFIG_INVALID';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]!
        : `${problems.length} configuration problems:\n  ${problems.join('\n  ')}`,
    );
    this.problems = problems;
  }
}

type Raw = Record<string, unknown>;
/** An environment value parsed for its config path, or why it cannot be. */
type EnvParse = { value: unknown } | { problem: string };
const asNumber = (v: string): EnvParse =>
  v.trim() !== '' && Number.isFinite(Number(v)) ? { value: Number(v) } : { problem: 'is not a number' };
const asText = (v: string): EnvParse => ({ value: v });
const asList = (v: string): EnvParse => {
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.length > 0 ? { value: items } : { problem: 'is an empty list' };
};

/** Environment variables that override a file value: name, path in the config, parser. */
const ENV_OVERRIDES: [string, string[], (v: string) => EnvParse][] = [
  ['DATABASE_URL', ['database', 'url'], asText],
  ['SM_DATA_DIR', ['database', 'dataDir'], asText],
  ['SM_API_HOST', ['api', 'host'], asText],
  ['SM_API_PORT', ['api', 'port'], asNumber],
  ['SM_LOG_LEVEL', ['log', 'level'], asText],
  ['SM_DB_POOL_API', ['database', 'pool', 'api'], asNumber],
  ['SM_DB_POOL_AGGREGATOR', ['database', 'pool', 'aggregator'], asNumber],
  ['SM_AGGREGATOR_STATUS_HOST', ['aggregator', 'status', 'host'], asText],
  ['SM_AGGREGATOR_STATUS_PORT', ['aggregator', 'status', 'port'], asNumber],
  ['SM_AGGREGATOR_LEASE_S', ['aggregator', 'lease', 'ttlS'], asNumber],
  ['SM_AGGREGATOR_LEASE_RENEW_S', ['aggregator', 'lease', 'renewS'], asNumber],
  ['SM_ELECTRICITY_USD_PER_KWH', ['aggregator', 'electricityUsdPerKwh'], asNumber],
  ['SM_HISTORY_RETENTION_DAYS', ['aggregator', 'historyRetentionDays'], asNumber],
  ...(['binance', 'coingecko', 'hashrateno', 'minerstat', 'whattomine'] as const).map(
    (s): [string, string[], (v: string) => EnvParse] => [
      `SM_SOURCE_${s.toUpperCase()}_URL`,
      ['aggregator', 'sources', s, 'baseUrl'],
      asText,
    ],
  ),
  ['SM_STRATUM_PORT', ['proxy', 'stratumPort'], asNumber],
  ['SM_PROXY_ID', ['proxy', 'id'], asText],
  ['SM_PROXY_API_URLS', ['proxy', 'apiUrls'], asList],
  ['SM_PROXY_STATUS_PORT', ['proxy', 'statusPort'], asNumber],
  ['SM_PROXY_STATUS_HOST', ['proxy', 'statusHost'], asText],
  ['SM_PROXY_WORKERS', ['proxy', 'workers'], asNumber],
  ['SM_SOURCE_NANOPOOL_URL', ['aggregator', 'sources', 'nanopool', 'urlTemplate'], asText],
  ['SM_SOURCE_TWOMINERS_URL', ['aggregator', 'sources', 'twominers', 'urlTemplate'], asText],
];

/** Variables read outside the overrides: the config file's path and the secrets. */
const OTHER_ENV = [
  'SM_CONFIG',
  'SM_API_TOKEN',
  'SM_PROXY_TOKEN',
  'MINERSTAT_API_KEY',
  'HASHRATENO_API_KEY',
  'COINGECKO_API_KEY',
  'COINGECKO_PLAN',
] as const;

/** Every environment variable the configuration reads (deployment files are checked against it). */
export const CONFIG_ENV_NAMES: readonly string[] = [...ENV_OVERRIDES.map(([name]) => name), ...OTHER_ENV];

/** Sets a nested value, creating the objects on the way. */
export function setPath(target: Raw, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Raw;
  }
  node[path.at(-1)!] = value;
}

export interface LoadConfigOptions {
  /** Path of the JSON config file; default `SM_CONFIG` or ./smart-mining.config.json when present; null: none. */
  file?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Values applied over file and environment (CLI flags, tests). */
  overrides?: (raw: Raw) => void;
}

/** Reads the file: a JSON object, or a problem (missing, unreadable, not JSON, not an object). */
function readConfigFile(file: string | undefined, required: boolean): { raw?: Raw; problem?: string } {
  if (file === undefined) return {};
  if (!existsSync(file)) return required ? { problem: `config file ${file} not found` } : {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { problem: `config file ${file}: ${(error as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const found = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed;
    return { problem: `config file ${file} must hold a JSON object ({...}), found ${found}` };
  }
  return { raw: parsed as Raw };
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const file =
    options.file === null ? undefined : (options.file ?? env.SM_CONFIG ?? './smart-mining.config.json');
  const problems: string[] = [];
  const read = readConfigFile(file, Boolean(options.file || env.SM_CONFIG));
  const raw: Raw = read.raw ?? {};
  if (read.problem) problems.push(read.problem);
  const fileLabel = read.raw ? `config file ${file}: ` : 'config ';
  /** Config path (dotted) → the variable that set it, to name the variable in a problem. */
  const setByEnv = new Map<string, string>();
  for (const [name, path, parse] of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const parsed = parse(value);
    if ('problem' in parsed) problems.push(`${`${name}=${JSON.stringify(value)}`}: ${parsed.problem}`);
    else {
      setPath(raw, path, parsed.value);
      setByEnv.set(path.join('.'), `${name}=${JSON.stringify(value)}`);
    }
  }
  options.overrides?.(raw);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      const message = issue.message.replace(/^Invalid input: /, '');
      // A list set by a variable (SM_PROXY_API_URLS) fails at one of its items: name the variable still.
      const byEnv = [...setByEnv].find(([set]) => path === set || path.startsWith(`${set}.`))?.[1];
      if (byEnv) problems.push(`${byEnv}: ${message} (config ${path})`);
      else problems.push(`${fileLabel}${path || '(root)'}: ${message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const plan = env.COINGECKO_PLAN === 'pro' ? 'pro' : 'demo';
  const secrets: Secrets = { coingeckoPlan: plan };
  if (env.SM_API_TOKEN) secrets.apiToken = env.SM_API_TOKEN;
  if (env.SM_PROXY_TOKEN) secrets.proxyToken = env.SM_PROXY_TOKEN;
  if (env.MINERSTAT_API_KEY) secrets.minerstatApiKey = env.MINERSTAT_API_KEY;
  if (env.HASHRATENO_API_KEY) secrets.hashratenoApiKey = env.HASHRATENO_API_KEY;
  if (env.COINGECKO_API_KEY) secrets.coingeckoApiKey = env.COINGECKO_API_KEY;
  return { ...parsed.data, secrets };
}
