import type { PresetCatalog } from '../config/plan.js';
import { adminPreset } from './admin/scenarios.js';

/** The built-in scenario sets, by the name a config file gives in `preset:`. */
export const PRESETS: PresetCatalog = { admin: adminPreset };
