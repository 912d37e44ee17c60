/**
 * docs/comment.png and docs/comment-pass.png: a real loadgate PR comment rendered to HTML with
 * GitHub-like CSS and photographed by headless Chromium. The input is either a comment saved by
 * the action integration test (LOADGATE_SAVE_COMMENT=<file>), or the result of a real run
 * (`loadgate ab --out result.json`), judged and rendered here exactly as the action renders its
 * comment (the A/B mode's defaults, the comment's layout, links to a workflow run):
 *
 *   npx tsx src/cli.ts ab --base-cwd <base> --cwd . --start '…' --out /tmp/fail.json
 *   npx tsx scripts/comment-screenshot.ts /tmp/fail.json docs/comment.png
 *
 *   LOADGATE_SHOT_OPEN='Why slower' npx tsx scripts/comment-screenshot.ts /tmp/fail.json docs/profiles.png
 *
 *   LOADGATE_SAVE_COMMENT=/tmp/lg-comment.md npx vitest run __tests__/integration/action -t regression
 *   npx tsx scripts/comment-screenshot.ts /tmp/lg-comment.md docs/comment.png
 *
 * No markdown library is a dependency, so this is a small hand-written renderer for exactly the
 * subset the report uses: headings, pipe tables with alignment, lists, blockquotes and GitHub
 * alerts, fenced code (mermaid stays code, as GitHub's fallback), raw <details>/<summary>/<sub>,
 * inline code, bold, links and backslash escapes. It is not a general markdown renderer.
 *
 * With MERMAID_JS=<path of mermaid.min.js> (e.g. unpacked from `npm pack mermaid`), the mermaid
 * blocks are drawn as GitHub draws them (the trend charts) instead of shown as code.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI_JUDGE_FIELDS, parseJudgeOptions } from '../src/judge/options.js';
import { judge } from '../src/judge/judge.js';
import { verdictKey } from '../src/report/comment-protocol.js';
import { baselineLine } from '../src/report/gate-text.js';
import { renderMarkdown as renderReport, type ReportLinks } from '../src/report/markdown.js';
import { abBaseRun } from '../src/result/ab.js';
import { parseRunResult } from '../src/result/schema.js';

/** Where the pictured comment's links point: an example repository's workflow run. */
const EXAMPLE_RUN = 'https://github.com/octo-org/admin-api/actions/runs/12345678901';

/**
 * The comment the action would post for a result: judged as the action judges it (an A/B result
 * paired, with the A/B mode's α and min effect), rendered in the comment's layout, its links
 * those of an example workflow run unless given.
 */
export function commentOfResult(
  text: string,
  source: string,
  links: ReportLinks = {
    run: EXAMPLE_RUN,
    artifact: { name: 'loadgate-report-perf', url: `${EXAMPLE_RUN}#artifacts` },
  },
): string {
  const result = parseRunResult(text, source);
  const options = parseJudgeOptions({}, CLI_JUDGE_FIELDS, result.ab ? 'ab' : 'single');
  const verdict = judge(undefined, result, options);
  const base = abBaseRun(result);
  return renderReport(verdict, result, base, {
    layout: 'comment',
    marker: 'perf',
    verdictKey: verdictKey(verdict),
    extraLines: result.ab
      ? [
          baselineLine({
            kind: 'paired',
            gitSha: result.ab.base.git?.sha ?? null,
            origin: result.ab.base.origin ?? null,
          }),
        ]
      : [],
    links,
  });
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Inline markdown; raw HTML tags in the text pass through (the report escapes user text itself). */
export function inline(text: string): string {
  const codes: string[] = [];
  let s = text.replace(/`([^`]+)`/g, (_m, code: string) => {
    codes.push(`<code>${escapeHtml(code)}</code>`);
    return `\uE000${codes.length - 1}\uE000`;
  });
  const escapes: string[] = [];
  s = s.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, (_m, ch: string) => {
    escapes.push(escapeHtml(ch));
    return `\uE001${escapes.length - 1}\uE001`;
  });
  s = s
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>');
  return s
    .replace(/\uE001(\d+)\uE001/g, (_m, i: string) => escapes[Number(i)] ?? '')
    .replace(/\uE000(\d+)\uE000/g, (_m, i: string) => codes[Number(i)] ?? '');
}

function cells(row: string): string[] {
  const trimmed = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i];
    if (ch === '\\' && trimmed[i + 1] === '|') {
      cur += '\\|';
      i++;
    } else if (ch === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

const ALERTS: Record<string, string> = {
  NOTE: 'Note',
  TIP: 'Tip',
  IMPORTANT: 'Important',
  WARNING: 'Warning',
  CAUTION: 'Caution',
};

export function renderMarkdown(md: string): string {
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const fence = /^(```+|~~~+)\s*(\S*)/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').startsWith(fence[1] ?? '```'))
        body.push(lines[i++] ?? '');
      i++;
      const lang = fence[2] ? ` class="language-${escapeHtml(fence[2])}"` : '';
      out.push(`<pre><code${lang}>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const n = heading[1]?.length ?? 1;
      out.push(`<h${n}>${inline(heading[2] ?? '')}</h${n}>`);
      i++;
      continue;
    }
    if (
      line.startsWith('|') &&
      /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(lines[i + 1] ?? '')
    ) {
      const head = cells(line);
      const align = cells(lines[i + 1] ?? '').map((c) =>
        c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : 'left',
      );
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('|'))
        rows.push(cells(lines[i++] ?? ''));
      const td = (tag: string, c: string, k: number) =>
        `<${tag} style="text-align:${align[k] ?? 'left'}">${inline(c)}</${tag}>`;
      out.push(
        `<table><thead><tr>${head.map((c, k) => td('th', c, k)).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${r.map((c, k) => td('td', c, k)).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
      continue;
    }
    if (line.startsWith('>')) {
      const quote: string[] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('>')) {
        quote.push((lines[i++] ?? '').replace(/^>\s?/, ''));
      }
      const alert = /^\[!(\w+)\]$/.exec(quote[0] ?? '');
      if (alert && ALERTS[alert[1] ?? '']) {
        const kind = (alert[1] ?? '').toLowerCase();
        out.push(
          `<div class="alert alert-${kind}"><p class="alert-title">${ALERTS[alert[1] ?? '']}</p>${renderMarkdown(quote.slice(1).join('\n'))}</div>`,
        );
      } else out.push(`<blockquote>${renderMarkdown(quote.join('\n'))}</blockquote>`);
      continue;
    }
    if (/^\s*[-*]\s+/.test(line)) {
      const items: string[] = [];
      while (i < lines.length && /^\s*[-*]\s+/.test(lines[i] ?? '')) {
        items.push(`<li>${inline((lines[i++] ?? '').replace(/^\s*[-*]\s+/, ''))}</li>`);
      }
      out.push(`<ul>${items.join('')}</ul>`);
      continue;
    }
    if (/^\s*<\/?(details|summary)/.test(line) || /^\s*<!--.*-->\s*$/.test(line)) {
      // Raw block HTML: <details><summary>…</summary> lines keep their inline markdown.
      out.push(
        line.replace(
          /<summary>(.*)<\/summary>/,
          (_m, s: string) => `<summary>${inline(s)}</summary>`,
        ),
      );
      i++;
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      (lines[i] ?? '').trim() !== '' &&
      !/^(#{1,6}\s|\||>|```|~~~|\s*[-*]\s|\s*<\/?(details|summary))/.test(lines[i] ?? '')
    ) {
      para.push(lines[i++] ?? '');
    }
    out.push(`<p>${inline(para.join('\n'))}</p>`);
  }
  return out.join('\n');
}

