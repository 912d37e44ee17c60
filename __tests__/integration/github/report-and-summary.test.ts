/** The report artifact and the job summary against the fake GitHub and a temp summary file. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from '../../fakes/env.js';
import { startFakeGitHub } from '../../fakes/github-server.js';
import type { FakeGitHub } from '../../fakes/github-server.js';
import { smallRunResult } from '../../fakes/run-result.js';
import type * as ReportTypes from '../../../src/github/report-artifact.js';
import type * as SummaryTypes from '../../../src/github/summary.js';

type ReportModule = typeof ReportTypes;
type SummaryModule = typeof SummaryTypes;

let fake: FakeGitHub;
let temp: string;
let restoreEnv: () => void;
let report: ReportModule;
let summary: SummaryModule;
let summaryFile: string;

beforeAll(async () => {
  fake = await startFakeGitHub();
  temp = mkdtempSync(join(tmpdir(), 'lg-report-'));
  summaryFile = join(temp, 'step_summary.md');
  writeFileSync(summaryFile, '');
  const run = fake.addRun({
    event: 'pull_request',
    headBranch: 'faster-search',
    pullRequests: [42],
    status: 'in_progress',
    conclusion: null,
  });
  restoreEnv = applyEnv(
    fake.envFor(run, { RUNNER_TEMP: temp, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_JOB: 'perf' }),
  );
  report = await import('../../../src/github/report-artifact.js');
  summary = await import('../../../src/github/summary.js');
});

afterEach(() => fake.clearFaults());

afterAll(async () => {
  restoreEnv();
  rmSync(temp, { recursive: true, force: true });
  await fake.close();
});

describe('uploadReportArtifact', () => {
  it('uploads the result JSON and the report markdown as one artifact', async () => {
    const result = smallRunResult();
    const out = await report.uploadReportArtifact({
      result,
      markdown: '## loadgate\n\nall good\n',
      extraFiles: { 'pr.json': '{"number":42}' },
      retentionDays: 7,
    });
    expect(out).toMatchObject({ ok: true, name: 'loadgate-report-perf' });
    if (!out.ok) return;
    const runId = Number(process.env.GITHUB_RUN_ID);
    const [artifact] = fake.artifactsOf(runId).filter((a) => a.name === 'loadgate-report-perf');
    expect(artifact?.id).toBe(out.id);
    const files = fake.artifactFiles(out.id!);
    expect(Object.keys(files).sort()).toEqual([
      'loadgate-report.md',
      'loadgate-result.json',
      'pr.json',
    ]);
    expect(JSON.parse(files['loadgate-result.json']!.toString('utf8'))).toEqual(result);
    expect(files['loadgate-report.md']!.toString('utf8')).toBe('## loadgate\n\nall good\n');
  });

  it('returns a warning instead of throwing when the upload fails', async () => {
    fake.failNext('twirp.CreateArtifact', {
      status: 403,
      body: { code: 'permission_denied', msg: 'denied' },
    });
    const out = await report.uploadReportArtifact({
      result: '{}',
      markdown: 'x',
      name: 'loadgate-report-failing',
    });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.warning).toMatch(/^report artifact loadgate-report-failing not uploaded: .*denied/);
  });

  it('returns a warning outside Actions', async () => {
    const restore = applyEnv({ ACTIONS_RUNTIME_TOKEN: undefined });
    try {
      const out = await report.uploadReportArtifact({ result: {}, markdown: 'x', job: 'a/b' });
      expect(out).toEqual({
        ok: false,
        name: 'loadgate-report-a-b',
        warning:
          'report artifact loadgate-report-a-b not uploaded: ACTIONS_RUNTIME_TOKEN is not set (not running in GitHub Actions)',
      });
    } finally {
      restore();
    }
  });
});

describe('writeJobSummary', () => {
  it('appends the markdown to GITHUB_STEP_SUMMARY', async () => {
    const out = await summary.writeJobSummary('## loadgate\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(out).toMatchObject({ written: true, truncated: false });
    expect(readFileSync(summaryFile, 'utf8')).toBe(
      '## loadgate\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    );
  });

  it('cuts a summary over 1 MiB (counting what the step already wrote) with a note', async () => {
    const line = '| scenario | 12.5 ms | ✓ ok |\n';
    const big = line.repeat(Math.ceil((1.2 * 1024 * 1024) / Buffer.byteLength(line)));
    const out = await summary.writeJobSummary(big);
    expect(out).toMatchObject({ written: true, truncated: true });
    const size = statSync(summaryFile).size;
    expect(size).toBeLessThanOrEqual(summary.SUMMARY_MAX_BYTES);
    expect(size).toBeGreaterThan(summary.SUMMARY_MAX_BYTES - 1024);
    expect(readFileSync(summaryFile, 'utf8')).toMatch(/1 MiB job summary limit.*\n$/);
  });

  it('reports why nothing was written outside Actions', async () => {
    const restore = applyEnv({ GITHUB_STEP_SUMMARY: undefined });
    try {
      expect(await summary.writeJobSummary('x')).toEqual({
        written: false,
        truncated: false,
        bytes: 0,
        warning: 'job summary not written: GITHUB_STEP_SUMMARY is not set',
      });
    } finally {
      restore();
    }
  });
});
