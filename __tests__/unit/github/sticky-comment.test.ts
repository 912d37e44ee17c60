import { describe, expect, it } from 'vitest';
import {
  capCommentBody,
  COMMENT_MAX_CHARS,
  isReadOnlyTokenError,
} from '../../../src/github/sticky-comment.js';
import { commentMarker } from '../../../src/report/comment-protocol.js';
import { truncateMarkdown, utf8Bytes } from '../../../src/github/truncate.js';

describe('capCommentBody', () => {
  const marker = commentMarker('perf');

  it('adds the marker when the body lacks it and leaves short bodies alone', () => {
    expect(capCommentBody('hello', marker)).toEqual({ body: `${marker}\nhello`, truncated: false });
    expect(capCommentBody(`${marker}\nhello`, marker)).toEqual({
      body: `${marker}\nhello`,
      truncated: false,
    });
  });

  it('cuts an oversized body below the limit, keeps the marker and closes an open fence', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `| row ${i} | ${'x'.repeat(20)} |`).join(
      '\n',
    );
    const body = `${marker}\n# report\n\`\`\`mermaid\n${rows}\n\`\`\`\n`;
    expect(body.length).toBeGreaterThan(COMMENT_MAX_CHARS);
    const out = capCommentBody(body, marker);
    expect(out.truncated).toBe(true);
    expect(out.body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(out.body.startsWith(`${marker}\n`)).toBe(true);
    expect(out.body).toContain('job summary');
    const fences = out.body.split('\n').filter((l) => l.startsWith('```')).length;
    expect(fences % 2).toBe(0);
  });

  it('never splits a surrogate pair', () => {
    const body = '😀'.repeat(40_000);
    const out = capCommentBody(body, marker);
    expect(out.body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(out.body).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('truncateMarkdown by bytes', () => {
  it('fits multi-byte text into a byte budget', () => {
    const text = 'ñ'.repeat(5000);
    const out = truncateMarkdown(text, 4000, 'cut', utf8Bytes);
    expect(out.truncated).toBe(true);
    expect(utf8Bytes(out.text)).toBeLessThanOrEqual(4000);
    expect(out.text).not.toContain('\ufffd');
    expect(truncateMarkdown('short', 100, 'cut', utf8Bytes)).toEqual({
      text: 'short',
      truncated: false,
    });
  });
});

describe('isReadOnlyTokenError', () => {
  it('recognizes the fork token 403 and nothing else', () => {
    const err = Object.assign(
      new Error('Resource not accessible by integration - https://docs.github.com'),
      {
        status: 403,
        response: { data: { message: 'Resource not accessible by integration' } },
      },
    );
    expect(isReadOnlyTokenError(err)).toBe(true);
    expect(
      isReadOnlyTokenError(Object.assign(new Error('API rate limit exceeded'), { status: 403 })),
    ).toBe(false);
    expect(
      isReadOnlyTokenError(
        Object.assign(new Error('Resource not accessible by integration'), { status: 404 }),
      ),
    ).toBe(false);
  });
});
