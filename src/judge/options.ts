/**
 * The one parser of the judge's options (`alpha`, `min-effect`, `fail-on`), used by the action
 * inputs, the CLI flags and `compare`. A bad value is a ConfigError that names the field as the
 * user wrote it (`input alpha`, `--alpha`), what it expects and what it got.
 */
import { ConfigError } from '../config/errors.js';
import { modeDefaults, type MeasureMode } from '../config/mode.js';
import { DEFAULT_JUDGE_OPTIONS, type FailOn, type JudgeOptions } from './types.js';

const FAIL_ON_EXPECTED =
  '"sla", "regression", "undecided" (several comma-separated, e.g. "sla,regression") or "none"';

function bad(field: string, expected: string, got: string): ConfigError {
  return new ConfigError(`${field}: expected ${expected}, got "${got}"`);
}

/** A share: `0.1`, or a percentage `10%`; NaN for anything else. */
export function parseShare(text: string): number {
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(%?)$/.exec(text.trim());
  return m ? Number(m[1]) / (m[2] === '%' ? 100 : 1) : Number.NaN;
}

export function parseAlpha(text: string, field: string): number {
  const alpha = parseShare(text);
  if (!(alpha > 0 && alpha <= 0.5)) {
    throw bad(field, 'a significance level above 0 and at most 0.5 (e.g. 0.05)', text);
  }
  return alpha;
}

export function parseMinEffect(text: string, field: string): number {
  const minEffect = parseShare(text);
  if (!(minEffect >= 0 && minEffect < 1)) {
    throw bad(field, 'a share from 0 to below 1, e.g. 0.10 or 10%', text);
  }
  return minEffect;
}

/**
 * `sla`, `regression`, `undecided` (an A/B scenario the budget left undecided), several of them
 * (comma or space separated), or `none` alone (report only).
 */
export function parseFailOn(text: string, field: string): ReadonlySet<FailOn> {
  const tokens = text
    .split(/[\s,]+/)
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
  if (tokens.length === 0) throw bad(field, FAIL_ON_EXPECTED, text);
  if (tokens.includes('none')) {
    if (tokens.length > 1) throw bad(field, `"none" alone (or ${FAIL_ON_EXPECTED})`, text);
    return new Set();
  }
  const out = new Set<FailOn>();
  for (const t of tokens) {
    if (t !== 'sla' && t !== 'regression' && t !== 'undecided') {
      throw bad(field, FAIL_ON_EXPECTED, text);
    }
    out.add(t);
  }
  return out;
}

export interface RawJudgeOptions {
  alpha?: string | undefined;
  minEffect?: string | undefined;
  failOn?: string | undefined;
}

/** How each option is named where the user wrote it. */
export interface JudgeOptionFields {
  alpha: string;
  minEffect: string;
  failOn: string;
}

export const CLI_JUDGE_FIELDS: JudgeOptionFields = {
  alpha: '--alpha',
  minEffect: '--min-effect',
  failOn: '--fail-on',
};

/**
 * Absent values take the mode's defaults (config/mode.ts): alpha 0.05 and a min effect of 10 %
 * against a stored baseline, alpha 0.01 and 3 % when base and head run side by side (their pairs
 * see changes the run-to-run spread of a stored baseline hides); fail on sla and regression.
 * Against a stored baseline, an alpha or min effect not given is marked so: judged against a
 * history it is 0.01 or 5 % instead (judge/history-compare.ts).
 */
export function parseJudgeOptions(
  raw: RawJudgeOptions,
  fields: JudgeOptionFields,
  mode: MeasureMode = 'single',
): JudgeOptions {
  const paired = mode === 'ab';
  const { alpha: defaultAlpha, minEffect: defaultMinEffect } = modeDefaults(mode);
  return {
    alpha: raw.alpha === undefined ? defaultAlpha : parseAlpha(raw.alpha, fields.alpha),
    minEffect:
      raw.minEffect === undefined
        ? defaultMinEffect
        : parseMinEffect(raw.minEffect, fields.minEffect),
    failOn:
      raw.failOn === undefined
        ? new Set(DEFAULT_JUDGE_OPTIONS.failOn)
        : parseFailOn(raw.failOn, fields.failOn),
    // Against a history the defaults differ (judge/history-compare.ts): say which were given.
    ...(!paired && raw.alpha === undefined ? { alphaIsDefault: true } : {}),
    ...(!paired && raw.minEffect === undefined ? { minEffectIsDefault: true } : {}),
  };
}
