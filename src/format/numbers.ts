/**
 * Number formatting for humans. Pure; below both the judge (its messages) and the reports.
 */

const nf0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** Three significant digits, without exponent notation. */
function sig3(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 999.5) return nf0.format(v);
  const s = v.toPrecision(3);
  return s.includes('e') ? String(Number(s)) : s;
}

/** Milliseconds with 3 significant digits: 0.842 ms, 12.3 ms, 123 ms, 1.25 s, 12.5 s. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs >= 999.5) return `${sig3(ms / 1000)} s`;
  return `${sig3(ms)} ms`;
}

/** Microseconds (of CPU per request) with 3 significant digits: 84.2 µs, 1,234 µs. */
export function formatUs(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return '–';
  return `${sig3(us)} µs`;
}

/** Requests per second with thousands separators: 1,234 req/s, 45.6 req/s. */
export function formatRate(v: number | null | undefined, unit = true): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const s = Math.abs(v) >= 100 ? nf0.format(v) : nf1.format(v);
  return unit ? `${s} req/s` : s;
}

/** A signed percentage from a relative change: 0.123 → "+12.3 %", -0.04 → "-4.0 %". */
export function formatPercentChange(rel: number | null | undefined, space = true): string {
  if (rel === null || rel === undefined || !Number.isFinite(rel)) return '–';
  const p = rel * 100;
  const s = Math.abs(p) >= 1000 ? nf0.format(Math.abs(p)) : Math.abs(p).toFixed(1);
  const sign = p < 0 && Number(s.replace(/,/g, '')) !== 0 ? '-' : '+';
  return `${sign}${s}${space ? ' %' : ''}`;
}

/** A signed number of percentage points: 0.6 → "+0.6 pp". */
export function formatPp(pp: number | null | undefined, unit = true): string {
  if (pp === null || pp === undefined || !Number.isFinite(pp)) return '–';
  const s = Math.abs(pp).toFixed(Math.abs(pp) >= 10 ? 1 : 2);
  const sign = pp < 0 && Number(s) !== 0 ? '-' : '+';
  return `${sign}${s}${unit ? ' pp' : ''}`;
}

/** A share 0..1 as a percentage: 0.0123 → "1.23 %", 0 → "0 %". */
export function formatShare(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (v === 0) return '0 %';
  const p = v * 100;
  return `${p >= 10 ? p.toFixed(1) : p >= 0.01 ? p.toFixed(2) : p.toPrecision(2)} %`;
}

/** A plain (unsigned) percentage: 75.3 → "75.3 %" (input already in percent). */
export function formatPercent(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return `${v >= 100 ? nf0.format(v) : v.toFixed(1)} %`;
}

export function formatMb(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return `${v >= 100 ? nf0.format(v) : v.toFixed(1)} MB`;
}

export function formatCount(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return nf1.format(v);
}

/** A p-value: "0.0012", "<0.0001", "0.43". */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '–';
  if (p < 0.0001) return '<0.0001';
  if (p < 0.01) return p.toFixed(4);
  return p.toFixed(3);
}

/** Three significant digits, signed when negative (slopes). */
function sig3s(v: number): string {
  return v < 0 ? `-${sig3(-v)}` : sig3(v);
}

/** Format a value in an SLA unit. */
export function formatUnit(v: number | null | undefined, unit: string): string {
  switch (unit) {
    case 'ms':
      return formatMs(v);
    case 'req/s':
      return formatRate(v);
    case 'ratio':
      return formatShare(v);
    case 'MB':
      return formatMb(v);
    case '%':
      return formatPercent(v);
    case 's':
      return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${sig3s(v)} s`;
    case 'MB/min':
    case 'ms/min':
      return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${sig3s(v)} ${unit}`;
    default:
      return formatCount(v);
  }
}

/** Plural helper: plural(2, 'regression') → "2 regressions". */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}
