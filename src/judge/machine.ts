/**
 * Is this run's machine like the baseline's? The probe (run/probe.ts) and the machine type
 * (environment hash) of this run against the reference runs of the history, or against the
 * stored baseline run when there is no usable history; and the rule that follows.
 *
 * Against the history (≥ 5 reference runs): the machines differ when this machine type never
 * ran among them, or (with ≥ 5 of them probed by this probe version) when this run's CPU or
 * memory probe is outside the 99 % prediction interval of theirs (log scale, Student t, k − 1
 * degrees of freedom) and more than 10 % (PROBE_MIN_DIFFERENCE) from their geometric mean.
 * Against the baseline run alone (both with probes): when the CPU probe differs by more than
 * 20 %. One run has no normal range to read: 20 % is beyond the CPU probe's own noise between
 * back-to-back readings and well within what a CPU hog beside the run adds (the readings:
 * docs/measurements.md, "Figures behind the code"). The memory probe is reported but not judged
 * against one run: on one idle machine its readings a second apart vary severalfold (a vCPU's
 * cache state switches every few seconds, docs/ab.md "Why both sides at once"), so one pair of
 * readings says nothing about the machine; a history's prediction interval learns its spread. A different machine type without a history keeps its
 * long-standing warning only.
 *
 * The rule (applyMachineRule): when the machines differ, latency and throughput changes are not
 * judged (their regressions and improvements become "inconclusive"); the error rate and the SLAs
 * are. The verdict says how much the machines differ and recommends `baseline: base-commit`.
 * Whether that fails the check is `fail-on`'s: with `regression` in it the check fails when a
 * latency or throughput change would have been a regression (the gate cannot rule it out), and
 * is a warning otherwise; without `regression` it is always a warning.
 */
import { GATED_METRICS, METRICS } from '../result/types.js';
import type { HistoryRun } from '../result/history.js';
import type { RunResult } from '../result/types.js';
import { predictionTest } from '../stats/prediction.js';
import type { MachineComparison, MetricComparison } from './types.js';

/** Reference runs with probes the history rule needs (as MIN_HISTORY_RUNS). */
export const MIN_PROBED_RUNS = 5;
/** Confidence of the history's normal range of a probe. */
export const PROBE_CONFIDENCE = 0.99;
/**
 * A probe difference below this is never "different", however tight the history: above the idle
 * probe's own spread (60 readings on one idle machine: the bulk 34–38 ms, max/min 1.12, apart from
 * three slow outliers that the score's fastest-reading rule drops), well below what other work
 * beside a run does (a CPU hog: +45 % or more in every reading).
 */
export const PROBE_MIN_DIFFERENCE = 0.1;
/** Against one baseline run: a probe difference beyond this. */
export const PROBE_LIMIT_ONE_RUN = 0.2;

/** What a slower machine moves: every metric on a ratio scale (latency, throughput, CPU time). */
const LATENCY_THROUGHPUT = new Set(GATED_METRICS.filter((m) => METRICS[m].scale === 'ratio'));

type ProbeKind = 'cpuMs' | 'memoryMs';

interface ProbeVerdict {
  change: number | null;
  normal: number | null;
  outside: boolean;
}

