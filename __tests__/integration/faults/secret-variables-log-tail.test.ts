/**
 * What a failing service prints, through the bundled action (dist/index.js under Node 24, the
 * fake GitHub). Needs a fresh `npm run build`.
 *
 * - A secret in a variable whose name does not look secret (LICENSE_CODE) was published as is:
 *   `secret-variables` names it, and it is redacted everywhere and masked in the log.
 * - `log-tail: off` keeps the service's output out of the summary, the comment and the
 *   artifacts; it goes to the step log only.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub, type FakeRun } from '../../fakes/github-server.js';
import { payload, runAction, type ActionRun } from '../action/harness.js';
import { freePort } from '../cli/helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const LICENSE = 'lic-4f9a8e7d6c5b';
const SAID = 'service-output-line-3b1d';
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
});
afterAll(async () => {
  await fake.close();
});

/** A service that prints a line and its licence, then exits before it is ready. */
async function failingService(number: number, extra: Record<string, string>) {
  const run = fake.addRun({ event: 'pull_request', headBranch: 'feature', pullRequests: [number] });
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lg-tail-'));
  const config = join(dir, 'loadgate.yml');
  writeFileSync(
    config,
    'preset: none\nscenarios:\n  - { name: ok, requests: [{ name: ok, path: /ok }] }\n',
  );
  const out = await runAction({
    inputs: {
      'start-command': `echo "${SAID} licence=$LICENSE_CODE"; exit 1`,
      'base-url': `http://127.0.0.1:${port}`,
      'ready-timeout': '10',
      config,
      baseline: 'none',
      'github-token': 'ghs_faketoken0000000000000000000000000000',
      ...extra,
    },
    event: payload<Json>('pull_request-same-repo.json', (p) => {
      p.number = number;
      p.pull_request.number = number;
    }),
    env: fake.envFor(run, { LICENSE_CODE: LICENSE }),
  });
  return { out, run };
}

/** The summary, the comments and every artifact file: what leaves the runner. */
function published(out: ActionRun, run: FakeRun, number: number): string {
  const texts = [out.summary, ...fake.comments(number).map((c) => c.body)];
  for (const artifact of fake.artifactsOf(run.id)) {
    for (const data of Object.values(fake.artifactFiles(artifact.id))) texts.push(data.toString());
  }
  return texts.join('\n');
}

describe('secret-variables', () => {
  it('redacts a secret whose variable name does not look secret', async () => {
    const { out, run } = await failingService(81, { 'secret-variables': 'LICENSE_CODE' });
    expect(out.code).toBe(1);
    const text = published(out, run, 81);
    expect(text).toContain(`${SAID} licence=***`);
    expect(text).not.toContain(LICENSE);
    // Masked in the log too: the runner replaces it wherever a step prints it.
    expect(out.commands).toContainEqual({ kind: 'add-mask', message: LICENSE });
    const log = out.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(log.join('\n')).not.toContain(LICENSE);
  });

  it('without it, such a value is not recognised (the documented limit)', async () => {
    const { out, run } = await failingService(82, {});
    expect(published(out, run, 82)).toContain(`licence=${LICENSE}`);
  });
});

describe('log-tail: off', () => {
  it("keeps the service's output out of the summary, the comment and the artifacts", async () => {
    const { out, run } = await failingService(83, { 'log-tail': 'off' });
    expect(out.code).toBe(1);
    const text = published(out, run, 83);
    expect(fake.comments(83)).toHaveLength(1);
    expect(text).not.toContain(SAID);
    expect(text).toContain('kept out of the report (log-tail: off); they are in the step log');
    // The step log has it (GitHub masks the workflow's secrets there).
    expect(out.stdout).toContain(SAID);
  });
});
