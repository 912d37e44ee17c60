import { describe, expect, it } from 'vitest';
import { redactingOutput } from '../../../src/cli/main.js';
import {
  guardWorkflowCommands,
  hasWorkflowCommand,
} from '../../../src/redact/workflow-commands.js';

describe('workflow commands in echoed text', () => {
  it('recognises a line the runner would read as a command, indented or not', () => {
    expect(hasWorkflowCommand('Last output:\n  ::add-mask::x')).toBe(true);
    expect(hasWorkflowCommand('::set-output name=a::b')).toBe(true);
    expect(hasWorkflowCommand('##[error]boom')).toBe(true);
    expect(hasWorkflowCommand('a :: b\nhttp://x')).toBe(false);
  });

  it('wraps such text in stop-commands with a token, and leaves other text alone', () => {
    const text = 'the service exited. Last output:\n  ::error::pwned';
    expect(guardWorkflowCommands(text, 'f00d')).toBe(`::stop-commands::f00d\n${text}\n::f00d::`);
    expect(guardWorkflowCommands('plain')).toBe('plain');
    const a = guardWorkflowCommands('::x::', undefined);
    const b = guardWorkflowCommands('::x::', undefined);
    expect(a.split('\n')[0]).not.toBe(b.split('\n')[0]);
  });
});

describe("the CLI's output", () => {
  const sink = () => {
    const lines: string[] = [];
    return {
      lines,
      out: (l: string) => lines.push(`out ${l}`),
      err: (l: string) => lines.push(`err ${l}`),
    };
  };
  const redactText = (s: string) => s.split('s3cret-tok').join('***');

  it('redacts every line, and guards commands inside GitHub Actions only', () => {
    const plain = sink();
    redactingOutput(plain, { redactText }).err('x s3cret-tok\n  ::warning::y');
    expect(plain.lines).toEqual(['err x ***\n  ::warning::y']);
    const actions = sink();
    redactingOutput(actions, { redactText, guardCommands: true }).err(
      'x s3cret-tok\n  ::warning::y',
    );
    expect(actions.lines[0]).toMatch(
      /^err ::stop-commands::([0-9a-f]{32})\nx \*\*\*\n {2}::warning::y\n::\1::$/,
    );
    redactingOutput(actions, { redactText, guardCommands: true }).out('result written');
    expect(actions.lines[1]).toBe('out result written');
  });
});
