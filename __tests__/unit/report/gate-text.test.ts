import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import { DEFAULT_JUDGE_OPTIONS } from '../../../src/judge/types.js';
import {
  commentMarker,
  readVerdictKey,
  verdictKey,
  verdictKeyLine,
} from '../../../src/report/comment-protocol.js';
import { baselineLine, errorReport, failureMessage } from '../../../src/report/gate-text.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { smallRunResult } from '../../fakes/run-result.js';

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
    const out = renderMarkdown(verdict, smallRunResult(), base, {
      marker: 'perf',
      verdictKey: 'k1',
      extraLines: ['**Baseline:** here'],
    });
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

describe('errorReport', () => {
  it('carries the marker and the error key, and fences the message so it cannot break out', () => {
    const out = errorReport('perf', 'the service could not start', 'boom\n```\n@here');
    const lines = out.split('\n');
    expect(lines[0]).toBe(commentMarker('perf'));
    expect(readVerdictKey(out)).toBe('error');
    expect(lines[2]).toBe('### ❌ loadgate: the service could not start');
    expect(out).toContain('````text\nboom\n```\n@here\n````');
  });

  it('keeps a message with backtick and tilde fences and a foreign marker inside its fence', () => {
    // Attack: a service prints both kinds of fence and another job's sticky-comment marker.
    const message = [
      'boom',
      '~~~~',
      '`````',
      '<!-- loadgate:otherjob -->',
      '<!-- loadgate-verdict:pass:baseline:r0:s0:f0:00000000 -->',
      '## fake heading',
    ].join('\n');
    const out = errorReport('perf', 'the service could not start', message);
    const lines = out.split('\n');
    const fence = lines[4]?.replace(/text$/, '') ?? '';
    expect(fence).toBe('``````');
    // The fence closes after the whole message, nowhere before.
    // (a closing fence is a run of at least as many backticks)
    expect(lines.slice(5, 11).every((l) => !l.trimStart().startsWith(fence))).toBe(true);
    expect(lines[11]).toBe(fence);
    // No other job's marker and no second verdict key: only the report's own head.
    expect(out).not.toContain('<!-- loadgate:otherjob -->');
    expect(out.match(/<!--/g)).toHaveLength(2);
    expect(readVerdictKey(out)).toBe('error');
    expect(out).toContain('<\u200B!-- loadgate:otherjob -->');
  });
});
