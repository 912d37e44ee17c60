/**
 * Cutting markdown to a size limit without breaking what renders after the cut: the text is cut
 * at a line end where possible, an open code fence is closed, and a note is appended. Sizes are
 * measured by `measure` (UTF-16 length for comment bodies, UTF-8 bytes for the job summary).
 */

export type Measure = (text: string) => number;

export const utf16Length: Measure = (text) => text.length;
export const utf8Bytes: Measure = (text) => Buffer.byteLength(text, 'utf8');

/** The longest prefix of `text` whose measure is at most `budget`, never splitting a character. */
function prefixWithin(text: string, budget: number, measure: Measure): string {
  if (budget <= 0) return '';
  let lo = 0;
  let hi = Math.min(text.length, budget); // a code unit is never smaller than 1 in either measure
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(text.slice(0, mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  let cut = text.slice(0, lo);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1); // lone high surrogate
  return cut;
}

/**
 * `text` unchanged when it fits in `limit`, otherwise a prefix (cut at a line end when one is in
 * the last half of the kept part, open ``` fence closed) followed by `note`. The result always
 * measures at most `limit`.
 */
export function truncateMarkdown(
  text: string,
  limit: number,
  note: string,
  measure: Measure = utf16Length,
): { text: string; truncated: boolean } {
  if (measure(text) <= limit) return { text, truncated: false };
  const suffix = `\n\n${note}`;
  const reserve = 16; // room to close an open code fence
  const budget = limit - measure(suffix) - reserve;
  let cut = prefixWithin(text, budget, measure);
  const lineEnd = cut.lastIndexOf('\n');
  if (lineEnd > cut.length / 2) cut = cut.slice(0, lineEnd);
  let open: string | undefined;
  for (const line of cut.split('\n')) {
    const fence = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) continue;
    if (open === undefined) open = fence;
    else if (fence[0] === open[0] && fence.length >= open.length) open = undefined;
  }
  if (open !== undefined) cut += `\n${open.length <= reserve - 2 ? open : open.slice(0, 3)}`;
  const out = `${cut}${suffix}`;
  // The note alone may exceed a tiny limit: then hard-cut everything.
  return { text: measure(out) <= limit ? out : prefixWithin(out, limit, measure), truncated: true };
}
