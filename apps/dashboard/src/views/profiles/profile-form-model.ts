// The profile form's fields as text, to and from a profile definition, and which field an API error names.

import type { ApiRequestError } from '../../api/client.ts';
import type { ProfileDefinition } from '../../api/types.ts';

export const FORM_FIELDS = [
  'name',
  'description',
  'objective',
  'electricityUsdPerKwh',
  'priceBasis',
  'scope',
  'fixedTarget',
  'algorithms',
  'coinsAllow',
  'coinsDeny',
  'poolsAllow',
  'poolsDeny',
  'minVolume24hUsd',
  'maxDataAgeS',
  'thresholdFraction',
  'minDwellS',
  'algorithmSwitchCostS',
] as const;

export type FormField = (typeof FORM_FIELDS)[number];
export type FormValues = Record<FormField, string>;

/** Where each field sits in the request body: the API's error messages start with this path. */
const BODY_PATHS: Record<FormField, string> = {
  name: 'body/name',
  description: 'body/definition/description',
  objective: 'body/definition/objective',
  electricityUsdPerKwh: 'body/definition/electricityUsdPerKwh',
  priceBasis: 'body/definition/priceBasis',
  scope: 'body/definition/scope',
  fixedTarget: 'body/definition/fixedTarget',
  algorithms: 'body/definition/filters/algorithms',
  coinsAllow: 'body/definition/filters/coins/allow',
  coinsDeny: 'body/definition/filters/coins/deny',
  poolsAllow: 'body/definition/filters/pools/allow',
  poolsDeny: 'body/definition/filters/pools/deny',
  minVolume24hUsd: 'body/definition/filters/minVolume24hUsd',
  maxDataAgeS: 'body/definition/filters/maxDataAgeS',
  thresholdFraction: 'body/definition/switching/thresholdFraction',
  minDwellS: 'body/definition/switching/minDwellS',
  algorithmSwitchCostS: 'body/definition/switching/algorithmSwitchCostS',
};

/** The form field an error is about (`body/definition/filters/coins/allow/0` → coinsAllow); null: the whole form. */
export function fieldOfError(error: ApiRequestError): FormField | null {
  const path = error.field;
  if (!path) return null;
  const matches = FORM_FIELDS.filter((f) => path === BODY_PATHS[f] || path.startsWith(`${BODY_PATHS[f]}/`));
  return matches.sort((a, b) => BODY_PATHS[b].length - BODY_PATHS[a].length)[0] ?? null;
}

const listText = (items: readonly string[] | undefined) => (items ?? []).join(', ');
const numberText = (n: number | undefined) => (n === undefined ? '' : String(n));

export function toFormValues(name: string, d: ProfileDefinition): FormValues {
  return {
    name,
    description: d.description ?? '',
    objective: d.objective ?? 'revenue',
    electricityUsdPerKwh: numberText(d.electricityUsdPerKwh),
    priceBasis: d.priceBasis ?? 'current',
    scope: d.scope ?? 'algorithm',
    fixedTarget: d.fixedTarget ?? '',
    algorithms: listText(d.filters?.algorithms),
    coinsAllow: listText(d.filters?.coins?.allow),
    coinsDeny: listText(d.filters?.coins?.deny),
    poolsAllow: listText(d.filters?.pools?.allow),
    poolsDeny: listText(d.filters?.pools?.deny),
    minVolume24hUsd: numberText(d.filters?.minVolume24hUsd),
    maxDataAgeS: numberText(d.filters?.maxDataAgeS),
    thresholdFraction: numberText(d.switching?.thresholdFraction),
    minDwellS: numberText(d.switching?.minDwellS),
    algorithmSwitchCostS: numberText(d.switching?.algorithmSwitchCostS),
  };
}

export const EMPTY_FORM: FormValues = toFormValues('', {});

/** Empty: left out (the API fills the default); not a number: sent as typed, so the API names the field. */
function numberOrText(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

function list(text: string): string[] | undefined {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}

function compact<T extends object>(o: T): T | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}

/** The definition the API validates; bad numbers pass through as text on purpose (the API is the validator). */
export function toDefinition(v: FormValues): ProfileDefinition {
  const definition = {
    description: v.description.trim() || undefined,
    objective: v.objective,
    electricityUsdPerKwh: numberOrText(v.electricityUsdPerKwh),
    priceBasis: v.priceBasis,
    scope: v.scope,
    fixedTarget: v.fixedTarget.trim() || undefined,
    filters: compact({
      algorithms: list(v.algorithms),
      coins: compact({ allow: list(v.coinsAllow), deny: list(v.coinsDeny) }),
      pools: compact({ allow: list(v.poolsAllow), deny: list(v.poolsDeny) }),
      minVolume24hUsd: numberOrText(v.minVolume24hUsd),
      maxDataAgeS: numberOrText(v.maxDataAgeS),
    }),
    switching: compact({
      thresholdFraction: numberOrText(v.thresholdFraction),
      minDwellS: numberOrText(v.minDwellS),
      algorithmSwitchCostS: numberOrText(v.algorithmSwitchCostS),
    }),
  };
  return compact(definition) as ProfileDefinition;
}
