import { ConfigError } from './errors.js';

/** The shortest and longest budget a run takes, seconds. */
export const MIN_BUDGET_SECONDS = 10;
export const MAX_BUDGET_SECONDS = 6 * 3600;

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, min: 60, s: 1 };

/**
 * A duration as a user writes it: `300` (seconds), `90s`, `5m`, `5min`, `4m30s`, `1h`. One parser
 * for `--budget` and the action's `budget`; a bad value names the field and what it expects.
 */
export function parseDuration(raw: string, field: string): number {
  const text = raw.trim().toLowerCase();
  const expected = `expected a duration from ${MIN_BUDGET_SECONDS} s to ${MAX_BUDGET_SECONDS / 3600} h such as 300, 90s, 5m or 4m30s, got "${raw}"`;
  let seconds: number;
  if (/^\d+(\.\d+)?$/.test(text)) {
    seconds = Number(text);
  } else {
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*(h|min|m|s)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.replace(/\s+/g, '')) {
      throw new ConfigError(`${field}: ${expected}`);
    }
    seconds = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_SECONDS[p[2] as string] ?? 0), 0);
  }
  if (!(seconds >= MIN_BUDGET_SECONDS && seconds <= MAX_BUDGET_SECONDS)) {
    throw new ConfigError(`${field}: ${expected}`);
  }
  return seconds;
}

/** Seconds as a short duration for people: 45 s, 5 min, 4 min 30 s, 1 h 5 min. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return rest > 0 ? `${m} min ${rest} s` : `${m} min`;
}
