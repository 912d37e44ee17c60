/**
 * The job summary (GITHUB_STEP_SUMMARY) through core.summary. GitHub accepts at most 1 MiB per
 * step's summary: what this step already wrote counts, so the markdown is cut (with a note) to
 * fit what is left. Never throws: outside Actions it reports why nothing was written.
 *
 * Every known secret is redacted first (src/redact/): GitHub masks the step's log, not its
 * summary. Redacted before the cut, so the cut cannot leave part of a secret behind.
 */
import * as core from '@actions/core';
import { stat } from 'node:fs/promises';
import { redact } from '../redact/index.js';
import { truncateMarkdown, utf8Bytes } from './truncate.js';

export const SUMMARY_MAX_BYTES = 1024 * 1024;

export interface SummaryOutcome {
  written: boolean;
  truncated: boolean;
  /** Bytes appended. */
  bytes: number;
  warning?: string;
}

export async function writeJobSummary(
  markdown: string,
  options: { maxBytes?: number; note?: string } = {},
): Promise<SummaryOutcome> {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path) {
    return {
      written: false,
      truncated: false,
      bytes: 0,
      warning: 'job summary not written: GITHUB_STEP_SUMMARY is not set',
    };
  }
  try {
    const already = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    const budget = Math.max(0, (options.maxBytes ?? SUMMARY_MAX_BYTES) - already - 1); // + trailing EOL
    const note =
      options.note ??
      "> [!NOTE]\n> The summary was cut to fit GitHub's 1 MiB job summary limit; the full report is in the report artifact.";
    const { text, truncated } = truncateMarkdown(redact(markdown), budget, note, utf8Bytes);
    await core.summary.addRaw(text, true).write();
    return { written: true, truncated, bytes: utf8Bytes(text) + 1 };
  } catch (error) {
    core.summary.emptyBuffer();
    return {
      written: false,
      truncated: false,
      bytes: 0,
      warning: `job summary not written: ${(error as Error)?.message ?? String(error)}`,
    };
  }
}
