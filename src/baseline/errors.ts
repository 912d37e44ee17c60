/**
 * Errors and names of stored baselines. A baseline that exists but is not a usable RunResult is a
 * CorruptBaselineError naming where it is and what is wrong; the caller reports it, never crashes.
 */

export class CorruptBaselineError extends Error {
  readonly location: string;
  constructor(location: string, problem: string) {
    super(`corrupt baseline ${location}: ${problem}`);
    this.name = 'CorruptBaselineError';
    this.location = location;
  }
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Baseline names become artifact and file names: letters, digits, dot, dash, underscore; no "..". */
export function assertBaselineName(name: string): void {
  if (!NAME_RE.test(name) || name.includes('..')) {
    throw new Error(
      `invalid baseline name ${JSON.stringify(name)}: use letters, digits, ".", "-" or "_" (at most 128, no "..")`,
    );
  }
}
