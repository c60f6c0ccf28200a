// What each kind of real miner sends and accepts (stratum.md §8.2), as profiles for the simulated miner.

export interface MinerProfile {
  name: string;
  userAgent: string;
  /** BIP 310 configure sent first, with this version-rolling mask; undefined: no configure. */
  configureMask: number | undefined;
  configureMinBitCount: number | undefined;
  /** Sends mining.extranonce.subscribe after subscribing (NiceHash extension). */
  extranonceSubscribe: boolean;
  /** Applies mining.set_extranonce (from the next notify); others ignore it. */
  handlesSetExtranonce: boolean;
  /** Sends mining.suggest_difficulty, as a string (cpuminer-opt) or a number (Bitaxe). */
  suggestDifficulty: 'string' | 'number' | undefined;
  answersPing: boolean;
  /** Obeys client.reconnect (needs host and port, as cpuminer). */
  followsReconnect: boolean;
  /** Sends the previous session id when it subscribes again (cpuminer's resume). */
  resumesSession: boolean;
  /** Writes the nonce without its leading zeros (NerdMiner: Arduino `String(nonce, HEX)`). */
  nonceWithoutLeadingZeros: boolean;
}

export const MINER_PROFILES = {
  /** pooler/cpuminer 2.5.1: notify, set_difficulty, reconnect, get_version, show_message; no set_extranonce. */
  cpuminer: {
    name: 'cpuminer',
    userAgent: 'cpuminer/2.5.1',
    configureMask: undefined,
    configureMinBitCount: undefined,
    extranonceSubscribe: false,
    handlesSetExtranonce: false,
    suggestDifficulty: undefined,
    answersPing: false,
    followsReconnect: true,
    resumesSession: true,
    nonceWithoutLeadingZeros: false,
  },
  /** cpuminer-opt: extranonce.subscribe + set_extranonce, suggest_difficulty as a string, answers ping. */
  'cpuminer-opt': {
    name: 'cpuminer-opt',
    userAgent: 'cpuminer-opt/23.15',
    configureMask: undefined,
    configureMinBitCount: undefined,
    extranonceSubscribe: true,
    handlesSetExtranonce: true,
    suggestDifficulty: 'string',
    answersPing: true,
    followsReconnect: true,
    resumesSession: true,
    nonceWithoutLeadingZeros: false,
  },
  /** cgminer 4.x: reconnect, ping; no configure, no extranonce subscription. */
  cgminer: {
    name: 'cgminer',
    userAgent: 'cgminer/4.12.1',
    configureMask: undefined,
    configureMinBitCount: undefined,
    extranonceSubscribe: false,
    handlesSetExtranonce: false,
    suggestDifficulty: undefined,
    answersPing: true,
    followsReconnect: true,
    resumesSession: true,
    nonceWithoutLeadingZeros: false,
  },
  /** Bitaxe (ESP-Miner): configure version-rolling mask ffffffff, suggest_difficulty as a number. */
  bitaxe: {
    name: 'bitaxe',
    userAgent: 'bitaxe/BM1370/v2.4.0',
    configureMask: 0xffffffff,
    configureMinBitCount: undefined,
    extranonceSubscribe: false,
    handlesSetExtranonce: false,
    suggestDifficulty: 'number',
    answersPing: false,
    followsReconnect: true,
    resumesSession: false,
    nonceWithoutLeadingZeros: false,
  },
  /** Antminer firmware (cgminer-based): version rolling over BIP 320's bits, min-bit-count 2. */
  antminer: {
    name: 'antminer',
    userAgent: 'bmminer/2.0.0',
    configureMask: 0x1fffe000,
    configureMinBitCount: 2,
    extranonceSubscribe: false,
    handlesSetExtranonce: false,
    suggestDifficulty: undefined,
    answersPing: true,
    followsReconnect: true,
    resumesSession: false,
    nonceWithoutLeadingZeros: false,
  },
  /**
   * NerdMiner (ESP32): subscribe, authorize and suggest_difficulty (a number, also its keepalive); notify and
   * set_difficulty only; its nonce without leading zeros. It ignores client.reconnect (it redials when the
   * connection closes).
   */
  nerdminer: {
    name: 'nerdminer',
    userAgent: 'NerdMinerV2',
    configureMask: undefined,
    configureMinBitCount: undefined,
    extranonceSubscribe: false,
    handlesSetExtranonce: false,
    suggestDifficulty: 'number',
    answersPing: false,
    followsReconnect: false,
    resumesSession: false,
    nonceWithoutLeadingZeros: true,
  },
} as const satisfies Record<string, MinerProfile>;

export type MinerProfileName = keyof typeof MINER_PROFILES;
