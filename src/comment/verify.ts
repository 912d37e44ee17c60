/**
 * Checks the fork-safe commenter makes before it posts anything (pure). The report artifact was
 * written by a pull request's run, which may run untrusted code: its `pr.json` is a claim, not a
 * fact. The claim must agree with the triggering `workflow_run` event (its head sha, and its PR
 * number when GitHub lists one) and with the pull request as the API reports it (its head sha,
 * its base repository, and its head: the fork and branch the run tested). A claim that names
 * another pull request is refused; only the claimed pull request's own newer commit makes a
 * report stale. The comment itself is rebuilt from the verdict (verdict-comment.ts).
 */

export const REPORT_ARTIFACT_PREFIX = 'loadgate-report-';

export interface PrClaim {
  number: number;
  headSha: string;
}

export interface TriggerFacts {
  /** `workflow_run.head_sha`. */
  headSha: string;
  /** `workflow_run.pull_requests[0].number`: set for same-repository PRs, empty for forks. */
  prNumber: number | undefined;
  /** `workflow_run.event`. */
  event: string;
}

export interface PullFacts {
  headSha: string;
  /** `base.repo.full_name`. */
  baseRepository: string;
  state: string;
  /** `head.ref`: the branch of the pull request. */
  headRef: string | undefined;
  /** `head.repo.full_name`; null when the fork was deleted. */
  headRepository: string | null | undefined;
}

/** The head the triggering run tested (`workflow_run.head_repository`, `head_branch`). */
export interface TriggerHead {
  headRepository: string | undefined;
  headBranch: string | undefined;
}

export type Check = { ok: true } | { ok: false; reason: string; stale?: boolean };

const SHA_RE = /^[0-9a-f]{40}$/;

/** Parse `pr.json` strictly: `{ number: positive integer, headSha: 40 hex }`, nothing else trusted. */
export function parsePrClaim(text: string): PrClaim | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { error: 'pr.json is not JSON' };
  }
  const o = doc as { number?: unknown; headSha?: unknown } | null;
  if (typeof o !== 'object' || o === null) return { error: 'pr.json is not an object' };
  if (typeof o.number !== 'number' || !Number.isSafeInteger(o.number) || o.number <= 0) {
    return { error: 'pr.json: number is not a positive integer' };
  }
  if (typeof o.headSha !== 'string' || !SHA_RE.test(o.headSha)) {
    return { error: 'pr.json: headSha is not a 40-character commit sha' };
  }
  return { number: o.number, headSha: o.headSha };
}

/** The claim against the triggering event. */
export function checkAgainstTrigger(claim: PrClaim, trigger: TriggerFacts): Check {
  if (trigger.event !== 'pull_request') {
    return { ok: false, reason: `the triggering run was a ${trigger.event} run, not pull_request` };
  }
  if (claim.headSha !== trigger.headSha) {
    return {
      ok: false,
      reason: `pr.json names commit ${claim.headSha}, but the triggering run tested ${trigger.headSha}`,
    };
  }
  if (trigger.prNumber !== undefined && claim.number !== trigger.prNumber) {
    return {
      ok: false,
      reason: `pr.json names pull request #${claim.number}, but the triggering run belongs to #${trigger.prNumber}`,
    };
  }
  return { ok: true };
}

const same = (a: string | null | undefined, b: string | null | undefined): boolean =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

/**
 * The claim against the pull request as the API reports it. A pull request whose head is another
 * branch (or fork) than the one the triggering run tested is not this run's: refused. Only when it
 * is the same branch and has moved on is the report stale (skipped with a notice). A deleted fork
 * (`head.repo` null) cannot be told from another fork with a branch of the same name, so its
 * pull request must still be open and at exactly the commit the run tested: anything else is
 * refused, never skipped as stale.
 */
export function checkAgainstPull(
  claim: PrClaim,
  pull: PullFacts,
  repository: string,
  trigger: TriggerHead,
): Check {
  if (pull.baseRepository.toLowerCase() !== repository.toLowerCase()) {
    return {
      ok: false,
      reason: `pull request #${claim.number} targets ${pull.baseRepository}, not ${repository}`,
    };
  }
  const sameBranch = same(pull.headRef, trigger.headBranch);
  const sameRepository =
    pull.headRepository === null || same(pull.headRepository, trigger.headRepository);
  if (!sameBranch || !sameRepository) {
    return {
      ok: false,
      reason:
        `pr.json names pull request #${claim.number}, whose head is ${pull.headRepository ?? '(deleted fork)'}:${pull.headRef ?? '?'}, ` +
        `but the triggering run tested ${trigger.headRepository ?? '?'}:${trigger.headBranch ?? '?'}`,
    };
  }
  if (pull.headRepository === null && (pull.state !== 'open' || pull.headSha !== claim.headSha)) {
    return {
      ok: false,
      reason:
        `pr.json names pull request #${claim.number}, whose fork was deleted; it is ${pull.state} at ${pull.headSha.slice(0, 7)}, ` +
        `and only an open one at the commit the run tested (${claim.headSha.slice(0, 7)}) can be matched without its fork`,
    };
  }
  if (pull.headSha !== claim.headSha) {
    return {
      ok: false,
      stale: true,
      reason: `pull request #${claim.number} is now at ${pull.headSha.slice(0, 7)}, not ${claim.headSha.slice(0, 7)} (the commit the run tested): a newer run will comment`,
    };
  }
  return { ok: true };
}

/** The job key in `loadgate-report-<job>`, or undefined for other artifacts. */
export function jobOfArtifact(name: string): string | undefined {
  if (!name.startsWith(REPORT_ARTIFACT_PREFIX)) return undefined;
  const job = name.slice(REPORT_ARTIFACT_PREFIX.length);
  return job.length > 0 ? job : undefined;
}
