/**
 * Numbers for the benchmark tables: percentiles of raw samples, a fixed-bucket histogram
 * for very many samples (tick intervals of 20,000 views), and the median/min/max summary
 * every figure of the suite is reported as. No I/O.
 */

/** The value at quantile `q` (0..1) of `values` (nearest rank); NaN when empty. */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentiles(values: ArrayLike<number>): Percentiles {
  if (values.length === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted[sorted.length - 1]!,
  };
}

/** Median, min and max of the repetitions of one figure. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(runs: number[]): Spread {
  const finite = runs.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { median: NaN, min: NaN, max: NaN, runs };
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs };
}

/**
 * Counts of values in buckets of `bucketMs` from 0 to `maxMs` (the last bucket takes
 * everything above). Mergeable across processes as a plain array.
 */
export class Histogram {
  readonly bucketMs: number;
  readonly counts: number[];
  total = 0;

  constructor(maxMs: number, bucketMs = 1, counts?: number[]) {
    this.bucketMs = bucketMs;
    this.counts = counts ?? new Array<number>(Math.ceil(maxMs / bucketMs) + 1).fill(0);
    if (counts) this.total = counts.reduce((sum, count) => sum + count, 0);
  }

  add(valueMs: number): void {
    const index = Math.min(
      this.counts.length - 1,
      Math.max(0, Math.floor(valueMs / this.bucketMs)),
    );
    this.counts[index]!++;
    this.total++;
  }

  merge(other: { counts: number[] }): void {
    for (let i = 0; i < this.counts.length; i++) {
      const count = other.counts[i] ?? 0;
      this.counts[i]! += count;
      this.total += count;
    }
  }

  /** The upper edge of the bucket holding quantile `q`. */
  quantile(q: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return (i + 1) * this.bucketMs;
    }
    return this.counts.length * this.bucketMs;
  }

  /** Share of values below `limitMs` (bucket resolution). */
  shareBelow(limitMs: number): number {
    if (this.total === 0) return NaN;
    const end = Math.min(this.counts.length, Math.floor(limitMs / this.bucketMs));
    let below = 0;
    for (let i = 0; i < end; i++) below += this.counts[i]!;
    return below / this.total;
  }
}
