// The profiles every installation has (DESIGN.md §Profiles and decisions), built through the schema.

import { parseProfileDefinition } from './profile-schema.ts';
import type { Profile } from './types.ts';

/** Default electricity price for `max-profit` (USD/kWh); users copy the profile to set their own. */
export const DEFAULT_ELECTRICITY_USD_PER_KWH = 0.1;

// Parsed, not written as literals, so built-ins get exactly the defaults a user's profile would.
export const BUILT_IN_PROFILES: Profile[] = [
  {
    name: 'max-usd-coin',
    builtIn: true,
    definition: parseProfileDefinition({
      description: "Mine the coin that pays the most USD for the miner's algorithm(s).",
      objective: 'revenue',
      scope: 'algorithm',
    }),
  },
  {
    name: 'max-usd-hashrate',
    builtIn: true,
    definition: parseProfileDefinition({
      description:
        'Follow the most profitable hashrate: best USD/day across every algorithm the hardware can mine.',
      objective: 'revenue',
      scope: 'hardware',
    }),
  },
  {
    name: 'max-profit',
    builtIn: true,
    definition: parseProfileDefinition({
      description: 'Best USD/day net of electricity across every algorithm the hardware can mine.',
      objective: 'profit',
      electricityUsdPerKwh: DEFAULT_ELECTRICITY_USD_PER_KWH,
      scope: 'hardware',
    }),
  },
  {
    name: 'fixed',
    builtIn: true,
    definition: parseProfileDefinition({
      description: 'Always mine one pool and coin; a default to override with a profile of your own.',
      objective: 'revenue',
      scope: 'algorithm',
      fixedTarget: '2miners:ETC',
    }),
  },
];

export function findBuiltInProfile(name: string): Profile | undefined {
  return BUILT_IN_PROFILES.find((p) => p.name === name);
}
