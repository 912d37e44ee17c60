import type { ListCache } from '../cache.js';
import type { Storage } from '../storage/types.js';

/** What every route module gets. */
export interface RouteContext {
  storage: Storage;
  cache: ListCache;
}
