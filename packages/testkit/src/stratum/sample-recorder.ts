// Growable arrays of float samples (latencies, arrival times) with percentiles, without an object per sample.

export class SampleRecorder {
  #values = new Float64Array(1024);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(value: number): void {
    if (this.#count === this.#values.length) {
      const next = new Float64Array(this.#values.length * 2);
      next.set(this.#values);
      this.#values = next;
    }
    this.#values[this.#count++] = value;
  }

  values(): Float64Array {
    return this.#values.subarray(0, this.#count);
  }

  clear(): void {
    this.#count = 0;
  }

  /** Nearest-rank percentile (p in 0..100) of the samples; NaN when empty. */
  percentile(p: number): number {
    return percentileOf(Float64Array.from(this.values()).sort(), p);
  }
}

/** Nearest-rank percentile of an ascending array. */
export function percentileOf(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface Percentiles {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(values: Float64Array): Percentiles {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    min: sorted.length ? sorted[0]! : Number.NaN,
    p50: percentileOf(sorted, 50),
    p90: percentileOf(sorted, 90),
    p99: percentileOf(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}
