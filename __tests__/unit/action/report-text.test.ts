import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideSave, readBaselineFile } from '../../../src/action/baseline.js';
import {
  baselineLine,
  commentMarker,
  decorateReport,
  failureMessage,
  readVerdictKey,
  verdictKey,
  verdictKeyLine,
} from '../../../src/action/report-text.js';
import { judge } from '../../../src/judge/judge.js';
import { DEFAULT_JUDGE_OPTIONS } from '../../../src/judge/types.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { smallRunResult } from '../../fakes/run-result.js';

const ctx = (over: Partial<Parameters<typeof decideSave>[1]> = {}) => ({
  eventName: 'push',
  prNumber: undefined,
  isDefaultBranchPush: false,
  headBranch: 'main',
  ...over,
});

describe('decideSave', () => {
  it('auto saves on a push to the default branch only', () => {
    expect(decideSave('auto', ctx({ isDefaultBranchPush: true }))).toEqual({ save: true });
    expect(decideSave('auto', ctx({ headBranch: 'feature' }))).toEqual({ save: false });
    expect(decideSave('auto', ctx({ eventName: 'pull_request', prNumber: 4 }))).toEqual({
      save: false,
    });
  });

  it('a pull request never writes the baseline, even with save-baseline: true', () => {
    const d = decideSave('true', ctx({ eventName: 'pull_request', prNumber: 4 }));
    expect(d.save).toBe(false);
    expect(d.warning).toMatch(/a pull request can never write the baseline/);
    expect(decideSave('true', ctx({ eventName: 'pull_request_target' })).save).toBe(false);
  });

  it('true saves elsewhere with a warning that pull requests will not read it', () => {
    const d = decideSave('true', ctx({ eventName: 'workflow_dispatch', headBranch: 'exp' }));
    expect(d.save).toBe(true);
    expect(d.warning).toMatch(/only read baselines from successful push runs/);
    expect(decideSave('false', ctx({ isDefaultBranchPush: true }))).toEqual({ save: false });
  });
});

describe('readBaselineFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-unit-baseline-'));

  it('reads a valid result with its provenance', async () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify(smallRunResult()));
    const out = await readBaselineFile(file, 'baselines/ok.json');
    expect(out.result?.scenarios.length).toBeGreaterThan(0);
    expect(out.description).toEqual({
      kind: 'file',
      display: 'baselines/ok.json',
      gitSha: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
      startedAt: '2025-01-01T12:00:00.000Z',
    });
    expect(out.fatal).toBeUndefined();
  });

  it('a missing file is no baseline, with a notice', async () => {
    const out = await readBaselineFile(join(dir, 'nope.json'), 'baselines/nope.json');
    expect(out.result).toBeUndefined();
    expect(out.fatal).toBeUndefined();
    expect(out.notice).toMatch(/no baseline file at baselines\/nope.json yet/);
  });

  it('a corrupt file is fatal, naming the file', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{not json');
    const out = await readBaselineFile(file, 'baselines/bad.json');
    expect(out.result).toBeUndefined();
    expect(out.fatal).toMatch(/^baseline file baselines\/bad.json: not valid JSON/);
  });
});

describe('report text', () => {
  const base = smallRunResult(12.5);
  const verdict = judge(base, smallRunResult(12.7), DEFAULT_JUDGE_OPTIONS);

  it('the comment marker is the one renderMarkdown writes', () => {
    const md = renderMarkdown(verdict, smallRunResult(), base, { marker: 'perf job/1' });
    expect(md.split('\n')[0]).toBe(commentMarker('perf job/1'));
  });

  it('the verdict key is stable, round-trips through the hidden line, and sees status changes', () => {
    const key = verdictKey(verdict);
    expect(key).toBe(verdictKey(judge(base, smallRunResult(12.7), DEFAULT_JUDGE_OPTIONS)));
    expect(readVerdictKey(`x\n${verdictKeyLine(key)}\ny`)).toBe(key);
    expect(readVerdictKey('no key here')).toBeUndefined();
    const none = judge(undefined, smallRunResult(12.7), DEFAULT_JUDGE_OPTIONS);
    expect(verdictKey(none)).not.toBe(key);
  });

  it('decorates the report: key after the marker, provenance after the context line', () => {
    const md = renderMarkdown(verdict, smallRunResult(), base, { marker: 'perf' });
    const out = decorateReport(md, 'k1', ['**Baseline:** here']);
    const lines = out.split('\n');
    expect(lines[0]).toBe('<!-- loadgate:perf -->');
    expect(lines[1]).toBe('<!-- loadgate-verdict:k1 -->');
    expect(lines[2]).toMatch(/^### /);
    expect(lines[3]).toBe('');
    expect(lines[4]).toMatch(/^baseline `c0ffee0`/);
    expect(lines[5]).toBe('');
    expect(lines[6]).toBe('**Baseline:** here');
    expect(lines[7]).toBe('');
  });

  it('describes where the baseline came from', () => {
    expect(
      baselineLine({
        kind: 'artifact',
        runId: 77,
        runUrl: 'https://github.com/o/r/actions/runs/77',
        headSha: 'abcdef1234567890',
        branch: 'main',
        createdAt: '2025-01-02T03:04:05Z',
        ageDays: 2.345,
        artifactName: 'loadgate-baseline',
      }),
    ).toBe(
      '**Baseline:** run [77](https://github.com/o/r/actions/runs/77) on `main` at `abcdef1`, artifact `loadgate-baseline` from 2025-01-02 03:04 UTC (2.3 days old).',
    );
    expect(baselineLine({ kind: 'none', reason: 'artifact expired' })).toBe(
      '**No baseline:** artifact expired. SLA checks only.',
    );
    expect(
      baselineLine({
        kind: 'file',
        display: 'b/main.json',
        gitSha: 'abcdef12',
        startedAt: '2025-01-02T00:00:00Z',
      }),
    ).toBe('**Baseline:** file `b/main.json` (measured at `abcdef1`, 2025-01-02).');
  });

  it('the failure message lists what fails, by scenario', () => {
    const slow = smallRunResult(900); // beyond the 500 ms p95 SLA
    const v = judge(undefined, slow, DEFAULT_JUDGE_OPTIONS);
    expect(v.failsCheck).toBe(true);
    const msg = failureMessage(v);
    expect(msg.split('\n')[0]).toMatch(/^loadgate: \d+ SLA breach(es)? in list-admins/);
    expect(msg).toContain('list-admins');
  });
});
