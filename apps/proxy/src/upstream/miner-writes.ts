// What an upstream sends one of its miners: a job (set_difficulty first when due), a narrower version mask,
// mining.set_extranonce, or client.reconnect as the last resort.

import {
  encodeReconnect,
  encodeSetDifficulty,
  encodeSetExtranonce,
  encodeSetVersionMask,
} from '@smart-mining/stratum';
import type { MinerSession } from '../downstream/miner-session.ts';
import { MIN_MINER_EXTRANONCE2_SIZE, sessionIdFor } from '../extranonce.ts';
import type { UpstreamJob } from '../jobs/upstream-job.ts';

/**
 * The job's line for the miner's extranonce2_size (the same Buffer for every miner of that size), preceded by
 * set_difficulty when the difficulty for it differs from the last one sent (it applies to the next notify).
 * False when the miner's size does not fit this job's pool.
 */
export function sendJob(s: MinerSession, job: UpstreamJob, clean: boolean): boolean {
  const shape = job.shapeFor(s.extranonce2Size);
  if (shape === undefined) return false;
  s.lastJobAtS = s.ctx.nowS;
  applyOwnDifficulty(s, job);
  // The miner's own difficulty never above the pool's: it would leave unfound the shares the pool credits between.
  const difficulty = s.fixedDifficulty === 0 ? job.difficulty : Math.min(s.fixedDifficulty, job.difficulty);
  const told = s.sentDifficulty === difficulty;
  s.sentDifficulty = difficulty;
  // At the pool's difficulty the job's prebuilt line carries set_difficulty too (one Buffer for all such miners).
  if (!told && difficulty !== job.difficulty) s.send(encodeSetDifficulty(difficulty));
  s.send(job.lineFor(shape, clean, !told && difficulty === job.difficulty));
  return true;
}

/**
 * A difficulty chosen since the last job takes effect with this one: `d=`, else the miner's suggestion, else the
 * one vardiff keeps for it (0: the pool's).
 */
function applyOwnDifficulty(s: MinerSession, job: UpstreamJob): void {
  const wanted = s.login?.difficulty ?? (s.suggestedDifficulty || s.vardiffDifficulty);
  if (wanted !== s.fixedDifficulty) {
    s.previousFixedDifficulty = s.fixedDifficulty;
    s.fixedDifficulty = wanted;
    // From the jobs made after every one the miner has: a job made earlier and sent now (another upstream's
    // current one, at a switch) is not the line between the two, as jobs of the old pool sent before are newer.
    s.fixedFromJobSeq = Math.max(job.seq, s.lastJobSeq + 1);
    s.fixedOlderJobSeq = 0;
  }
  if (job.seq < s.fixedFromJobSeq) s.fixedOlderJobSeq = job.seq;
  if (job.seq > s.lastJobSeq) s.lastJobSeq = job.seq;
}

/** BIP 310: set_version_mask, valid at once, when the miner's mask ∩ the pool's differs from what it has. */
export function syncVersionMask(s: MinerSession, poolMask: number): void {
  if (s.requestedMask === 0) return;
  const mask = (s.requestedMask & poolMask) >>> 0;
  if (mask === s.versionMask) return;
  s.versionMask = mask;
  s.send(encodeSetVersionMask(mask));
}

/** NiceHash extension: the miner keeps X and takes a smaller extranonce2_size from its next notify. */
export function setMinerExtranonce(s: MinerSession, extranonce2Size: number): void {
  s.send(encodeSetExtranonce(s.extranonce1, extranonce2Size));
  s.previousExtranonce2Size = s.extranonce2Size;
  s.extranonce2Size = extranonce2Size;
}

/**
 * The local address a miner connected to, as a host it can dial again: a listener on both stacks sees an IPv4
 * miner as `::ffff:a.b.c.d` (the miner dialled a.b.c.d), and an IPv6 address goes in brackets, since miners put
 * the host into a URL (cpuminer: `stratum+tcp://HOST:PORT`) or `HOST:PORT` (cgminer) and dial that.
 */
export function dialableHost(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped !== null) return mapped[1]!;
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * client.reconnect to the address the miner used (cpuminer needs host and port, stratum.md §2.1); a hint left
 * under its session id and address gives it the extranonce2_size that fits when it subscribes again (and, by
 * session id, its vardiff difficulty, which would otherwise start again from the pool's).
 */
export function reconnectMiner(s: MinerSession, fit: number): void {
  const c = s.listener.config;
  const local = s.localAddress();
  const host = c.reconnectHost ?? (local === null ? c.host : dialableHost(local.address));
  const port = c.reconnectPort ?? local?.port ?? c.port;
  if (fit >= MIN_MINER_EXTRANONCE2_SIZE) {
    const sessionId = sessionIdFor(s.lane, s.slot, s.extranonce2Size);
    s.ctx.hints.leave(sessionId, s.remoteAddress, fit, s.ctx.nowS, s.vardiffDifficulty);
  }
  s.send(encodeReconnect(host, port, 0));
  s.closeGracefully();
}
