// The validated shape of a profile definition (jsonb in `profiles.definition`), with its defaults.

import { z } from 'zod';
import { ALGORITHMS } from '../algorithms.ts';
import { DecisionError } from './errors.ts';
import type { ProfileDefinition } from './types.ts';

export const PROFILE_DEFAULTS = {
  maxDataAgeS: 900,
  thresholdFraction: 0.03,
  minDwellS: 600,
  algorithmSwitchCostS: 60,
  priceBasis: 'current',
  scope: 'algorithm',
  objective: 'revenue',
} as const;

/** Pool keys are `<pool>:<COIN>` (DESIGN.md §Units and identities). */
export const POOL_KEY_PATTERN = /^[a-z0-9-]+:[A-Z0-9]+$/;
const COIN_KEY_PATTERN = /^[A-Z0-9]+$/;
/** Pool filters name a whole operator (`2miners`) or one of its coins (`2miners:ETC`). */
const POOL_REF_PATTERN = /^[a-z0-9-]+(?::[A-Z0-9]+)?$/;

const coinKey = z.string().regex(COIN_KEY_PATTERN, 'must be an uppercase coin ticker (ETC)');
const poolRef = z
  .string()
  .regex(POOL_REF_PATTERN, "must be a pool id ('2miners') or a pool key ('2miners:ETC')");

/** An empty `allow` list means "no allow-list" (forms send []), not "allow nothing". */
const allowDeny = <T extends z.ZodType>(item: T) =>
  z.strictObject({ allow: z.array(item).optional(), deny: z.array(item).optional() });

const filtersSchema = z.strictObject({
  algorithms: z.array(z.enum(ALGORITHMS)).optional(),
  coins: allowDeny(coinKey).optional(),
  pools: allowDeny(poolRef).optional(),
  minVolume24hUsd: z.number().nonnegative().max(1e15).optional(),
  maxDataAgeS: z
    .number()
    .positive()
    .max(366 * 86_400)
    .default(PROFILE_DEFAULTS.maxDataAgeS),
});

const switchingSchema = z.strictObject({
  thresholdFraction: z.number().min(0).max(1).default(PROFILE_DEFAULTS.thresholdFraction),
  minDwellS: z
    .number()
    .nonnegative()
    .max(30 * 86_400)
    .default(PROFILE_DEFAULTS.minDwellS),
  algorithmSwitchCostS: z.number().nonnegative().max(86_400).default(PROFILE_DEFAULTS.algorithmSwitchCostS),
});

// Strict objects: a misspelt key ("thresold") is an error, not a silently ignored default.
export const profileDefinitionSchema = z
  .strictObject({
    description: z.string().max(500).optional(),
    // prefault: an absent block is parsed as {} so the inner defaults apply.
    filters: filtersSchema.prefault({}),
    objective: z.enum(['revenue', 'profit']).default(PROFILE_DEFAULTS.objective),
    // Bounded so no cost overflows to Infinity (the API's ranking takes at most the same).
    electricityUsdPerKwh: z.number().nonnegative().max(10).optional(),
    priceBasis: z.enum(['current', 'avg_1h', 'avg_24h']).default(PROFILE_DEFAULTS.priceBasis),
    scope: z.enum(['algorithm', 'hardware']).default(PROFILE_DEFAULTS.scope),
    switching: switchingSchema.prefault({}),
    fixedTarget: z.string().regex(POOL_KEY_PATTERN, "must be a pool key like '2miners:ETC'").optional(),
  })
  .superRefine((def, ctx) => {
    if (def.objective === 'profit' && def.electricityUsdPerKwh === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['electricityUsdPerKwh'],
        message: "required when objective is 'profit'",
      });
    }
  });

// Compile-time check that the schema's output is the contract type.
const _sameShape: (d: z.output<typeof profileDefinitionSchema>) => ProfileDefinition = (d) => d;
void _sameShape;

/** Validates and fills defaults; throws SM_PROFILE_INVALID naming every bad field (first in `.field`). */
export function parseProfileDefinition(input: unknown): ProfileDefinition {
  const result = profileDefinitionSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(definition)',
    message: issue.message,
  }));
  const text = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new DecisionError('SM_PROFILE_INVALID', `invalid profile definition: ${text}`, {
    field: issues[0]?.field,
    cause: result.error,
  });
}
