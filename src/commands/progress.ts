/**
 * The CLI's progress on stderr (report/progress.ts words it): on a terminal, the lines worth
 * keeping scroll by and one status line below them keeps updating (scenario k/N, round r/R,
 * side, the latest trial, elapsed and time left, redrawn every second); elsewhere (a CI log, a
 * file) every line is printed plainly, one per trial.
 */
import type { JudgedBy } from '../report/plan-line.js';
import { ProgressTracker } from '../report/progress.js';
import type { AbProgressEvent } from '../run/ab-plan.js';
import type { Output } from './output.js';

export interface ProgressPrinter {
  (event: AbProgressEvent): void;
  /** The run is over: the status line goes, the redraws stop. */
  close(): void;
}

/** How often a terminal's status line is redrawn while nothing happens (its clock moves). */
const REDRAW_MS = 1000;

export function progressPrinter(
  output: Output,
  judged?: JudgedBy,
  now: () => number = Date.now,
): ProgressPrinter {
  const tracker = new ProgressTracker(judged, now);
  const status = output.status;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const redraw = () => status?.(tracker.status());
  const printer = (event: AbProgressEvent) => {
    if (closed) return;
    const update = tracker.update(event);
    for (const line of update.lines) output.err(line);
    if (status === undefined) {
      for (const line of update.transient) output.err(line);
      return;
    }
    redraw();
    timer ??= setInterval(redraw, REDRAW_MS).unref();
  };
  printer.close = () => {
    closed = true;
    clearInterval(timer);
    status?.('');
  };
  return printer;
}
