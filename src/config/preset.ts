import type { SlaThresholds } from '../result/types.js';
import type { ScenarioInput, SetupStepConfig } from './schema.js';

/**
 * What the engine knows of a preset, the one interface between them: presets/ implements it, run/
 * passes the catalogue to buildPlan, and the plan carries the chosen one on to the kinds and the
 * setup steps. The engine names no preset and holds none of a preset's paths or numbers.
 */
export interface Preset {
  /** Where its API lives when the file gives no `adminBasePath`. */
  basePath: string;
  /** Its scenarios, against the API at `basePath`. */
  scenarios(basePath: string): ScenarioInput[];
  /**
   * Headers of every request while it runs (its own scenarios and the file's), e.g. its API's
   * bearer token. A file with `preset: none` sends none of them.
   */
  headers: Readonly<Record<string, string>>;
  /** The SLA of every scenario while it runs, before the kind's and the file's own. */
  sla: Readonly<SlaThresholds>;
  /** How a volume scenario fills the API's table and acts on it. */
  volume: VolumeSeeding;
  /** A volume scenario's bulk SLA (`maxBulkMs`) per 100 records, scaled to `bulkUsers`. */
  bulkMsPer100Users: number;
  /** Its API as a message names it: "the service does not look like <apiName>". */
  apiName: string;
  /**
   * A setup step of the shape its scenarios use to create records: when such a step's endpoint
   * is missing, the service is likely not its API at all.
   */
  createsRecords(step: SetupStepConfig): boolean;
}

/** Where a volume scenario seeds: the service, the preset's base path, headers (token included). */
export interface SeedApi {
  baseUrl: string;
  basePath: string;
  headers: Record<string, string>;
  /** Requests in flight at once. */
  concurrency: number;
}

/** A volume scenario's work through a preset's API; nothing of it is measured as load. */
export interface VolumeSeeding {
  /** Create `count` records; their ids in creation order. */
  seedRecords(
    api: SeedApi,
    count: number,
    runId: string,
  ): Promise<{ ids: string[]; failed: number }>;
  /** `grants` associations, spread evenly over the records `ids`. */
  seedGrants(api: SeedApi, ids: readonly string[], grants: number): Promise<{ failed: number }>;
  /** Ids of up to `count` records already there (a seed command filled the table). */
  listIds(api: SeedApi, count: number): Promise<string[]>;
  /** The bulk action on `ids`, timed from request to full response; status 0 when none came. */
  bulkAction(
    api: SeedApi,
    ids: readonly string[],
    action: string,
    timeoutMs: number,
  ): Promise<{ durationMs: number; status: number }>;
}

/** The built-in presets, by the name a config file gives in `preset:`. */
export type PresetCatalog = Readonly<Record<string, Preset>>;
