// Hashrate from accepted share difficulty (stratum.md §7): expected hashes per window, smoothed exponentially.

/**
 * Folds one window's rate into the previous estimate with weight 1 − e^(−Δt/τ); the first window is taken as
 * it is, so a new miner's estimate does not crawl up from zero. Over few shares the estimate is noisy (≈1/√n).
 */
export function nextHashrate(
  previousHs: number,
  windowHashes: number,
  windowS: number,
  tauS: number,
): number {
  if (windowS <= 0) return previousHs;
  const rateHs = windowHashes / windowS;
  if (previousHs === 0) return rateHs;
  const weight = 1 - Math.exp(-windowS / tauS);
  return previousHs + weight * (rateHs - previousHs);
}
