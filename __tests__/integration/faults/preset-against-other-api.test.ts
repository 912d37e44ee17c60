/**
 * Fault: a scenarios file with `preset: admin` runs the built-in admin preset too. Against a
 * service without the admin API every preset scenario failed with "setup of pool admins failed"
 * (after sending up to a dozen requests each), which does not say why nor what to do. When the
 * preset's first request answers 404 or 405, the message says the service does not look like the
 * admin API, when the preset runs and how to run only the file's scenarios; a file's own pool
 * whose endpoint is missing says so without the preset's advice.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../../../src/run/execute.js';
import { freePort } from '../cli/helpers.js';

const FIXTURE = join(import.meta.dirname, 'fixtures/tiny-api.mjs');

function configFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lg-preset-'));
  const path = join(dir, 'loadgate.yml');
  writeFileSync(
    path,
    [
      '# `preset: admin`: the admin preset runs too',
      'preset: admin',
      'defaults: { trials: 1, trialSeconds: 0.3, warmupSeconds: 0, connections: 2 }',
      'scenarios:',
      '  - name: list-things',
      '    requests: [{ name: ok, path: /ok }]',
      '  - name: roles',
      '    setup:',
      '      - { pool: roles, count: 5, request: { method: POST, path: /roles, body: {}, expect: 201 } }',
      "    requests: [{ name: get, path: '/roles/{{pool.roles}}' }]",
      '',
    ].join('\n'),
  );
  return path;
}

async function runAgainst(env: Record<string, string>) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  return executeRun({
    start: `exec node ${FIXTURE}`,
    env: { PORT: String(port), ...env },
    cwd: process.cwd(),
    baseUrl,
    readyTimeoutSeconds: 20,
    config: configFile(),
  });
}

describe('the admin preset against a service without the admin API', () => {
  it.each([
    ['404', {}],
    ['405', { NOT_ALLOWED: '1' }],
  ])('first request answers %s: says so and names preset: none', async (status, env) => {
    const result = await runAgainst(env);
    const byName = new Map(result.scenarios.map((s) => [s.name, s]));
    // The file's own scenario still ran.
    expect(byName.get('list-things')?.failure).toBeUndefined();
    expect(byName.get('list-things')?.trials).toHaveLength(1);

    // The preset's scenarios with setup pools (create-admin has none: it runs, its requests 404).
    const preset = result.scenarios.filter(
      (s) => !['list-things', 'roles', 'create-admin'].includes(s.name),
    );
    expect(preset.map((s) => s.name)).toContain('list-admins');
    for (const scenario of preset) {
      expect(scenario.failure, scenario.name).toMatch(
        new RegExp(`POST /api/v1/admin-management/admins answered ${status}`),
      );
      expect(scenario.failure).toMatch(/does not look like the admin API/);
      expect(scenario.failure).toMatch(/`loadgate init` writes a config of its own scenarios/);
      expect(scenario.failure).toMatch(/no `preset` \(or `preset: none`\) runs only those/);
    }

    // The file's own pool: the endpoint is missing, no preset advice.
    const roles = byName.get('roles')?.failure ?? '';
    expect(roles).toMatch(new RegExp(`POST /roles answered ${status}`));
    expect(roles).toMatch(/no such endpoint/);
    expect(roles).not.toMatch(/preset/);
  });
});
