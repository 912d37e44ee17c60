export { FileBaselineStore, CorruptBaselineError, assertBaselineName } from './store.js';
export type { BaselineStore } from './store.js';
