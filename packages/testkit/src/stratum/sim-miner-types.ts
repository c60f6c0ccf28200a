// What the simulated miner is given and what it records: options, submitted shares, received jobs.

import type { Duplex } from 'node:stream';
import type { RpcError } from '@smart-mining/stratum';
import type { MinerProfile, MinerProfileName } from './miner-profiles.ts';
import type { FoundShare } from './miner-work.ts';
import type { SimJobOrigin } from './sim-job.ts';

export interface SimMinerOptions {
  host: string;
  port: number;
  /** TLS with the test certificate accepted. */
  tls?: boolean;
  /**
   * Opens the connection instead of TCP/TLS, for in-memory streams (a proxy's `handle(duplex)`); it is
   * also used for client.reconnect. The stream it returns must be ready to write.
   */
  dial?: (host: string, port: number) => Duplex | Promise<Duplex>;
  username: string;
  password?: string;
  algorithm: 'sha256d' | 'scrypt';
  profile?: MinerProfileName | MinerProfile;
  /** Pause after each share found (default 50 ms: light on a shared machine, ~20 shares/s at most). */
  shareIntervalMs?: number;
  /** Stop hashing after this many submits. */
  maxShares?: number;
  /**
   * Records kept of each kind (shares, jobs, reconnects, messages, bad lines): the newest this many, so a miner
   * left running (the demo) stays within its memory. Default: all of them, for tests that assert on them.
   */
  keepRecords?: number;
  /** The value sent by profiles that suggest a difficulty. */
  suggestedDifficulty?: number;
  requestTimeoutMs?: number;
}

export interface SubmittedShare extends FoundShare {
  id: number;
  extranonce1: string;
  /** The pool job it was built on, read from the simulated pool's coinb2 tag (through any relay). */
  poolJob: SimJobOrigin | undefined;
  sentAtMs: number;
  answeredAtMs: number | undefined;
  accepted: boolean | undefined;
  error: RpcError | undefined;
}

export interface ReceivedJob {
  jobId: string;
  poolJob: SimJobOrigin | undefined;
  clean: boolean;
  difficulty: number;
  extranonce1: string;
  receivedAtMs: number;
}
