/**
 * The machine a run was measured on: its fingerprint and its probe. Part of result/schema.ts;
 * the types follow from the schemas, and result/types.ts re-exports them.
 */
import { z } from 'zod';
import { nonNeg, num } from './document.js';

export const environmentFingerprint = z.object({
  cpuModel: z.string(),
  cores: num.refine((v) => v >= 1, 'expected at least 1 core'),
  memoryBytes: nonNeg,
  os: z.string(),
  nodeVersion: z.string(),
  /** Short hash of cpuModel, cores, memory (rounded) and os: equal fingerprints = same machine type. */
  hash: z.string(),
  /** The kernel release (os.release()); absent in results before it was recorded. */
  kernel: z.string().optional(),
  /** The runner image, `<ImageOS> <ImageVersion>` (GitHub-hosted runners set both), when known. */
  runnerImage: z.string().optional(),
  /**
   * Short hash of the exact runner: cpuModel, cores, kernel, Node version and runner image (more
   * than `hash`, which is the machine type and stays comparable across them).
   */
  fingerprint: z.string().optional(),
});
export type EnvironmentFingerprint = z.infer<typeof environmentFingerprint>;

/** One reading of the machine probe (run/probe.ts): wall milliseconds, lower = faster machine. */
export const probeScore = z.object({
  /** A fixed integer workload run on every core at once: the slowest core's time. */
  cpuMs: nonNeg,
  /** A fixed walk of dependent reads through a 16 MiB table (memory latency), one core. */
  memoryMs: nonNeg,
});
export type ProbeScore = z.infer<typeof probeScore>;

/**
 * The machine probe of a run: a short fixed CPU and memory workload before the first scenario and
 * after the last, so runs on different machines (or a machine busy with other work) can be told
 * apart. `score` is what runs are compared by: the faster of the readings (version 3; the geometric
 * mean before).
 */
export const machineProbe = z.object({
  /** Version of the workload: scores of different versions are not comparable. */
  version: num,
  before: probeScore,
  /** Absent when the run ended before its last scenario finished. */
  after: probeScore.optional(),
  score: probeScore,
});
export type MachineProbe = z.infer<typeof machineProbe>;
