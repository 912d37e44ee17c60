import { describe, expect, it } from 'vitest';
import {
  commentMarker,
  hasMarker,
  neutraliseBody,
  protocolHead,
  readVerdictKey,
  sanitizeMarker,
} from '../../../src/report/comment-protocol.js';

describe('commentMarker / hasMarker', () => {
  it('builds an HTML comment that cannot be closed early', () => {
    expect(commentMarker('perf')).toBe('<!-- loadgate:perf -->');
    expect(commentMarker('perf (ubuntu, 20) --> x')).toBe('<!-- loadgate:perf-ubuntu-20-x -->');
    expect(commentMarker('a--b')).not.toContain('--b');
  });

  it('matches only the exact marker', () => {
    const marker = commentMarker('perf');
    expect(hasMarker(`${marker}\n## loadgate`, marker)).toBe(true);
    expect(hasMarker('## report\n<!-- loadgate:perf -->', marker)).toBe(true);
    expect(hasMarker('<!-- loadgate:perf-soak -->', marker)).toBe(false);
    expect(hasMarker('<!-- loadgate:other -->', marker)).toBe(false);
    expect(hasMarker(null, marker)).toBe(false);
    expect(hasMarker(undefined, marker)).toBe(false);
  });
});

describe('the protocol lines', () => {
  it('a marker id keeps only safe characters, is never empty and never ends the comment', () => {
    expect(sanitizeMarker('pr --> <x>')).toBe('pr-x-');
    expect(sanitizeMarker('')).toBe('loadgate');
    expect(sanitizeMarker('a'.repeat(300))).toHaveLength(100);
  });

  it('the head carries the marker and, when given, the verdict key', () => {
    expect(protocolHead('perf')).toBe('<!-- loadgate:perf -->');
    const head = protocolHead('perf', 'fail:baseline:r1:s0:f0:abcd1234');
    expect(head.split('\n')).toEqual([
      '<!-- loadgate:perf -->',
      '<!-- loadgate-verdict:fail:baseline:r1:s0:f0:abcd1234 -->',
    ]);
    expect(readVerdictKey(head)).toBe('fail:baseline:r1:s0:f0:abcd1234');
  });

  it('recognises every hidden loadgate line, and nothing else', () => {
    expect(hasMarker('<!-- loadgate:perf -->', commentMarker('perf'))).toBe(true);
    expect(readVerdictKey('## report\n<!-- loadgate-verdict:x -->')).toBe('x');
    expect(readVerdictKey('<!-- other -->')).toBeUndefined();
    expect(readVerdictKey('### loadgate: <!-- loadgate-verdict:x -->')).toBeUndefined();
  });
});

describe('neutraliseBody', () => {
  it("keeps the report's own head and breaks every other <!--, so no text passes for another job's marker", () => {
    // Attack: a service prints another matrix leg's marker; that leg would take this comment for its own.
    const head = protocolHead('perf', 'error');
    const body = `${head}\n### title\n\n\`\`\`text\n<!-- loadgate:otherjob -->\n<!-- anything\n\`\`\`\n`;
    const out = neutraliseBody(body);
    expect(out.startsWith(`${head}\n`)).toBe(true);
    expect(hasMarker(out, commentMarker('perf'))).toBe(true);
    expect(hasMarker(out, commentMarker('otherjob'))).toBe(false);
    expect(out.match(/<!--/g)).toHaveLength(2);
    expect(out.replace(/\u200B/g, '')).toBe(body);
    expect(neutraliseBody(head)).toBe(head);
  });
});
