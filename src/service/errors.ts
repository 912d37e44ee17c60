export type ServiceErrorKind =
  | 'start-failed'
  | 'exited-early'
  | 'not-ready'
  | 'crashed'
  | 'wrong-port'
  | 'setup-failed'
  /** Something else listens on the service's port (before it started, or instead of it). */
  | 'port-in-use'
  /** The start command returned (exit 0) and left its service running in the background. */
  | 'daemonized';

/** Why the service under test could not be started or kept running. The message is for users. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
    readonly logTail: string[] = [],
  ) {
    super(message);
  }
}

/** "exited with code 1" / "was killed by signal SIGKILL". */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `was killed by signal ${signal}`;
  return `exited with code ${code ?? 'unknown'}`;
}

/**
 * Where the output of what loadgate starts goes. `shown` (the default): its last lines are part
 * of the error message, and so of the report, the comment and the artifacts. Not shown (the
 * action's `log-tail: off`): they go to `elsewhere` (the step's log) and the message says so.
 */
export interface LogTailPolicy {
  shown: boolean;
  elsewhere?: (lines: readonly string[]) => void;
}

let policy: LogTailPolicy = { shown: true };

/** Set where log tails go; returns the function that restores the previous policy. */
export function setLogTailPolicy(next: LogTailPolicy): () => void {
  const previous = policy;
  policy = next;
  return () => {
    policy = previous;
  };
}

/** The log tail as it goes into an error message. */
export function formatLogTail(lines: readonly string[]): string {
  if (lines.length === 0) return 'Last output: (none)';
  if (!policy.shown) {
    policy.elsewhere?.(lines);
    return `Last output: ${lines.length} line(s), kept out of the report (log-tail: off)${policy.elsewhere ? '; they are in the step log' : ''}.`;
  }
  return `Last output:\n${lines.map((line) => `  ${line}`).join('\n')}`;
}
