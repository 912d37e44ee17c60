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

/** Percentile of a µs histogram, in ms. */
export function percentileMs(histogram: Histogram, percentile: number): number {
  if (histogram.totalCount === 0) return 0;
  return histogram.getValueAtPercentile(percentile) / 1000;
}

/** The trial's latency percentiles of a µs histogram, in ms (TrialMetrics' p50 … p999). */
export function latencyPercentiles(histogram: Histogram): {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
} {
  return {
    p50: percentileMs(histogram, 50),
    p90: percentileMs(histogram, 90),
    p95: percentileMs(histogram, 95),
    p99: percentileMs(histogram, 99),
    p999: percentileMs(histogram, 99.9),
  };
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
