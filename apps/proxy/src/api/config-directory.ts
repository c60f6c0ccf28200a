// AccountDirectory from the proxy's configuration: accounts (name → coin → wallet), bare wallets for the coins the
// operator allows, declared pools through a lookup given by the caller; whether a profile or hardware exists is
// asked of the API (GET /v1/profiles/:name, /v1/hardware/:hardware) and cached.

import { hardwareSchema, profileSchema } from '@smart-mining/api-contract';
import type { Logger } from 'pino';
import type { Account, AccountDirectory, DeclaredPool } from '../ports.ts';
import type { ApiClient } from './api-client.ts';

export interface ConfigDirectoryOptions {
  /** Account name → coin ticker → wallet. */
  accounts: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Coins a bare wallet (a username that is no account) may mine; empty: bare wallets are refused. */
  bareWalletCoins?: readonly string[];
  /** Declared pools by key (config `pools`). */
  pool?: (poolKey: string) => DeclaredPool | undefined;
  logger: Logger;
  /** How long an answer is kept: "exists" for `knownTtlMs`, "does not" for `unknownTtlMs`. */
  knownTtlMs?: number;
  unknownTtlMs?: number;
  /**
   * After the API failed to answer, names are taken as known without asking for this long: each ask waits out the
   * timeout on every URL while a miner's authorize waits, and a login checks a profile and a hardware in turn.
   */
  unreachableTtlMs?: number;
  /**
   * Most answers kept: a miner may name a new profile or hardware on every login, and each answer would otherwise
   * stay for good. Beyond it the oldest go (lapsed ones go anyway).
   */
  maxCachedAnswers?: number;
  now?: () => number;
}

/** What a wallet address looks like on the coins the proxy mines (base58, bech32, cashaddr). */
const WALLET_PATTERN = /^(?:[a-z]+:)?[A-Za-z0-9]{25,100}$/;

export function looksLikeWallet(name: string): boolean {
  return WALLET_PATTERN.test(name);
}

type Kind = 'profile' | 'hardware';

export class ConfigDirectory implements AccountDirectory {
  readonly #accounts: Map<string, Account>;
  readonly #bareCoins: readonly string[];
  readonly #pool: (poolKey: string) => DeclaredPool | undefined;
  readonly #client: ApiClient;
  readonly #logger: Logger;
  readonly #knownTtlMs: number;
  readonly #unknownTtlMs: number;
  readonly #unreachableTtlMs: number;
  readonly #maxCached: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, { known: boolean; untilMs: number }>();
  readonly #asking = new Map<string, Promise<boolean>>();
  /** When lapsed answers are next swept out (at most once per unknownTtlMs). */
  #sweepAtMs = 0;
  /** Until then the API is taken as unreachable (it just failed to answer). */
  #unreachableUntilMs = 0;

  constructor(client: ApiClient, options: ConfigDirectoryOptions) {
    this.#client = client;
    this.#logger = options.logger;
    this.#accounts = new Map(
      Object.entries(options.accounts).map(([name, wallets]) => [name, { name, wallets: { ...wallets } }]),
    );
    this.#bareCoins = options.bareWalletCoins ?? [];
    this.#pool = options.pool ?? (() => undefined);
    this.#knownTtlMs = options.knownTtlMs ?? 300_000;
    this.#unknownTtlMs = options.unknownTtlMs ?? 30_000;
    this.#unreachableTtlMs = options.unreachableTtlMs ?? 30_000;
    this.#maxCached = Math.max(1, options.maxCachedAnswers ?? 10_000);
    this.#now = options.now ?? Date.now;
  }

  account(name: string): Account | undefined {
    const account = this.#accounts.get(name);
    if (account) return { name: account.name, wallets: account.wallets };
    if (this.#bareCoins.length === 0 || !looksLikeWallet(name)) return undefined;
    return { name, wallets: Object.fromEntries(this.#bareCoins.map((coin) => [coin, name])) };
  }

  knownProfile(name: string): Promise<boolean> {
    return this.#known('profile', name);
  }

  knownHardware(name: string): Promise<boolean> {
    return this.#known('hardware', name);
  }

  /** Profile and hardware answers kept. */
  get cachedAnswers(): number {
    return this.#cache.size;
  }

  pool(poolKey: string): DeclaredPool | undefined {
    return this.#pool(poolKey);
  }

  /**
   * Asks the API once per name at a time. When it cannot answer, the name is taken as known (a miner is not
   * refused for an outage; the decision will say if the name is wrong) and nothing is cached; for
   * unreachableTtlMs after that, names are taken as known without asking.
   */
  async #known(kind: Kind, name: string): Promise<boolean> {
    const key = `${kind}:${name}`;
    const cached = this.#cache.get(key);
    if (cached && cached.untilMs > this.#now()) return cached.known;
    if (this.#now() < this.#unreachableUntilMs) return true;
    const asking = this.#asking.get(key);
    if (asking) return asking;
    const question = this.#ask(kind, name)
      .then((known) => {
        this.#remember(key, known);
        return known;
      })
      .catch((error) => {
        // A refusal is about this name; anything else (no answer, not the API's) is about the API.
        if ((error as { code?: string }).code === 'SM_PROXY_API_REFUSED') {
          this.#logger.warn(
            { err: error, [kind]: name },
            `${kind} not checked: the API refused the question`,
          );
        } else {
          this.#unreachableUntilMs = this.#now() + this.#unreachableTtlMs;
          this.#logger.warn(
            { err: error, [kind]: name, uncheckedForMs: this.#unreachableTtlMs },
            `${kind} not checked: API unreachable; names are taken as known meanwhile`,
          );
        }
        return true;
      })
      .finally(() => this.#asking.delete(key));
    this.#asking.set(key, question);
    return question;
  }

  /** Keeps an answer, newest last: lapsed answers are swept out now and then, and the oldest past the bound. */
  #remember(key: string, known: boolean): void {
    const now = this.#now();
    if (now >= this.#sweepAtMs) {
      for (const [k, answer] of this.#cache) if (answer.untilMs <= now) this.#cache.delete(k);
      this.#sweepAtMs = now + this.#unknownTtlMs;
    }
    this.#cache.delete(key);
    for (const oldest of this.#cache.keys()) {
      if (this.#cache.size < this.#maxCached) break;
      this.#cache.delete(oldest);
    }
    this.#cache.set(key, { known, untilMs: now + (known ? this.#knownTtlMs : this.#unknownTtlMs) });
  }

  async #ask(kind: Kind, name: string): Promise<boolean> {
    const path = `/v1/${kind === 'profile' ? 'profiles' : 'hardware'}/${encodeURIComponent(name)}`;
    const schema = kind === 'profile' ? profileSchema : hardwareSchema;
    return (await this.#client.get(path, schema, { notFoundIsNull: true })) !== null;
  }
}
