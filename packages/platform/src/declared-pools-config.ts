// The config's `pools`: pools the operator declares, checked against the coins and algorithms the domain knows and
// turned into the shape the aggregator writes (endpoints {host, port, tls, dialect}).

import {
  ALGORITHMS,
  COINS,
  coinByKey,
  type DeclaredPool,
  dialectForAlgorithm,
  isAlgorithmKey,
  isStratumDialect,
  POOL_KEY_PATTERN,
  parseStratumUrl,
  STRATUM_DIALECTS,
} from '@smart-mining/domain';
import { z } from 'zod';

const declaredPoolInput = z
  .object({
    /** `<pool>:<COIN>`; the key of a pool a source lists replaces that pool's endpoints and fee. */
    key: z.string(),
    coin: z.string(),
    algorithm: z.string(),
    feeFraction: z.number().min(0).lt(1),
    urls: z.array(z.string()).min(1),
    /** Only where the algorithm's own dialect is not the one the pool speaks. */
    dialect: z.string().optional(),
    /** The proxy's login password on this pool (default `x`). */
    password: z.string().min(1).max(256).optional(),
    /** Checking the pool's TLS certificate: a PEM file to trust instead of the public CAs, or no check. */
    tls: z
      .object({ caFile: z.string().min(1).optional(), verify: z.boolean().optional() })
      .strict()
      .optional(),
  })
  .strict();

type Input = z.infer<typeof declaredPoolInput>;
type Ctx = z.core.$RefinementCtx<Input[]>;

/** One declared pool checked; problems are added to `ctx` at their path, undefined when any was found. */
function declaredPool(input: Input, index: number, ctx: Ctx): DeclaredPool | undefined {
  let ok = true;
  const problem = (path: (string | number)[], message: string): undefined => {
    ctx.addIssue({ code: 'custom', path: [index, ...path], message });
    ok = false;
    return undefined;
  };
  // The pattern pool keys have everywhere (profiles, the API): `viabtc:LTC`.
  const keyMatch = POOL_KEY_PATTERN.test(input.key) ? input.key.split(':') : undefined;
  const identity = coinByKey(input.coin);
  if (!keyMatch) problem(['key'], `"${input.key}" is not <pool>:<COIN> (e.g. viabtc:LTC)`);
  else if (keyMatch[1] !== input.coin)
    problem(['key'], `"${input.key}" names coin ${keyMatch[1]}, but coin is "${input.coin}"`);
  if (!identity || identity.key !== input.coin)
    problem(['coin'], `unknown coin "${input.coin}" (known: ${COINS.map((c) => c.key).join(', ')})`);
  if (!isAlgorithmKey(input.algorithm))
    problem(['algorithm'], `unknown algorithm "${input.algorithm}" (known: ${ALGORITHMS.join(', ')})`);
  else if (identity && identity.algorithm !== input.algorithm)
    problem(['algorithm'], `${identity.key} is mined with ${identity.algorithm}, not ${input.algorithm}`);
  if (input.dialect !== undefined && !isStratumDialect(input.dialect))
    problem(['dialect'], `unknown dialect "${input.dialect}" (known: ${STRATUM_DIALECTS.join(', ')})`);
  if (!ok || !keyMatch || !isAlgorithmKey(input.algorithm)) return undefined;
  const dialect =
    (input.dialect as DeclaredPool['endpoints'][number]['dialect'] | undefined) ??
    dialectForAlgorithm(input.algorithm);
  if (!dialect) return problem(['dialect'], `no dialect is known for ${input.algorithm}: set one`);
  const endpoints: DeclaredPool['endpoints'] = [];
  input.urls.forEach((url, i) => {
    const parsed = parseStratumUrl(url, dialect);
    if ('problem' in parsed) problem(['urls', i], parsed.problem);
    else endpoints.push(parsed.endpoint);
  });
  if (input.tls !== undefined && !endpoints.some((e) => e.tls))
    problem(['tls'], 'applies to stratum+ssl:// URLs, and none is given');
  if (input.tls?.verify === false && input.tls.caFile !== undefined)
    problem(['tls'], 'caFile has no use with verify false: set one or the other');
  if (!ok) return undefined;
  return {
    poolKey: input.key,
    pool: keyMatch[0]!,
    coin: input.coin,
    algorithm: input.algorithm,
    feeFraction: input.feeFraction,
    endpoints,
    ...(input.password !== undefined ? { password: input.password } : {}),
    ...(input.tls !== undefined ? { tls: input.tls } : {}),
  };
}

export const declaredPoolsSchema = z
  .array(declaredPoolInput)
  .default([])
  .transform((inputs, ctx): DeclaredPool[] => {
    const pools: DeclaredPool[] = [];
    const seen = new Set<string>();
    inputs.forEach((input, index) => {
      if (seen.has(input.key))
        ctx.addIssue({ code: 'custom', path: [index, 'key'], message: `"${input.key}" is declared twice` });
      seen.add(input.key);
      const pool = declaredPool(input, index, ctx);
      if (pool) pools.push(pool);
    });
    return pools;
  });
