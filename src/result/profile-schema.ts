/**
 * The CPU profile section of an A/B run (`ab.profile`): after the judged rounds, one extra round
 * with both services under a CPU profiler (run/profile-round.ts), and per profiled scenario the
 * functions whose CPU cost per request grew most from base to head (profile/diff.ts). Holds
 * function names and file paths (relative to the side's checkout), never request data.
 */
import { z } from 'zod';
import { nonNeg } from './document.js';

/** Whether the extra round runs: only when a scenario regressed, always, or never. */
export const cpuProfileMode = z.enum(['auto', 'always', 'off']);
export type CpuProfileMode = z.infer<typeof cpuProfileMode>;

/**
 * Where a function's code lives: the repository under test (`user`), a package under
 * `node_modules/` (`library`), or the runtime itself (`node:` modules, GC, native code).
 */
export const codeOrigin = z.enum(['user', 'library', 'runtime']);
export type CodeOrigin = z.infer<typeof codeOrigin>;

/** A function's CPU cost on one side, microseconds per request of the scenario. */
export const functionCost = z.object({
  /** Time in the function itself. */
  selfUs: nonNeg,
  /** Time in the function and everything it called. */
  totalUs: nonNeg,
});
export type FunctionCost = z.infer<typeof functionCost>;

export const functionGrowth = z.object({
  /** `(anonymous)` when the function has no name. */
  name: z.string(),
  /** Relative to the side's checkout for its own code; `node_modules/…` for a package's. */
  file: z.string(),
  /** 1-based; 0 when the profile gives none. */
  line: z.number().int().min(0),
  origin: codeOrigin,
  base: functionCost,
  head: functionCost,
  /** Head's self time per request minus base's: what the function's own code costs more. */
  growthUs: z.number(),
  /** The function's self time as a share of each side's CPU per request (0–1). */
  share: z.object({ base: nonNeg, head: nonNeg }),
});
export type FunctionGrowth = z.infer<typeof functionGrowth>;

export const sideProfile = z.object({
  /** Requests the side served in the profiled trial (what the costs are divided by). */
  requests: nonNeg,
  /** Sampled CPU per request, microseconds (idle excluded). */
  cpuUs: nonNeg,
  /** The profile written beside the report (a `.cpuprofile`), its file name. */
  file: z.string().optional(),
  /** Profiles the side's processes wrote, and how many of them were counted as the service's. */
  profiles: z.object({ written: z.number().int().min(0), counted: z.number().int().min(0) }),
});
export type SideProfile = z.infer<typeof sideProfile>;

export const scenarioProfile = z.object({
  scenario: z.string(),
  /** Both sides' profiles, when both wrote one. */
  base: sideProfile.optional(),
  head: sideProfile.optional(),
  /** The functions whose cost per request grew most, most first (the user's code first). */
  grown: z.array(functionGrowth),
  /** Why there is no comparison of profiles, when there is none. */
  note: z.string().optional(),
});
export type ScenarioProfile = z.infer<typeof scenarioProfile>;

export const profileSection = z.object({
  mode: cpuProfileMode,
  /** Seconds the extra round took (restarts included): counted in a budget's spent time. */
  seconds: nonNeg,
  /** The V8 sampling interval, microseconds. */
  intervalUs: z.number().int().min(1),
  scenarios: z.array(scenarioProfile),
});
export type ProfileSection = z.infer<typeof profileSection>;
