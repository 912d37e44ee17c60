/**
 * The verdict's scenarios sorted the way a reader asks about them: which got slower (worst
 * first), which breach their SLA, failed, are new or removed, got faster, are undecided or
 * inconclusive, and which are unchanged. Each scenario is in one group only. Pure.
 */
import { formatPercentChange, formatPp } from '../../format/numbers.js';
import { severityRank } from '../../judge/severity.js';
import type {
  EndpointComparison,
  KindComparison,
  MetricComparison,
  ScenarioVerdict,
  Verdict,
} from '../../judge/types.js';
import { METRICS } from '../../result/metrics.js';
import type { GatedMetric } from '../../result/types.js';

export interface ScenarioGroups {
  /** Got slower (a regression), worst first. */
  slower: ScenarioVerdict[];
  /** Breach an SLA without a regression. */
  breached: ScenarioVerdict[];
  failed: ScenarioVerdict[];
  added: ScenarioVerdict[];
  removed: ScenarioVerdict[];
  faster: ScenarioVerdict[];
  undecided: ScenarioVerdict[];
  inconclusive: ScenarioVerdict[];
  unchanged: ScenarioVerdict[];
  /** Nothing to compare with (no baseline, or the baseline's scenario failed). */
  uncompared: ScenarioVerdict[];
}

/**
 * The order a reader wants a scenario's changes in: failures first, then what users feel
 * (latency under load, at a steady rate, throughput), then what it costs; a test kind's single
 * figures last.
 */
const READING_ORDER: readonly GatedMetric[] = [
  'errorRate',
  'p95',
  'p50',
  'p99',
  'steadyP95',
  'steadyP50',
  'throughput',
  'dbP95',
  'cpuPerRequest',
];

const readingRank = (c: MetricComparison | KindComparison): number => {
  const i = READING_ORDER.indexOf(c.metric as GatedMetric);
  return i < 0 ? READING_ORDER.length : i;
};

/** The regression a scenario is named by: the first in reading order. */
export function worstRegression(s: ScenarioVerdict): MetricComparison | KindComparison | undefined {
  return regressionsOf(s)[0];
}

function sizeOf(c: MetricComparison | KindComparison): number {
  const v = typeof c.change === 'number' ? c.change : (c.change?.estimate ?? 0);
  return Math.abs(v ?? 0);
}

/** Regressions of a scenario in reading order (metrics, then a kind's figures). */
export function regressionsOf(s: ScenarioVerdict): (MetricComparison | KindComparison)[] {
  return [
    ...s.comparisons.filter((c) => c.outcome === 'regression'),
    ...(s.kindComparisons ?? []).filter((c) => c.outcome === 'regression'),
  ].sort((a, b) => readingRank(a) - readingRank(b));
}

export function groupScenarios(v: Verdict): ScenarioGroups {
  const g: ScenarioGroups = {
    slower: [],
    breached: [],
    failed: [],
    added: [],
    removed: [],
    faster: [],
    undecided: [],
    inconclusive: [],
    unchanged: [],
    uncompared: [],
  };
  for (const s of v.scenarios) {
    if (s.status === 'failed') g.failed.push(s);
    else if (s.status === 'regression') g.slower.push(s);
    else if (s.slaBreached) g.breached.push(s);
    else if (s.status === 'new') g.added.push(s);
    else if (s.status === 'removed') g.removed.push(s);
    else if (s.status === 'improvement') g.faster.push(s);
    else if (s.status === 'undecided') g.undecided.push(s);
    else if (s.status === 'inconclusive') g.inconclusive.push(s);
    else if (s.status === 'not-compared') g.uncompared.push(s);
    else g.unchanged.push(s);
  }
  // The worst scenario first: its severity, then the size of the change it is named by.
  g.slower.sort((a, b) => {
    const bySeverity = severityRank(b.severity) - severityRank(a.severity);
    const wa = worstRegression(a);
    const wb = worstRegression(b);
    return bySeverity || (wa && wb ? sizeOf(wb) - sizeOf(wa) : 0);
  });
  return g;
}

/** A change as the verdict line says it: "+206 %", "+4.2 %", "+0.60 pp". */
export function shortChange(c: MetricComparison | KindComparison): string {
  if (typeof c.change === 'number' || c.change === null) {
    return formatPercentChange(c.change).replace(/\.\d %$/, ' %');
  }
  if ('unit' in c && c.unit === 'pp') return formatPp(c.change.estimate);
  const text = formatPercentChange(c.change.estimate);
  return Math.abs(c.change.estimate) >= 0.1 ? text.replace(/\.\d %$/, ' %') : text;
}

/** The metric's name as a reader sees it ("p95", "CPU per request", "knee throughput"). */
export function labelOf(c: MetricComparison | KindComparison): string {
  return 'label' in c ? c.label : METRICS[c.metric].label;
}

/** What the change did, in a verb: most figures make a scenario slower; some cost or fail more. */
export function slowerVerb(c: MetricComparison | KindComparison): string {
  if (c.metric === 'errorRate') return 'fails more often';
  if (c.metric === 'cpuPerRequest') return 'costs more CPU';
  return 'got slower';
}

/**
 * The endpoints of a scenario whose own tests found a regression, the largest change first, each
 * named by its regression in reading order (p95 before p50).
 */
export function blamedEndpoints(s: ScenarioVerdict): EndpointComparison[] {
  const byEndpoint = new Map<string, EndpointComparison>();
  const regressed = (s.endpoints?.comparisons ?? []).filter((c) => c.outcome === 'regression');
  for (const c of [...regressed].sort((a, b) => readingRank(a) - readingRank(b))) {
    if (!byEndpoint.has(c.endpoint)) byEndpoint.set(c.endpoint, c);
  }
  return [...byEndpoint.values()].sort((a, b) => sizeOf(b) - sizeOf(a));
}
