/**
 * Faults of the action's results, in process (src/action/run-action.ts with the measurement
 * injected and an artifact client that answers a second upload of a name with a conflict, as
 * the artifact service does):
 *
 * - the service crashes mid-run: the scenarios that finished are published, report artifact
 *   included (forks got nothing: no artifact, so no comment either);
 * - a result that would be unusable as a baseline is never stored as one;
 * - matrix legs share GITHUB_JOB: the `name` input keys the report and baseline artifacts (the
 *   second leg's upload conflicted, and its refresh failed the check), and the comment marker;
 * - two loadgate steps in one job never write into each other's files.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInputs, type InputName } from '../../../src/action/inputs.js';
import { runAction, type ActionDeps } from '../../../src/action/run-action.js';
import { readActionsContext } from '../../../src/github/context.js';
import type { RunResult } from '../../../src/result/types.js';
import type { RunSettings } from '../../../src/run/execute.js';
import { ServiceError } from '../../../src/service/errors.js';
import { payload } from '../action/harness.js';
import { smallRunResult } from '../../fakes/run-result.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Harness {
  deps: ActionDeps;
  uploads: Map<string, Record<string, string>>;
  conflicts: string[];
  outputs: Record<string, string>;
  logs: string[];
}

function harness(
  event: 'push-main.json' | 'pull_request-fork.json',
  executeRun: (settings: RunSettings) => Promise<RunResult>,
  shared?: Pick<Harness, 'uploads' | 'conflicts'>,
  runnerTemp = mkdtempSync(join(tmpdir(), 'lg-action-faults-')),
): Harness {
  const uploads = shared?.uploads ?? new Map<string, Record<string, string>>();
  const conflicts = shared?.conflicts ?? [];
  const outputs: Record<string, string> = {};
  const logs: string[] = [];
  const pr = event === 'pull_request-fork.json';
  const ctx = readActionsContext(
    {
      GITHUB_REPOSITORY: 'octo-org/admin-api',
      GITHUB_EVENT_NAME: pr ? 'pull_request' : 'push',
      GITHUB_REF: pr ? 'refs/pull/42/merge' : 'refs/heads/main',
      GITHUB_JOB: 'perf',
      GITHUB_RUN_ID: '7000',
      GITHUB_WORKFLOW_REF: 'octo-org/admin-api/.github/workflows/perf.yml@refs/heads/main',
    },
    payload<Json>(event),
  );
  let id = 0;
  const deps: ActionDeps = {
    ctx,
    octokit: undefined,
    log: {
      info: (m) => logs.push(m),
      notice: (m) => logs.push(`notice: ${m}`),
      warning: (m) => logs.push(`warning: ${m}`),
    },
    setOutput: (name, value) => (outputs[name] = value),
    executeRun,
    env: { RUNNER_TEMP: runnerTemp },
    artifactClient: {
      uploadArtifact: async (name: string, files: string[]) => {
        if (uploads.has(name)) {
          conflicts.push(name);
          throw new Error(
            'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run',
          );
        }
        uploads.set(
          name,
          Object.fromEntries(files.map((f) => [basename(f), readFileSync(f, 'utf8')])),
        );
        return { id: ++id, size: 1 };
      },
      downloadArtifact: async () => {
        throw new Error('not in this test');
      },
    } as unknown as ActionDeps['artifactClient'],
  };
  return { deps, uploads, conflicts, outputs, logs };
}

function inputs(values: Partial<Record<InputName, string>> = {}) {
  return parseInputs((name) => values[name] ?? '', { cwd: process.cwd() });
}

/** The first scenario of two, as the run hands it over after it finished. */
function partialOfTwo(): RunResult {
  return { ...smallRunResult(), partial: { completed: 1, planned: 2 } };
}

