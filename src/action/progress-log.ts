/**
 * The run's progress in the action's log (report/progress.ts words it): a folded group per
 * scenario (in an A/B run, per scenario and round) titled with its place in the run, the round,
 * the time elapsed and left; inside it the warm-up and each trial, labelled base or head in an
 * A/B run; the plan, the rounds and the decisions between the groups. A scenario that failed is
 * also a warning.
 */
import type { JudgedBy } from '../report/plan-line.js';
import { ProgressTracker } from '../report/progress.js';
import type { AbProgressEvent } from '../run/ab-plan.js';
import type { ActionLog } from './deps.js';

export interface ProgressLog {
  (event: AbProgressEvent): void;
  /** The run is over (or failed): the open group is closed. */
  close(): void;
}

export function progressLog(log: ActionLog, judged: JudgedBy): ProgressLog {
  const tracker = new ProgressTracker(judged);
  let open = false;
  const close = () => {
    if (open) log.endGroup?.();
    open = false;
  };
  const printer = (event: AbProgressEvent) => {
    const update = tracker.update(event);
    if (update.runLevel) close();
    if (update.group !== undefined && log.startGroup !== undefined) {
      close();
      log.startGroup(`loadgate: ${update.group}`);
      open = true;
    } else {
      for (const line of update.lines) log.info(`loadgate: ${line}`);
    }
    for (const line of update.transient) log.info(line);
    if (event.type === 'scenario-failed') {
      log.warning(`${event.scenario}${event.side ? ` (${event.side})` : ''}: ${event.message}`);
    }
  };
  printer.close = close;
  return printer;
}
