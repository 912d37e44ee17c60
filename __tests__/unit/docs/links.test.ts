/**
 * Every relative link in README.md and docs/*.md resolves: the file (or folder) exists, and an
 * `#anchor` is a heading of the target, slugged as GitHub slugs headings. Links in code are not
 * links; http(s) links are not followed (no network in unit tests).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The text outside fenced code blocks and inline code spans. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a markdown file's headings (a repeated heading gets -1, -2…). */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const match of markdown
    .replace(/^```[\s\S]*?^```/gm, '')
    .matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = slug(match[1] as string);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The relative links of a markdown file's prose (not its code). */
export function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** The broken relative links of one markdown file, as `target: why`. */
export function brokenLinks(file: string, markdown: string): string[] {
  const problems: string[] = [];
  for (const target of relativeLinks(markdown)) {
    const [path = '', anchor] = target.split('#');
    if (path === '') {
      if (!anchors(markdown).has(anchor ?? ''))
        problems.push(`${target}: no heading with that anchor`);
      continue;
    }
    const resolved = resolve(dirname(file), decodeURIComponent(path));
    if (!existsSync(resolved)) {
      problems.push(`${target}: no such file`);
      continue;
    }
    if (anchor === undefined) continue;
    if (statSync(resolved).isDirectory() || !resolved.endsWith('.md')) {
      problems.push(`${target}: an anchor into something that is not a markdown file`);
    } else if (!anchors(readFileSync(resolved, 'utf8')).has(anchor)) {
      problems.push(`${target}: no heading with that anchor`);
    }
  }
  return problems;
}

describe('the links of README.md and docs/', () => {
  const files = [
    join(ROOT, 'README.md'),
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(ROOT, 'docs', f)),
  ];

  it.each(files.map((f) => [relative(ROOT, f), f]))(
    '%s: every relative link resolves',
    (_, file) => {
      expect(brokenLinks(file, readFileSync(file, 'utf8'))).toEqual([]);
    },
  );

  it('the README links each document under docs/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(relativeLinks(readme).length).toBeGreaterThan(15);
    for (const file of files.filter((f) => f.includes('/docs/'))) {
      expect(readme, relative(ROOT, file)).toContain(`](${relative(ROOT, file)}`);
    }
  });

  it('the checker finds a missing file, a missing anchor, and slugs as GitHub does', () => {
    const file = join(ROOT, 'docs', 'x.md');
    const text = [
      '# Top',
      '## A/B side by side (`baseline: base-commit`)',
      '## Top',
      '[ok](#top-1) [ok](#ab-side-by-side-baseline-base-commit) [ok](ab.md#what-a-run-does)',
      '[gone](nowhere.md) [bad](#nope) [bad](ab.md#nope) `[code](nowhere.md)`',
      '```',
      '[fenced](nowhere.md)',
      '```',
    ].join('\n');
    expect(brokenLinks(file, text)).toEqual([
      'nowhere.md: no such file',
      '#nope: no heading with that anchor',
      'ab.md#nope: no heading with that anchor',
    ]);
    expect(slug('Detection quality of the A/B mode (`bench/detection.ts --mode ab`)')).toBe(
      'detection-quality-of-the-ab-mode-benchdetectionts---mode-ab',
    );
  });
});
