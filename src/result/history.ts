/**
 * The history of the default branch: one compact summary per baseline refresh, newest last,
 * kept beside the full result in the baseline artifact (and, for the CLI, in a file such as
 * baselines/history.json). Small on purpose: per scenario and gated metric the per-trial values
 * only, never histograms or series. Its types follow from its schema (result/history-schema.ts).
 */
export { HISTORY_SCHEMA_VERSION } from './history-schema.js';
export type { History, HistoryRun } from './history-schema.js';

/** How many runs a history keeps (the oldest go first). */
export const HISTORY_CAP = 50;