function historyProbe(
  reference: readonly HistoryRun[],
  current: RunResult,
  kind: ProbeKind,
): ProbeVerdict {
  const probe = current.probe;
  const version = probe?.version ?? 1;
  const values = reference
    .filter((r) => r.probe !== undefined && (r.probe.version ?? 1) === version)
    .map((r) => r.probe?.[kind] as number)
    .filter((v) => v > 0);
  const value = probe?.score[kind];
  if (value === undefined || !(value > 0) || values.length < MIN_PROBED_RUNS) {
    return { change: null, normal: null, outside: false };
  }
  const logs = values.map(Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  const change = Math.expm1(Math.log(value) - mean);
  if (logs.every((l) => l === logs[0])) {
    return { change, normal: 0, outside: Math.abs(change) > PROBE_MIN_DIFFERENCE };
  }
  const t = predictionTest({
    reference: logs,
    value: Math.log(value),
    confidence: PROBE_CONFIDENCE,
  });
  const normal = Math.expm1(t.upper - t.difference);
  const outside = (t.lower > 0 || t.upper < 0) && Math.abs(change) > PROBE_MIN_DIFFERENCE;
  return { change, normal, outside };
}

/** Against one run only the CPU probe is judged (the memory probe's spread is unknown there). */
function oneRunProbe(baseline: RunResult, current: RunResult, kind: ProbeKind): ProbeVerdict {
  const a = baseline.probe;
  const b = current.probe;
  if (!a || !b || a.version !== b.version || !(a.score[kind] > 0)) {
    return { change: null, normal: null, outside: false };
  }
  const change = b.score[kind] / a.score[kind] - 1;
  const judged = kind === 'cpuMs';
  return {
    change,
    normal: judged ? PROBE_LIMIT_ONE_RUN : null,
    outside: judged && Math.abs(change) > PROBE_LIMIT_ONE_RUN,
  };
}

const percent = (rel: number): string => `${(Math.abs(rel) * 100).toFixed(0)} %`;

/** "18 % slower on the CPU probe (normal: ±5 %)" */
function probeText(label: string, p: ProbeVerdict, withRange: boolean): string | undefined {
  // A difference below half a percent is not worth a word.
  if (p.change === null || Math.abs(p.change) < 0.005) return undefined;
  const range = withRange && p.normal !== null ? ` (normal: ±${percent(p.normal)})` : '';
  return `${percent(p.change)} ${p.change >= 0 ? 'slower' : 'faster'} on the ${label}${range}`;
}

function summaryOf(
  basis: MachineComparison['basis'],
  reference: string,
  cpu: ProbeVerdict,
  memory: ProbeVerdict,
  knownMachine: boolean,
  current: RunResult,
): string {
  const history = basis === 'history';
  // Without a history the memory probe is only reported (oneRunProbe): said apart, after the CPU.
  const parts = [
    probeText('CPU probe', cpu, history),
    history ? probeText('memory probe', memory, history) : undefined,
  ].filter((t): t is string => t !== undefined);
  const memoryAside = history ? undefined : probeText('memory probe', memory, false);
  const probed = cpu.change !== null || memory.change !== null;
  const limit = history ? '' : ` (the limit without a history: ±${percent(PROBE_LIMIT_ONE_RUN)})`;
  const sentences: string[] = [];
  if (parts.length > 0) {
    sentences.push(`this runner is ${parts.join(' and ')} than ${reference}${limit}`);
  } else if (probed) {
    sentences.push(`this runner's ${history ? 'probes match' : 'CPU probe matches'} ${reference}`);
  }
  if (memoryAside !== undefined) {
    sentences.push(`it is ${memoryAside} (not judged without a history: it varies severalfold)`);
  }
  if (!knownMachine) {
    const { cpuModel, cores } = current.environment;
    sentences.push(`its machine type (${cpuModel} ×${cores}) never ran among ${reference}`);
  }
  return sentences.join('; ') || `this runner is compared with ${reference}`;
}

/**
 * This run's machine against the reference runs of the history (when ≥ 5 of them have probes,
 * or any number without probes for the machine type) or the baseline run; undefined when
 * nothing can be compared.
 */
export function compareMachines(
  current: RunResult,
  baseline: RunResult | undefined,
  reference: readonly HistoryRun[] | undefined,
): MachineComparison | undefined {
  if (reference !== undefined && reference.length >= MIN_PROBED_RUNS) {
    const cpu = historyProbe(reference, current, 'cpuMs');
    const memory = historyProbe(reference, current, 'memoryMs');
    const knownMachine = reference.some((r) => r.machine.hash === current.environment.hash);
    const where = `the default branch's ${reference.length} reference runs`;
    return {
      basis: 'history',
      differs: !knownMachine || cpu.outside || memory.outside,
      cpu: cpu.change,
      memory: memory.change,
      normal: cpu.normal ?? memory.normal,
      knownMachine,
      summary: summaryOf('history', where, cpu, memory, knownMachine, current),
    };
  }
  if (baseline === undefined) return undefined;
  const cpu = oneRunProbe(baseline, current, 'cpuMs');
  const memory = oneRunProbe(baseline, current, 'memoryMs');
  if (cpu.change === null && memory.change === null) return undefined;
  const knownMachine = baseline.environment.hash === current.environment.hash;
  return {
    basis: 'baseline',
    differs: cpu.outside || memory.outside,
    cpu: cpu.change,
    memory: memory.change,
    normal: PROBE_LIMIT_ONE_RUN,
    knownMachine,
    // The machine type's difference has its own warning (judge.ts): only the probes here.
    summary: summaryOf('baseline', 'the baseline run', cpu, memory, true, current),
  };
}

/** The end of the reason of a change the machine rule left unjudged. */
export const MACHINES_DIFFER = 'not judged: the machines differ';

export interface MachineRuleOutcome {
  /** Latency/throughput comparisons that would have been regressions, and improvements. */
  unjudgedRegressions: number;
  unjudgedImprovements: number;
  warning: string | undefined;
}

/**
 * When the machines differ: latency and throughput regressions and improvements become
 * "inconclusive" (in place), and the warning that says so; the verdict fails on the regressions
 * left unjudged (history-verdict.ts). Against one baseline run the probes' difference raises the
 * bar a change must clear instead (judge/one-run.ts), and only the warning is given here.
 */
export function applyMachineRule(
  byScenario: ReadonlyMap<string, MetricComparison[]>,
  machine: MachineComparison | undefined,
): MachineRuleOutcome {
  if (!machine?.differs)
    return { unjudgedRegressions: 0, unjudgedImprovements: 0, warning: undefined };
  if (machine.basis === 'baseline') {
    return {
      unjudgedRegressions: 0,
      unjudgedImprovements: 0,
      warning:
        `The machines differ: ${machine.summary}. Against this one run no latency, throughput or CPU change can be told from the machine: each is undecided. ` +
        'The input baseline: base-commit measures the base beside the head on one runner.',
    };
  }
  let regressions = 0;
  let improvements = 0;
  for (const list of byScenario.values()) {
    for (const c of list) {
      if (!LATENCY_THROUGHPUT.has(c.metric)) continue;
      if (c.outcome !== 'regression' && c.outcome !== 'improvement') continue;
      if (c.outcome === 'regression') regressions++;
      else improvements++;
      c.reason = `${c.reason}; ${MACHINES_DIFFER}`;
      c.outcome = 'inconclusive';
      c.severity = null;
    }
  }
  const left =
    regressions + improvements > 0
      ? ` ${regressions + improvements} latency or throughput change${regressions + improvements === 1 ? ' is' : 's are'} not judged (${regressions} worse, ${improvements} better)`
      : ' Latency and throughput are not judged against it';
  return {
    unjudgedRegressions: regressions,
    unjudgedImprovements: improvements,
    warning:
      `The machines differ: ${machine.summary}.${left}; error rates and SLAs are. ` +
      'A change cannot be told from the machine here; the input baseline: base-commit measures the base beside the head on one runner.',
  };
}
