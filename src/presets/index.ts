import type { PresetCatalog } from '../config/preset.js';
import { adminPreset } from './admin/index.js';

/** The built-in presets, by the name a config file gives in `preset:`. */
export const PRESETS: PresetCatalog = { admin: adminPreset };
