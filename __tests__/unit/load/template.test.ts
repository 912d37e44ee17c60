import { describe, expect, it } from 'vitest';
import {
  compileString,
  compileValue,
  TemplateError,
  type RenderContext,
} from '../../../src/load/template.js';

function context(seq = 7): RenderContext {
  return {
    seq,
    uid: `run-${seq}`,
    token: 'secret',
    pick: (pool) => `${pool}-picked`,
    pickMany: (pool, count) => Array.from({ length: count }, (_, i) => `${pool}-${i}`),
  };
}

describe('compileString', () => {
  it('renders seq, uid, token and pool picks in place', () => {
    const t = compileString(
      '/admins/{{pool.admins}}?n={{seq}}&u={{ uid }}&t={{token}}',
      'path',
      {},
    );
    expect(t.render(context())).toBe('/admins/admins-picked?n=7&u=run-7&t=secret');
    expect(t.pools).toEqual(['admins']);
    expect(t.constant).toBe(false);
  });

  it('is constant without placeholders', () => {
    const t = compileString('/health', 'path', {});
    expect(t.constant).toBe(true);
    expect(t.render(context())).toBe('/health');
  });

  it('renders a whole-string pool count as an array, an embedded one joined', () => {
    expect(compileString('{{pool.ids:3}}', 'b', {}).render(context())).toEqual([
      'ids-0',
      'ids-1',
      'ids-2',
    ]);
    expect(compileString('x={{pool.ids:2}}', 'b', {}).render(context())).toBe('x=ids-0,ids-1');
  });

  it('resolves env placeholders at compile time and names a missing one', () => {
    expect(compileString('{{env.HOME_X}}', 'h', { HOME_X: '/x' }).render(context())).toBe('/x');
    expect(() => compileString('{{env.NOPE}}', 'headers.a', {})).toThrow(
      /headers\.a: environment variable NOPE is not set/,
    );
  });

  it('rejects unknown and unclosed placeholders, naming where', () => {
    expect(() => compileString('{{sequence}}', 'requests[0].path', {})).toThrow(TemplateError);
    expect(() => compileString('{{sequence}}', 'requests[0].path', {})).toThrow(
      /requests\[0\]\.path: unknown placeholder \{\{sequence\}\}/,
    );
    expect(() => compileString('/a/{{seq', 'p', {})).toThrow(/without a matching/);
    expect(() => compileString('{{pool.a:0}}', 'p', {})).toThrow(/count of at least 1/);
  });
});

describe('compileValue', () => {
  it('renders nested JSON bodies, keeping non-strings', () => {
    const t = compileValue(
      { email: 'a.{{uid}}@x', level: 3, on: true, ids: '{{pool.ids:2}}', tags: ['t{{seq}}', null] },
      'body',
      {},
    );
    expect(t.render(context(9))).toEqual({
      email: 'a.run-9@x',
      level: 3,
      on: true,
      ids: ['ids-0', 'ids-1'],
      tags: ['t9', null],
    });
    expect(t.pools).toEqual(['ids']);
    expect(t.constant).toBe(false);
    expect(compileValue({ a: [1, 'b'] }, 'body', {}).constant).toBe(true);
  });
});

describe('{{env.NAME}} reads what the service gets', () => {
  it("never resolves the runner's tokens, which only actions get", () => {
    // Attack: a scenarios file of the pull request sends the artifact service's token to the
    // pull request's service in a header.
    const env = { ACTIONS_RUNTIME_TOKEN: 'runtime-secret', INPUT_CONFIG: 'x', PLAIN: 'ok' };
    expect(() => compileString('{{env.ACTIONS_RUNTIME_TOKEN}}', 'headers.x-leak', env)).toThrow(
      /headers\.x-leak: environment variable ACTIONS_RUNTIME_TOKEN is loadgate's own/,
    );
    expect(() => compileString('{{env.INPUT_CONFIG}}', 'headers.x-leak', env)).toThrow(
      /INPUT_CONFIG is loadgate's own/,
    );
    expect(compileString('{{env.PLAIN}}', 'h', env).render(context())).toBe('ok');
  });

  it('reads the filtered process environment by default', () => {
    process.env.ACTIONS_RUNTIME_TOKEN = 'runtime-secret';
    try {
      expect(() => compileString('{{env.ACTIONS_RUNTIME_TOKEN}}', 'h')).toThrow(TemplateError);
    } finally {
      delete process.env.ACTIONS_RUNTIME_TOKEN;
    }
  });
});
