/**
 * Every request loadgate sends stays on the service's host. The attack: a scenarios file (the
 * pull request's) whose path names another host, so the request carries the Authorization
 * header and {{env.X}} values there: `new URL('//evil.example/x', base)` is evil.example.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/errors.js';
import { parseConfig } from '../../../src/config/load-file.js';
import { buildPlan } from '../../../src/config/plan.js';
import { pathStaysOnHost, requestUrl } from '../../../src/config/urls.js';
import { compileRequest } from '../../../src/load/compile.js';

const OFF_HOST = [
  '//evil.example/x',
  '/\\evil.example',
  '/\\/evil.example/x',
  '//user@evil.example',
];

function plan(path: string, where: 'request' | 'setup') {
  const request = { name: 'r', path };
  const scenario =
    where === 'request'
      ? { name: 's', requests: [request] }
      : {
          name: 's',
          setup: [{ pool: 'ids', count: 1, capture: 'id', request }],
          requests: [{ name: 'get', path: '/items/{{pool.ids}}' }],
        };
  return buildPlan(parseConfig({ preset: 'none', scenarios: [scenario] }, 'loadgate.yml'), 'x');
}

describe('request paths', () => {
  it.each(OFF_HOST)('refuses %s in a request and in a setup step', (path) => {
    expect(() => plan(path, 'request')).toThrow(ConfigError);
    expect(() => plan(path, 'request')).toThrow(
      /scenarios\.s\.requests\[0\]\.path: expected a path on the service .* another host/,
    );
    expect(() => plan(path, 'setup')).toThrow(/scenarios\.s\.setup\.ids\.request\.path: /);
  });

  it('keeps paths on the host, placeholders too', () => {
    for (const path of ['/ok', '/a//b', '/%2F%2Fevil', '/x?next=//evil.example', '/{{pool.ids}}']) {
      expect(pathStaysOnHost(path), path).toBe(true);
    }
    expect(plan('/items/{{seq}}', 'request').scenarios[0]?.requests[0]?.path).toBe(
      '/items/{{seq}}',
    );
  });

  it('checks the rendered path: a pool value or an {{env.X}} that leads off the host', () => {
    expect(() =>
      requestUrl('//127.0.0.1:9/steal', 'http://127.0.0.1:8000', 'setup.ids.request.path'),
    ).toThrow(/setup\.ids\.request\.path: expected a path on the service/);
    expect(requestUrl('/a', 'http://127.0.0.1:8000/', 'p').href).toBe('http://127.0.0.1:8000/a');
    const request = {
      name: 'r',
      method: 'GET' as const,
      path: '/{{env.WHERE}}',
      expect: 200,
      weight: 1,
      headers: {},
    };
    expect(() =>
      compileRequest(request, 'scenarios.s.requests[0]', { WHERE: '/evil.example/x' }),
    ).toThrow(/scenarios\.s\.requests\[0\]\.path: expected a path on the service/);
  });
});
