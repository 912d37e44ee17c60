/**
 * The HDR histograms a RunResult carries (`EncodedHistogram`): their one layout, and the codec.
 * Here rather than in load/ because reading and merging results needs them as much as recording
 * does; every histogram loadgate makes has this layout, so any two can be added exactly.
 */
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

export type { Histogram };

/** Microsecond histogram: 1 µs to 60 s (auto-resizes beyond), 3 significant digits (0.1 %). */
export function newHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded);
}

/**
 * Percentile of a µs histogram, in ms. HDR answers with the top of the value's bucket (up to 0.1 %
 * above it), which for a high percentile can exceed the slowest request recorded: never more than
 * that.
 */
export function percentileMs(histogram: Histogram, percentile: number): number {
  if (histogram.totalCount === 0) return 0;
  return Math.min(histogram.getValueAtPercentile(percentile), histogram.maxValue) / 1000;
}

/** The trial's latency percentiles of a µs histogram, in ms (TrialMetrics' p50 … p999). */
export function latencyPercentiles(
  histogram: Histogram,
  slowestMs = Number.POSITIVE_INFINITY,
): {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
} {
  // The histogram holds whole µs; the slowest request, when known exactly, bounds them all.
  const at = (p: number) => Math.min(percentileMs(histogram, p), slowestMs);
  return { p50: at(50), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9) };
}

export function toMicros(ms: number): number {
  return Math.max(1, Math.round(ms * 1000));
}

/** One histogram holding every count of the encoded ones (absent ones add nothing): exact. */
export function addEncoded(encoded: Iterable<string | undefined>): Histogram {
  const sum = newHistogram();
  for (const e of encoded) if (e !== undefined) sum.add(decodeHistogram(e));
  return sum;
}
