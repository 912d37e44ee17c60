/**
 * Why it got slower, from the CPU profile round (result `ab.profile`, run/profile-round.ts): per
 * profiled scenario the functions whose own CPU per request grew most, the repository's code
 * first, in one collapsed section right under the table of what changed. Function names and
 * files come from the code under test: escaped as HTML, never inside a code span.
 */
import { clip, escapeHtml, escapeMarkdown } from '../../format/escape.js';
import { formatMs, formatShare, formatUs } from '../../format/numbers.js';
import type {
  FunctionGrowth,
  ProfileSection,
  RunResult,
  ScenarioProfile,
} from '../../result/types.js';
import { folded } from './cells.js';

/** Functions named per scenario. */
export const SHOWN_GROWTH = 5;

const ORIGIN_LABEL: Record<FunctionGrowth['origin'], string> = {
  user: '',
  library: ' (package)',
  runtime: ' (runtime)',
};

/** Signed milliseconds: "+0.310 ms". */
function plusMs(us: number): string {
  return `${us >= 0 ? '+' : ''}${formatMs(us / 1000)}`;
}

export function growthLine(f: FunctionGrowth): string {
  const where = f.file === '' ? '' : ` ${escapeHtml(f.line > 0 ? `${f.file}:${f.line}` : f.file)}`;
  return (
    `**${plusMs(f.growthUs)}** per request in <code>${escapeHtml(f.name)}</code>${where}${ORIGIN_LABEL[f.origin]}: ` +
    `self ${formatUs(f.base.selfUs)} → ${formatUs(f.head.selfUs)} ` +
    `(${formatShare(f.share.base)} → ${formatShare(f.share.head)} of the CPU), ` +
    `total ${formatUs(f.base.totalUs)} → ${formatUs(f.head.totalUs)}`
  );
}

function scenarioBlock(s: ScenarioProfile): string {
  const title = `**${escapeMarkdown(s.scenario)}**`;
  const cpu =
    s.base && s.head
      ? `: sampled CPU per request ${formatUs(s.base.cpuUs)} → ${formatUs(s.head.cpuUs)}`
      : '';
  const lines = [`${title}${cpu}`];
  if (s.note !== undefined) lines.push(`⚠️ ${escapeMarkdown(s.note)}`);
  if (s.base && s.head) {
    const shown = s.grown.slice(0, SHOWN_GROWTH);
    if (shown.length === 0) {
      lines.push('No function’s own CPU per request grew by 1 % of the CPU or more.');
    } else {
      lines.push(shown.map((f) => `- ${growthLine(f)}`).join('\n'));
    }
    const files = [s.base.file, s.head.file].filter((f): f is string => f !== undefined);
    if (files.length > 0) {
      lines.push(
        `Profiles (Chrome DevTools, speedscope): ${files.map((f) => `<code>${escapeHtml(f)}</code>`).join(', ')}.`,
      );
    }
  }
  return lines.join('\n\n');
}

function summaryOf(profile: ProfileSection): string {
  const top = profile.scenarios
    .flatMap((s) => (s.grown[0] ? [{ s, f: s.grown[0] }] : []))
    .sort((a, b) => b.f.growthUs - a.f.growthUs)[0];
  if (top === undefined) return 'Why slower: CPU profiles of base and head';
  return `Why slower: ${plusMs(top.f.growthUs)} per request in ${top.f.name} (${top.s.scenario}), CPU profiles`;
}

/** The collapsed section; empty when no profile round ran. */
export function profileSection(current: RunResult): string {
  const profile = current.ab?.profile;
  if (profile === undefined || profile.scenarios.length === 0) return '';
  const blocks = profile.scenarios.map(scenarioBlock);
  blocks.push(
    `<sub>One extra round after the judged ones (${profile.seconds.toFixed(1)} s, sampled every ${profile.intervalUs} µs), so it does not change the verdict. Self time: the function's own code (and the runtime's functions it called), per request of the scenario; your code first, then packages'.</sub>`,
  );
  return folded(summaryOf(profile), blocks.join('\n\n'));
}

/** Control characters out: names from the code under test cannot steer the terminal. */
const plain = (s: string, max = 120) => clip(s.replace(/\p{Cc}+/gu, ' '), max);

/**
 * The profile in the CLI's terminal summary: per profiled scenario, the function whose own CPU
 * per request grew most (or why there is none), and where the profiles are.
 */
export function profileTerminalLines(current: RunResult): string[] {
  const profile = current.ab?.profile;
  if (profile === undefined) return [];
  return profile.scenarios.map((s) => {
    const top = s.grown[0];
    const where = (f: FunctionGrowth) =>
      f.file === '' ? '' : ` (${plain(f.line > 0 ? `${f.file}:${f.line}` : f.file)})`;
    const what =
      s.note !== undefined && top === undefined
        ? plain(s.note, 200).replace(/\.$/, '')
        : top === undefined
          ? 'no function’s own CPU per request grew by 1 % or more'
          : `${plusMs(top.growthUs)} per request in ${plain(top.name)}${where(top)}`;
    const files = [s.base?.file, s.head?.file].filter((f): f is string => f !== undefined);
    const beside = files.length > 0 ? `; beside the result: ${files.join(', ')}` : '';
    return `cpu profile: ${plain(s.scenario, 80)}: ${what}${beside}`;
  });
}
