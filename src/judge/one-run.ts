/**
 * One stored run against one: what a stored baseline without a usable history can and cannot
 * say. Two runs on two machines (or one machine at two moments) differ by more than the code:
 * same code on a threaded Python service failed the check with list-admins p95 +21 % and get-admin
 * p95 +14 % against a baseline saved minutes earlier on the same machine (docs/measurements.md).
 * Nothing in one run against one tells the machine from the code, so below a large change
 * (ONE_RUN_FACTOR × the min effect) a latency, throughput or CPU regression is undecided, and says
 * how many runs of main the history still needs; when the machine probes differ beyond their
 * limit, every such regression is: a CPU hog beside the run slowed the probe 57 % and the p95
 * 115 % (and once 450 %), since latency under load grows faster than the CPU it loses, so no bar
 * drawn from the probe holds. The error rate is judged as before (it does not move with the
 * machine). Changes are held to the bar on the log scale, so a throughput halved weighs as a
 * latency doubled. Pure.
 */
import { formatPercentChange } from '../format/numbers.js';
import { MIN_HISTORY_RUNS } from './history-compare.js';
import type { ComparisonOutput } from './compare.js';

/** A regression one run against one must be this many times the min effect to be called. */
export const ONE_RUN_FACTOR = 2;

/**
 * Marks the one-run regressions below ONE_RUN_FACTOR × their min effect undecided (in place):
 * those judged by the Mann-Whitney test against the stored run (not against the history).
 * `historyRuns`: the comparable runs the history has for them (0 without a history);
 * `probeChange`: the CPU probes' difference when the machines differ (then all are undecided).
 */
export function undecidedOneRunRegressions(
  compared: ComparisonOutput,
  historyRuns: number,
  probeChange: number | null = null,
): void {
  const needed = Math.max(1, MIN_HISTORY_RUNS - historyRuns);
  const advice = `${needed} more run${needed === 1 ? '' : 's'} of the default branch make a history to judge against (or use baseline: base-commit)`;
  for (const list of compared.byScenario.values()) {
    for (const c of list) {
      if (c.outcome !== 'regression' || c.unit !== 'ratio') continue;
      if (c.test?.name !== 'mann-whitney-u') continue;
      const ratio = Math.max(c.effect.estimate, 1e-9);
      const worseBy = c.higherIsWorse ? Math.log(ratio) : -Math.log(ratio);
      const bar = ONE_RUN_FACTOR * c.effectiveMinEffect;
      const machinesDiffer = probeChange !== null;
      if (!machinesDiffer && worseBy >= Math.log1p(bar)) continue;
      c.outcome = 'inconclusive';
      c.severity = null;
      c.undecided = true;
      c.reason = machinesDiffer
        ? `undecided: ${formatPercentChange(c.change.estimate)} against one stored run on a machine ${formatPercentChange(probeChange)} apart on the CPU probe: under load, latency moves more than the CPU the machine lost, so no change against this one run can be told from the machine. ${advice}`
        : `undecided: ${formatPercentChange(c.change.estimate)} against one stored run, within ${formatPercentChange(bar)} (${ONE_RUN_FACTOR}× the min effect): one run against one cannot tell the machine from the code. ${advice}`;
    }
  }
}
