import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import { DEFAULT_JUDGE_OPTIONS } from '../../../src/judge/types.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { renderTerminal } from '../../../src/report/terminal.js';
import { parseRunResult } from '../../../src/result/schema.js';
import { buildRun } from '../helpers/results.js';

const NOT_MEASURED =
  'could not connect to Redis at redis://127.0.0.1:6390/ (connecting to Redis took longer than 5000 ms): Redis memory is not measured';

/** Issue 11: the monitor's warnings were collected and never shown. */
describe('warnings of the run (what the monitor could not measure)', () => {
  const steady = [10, 10.2, 9.9, 10.1, 10, 10.3, 9.8, 10.1];

  it('are kept by the result schema', () => {
    const run = { ...buildRun([{ name: 'list', p95: steady }]), warnings: [NOT_MEASURED] };
    expect(parseRunResult(JSON.stringify(run), 'r.json').warnings).toEqual([NOT_MEASURED]);
  });

  it('become verdict warnings: the status is at least warn, the report and terminal show them', () => {
    const base = buildRun([{ name: 'list', p95: steady }]);
    const clean = judge(base, base, DEFAULT_JUDGE_OPTIONS);
    expect(clean.warnings).toEqual([]);
    expect(clean.status).toBe('pass');

    const current = { ...base, warnings: [NOT_MEASURED] };
    const verdict = judge(base, current, DEFAULT_JUDGE_OPTIONS);
    expect(verdict.warnings).toEqual([NOT_MEASURED]);
    expect(verdict.status).toBe('warn');
    expect(renderMarkdown(verdict, current, base)).toContain('Redis memory is not measured');
    expect(renderTerminal(verdict)).toMatch(/warning: could not connect to Redis/);
  });
});
