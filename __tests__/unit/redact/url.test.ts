import { describe, expect, it } from 'vitest';
import { hideUrlCredentials as fromConfig } from '../../../src/config/urls.js';
import { safeUrl } from '../../../src/monitor/warnings.js';
import { hideUrlCredentials, urlSecrets } from '../../../src/redact/url.js';

describe('hideUrlCredentials (the one function config/ and monitor/ use)', () => {
  it('is the function config/urls.ts and monitor/warnings.ts use', () => {
    const url = 'postgres://u:p@ss/w0rd@db.internal:5432/app';
    expect(fromConfig(url)).toBe(hideUrlCredentials(url));
    expect(safeUrl(url)).toBe(hideUrlCredentials(url));
  });

  it.each([
    ['mysql://u:secret@db/x', 'mysql://***@db/x'],
    // "@" and "/" unencoded in the password: a URL parser takes "ss/w0rd" for host and path.
    ['postgres://u:p@ss/w0rd@db.internal:5432/app', 'postgres://***@db.internal:5432/app'],
    ['redis://:r3d1s@pass@127.0.0.1:6379', 'redis://***@127.0.0.1:6379'],
    ['postgres://lg:pw#frag?x@h/db_{side}', 'postgres://***@h/db_{side}'],
    ['https://ghp_0123456789@github.com/o/r', 'https://***@github.com/o/r'],
    ['http://127.0.0.1:{port}/health', 'http://127.0.0.1:{port}/health'],
    ['redis://h:6379?password=zz9&db=1#x', 'redis://h:6379?password=***&db=1#x'],
    ['postgres://h/db?sslmode=require', 'postgres://h/db?sslmode=require'],
    ['not a url @ all', 'not a url @ all'],
  ])('%s → %s', (url, shown) => {
    expect(hideUrlCredentials(url)).toBe(shown);
  });
});

describe('urlSecrets', () => {
  it('finds the whole password however it is written', () => {
    expect(urlSecrets('postgres://u:p@ss/w0rd@db:5432/app')).toContain('p@ss/w0rd');
    expect(urlSecrets('postgres://u:p%40ss@db/app')).toEqual(
      expect.arrayContaining(['p%40ss', 'p@ss']),
    );
    expect(urlSecrets('https://ghp_0123456789@github.com/o/r')).toContain('ghp_0123456789');
    expect(urlSecrets('redis://h:6379?password=zz9zz9&db=1')).toContain('zz9zz9');
    expect(urlSecrets('postgres://u:pw-{x}@h:{port}/db_{side}')).toContain('pw-{x}');
  });

  it('finds nothing in a URL without credentials', () => {
    expect(urlSecrets('http://127.0.0.1:8000/health')).toEqual([]);
    expect(urlSecrets('no url')).toEqual([]);
  });
});
