export { renderMarkdown, titleLine, seriesPoints, DEFAULT_MAX_CHARS } from './markdown.js';
export type { MarkdownOptions, ChartPoint } from './markdown.js';
export { renderTerminal } from './terminal.js';
export { escapeMarkdown, escapeHtml, escapeMermaid, sanitizeMarker } from './escape.js';
export * from './format.js';
