import type { SecondPoint, TrialShardDetail } from '../result/types.js';
import { encodeHistogram, type Histogram } from './histogram.js';
import { TrialRecorder, type FinishOptions, type TrialRecording } from './recorder.js';

/**
 * A shard's trial recorder: records as every trial does, and keeps the histograms behind the
 * figures (per second too), encoded, so the merge can add the shards' counts instead of
 * averaging their percentiles.
 */
export class ShardTrialRecorder extends TrialRecorder {
  private readonly seconds: string[] = [];
  private recording: TrialRecording | undefined;

  protected override secondFlushed(_point: SecondPoint, histogram: Histogram): void {
    this.seconds.push(encodeHistogram(histogram));
  }

  override finish(
    durationSeconds: number,
    targetRate?: number,
    options?: FinishOptions,
  ): TrialRecording {
    this.recording = super.finish(durationSeconds, targetRate, options);
    return this.recording;
  }

  /** The encoded histograms of the finished trial. */
  detail(): Omit<TrialShardDetail, 'plannedAt' | 'lateMs'> {
    const r = this.recording;
    if (r === undefined) throw new Error('ShardTrialRecorder.detail() before finish()');
    const timedOut = r.answeredHistogram !== r.histogram;
    const db = r.dbHistogram.totalCount > 0;
    return {
      histogram: encodeHistogram(r.histogram),
      ...(timedOut ? { answeredHistogram: encodeHistogram(r.answeredHistogram) } : {}),
      endpointHistograms: encodeAll(r.endpointHistograms),
      ...(db
        ? {
            dbHistogram: encodeHistogram(r.dbHistogram),
            endpointDbHistograms: encodeAll(r.endpointDbHistograms),
          }
        : {}),
      seconds: [...this.seconds],
    };
  }
}

function encodeAll(histograms: Record<string, Histogram>): Record<string, string> {
  return Object.fromEntries(Object.entries(histograms).map(([k, h]) => [k, encodeHistogram(h)]));
}
