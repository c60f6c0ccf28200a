// Scales one snapshot ×N: every coin, pool and device is cloned under a new key with its values nudged.

import { coinByKey, type SourceSnapshot } from '@smart-mining/domain';

export function scaleSnapshot(snapshot: SourceSnapshot, factor: number): SourceSnapshot {
  const out: SourceSnapshot = { coins: [], pools: [], hardware: [] };
  for (let i = 0; i < factor; i++) {
    const suffix = i === 0 ? '' : `X${i}`;
    const nudge = (v: number | undefined) => (v === undefined ? undefined : v * (1 + i / 1000));
    for (const c of snapshot.coins) {
      const clone = {
        ...c,
        coin: `${c.coin}${suffix}`,
        algorithm: coinByKey(c.coin)?.algorithm ?? c.algorithm ?? 'sha256d',
      };
      if (c.priceUsd !== undefined) clone.priceUsd = nudge(c.priceUsd)!;
      out.coins.push(clone);
    }
    for (const p of snapshot.pools) out.pools.push({ ...p, coin: `${p.coin}${suffix}` });
    for (const h of snapshot.hardware) out.hardware.push({ ...h, hardware: `${h.hardware}${suffix}` });
  }
  return out;
}
