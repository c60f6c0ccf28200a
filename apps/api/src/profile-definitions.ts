// Profile definitions at the API edge: validation errors become 400s naming the field, stored ones are re-parsed.

import type { ProfileRecord } from '@smart-mining/db';
import { DecisionError, type Profile, parseProfileDefinition } from '@smart-mining/domain';
import { ApiError } from './errors.ts';
import type { MarketSnapshot } from './market-cache.ts';

/** Validates a definition from a request body; 400 naming the first bad field (`body/definition/switching/…`). */
export function parseRequestDefinition(input: unknown): Profile['definition'] {
  try {
    return parseProfileDefinition(input);
  } catch (error) {
    if (!(error instanceof DecisionError)) throw error;
    const field = error.field && error.field !== '(definition)' ? `/${error.field.replaceAll('.', '/')}` : '';
    const detail = error.message.replace(/^invalid profile definition: /, '');
    throw ApiError.badParameter(`body/definition${field}`, `is invalid: ${detail}`);
  }
}

/** A stored profile, parsed with today's schema (fills defaults added since it was written). */
export function toProfile(record: ProfileRecord): Profile {
  try {
    return {
      name: record.name,
      builtIn: record.builtIn,
      definition: parseProfileDefinition(record.definition),
    };
  } catch (error) {
    throw new ApiError('SM_API_INTERNAL', `stored profile ${record.name} is no longer valid`, {
      cause: error,
    });
  }
}

/** The named profile; 400 naming `parameter` when there is none. */
export function loadProfile(market: MarketSnapshot, name: string, parameter: string): Profile {
  const profile = market.profile(name);
  if (!profile) throw ApiError.badParameter(parameter, `names no profile: ${name}`);
  return profile;
}
