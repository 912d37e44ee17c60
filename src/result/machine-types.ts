/**
 * The machine a run was measured on: its fingerprint and its probe. Part of result/types.ts,
 * which re-exports it.
 */

export interface EnvironmentFingerprint {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
  nodeVersion: string;
  /** Short hash of cpuModel, cores, memory (rounded) and os: equal fingerprints = same machine type. */
  hash: string;
  /** The kernel release (os.release()); absent in results before it was recorded. */
  kernel?: string;
  /** The runner image, `<ImageOS> <ImageVersion>` (GitHub-hosted runners set both), when known. */
  runnerImage?: string;
  /**
   * Short hash of the exact runner: cpuModel, cores, kernel, Node version and runner image (more
   * than `hash`, which is the machine type and stays comparable across them).
   */
  fingerprint?: string;
}

/** One reading of the machine probe (run/probe.ts): wall milliseconds, lower = faster machine. */
export interface ProbeScore {
  /** A fixed integer workload run on every core at once: the slowest core's time. */
  cpuMs: number;
  /** A fixed walk of dependent reads through a 16 MiB table (memory latency), one core. */
  memoryMs: number;
}

/**
 * The machine probe of a run: a short fixed CPU and memory workload before the first scenario and
 * after the last, so runs on different machines (or a machine busy with other work) can be told
 * apart. `score` is what runs are compared by: the faster of the readings (version 3; the geometric
 * mean before).
 */
export interface MachineProbe {
  /** Version of the workload: scores of different versions are not comparable. */
  version: number;
  before: ProbeScore;
  /** Absent when the run ended before its last scenario finished. */
  after?: ProbeScore;
  score: ProbeScore;
}
