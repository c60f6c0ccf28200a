// Lanes and slots (xmrig-proxy's NonceStorage, adapted to Stratum V1): who gets which extranonce1 X, and the
// session id that lets a reconnecting miner ask for the same X again.
//
// Every miner gets, at subscribe, a lane and a slot X of k = prefixBytes bytes, unique within the lane. X is the
// miner's extranonce1 for as long as it stays connected, whatever pool it mines on. Upstream connections are
// keyed by (pool, account, lane), so miners of one lane share a pool connection and, X being unique in the lane,
// their coinbases never collide. The fold (stratum.md §2.4) then makes every pool look the same to the miner:
//
//   bytes        | coinb1_up | E1_up | q (n2_up − k − n2') | X (k) | xn2 (n2') | coinb2_up |
//   miner gets   | coinb1' = coinb1_up ‖ E1_up ‖ q         | E1'=X | n2'       | coinb2    |
//   submit ↑     | extranonce2_up = q ‖ X ‖ xn2_miner                                       |
//
// Shared mode: a lane holds up to 2^(8k) slots (capped at 65536), lanes are filled lowest first, and a freed slot
// is reused only after the cursor has gone round (a new miner on a just-freed X would repeat the old one's work).
// Per-miner mode: every miner gets a lane of its own, slot 0.

import { extranonceHex } from '@smart-mining/stratum';

const MAX_SLOTS_PER_LANE = 65536;

/**
 * The smallest extranonce2_size a miner is given: cgminer (and the Antminer firmware built on it) refuses a
 * subscribe below 2, cpuminer-opt a set_extranonce below 2. A pool leaving less room after X cannot serve a listener.
 */
export const MIN_MINER_EXTRANONCE2_SIZE = 2;

interface Lane {
  id: number;
  used: number;
  cursor: number;
  bits: Uint8Array;
}

export interface LaneSlot {
  lane: number;
  slot: number;
}

export class LaneAllocator {
  readonly prefixBytes: number;
  readonly mode: 'shared' | 'per-miner';
  readonly capacity: number;
  #lanes: Lane[] = [];
  #nextLaneId = 0;
  /** Hex of every slot index, built once: no string per miner. */
  #hex: string[] = [];

  constructor(prefixBytes: number, mode: 'shared' | 'per-miner') {
    this.prefixBytes = prefixBytes;
    this.mode = mode;
    this.capacity = mode === 'per-miner' ? 1 : Math.min(2 ** (8 * prefixBytes), MAX_SLOTS_PER_LANE);
  }

  /** A free slot; `wanted` (from a resumed session id) is honoured when that slot is free. */
  allocate(wanted?: LaneSlot): LaneSlot {
    if (this.mode === 'per-miner') return { lane: this.#nextLaneId++, slot: 0 };
    if (wanted !== undefined) {
      const lane = this.#lanes.find((l) => l.id === wanted.lane);
      if (lane !== undefined && wanted.slot < this.capacity && !isSet(lane, wanted.slot)) {
        return this.#take(lane, wanted.slot);
      }
    }
    let lane = this.#lanes.find((l) => l.used < this.capacity);
    if (lane === undefined) {
      lane = { id: this.#nextLaneId++, used: 0, cursor: 0, bits: new Uint8Array(this.capacity / 8 || 1) };
      this.#lanes.push(lane);
    }
    let slot = lane.cursor;
    while (isSet(lane, slot)) slot = (slot + 1) % this.capacity;
    lane.cursor = (slot + 1) % this.capacity;
    return this.#take(lane, slot);
  }

  release(at: LaneSlot): void {
    if (this.mode === 'per-miner') return;
    const lane = this.#lanes.find((l) => l.id === at.lane);
    if (lane === undefined || !isSet(lane, at.slot)) return;
    lane.bits[at.slot >> 3]! &= ~(1 << (at.slot & 7));
    lane.used--;
  }

  /** X as hex (k bytes), shared strings. */
  slotHex(slot: number): string {
    let hex = this.#hex[slot];
    if (hex === undefined) {
      hex = extranonceHex(slot, this.prefixBytes);
      this.#hex[slot] = hex;
    }
    return hex;
  }

  /** Miners per lane, for the summary. */
  laneUsage(): { lane: number; used: number }[] {
    return this.#lanes.map((l) => ({ lane: l.id, used: l.used }));
  }

  #take(lane: Lane, slot: number): LaneSlot {
    lane.bits[slot >> 3]! |= 1 << (slot & 7);
    lane.used++;
    return { lane: lane.id, slot };
  }
}

const isSet = (lane: Lane, slot: number) => (lane.bits[slot >> 3]! & (1 << (slot & 7))) !== 0;

/**
 * The subscription id a miner resumes with (cpuminer sends it back in its next mining.subscribe): lane (8 hex),
 * slot (8 hex) and extranonce2_size (2 hex). It only asks for a slot; the allocator grants it when free.
 */
export function sessionIdFor(lane: number, slot: number, extranonce2Size: number): string {
  return (
    (lane >>> 0).toString(16).padStart(8, '0') +
    (slot >>> 0).toString(16).padStart(8, '0') +
    extranonce2Size.toString(16).padStart(2, '0')
  );
}

export function parseSessionId(id: string | undefined): (LaneSlot & { extranonce2Size: number }) | undefined {
  if (id === undefined || !/^[0-9a-f]{18}$/.test(id)) return undefined;
  return {
    lane: Number.parseInt(id.slice(0, 8), 16),
    slot: Number.parseInt(id.slice(8, 16), 16),
    extranonce2Size: Number.parseInt(id.slice(16, 18), 16),
  };
}
