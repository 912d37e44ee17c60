export {
  readActionsContext,
  loadActionsContext,
  readEventPayload,
  workflowPathFromRef,
} from './context.js';
export type { ActionsContext, TriggeringRun } from './context.js';
export {
  upsertStickyComment,
  findStickyComment,
  stickyMarker,
  hasMarker,
  capCommentBody,
  isReadOnlyTokenError,
  ReadOnlyTokenError,
  COMMENT_MAX_CHARS,
  ACTIONS_BOT_LOGIN,
} from './sticky-comment.js';
export type { Octokit, StickyCommentOptions, StickyCommentResult } from './sticky-comment.js';
export { ArtifactBaselineStore } from './baseline-artifact.js';
export type {
  ArtifactBaselineStoreOptions,
  BaselineLookup,
  BaselineProvenance,
  BaselineArtifactClient,
} from './baseline-artifact.js';
export {
  uploadReportArtifact,
  reportArtifactName,
  RESULT_FILE,
  REPORT_FILE,
} from './report-artifact.js';
export type { ReportArtifactInput, ReportArtifactOutcome } from './report-artifact.js';
export { writeJobSummary, SUMMARY_MAX_BYTES } from './summary.js';
export type { SummaryOutcome } from './summary.js';
export { withRetry, isRetryable, statusOf } from './retry.js';
export type { RetryOptions } from './retry.js';
export { truncateMarkdown } from './truncate.js';