describe('the action never loses a result', () => {
  it('a crash mid-run publishes what finished: summary text, output and report artifact', async () => {
    const h = harness('pull_request-fork.json', async (settings) => {
      await settings.onPartialResult?.(partialOfTwo());
      throw new ServiceError(
        'crashed',
        'the service exited with code 3 during scenario "search-admins"',
      );
    });
    const outcome = await runAction(inputs(), h.deps);
    expect(outcome.failures.join('\n')).toMatch(/the service crashed during the run/);
    expect(h.outputs.verdict).toBe('error');
    const artifact = h.uploads.get('loadgate-report-perf');
    expect(artifact, [...h.uploads.keys()].join()).toBeDefined();
    expect(Object.keys(artifact!).sort()).toEqual([
      'loadgate-report.md',
      'loadgate-result.json',
      'pr.json',
    ]);
    const kept = JSON.parse(artifact!['loadgate-result.json']!) as RunResult;
    expect(kept.scenarios.map((s) => s.name)).toEqual(['list-admins']);
    expect(kept.partial).toMatchObject({ completed: 1, planned: 2 });
    expect(kept.partial?.reason).toMatch(/exited with code 3/);
    expect(artifact!['loadgate-report.md']).toContain('1 of 2 scenarios finished');
    expect(artifact!['loadgate-report.md']).toMatch(/list-admins/);
    // The output points at the same partial result on disk.
    const onDisk = JSON.parse(readFileSync(h.outputs['results-path']!, 'utf8')) as RunResult;
    expect(onDisk).toEqual(kept);
  });

  it('a service that never started still uploads the error report (the fork commenter needs it)', async () => {
    const h = harness('pull_request-fork.json', async () => {
      throw new ServiceError('start-failed', 'listen EADDRINUSE: port taken');
    });
    await runAction(inputs(), h.deps);
    const artifact = h.uploads.get('loadgate-report-perf');
    expect(Object.keys(artifact ?? {}).sort()).toEqual(['loadgate-report.md', 'pr.json']);
  });
});

describe('the baseline artifact', () => {
  it('a result that is not valid as a baseline is never stored; the check says why', async () => {
    const broken = smallRunResult();
    broken.scenarios[0]!.trials[0]!.metrics.p999 = Number.NaN; // JSON turns it into null
    const h = harness('push-main.json', async () => broken);
    const outcome = await runAction(inputs(), h.deps);
    expect(h.uploads.has('loadgate-baseline')).toBe(false);
    expect(h.uploads.has('loadgate-report-perf')).toBe(true);
    expect(outcome.failures.join('\n')).toMatch(
      /not saved as the baseline artifact loadgate-baseline: .*p999/,
    );
  });

  it('a valid result is stored (control)', async () => {
    const h = harness('push-main.json', async () => smallRunResult());
    const outcome = await runAction(inputs(), h.deps);
    expect(outcome.failures).toEqual([]);
    expect(h.uploads.has('loadgate-baseline')).toBe(true);
  });
});

describe('matrix legs and several steps in one job', () => {
  it('legs with a name get their own report and baseline artifacts and comment marker', async () => {
    const first = harness('push-main.json', async () => smallRunResult(10));
    const second = harness('push-main.json', async () => smallRunResult(20), first);
    const a = await runAction(inputs({ name: 'node-20' }), first.deps);
    const b = await runAction(inputs({ name: 'node-22' }), second.deps);
    expect(first.conflicts).toEqual([]);
    expect([a.failures, b.failures]).toEqual([[], []]);
    expect([...first.uploads.keys()].sort()).toEqual([
      'loadgate-baseline-node-20',
      'loadgate-baseline-node-22',
      'loadgate-report-perf-node-20',
      'loadgate-report-perf-node-22',
    ]);
    expect(
      first.uploads.get('loadgate-report-perf-node-22')!['loadgate-report.md']!.split('\n')[0],
    ).toBe('<!-- loadgate:perf-node-22 -->');
    expect(first.outputs['results-path']).not.toBe(second.outputs['results-path']);
  });

  it('a name that cannot key an artifact is refused naming the input', () => {
    expect(() => inputs({ name: 'node 20' })).toThrow(/input name: expected letters, digits/);
  });

  it('two steps of one job (same RUNNER_TEMP, no name) never overwrite each other’s files', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'lg-two-steps-'));
    const first = harness(
      'pull_request-fork.json',
      async () => smallRunResult(10),
      undefined,
      temp,
    );
    const second = harness(
      'pull_request-fork.json',
      async () => smallRunResult(20),
      undefined,
      temp,
    );
    await runAction(inputs(), first.deps);
    await runAction(inputs(), second.deps);
    const paths = [first.outputs['results-path']!, second.outputs['results-path']!];
    expect(new Set(paths).size).toBe(2);
    const p95 = paths.map(
      (p) =>
        (JSON.parse(readFileSync(p, 'utf8')) as RunResult).scenarios[0]!.trials[0]!.metrics.p95,
    );
    expect(p95).toEqual([10, 20]);
    expect(first.outputs['report-path']).not.toBe(second.outputs['report-path']);
  });
});
