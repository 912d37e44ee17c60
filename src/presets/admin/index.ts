import type { Preset } from '../../config/preset.js';
import {
  ADMIN_BASE_PATH,
  ADMIN_HEADERS,
  ADMIN_SLA,
  adminScenarios,
  BULK_MS_PER_100_USERS,
} from './scenarios.js';
import { adminVolumeSeeding } from './volume-seed.js';

/** The admin preset as the engine sees it (config/preset.ts): docs/architecture.md, "The admin preset". */
export const adminPreset: Preset = {
  basePath: ADMIN_BASE_PATH,
  scenarios: adminScenarios,
  headers: ADMIN_HEADERS,
  sla: ADMIN_SLA,
  volume: adminVolumeSeeding,
  bulkMsPer100Users: BULK_MS_PER_100_USERS,
  apiName: 'the admin API that the built-in admin preset drives',
  // Its pools are created by `POST <base path>/admins` (createPool in scenarios.ts).
  createsRecords: (step) =>
    step.request.method === 'POST' && /\/admins$/.test(step.request.path.split('?')[0] ?? ''),
};
