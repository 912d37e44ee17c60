/**
 * The README's install lines are what the release process produces: the action's major tag that
 * release.yml moves, and the npm package it publishes; the workflow builds, checks dist/, tests,
 * publishes, releases with the CHANGELOG section and moves the major tag, in that order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as { name: string; version: string };
const major = `v${pkg.version.split('.')[0]}`;

interface Step {
  name?: string;
  run?: string;
  uses?: string;
}
const workflow = parse(read('.github/workflows/release.yml')) as {
  on: { push: { tags: string[] } };
  jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = steps.map((s) => s.run ?? '');

/** The index of the first step whose command matches, or -1. */
const stepOf = (re: RegExp) => runs.findIndex((r) => re.test(r));

describe('the release workflow', () => {
  it('runs on version tags only (a pre-release tag moves nothing)', () => {
    const [pattern] = workflow.on.push.tags;
    const re = new RegExp(`^${(pattern ?? '').replace(/\./g, '\\.')}$`);
    expect(re.test('v1.2.3')).toBe(true);
    expect(re.test('v2.0.0-rc.1')).toBe(false);
    expect(re.test('v1')).toBe(false);
  });

  it('checks the tag, builds, verifies dist/, tests, publishes, releases and moves the major tag, in order', () => {
    const order = [
      stepOf(/v\$version/),
      stepOf(/^npm ci$/),
      stepOf(/^npm run build$/),
      stepOf(/git status --porcelain -- dist schema/),
      stepOf(/^npm test$/),
      stepOf(/^npm publish /),
      stepOf(/gh release create "\$TAG" .*--notes-file/),
      stepOf(/git push --force origin "refs\/tags\/\$major"/),
    ];
    expect(
      order.every((i) => i >= 0),
      JSON.stringify(order),
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(runs.join('\n')).toContain('scripts/release-notes.ts "$TAG"');
    expect(runs.join('\n')).toContain('major="${TAG%%.*}"');
    const permissions = Object.values(workflow.jobs)[0]?.permissions;
    expect(permissions).toMatchObject({ contents: 'write', 'id-token': 'write' });
  });
});

describe('the install lines', () => {
  const docs = ['README.md', 'docs/configuration.md', 'docs/security.md', 'docs/ab.md'];

  it('every `uses:` of this action names the major tag the release moves', () => {
    const uses = docs.flatMap((d) => [...read(d).matchAll(/uses: (loadgate\/loadgate[^\s`]*)/g)]);
    expect(uses.length).toBeGreaterThan(1);
    for (const m of uses) expect(m[1]).toBe(`loadgate/loadgate@${major}`);
  });

  it('the CLI is installed by the package name the release publishes', () => {
    const readme = read('README.md');
    expect(readme).toContain(`npm install -D ${pkg.name}`);
    expect(readme).toContain(`npx ${pkg.name} `);
  });
});
