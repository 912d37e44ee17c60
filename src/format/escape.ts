/**
 * Escaping of text that came from the service or the config (scenario and endpoint names,
 * failure messages) so it cannot break the markdown: table pipes, backticks, emphasis, links,
 * HTML and comments (`<!--` could swallow the rest of the comment or fake the sticky marker),
 * newlines, and @mentions (which would ping people from a PR comment). Pure. Redaction
 * (redact/secrets.ts) looks for each secret in these escaped forms too.
 */

const CONTROL = /[\p{Cc}\u2028\u2029]+/gu;

/** For markdown text and table cells. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(CONTROL, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/@/g, '&#64;');
}

/** For text inside HTML elements such as <summary>, where markdown is not processed. */
export function escapeHtml(text: string): string {
  return text
    .replace(CONTROL, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/@/g, '&#64;');
}

/** For a mermaid string (title): only plain characters survive. */
export function escapeMermaid(text: string): string {
  return text
    .replace(/[^\p{L}\p{N} ._\-/()+:]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
}

/**
 * A code fence for `text`: longer than any run of backticks or tildes in it (CommonMark closes a
 * fence only with a run at least as long), so no line of the text can close it.
 */
export function codeFence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+|~+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/** Truncate plain text to `max` characters with an ellipsis (before escaping). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
