// The latest successful snapshot of every source: each cycle merges all of them, not just the source that ran.

import { emptySnapshot, type SourceName, type SourceSnapshot } from '@smart-mining/domain';

export class ObservationStore {
  #latest = new Map<SourceName, SourceSnapshot>();

  set(source: SourceName, snapshot: SourceSnapshot): void {
    this.#latest.set(source, snapshot);
  }

  /** Every source's latest observations in one snapshot. */
  all(): SourceSnapshot {
    const out = emptySnapshot();
    for (const s of this.#latest.values()) {
      out.coins.push(...s.coins);
      out.pools.push(...s.pools);
      out.hardware.push(...s.hardware);
    }
    return out;
  }
}
