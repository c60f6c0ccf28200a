// Canonical algorithm keys and the spellings each source uses for them.

export const ALGORITHMS = [
  'sha256d',
  'scrypt',
  'etchash',
  'ethash',
  'kawpow',
  'autolykos2',
  'kheavyhash',
  'randomx',
  'equihash125_4',
  'equihash144_5',
  'equihash200_9',
  'octopus',
  'blake3',
  'x11',
] as const;

export type AlgorithmKey = (typeof ALGORITHMS)[number];

/**
 * How a coin's native difficulty relates to network hashrate (H/s = difficulty × factor / block time): 2^32 for
 * Bitcoin-style targets, 2^13 for Equihash chains (difficulty 1 is their proof-of-work limit 0x0007ffff…, 2^13
 * expected solutions), 1 where difficulty already counts hashes.
 */
export type DifficultyRule = 'times2pow32' | 'times2pow13' | 'direct';

export interface AlgorithmInfo {
  key: AlgorithmKey;
  difficultyRule: DifficultyRule;
  /** Switching onto this algorithm costs a DAG build (Ethash family, KawPoW, Octopus). */
  usesDag: boolean;
}

const INFO: Record<AlgorithmKey, Omit<AlgorithmInfo, 'key'>> = {
  sha256d: { difficultyRule: 'times2pow32', usesDag: false },
  scrypt: { difficultyRule: 'times2pow32', usesDag: false },
  kawpow: { difficultyRule: 'times2pow32', usesDag: true },
  kheavyhash: { difficultyRule: 'times2pow32', usesDag: false },
  x11: { difficultyRule: 'times2pow32', usesDag: false },
  etchash: { difficultyRule: 'direct', usesDag: true },
  ethash: { difficultyRule: 'direct', usesDag: true },
  autolykos2: { difficultyRule: 'direct', usesDag: false },
  randomx: { difficultyRule: 'direct', usesDag: false },
  octopus: { difficultyRule: 'direct', usesDag: true },
  equihash125_4: { difficultyRule: 'times2pow13', usesDag: false },
  equihash144_5: { difficultyRule: 'times2pow13', usesDag: false },
  equihash200_9: { difficultyRule: 'times2pow13', usesDag: false },
  blake3: { difficultyRule: 'direct', usesDag: false },
};

/** Every spelling seen in the sources, normalized by `aliasKey` before lookup. */
const ALIASES: Record<string, AlgorithmKey> = {
  sha256: 'sha256d',
  sha256d: 'sha256d',
  scrypt: 'scrypt',
  etchash: 'etchash',
  ethash: 'ethash',
  kawpow: 'kawpow',
  autolykos: 'autolykos2',
  autolykos2: 'autolykos2',
  autolykosv2: 'autolykos2',
  kheavyhash: 'kheavyhash',
  heavyhash: 'kheavyhash',
  randomx: 'randomx',
  rx0: 'randomx',
  randomxmonero: 'randomx',
  equihash1254: 'equihash125_4',
  zelhash: 'equihash125_4',
  equihash1445: 'equihash144_5',
  zhash: 'equihash144_5',
  equihash2009: 'equihash200_9',
  equihash: 'equihash200_9',
  octopus: 'octopus',
  blake3: 'blake3',
  x11: 'x11',
};

function aliasKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Canonical key for a source's algorithm name, or undefined when unknown (never guessed). */
export function algorithmFromAlias(name: string): AlgorithmKey | undefined {
  return ALIASES[aliasKey(name)];
}

export function isAlgorithmKey(value: string): value is AlgorithmKey {
  return (ALGORITHMS as readonly string[]).includes(value);
}

export function algorithmInfo(key: AlgorithmKey): AlgorithmInfo {
  return { key, ...INFO[key] };
}
