import { describe, expect, it } from 'vitest';
import { terminalOutput } from '../../../src/cli/main.js';
import { progressPrinter } from '../../../src/commands/progress.js';

/** A stream that records what was written to it. */
function stream(isTTY: boolean, columns = 60) {
  const writes: string[] = [];
  return { writes, isTTY, columns, write: (text: string) => writes.push(text) > 0 };
}

const trial = {
  type: 'trial',
  scenario: 'list',
  trial: 1,
  trials: 2,
  throughput: 10,
  p95: 1,
  errorRate: 0,
} as const;

describe('the CLI progress', () => {
  it('elsewhere than a terminal: every line, plainly', () => {
    const out = stream(false);
    const err = stream(false);
    const output = terminalOutput(out, err);
    expect(output.status).toBeUndefined();
    const progress = progressPrinter(output);
    progress({ type: 'scenario', scenario: 'list', index: 1, total: 2 });
    progress(trial);
    progress.close();
    expect(err.writes).toEqual([
      '[1/2] list (0 s elapsed)\n',
      'list: trial 1/2  10 req/s  p95 1.00 ms  errors 0 %\n',
    ]);
  });

  it('on a terminal: one status line, rewritten in place, cleared before other lines and at the end', () => {
    const out = stream(false);
    const err = stream(true, 40);
    const output = terminalOutput(out, err);
    const progress = progressPrinter(output, undefined, () => 0);
    progress({ type: 'scenario', scenario: 'list', index: 1, total: 2 });
    progress(trial);
    output.out('summary');
    progress.close();
    expect(err.writes).toEqual([
      '[1/2] list (0 s elapsed)\n',
      '\r\x1b[K[1/2] list · 0 s elapsed',
      // One row at most: cut to the terminal's width.
      '\r\x1b[K[1/2] list · 0 s elapsed · trial 1/2  …',
      '\r\x1b[K',
    ]);
    expect(out.writes).toEqual(['summary\n']);
    // Nothing shown: closing writes nothing more.
    expect(err.writes).toHaveLength(4);
  });
});
