/**
 * No secret leaves through what loadgate writes, at the edges everything passes: the file
 * writer (results, reports, verdicts, staged artifact files), the job summary and the sticky
 * comment. Each is given text holding a registered secret, raw and as the report renders it,
 * also where its cut would go through the secret.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from '../../fakes/env.js';
import { writeFileAtomic } from '../../../src/files/write-atomic.js';
import {
  capCommentBody,
  upsertStickyComment,
  type Octokit,
} from '../../../src/github/sticky-comment.js';
import { writeJobSummary } from '../../../src/github/summary.js';
import { truncateMarkdown, utf8Bytes } from '../../../src/github/truncate.js';
import { clearSecrets, registerSecret } from '../../../src/redact/index.js';
import { escapeMarkdown } from '../../../src/format/escape.js';

const SECRET = 'svc_tok*9e8d7c6b';

function leaks(text: string): string[] {
  return [SECRET, SECRET.slice(0, 8), SECRET.slice(-8)].filter((part) => text.includes(part));
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lg-secrets-writers-'));
  registerSecret(SECRET);
});
afterAll(() => {
  clearSecrets();
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('redacts a JSON document string by string and keeps it valid', async () => {
    const result = {
      scenarios: [{ name: 'a', failure: `POST /x/${SECRET} → 500 "${SECRET}"`, p95: 12.5 }],
      histogram: 'HISTFAAAACl4nJNpmSzMwMDAygABzFAaxmey',
    };
    const file = await writeFileAtomic(join(dir, 'result.json'), `${JSON.stringify(result)}\n`);
    const text = readFileSync(file, 'utf8');
    expect(leaks(text)).toEqual([]);
    expect(JSON.parse(text)).toEqual({
      scenarios: [{ name: 'a', failure: 'POST /x/*** → 500 "***"', p95: 12.5 }],
      histogram: result.histogram,
    });
  });

  it('redacts a markdown report, also where the report escaped the secret', async () => {
    const report = `# report\n\n- failed: ${escapeMarkdown(`token ${SECRET}`)}\n\n\`\`\`\n${SECRET}\n\`\`\`\n`;
    const file = await writeFileAtomic(join(dir, 'report.md'), report);
    const text = readFileSync(file, 'utf8');
    expect(leaks(text)).toEqual([]);
    expect(text).toContain('- failed: token ***');
  });
});

describe('the job summary', () => {
  it('is redacted before it is cut to fit', async () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const restore = applyEnv({ GITHUB_STEP_SUMMARY: summary });
    try {
      // The cut falls inside the secret: cut first, the summary would keep its first characters.
      const markdown = `${'a'.repeat(300)} ${SECRET} ${'b'.repeat(2000)}`;
      const cutFirst = truncateMarkdown(markdown, 333, '(cut)', utf8Bytes).text;
      expect(leaks(cutFirst)).toEqual([SECRET.slice(0, 8)]);
      const outcome = await writeJobSummary(markdown, { maxBytes: 334, note: '(cut)' });
      expect(outcome.written).toBe(true);
      const written = readFileSync(summary, 'utf8');
      expect(written).toContain('***');
      expect(leaks(written)).toEqual([]);
    } finally {
      restore();
    }
  });
});

describe('the sticky comment', () => {
  it('sends a redacted body, also when it is cut to the size limit', async () => {
    const sent: string[] = [];
    const octokit = {
      paginate: {
        iterator: async function* () {
          yield { data: [] };
        },
      },
      rest: {
        issues: {
          listComments: () => undefined,
          createComment: async ({ body }: { body: string }) => {
            sent.push(body);
            return { data: { id: 1, html_url: 'https://github.com/o/r/pull/1#issuecomment-1' } };
          },
        },
      },
    } as unknown as Octokit;
    const marker = '<!-- loadgate:perf -->';
    // Secrets all over the stretch where the cut falls: cut first, a part of one would stay.
    const long = `${marker}\n${'c'.repeat(65_000)}${` ${SECRET}`.repeat(100)}`;
    expect(leaks(capCommentBody(long, marker).body)).not.toEqual([]);
    for (const body of [`${marker}\n${escapeMarkdown(`failed: ${SECRET}`)}`, long]) {
      await upsertStickyComment(octokit, { owner: 'o', repo: 'r', issueNumber: 1, marker, body });
    }
    expect(sent).toHaveLength(2);
    for (const body of sent) expect(leaks(body)).toEqual([]);
  });
});
