/**
 * A set of secrets and their removal from text (pure: no process-wide state; the registry the
 * rest of loadgate uses is in ./registry.ts).
 *
 * Each secret is matched in the forms it takes where loadgate writes it: as is, percent-encoded
 * (a URL), JSON-escaped (result and verdict files), markdown- and HTML-escaped (by the report's
 * own escapers, format/escape.ts) and base64-encoded at any of the three byte alignments (an
 * `Authorization: Basic` header a service logs). Every occurrence of any form is found,
 * overlapping ones merged, and each merged stretch becomes `***`, so a secret that overlaps
 * another leaves nothing behind. Forms shorter than 8 characters count only as whole words
 * (WHOLE_WORD_BELOW).
 */
import { escapeHtml, escapeMarkdown } from '../format/escape.js';

export const MASK = '***';

/**
 * `given`: the user handed it to loadgate as a secret (a token, a URL's password): 4 characters
 * are enough. `guessed`: loadgate infers it from a name (an environment variable called
 * `…_TOKEN`, a `password=` in a command): 8 characters at least, so a flag such as `disabled`
 * or a number does not turn every occurrence of a common word into `***`.
 */
export type SecretSource = 'given' | 'guessed';

export const MIN_LENGTH: Readonly<Record<SecretSource, number>> = { given: 4, guessed: 8 };

/**
 * Values nobody can keep secret: defaults and words that would mangle the report (and the
 * `loadgate` of its hidden markers) if every occurrence became `***`. Compared lower-cased.
 */
const NOT_SECRET = new Set([
  'true',
  'false',
  'yes',
  'null',
  'none',
  'undefined',
  'enabled',
  'disabled',
  'enable',
  'disable',
  'required',
  'optional',
  'default',
  'password',
  'secret',
  'changeme',
  'changeit',
  'postgres',
  'postgresql',
  'redis',
  'mysql',
  'root',
  'admin',
  'test',
  'testing',
  'example',
  'localhost',
  'loadgate',
  'token',
  'bearer',
  'basic',
  'production',
  'development',
  'staging',
]);

/**
 * Whether `value` is worth treating as a secret: long enough for its source, not a well-known
 * default, and not a credential-free URL (a URL's credentials are registered on their own, see
 * ./url.ts). Digits and separators only (a number, a date, an address) count only when given
 * and at least 8 long: replacing short ones would mangle the report's figures.
 */
export function isPlausibleSecret(value: string, source: SecretSource): boolean {
  if (value.length < MIN_LENGTH[source]) return false;
  if (NOT_SECRET.has(value.toLowerCase())) return false;
  if (/^[\d\s.,:/+-]+$/.test(value) && (source === 'guessed' || value.length < 8)) return false;
  if (source === 'guessed' && /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(value)) return false;
  return true;
}

/**
 * The base64 text that encodes `value` wherever it sits in a longer encoded string: for each of
 * the three byte offsets, only the characters determined by the secret's bytes alone (the first
 * and last characters mix in the neighbours' bits). Standard and URL-safe alphabets.
 */
export function base64Fragments(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length < 6) return [];
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString('base64');
    const fragment = encoded.slice(
      Math.ceil((offset * 4) / 3),
      Math.floor((padded.length * 4) / 3),
    );
    if (fragment.length < 8) continue;
    out.push(fragment);
    const urlSafe = fragment.replace(/\+/g, '-').replace(/\//g, '_');
    if (urlSafe !== fragment) out.push(urlSafe);
  }
  return out;
}

/** Every form of `value` redaction looks for (the value itself first). */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([value]);
  try {
    forms.add(encodeURIComponent(value));
  } catch {
    // a lone surrogate: there is no percent-encoded form
  }
  forms.add(JSON.stringify(value).slice(1, -1));
  forms.add(escapeMarkdown(value));
  forms.add(escapeHtml(value));
  for (const fragment of base64Fragments(value)) forms.add(fragment);
  return [...forms].filter((f) => f.length >= MIN_LENGTH.given);
}

