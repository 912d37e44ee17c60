import { describe, expect, it } from 'vitest';
import {
  base64Fragments,
  isPlausibleSecret,
  MASK,
  redactForms,
  redactJsonText,
  SecretSet,
  secretForms,
} from '../../../src/redact/secrets.js';
import { escapeHtml, escapeMarkdown } from '../../../src/format/escape.js';

const SECRET = 'tok_3f9a*b[c]@d|e';

describe('which values count as secrets', () => {
  it('needs 4 characters when given, 8 when guessed from a name', () => {
    expect(isPlausibleSecret('abcd', 'given')).toBe(true);
    expect(isPlausibleSecret('abc', 'given')).toBe(false);
    expect(isPlausibleSecret('abcdefg', 'guessed')).toBe(false);
    expect(isPlausibleSecret('abcdefgh', 'guessed')).toBe(true);
  });

  it('skips well-known words, short numbers and credential-free URLs', () => {
    for (const word of ['true', 'false', 'disabled', 'postgres', 'Password', 'loadgate']) {
      expect(isPlausibleSecret(word, 'given'), word).toBe(false);
    }
    expect(isPlausibleSecret('86400000', 'guessed')).toBe(false);
    expect(isPlausibleSecret('127.0.0.1', 'guessed')).toBe(false);
    expect(isPlausibleSecret('1234567', 'given')).toBe(false);
    expect(isPlausibleSecret('12345678', 'given')).toBe(true);
    expect(isPlausibleSecret('https://token.example.com/x', 'guessed')).toBe(false);
  });

  it('adds each line of a multi-line value (a private key) too', () => {
    const set = new SecretSet();
    const key = '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----';
    expect(set.add(key, 'guessed')).toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(set.redact('line: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')).toBe(`line: ${MASK}`);
  });

  it('keeps a value given once as given', () => {
    const set = new SecretSet();
    expect(set.add('abcdefgh', 'given')).toEqual(['abcdefgh']);
    expect(set.add('abcdefgh', 'guessed')).toEqual([]);
    expect(set.list()).toEqual(['abcdefgh']);
  });
});

describe('the forms a secret takes', () => {
  it('as escaped by the report (format/escape.ts)', () => {
    const forms = secretForms(SECRET);
    expect(forms).toContain(escapeMarkdown(SECRET));
    expect(forms).toContain(escapeHtml(SECRET));
    expect(forms).toContain(encodeURIComponent(SECRET));
    expect(forms).toContain(JSON.stringify(`${SECRET}"`).slice(1, -3));
  });

  it('in base64 at any byte alignment', () => {
    const set = new SecretSet();
    set.add('hunter2-secret');
    for (const prefix of ['', 'a', 'ab', 'user:']) {
      const encoded = Buffer.from(`${prefix}hunter2-secret and more`).toString('base64');
      expect(set.redact(encoded), prefix).toContain(MASK);
    }
    expect(base64Fragments('short')).toEqual([]);
  });

  it('is redacted in every rendering the report uses', () => {
    const set = new SecretSet();
    set.add(SECRET);
    for (const rendered of [
      `raw ${SECRET} end`,
      `md ${escapeMarkdown(`failed: ${SECRET} end`)}`,
      `html ${escapeHtml(`<${SECRET}>`)}`,
      `json ${JSON.stringify({ m: SECRET })}`,
      `url ?t=${encodeURIComponent(SECRET)}`,
    ]) {
      const out = set.redact(rendered);
      expect(out, rendered).toContain(MASK);
      expect(out, rendered).not.toContain('3f9a');
    }
  });
});

describe('redactForms', () => {
  it('merges overlapping secrets so no part of either is left', () => {
    expect(redactForms('xx abcdefghijkl yy', ['abcdefghi', 'defghijkl'])).toBe(`xx ${MASK} yy`);
    expect(redactForms('abcdefgh abcdefgh', ['abcdefgh'])).toBe(`${MASK} ${MASK}`);
    expect(redactForms('nothing here', ['abcdef'])).toBe('nothing here');
  });

  it('matches a short secret only as a whole word (not inside an encoded histogram)', () => {
    expect(redactForms('postgres://u:pw9x@h PASSWORD=pw9x', ['pw9x'])).toBe(
      `postgres://u:${MASK}@h PASSWORD=${MASK}`,
    );
    expect(redactForms('HISTFAAAApw9xAAAB', ['pw9x'])).toBe('HISTFAAAApw9xAAAB');
    expect(redactForms('HISTFAAAAlongsecretAAAB', ['longsecret'])).toBe(`HISTFAAAA${MASK}AAAB`);
  });
});

describe('redactJsonText', () => {
  const set = new SecretSet();
  set.add('s3cret-value');
  const redact = (s: string) => set.redact(s);

  it('redacts strings and keys and keeps the document valid, in its layout', () => {
    const doc = { a: 'x s3cret-value y', n: 12, list: ['s3cret-value'], 's3cret-value': true };
    for (const indent of [undefined, 2]) {
      const text = `${JSON.stringify(doc, null, indent)}\n`;
      const out = redactJsonText(text, redact);
      expect(out).not.toContain('s3cret');
      expect(JSON.parse(out)).toEqual({ a: `x ${MASK} y`, n: 12, list: [MASK], [MASK]: true });
      expect(out).toBe(
        `${JSON.stringify({ a: `x ${MASK} y`, n: 12, list: [MASK], [MASK]: true }, null, indent)}\n`,
      );
    }
  });

  it('leaves a document without secrets byte for byte', () => {
    const text = '{"a": 1,   "b": "x"}\n';
    expect(redactJsonText(text, redact)).toBe(text);
  });

  it('redacts text that is not JSON as text', () => {
    expect(redactJsonText('{not json s3cret-value', redact)).toBe(`{not json ${MASK}`);
    expect(redactJsonText('# report s3cret-value', redact)).toBe(`# report ${MASK}`);
  });
});