const CSS = `
body { margin: 0; background: #f6f8fa; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji"; font-size: 14px; line-height: 1.5; color: #1f2328; }
.comment { margin: 16px; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
.comment-header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; border-radius: 6px 6px 0 0; color: #59636e; }
.comment-header b { color: #1f2328; }
.markdown-body { padding: 16px; }
h3 { font-size: 1.25em; margin: 0 0 16px; } h4 { font-size: 1em; margin: 24px 0 12px; } h5 { font-size: .875em; margin: 16px 0 8px; }
p, ul, table, pre, details, .alert { margin: 0 0 16px; }
table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 13px; border: 1px solid #d1d9e0; white-space: nowrap; } td:last-child { white-space: normal; } th { font-weight: 600; } tr:nth-child(2n) { background: #f6f8fa; }
code { padding: .2em .4em; font-size: 85%; background: rgba(129,139,152,.12); border-radius: 6px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { padding: 16px; background: #f6f8fa; border-radius: 6px; overflow: auto; font-size: 85%; } pre code { background: none; padding: 0; font-size: 100%; }
a { color: #0969da; text-decoration: none; } sub { color: #59636e; }
summary { cursor: pointer; } ul { padding-left: 2em; }
.alert { padding: 8px 16px; border-left: .25em solid #9a6700; } .alert-title { color: #9a6700; font-weight: 600; margin: 0 0 4px; }
.alert-caution { border-color: #d1242f; } .alert-caution .alert-title { color: #d1242f; }
.alert-note { border-color: #0969da; } .alert-note .alert-title { color: #0969da; }
`;

export function page(markdown: string, mermaidJs?: string): string {
  let body = renderMarkdown(markdown);
  let scripts = '';
  if (mermaidJs) {
    body = body.replace(
      /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
      '<pre class="mermaid" style="background:none">$1</pre>',
    );
    scripts = `<script src="file://${resolve(mermaidJs)}"></script><script>mermaid.initialize({ startOnLoad: true });</script>`;
  }
  return `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head><body><div class="comment"><div class="comment-header"><b>github-actions</b> bot commented</div><div class="markdown-body">${body}</div></div>${scripts}</body></html>`;
}

function main(): void {
  const [input = '/tmp/lg-comment.md', output = 'docs/comment.png'] = process.argv.slice(2);
  const dir = mkdtempSync(join(tmpdir(), 'lg-shot-'));
  const html = join(dir, 'comment.html');
  const mermaidJs = process.env.MERMAID_JS;
  const text = readFileSync(input, 'utf8');
  const comment = input.endsWith('.json') ? commentOfResult(text, input) : text;
  // LOADGATE_SHOT_OPEN=<summary's start>: that collapsed section pictured open (docs/profiles.png).
  const open = process.env.LOADGATE_SHOT_OPEN;
  const markdown = open
    ? comment.replace(`<details><summary>${open}`, `<details open><summary>${open}`)
    : comment;
  writeFileSync(join(dir, 'comment.md'), markdown);
  writeFileSync(html, page(markdown, mermaidJs));
  execFileSync(
    process.env.CHROMIUM ?? 'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      ...(mermaidJs ? ['--allow-file-access-from-files', '--virtual-time-budget=10000'] : []),
      `--user-data-dir=${join(dir, 'profile')}`,
      `--screenshot=${resolve(output)}`,
      `--window-size=1000,${process.env.LOADGATE_SHOT_HEIGHT ?? '1000'}`,
      `file://${html}`,
    ],
    { stdio: 'inherit', timeout: 60_000 },
  );
  console.log(`${output} from ${input} (html: ${html})`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
