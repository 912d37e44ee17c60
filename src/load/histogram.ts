// The histogram layout and codec belong to the result document (result/histogram.ts): the
// recorder and the merge of shard results must share them.
export {
  decodeHistogram,
  encodeHistogram,
  latencyPercentiles,
  newHistogram,
  percentileMs,
  toMicros,
  type Histogram,
} from '../result/histogram.js';