/**
 * Forms shorter than this match only as a whole word (no letter or digit on either side): a
 * short password is found after `:` or `=` and before `@` or a space, but not by chance inside
 * an encoded histogram or a hash, which replacing would corrupt.
 */
export const WHOLE_WORD_BELOW = 8;

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);

/** `text` with every occurrence of any of `forms` (overlaps merged) replaced by MASK. */
export function redactForms(text: string, forms: readonly string[]): string {
  if (text === '' || forms.length === 0) return text;
  const hits: [number, number][] = [];
  for (const form of forms) {
    const whole = form.length < WHOLE_WORD_BELOW;
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
      if (whole && (isWordChar(text[at - 1]) || isWordChar(text[at + form.length]))) continue;
      hits.push([at, at + form.length]);
    }
  }
  if (hits.length === 0) return text;
  hits.sort((a, b) => a[0] - b[0]);
  let out = '';
  let done = 0;
  let [start, end] = hits[0] as [number, number];
  for (const [s, e] of hits) {
    if (s <= end) {
      end = Math.max(end, e);
      continue;
    }
    out += text.slice(done, start) + MASK;
    done = end;
    start = s;
    end = e;
  }
  return out + text.slice(done, start) + MASK + text.slice(end);
}

/**
 * Redaction of a JSON document (a result, a verdict): its strings (keys too) are redacted one by
 * one and the document written back in its own layout (compact, or the indent of its second
 * line), so a match can never cut through the JSON syntax and corrupt a stored baseline. Text
 * that is not JSON is redacted as text; a document with nothing to redact comes back unchanged.
 */
export function redactJsonText(text: string, redactText: (s: string) => string): string {
  if (redactText(text) === text) return text;
  const head = text.trimStart()[0];
  if (head !== '{' && head !== '[') return redactText(text);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return redactText(text);
  }
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return redactText(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) copy[redactText(key)] = walk(item);
    return copy;
  };
  const indent = /^\s*[[{]\r?\n([ \t]+)/.exec(text)?.[1];
  const trailing = /\s*$/.exec(text)?.[0] ?? '';
  return JSON.stringify(walk(doc), null, indent) + trailing;
}

/** Secrets and their forms; `redact` replaces them. */
export class SecretSet {
  private readonly values = new Map<string, SecretSource>();
  private forms: string[] | undefined;

  /**
   * Adds `value` (trimmed) when it is plausible for `source`, and each line of a multi-line
   * value (a private key) on its own. Returns the values added (empty when none was).
   */
  add(value: string | undefined, source: SecretSource = 'given'): string[] {
    if (value === undefined) return [];
    const added: string[] = [];
    const candidates = [value.trim()];
    if (/[\r\n]/.test(value)) candidates.push(...value.split(/\r?\n|\r/).map((l) => l.trim()));
    for (const candidate of candidates) {
      if (!isPlausibleSecret(candidate, source)) continue;
      const known = this.values.get(candidate);
      if (known === undefined) added.push(candidate);
      if (known !== 'given') this.values.set(candidate, source);
      this.forms = undefined;
    }
    return added;
  }

  has(value: string): boolean {
    return this.values.has(value.trim());
  }

  get size(): number {
    return this.values.size;
  }

  /** The values, in the order they were added (not their forms). */
  list(): string[] {
    return [...this.values.keys()];
  }

  redact(text: string): string {
    if (this.values.size === 0) return text;
    this.forms ??= [...new Set([...this.values.keys()].flatMap(secretForms))].sort(
      (a, b) => b.length - a.length,
    );
    return redactForms(text, this.forms);
  }

  /** For a file's text: a JSON document keeps its syntax (redactJsonText). */
  redactFile(text: string): string {
    if (this.values.size === 0) return text;
    return redactJsonText(text, (s) => this.redact(s));
  }

  clear(): void {
    this.values.clear();
    this.forms = undefined;
  }
}
