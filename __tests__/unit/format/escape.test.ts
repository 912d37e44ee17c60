import { describe, expect, it } from 'vitest';
import { escapeMarkdown, escapeMermaid } from '../../../src/format/escape.js';

describe('escape', () => {
  it('neutralises pipes, html, backticks, comments, newlines and mentions', () => {
    const s = escapeMarkdown('a|b<script>`x`\n<!-- y --> @team *bold* [link](u)');
    expect(s).not.toMatch(/(^|[^\\])\|/);
    expect(s).not.toContain('<');
    expect(s).not.toContain('\n');
    expect(s).not.toMatch(/(^|[^\\])`/);
    expect(s).not.toContain('@');
    expect(s).toContain('a\\|b&lt;script&gt;');
  });

  it('keeps mermaid titles and markers plain', () => {
    expect(escapeMermaid('a"b`c\nd')).toBe('a b c d');
  });
});
