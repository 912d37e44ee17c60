import { describe, expect, it } from 'vitest';
import { parseGateArgs } from '../../../src/cli/args.js';
import { parseInitArgs } from '../../../src/cli/init-args.js';
import { parseMergeArgs, parseRunCommandArgs } from '../../../src/cli/shard-args.js';

describe('the CLI flags', () => {
  it('-c and -o are --config and --out', () => {
    const run = parseRunCommandArgs(['-c', 'mine.yml', '-o', 'r.json'], {});
    expect(run.settings.config).toBe('mine.yml');
    expect(run.out).toBe('r.json');
    const gate = parseGateArgs(['-c', 'mine.yml', '-o', 'g.json'], {});
    expect(gate.settings.config).toBe('mine.yml');
    expect(gate.options.out).toBe('g.json');
    expect(parseMergeArgs(['-o', 'm.json', 'a.json', 'b.json'])).toEqual({
      out: 'm.json',
      shards: ['a.json', 'b.json'],
    });
  });

  it('init takes --openapi, or --url with one URL or several', () => {
    expect(parseInitArgs(['--openapi', 'api.yaml'], '/w')).toEqual({
      source: { openapi: 'api.yaml' },
      out: 'loadgate.yml',
      cwd: '/w',
      force: false,
    });
    expect(
      parseInitArgs(['--url', 'http://h/a', 'http://h/b', '-o', 'x.yml', '--force'], '/w'),
    ).toEqual({
      source: { urls: ['http://h/a', 'http://h/b'] },
      out: 'x.yml',
      cwd: '/w',
      force: true,
    });
    expect(parseInitArgs(['--url', 'http://h/a', '--url', 'http://h/b']).source).toEqual({
      urls: ['http://h/a', 'http://h/b'],
    });
  });

  it('init names what is missing or extra', () => {
    expect(() => parseInitArgs([])).toThrow(
      /^init needs --openapi FILE\|URL .* or --url URL\.\.\./,
    );
    expect(() => parseInitArgs(['--openapi', 'a.json', '--url', 'http://h/'])).toThrow(
      /--openapi and --url: give one/,
    );
    expect(() => parseInitArgs(['api.json'])).toThrow(
      'init: unexpected argument "api.json" (a document goes after --openapi, URLs after --url)',
    );
    expect(() => parseInitArgs(['--openapi', 'a.json', '--out'])).toThrow(
      /^init: Option '-o, --out <value>' argument missing\n\nloadgate init: /,
    );
  });
});
