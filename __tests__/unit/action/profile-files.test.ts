/**
 * The CPU profiles in the report artifact (action/profile-files.ts): each side's file under the
 * step's folder, by a flat name the artifact accepts; one that is gone is left out with a warning.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileArtifactFiles } from '../../../src/action/profile-files.js';
import type { RunResult, SideProfile } from '../../../src/result/types.js';
import { abRun, demoScenarios } from '../helpers/ab-runs.js';

const side = (file: string): SideProfile => ({
  requests: 100,
  cpuUs: 500,
  file,
  profiles: { written: 1, counted: 1 },
});

describe('the CPU profiles of the report artifact', () => {
  it('holds both sides of each profiled scenario, named by scenario and side', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lg-profile-files-'));
    for (const s of ['base', 'head']) {
      mkdirSync(join(out, 'loadgate-profiles', s), { recursive: true });
      writeFileSync(join(out, 'loadgate-profiles', s, 'search-admins.cpuprofile'), `{"${s}":1}`);
    }
    const run = abRun(demoScenarios());
    const result: RunResult = {
      ...run,
      ab: {
        ...run.ab!,
        profile: {
          mode: 'auto',
          seconds: 3,
          intervalUs: 200,
          scenarios: [
            {
              scenario: 'search-admins',
              base: side('loadgate-profiles/base/search-admins.cpuprofile'),
              head: side('loadgate-profiles/head/search-admins.cpuprofile'),
              grown: [],
            },
            {
              scenario: 'list-admins',
              head: side('loadgate-profiles/head/list-admins.cpuprofile'),
              grown: [],
            },
            { scenario: 'python', grown: [], note: 'no CPU profile' },
          ],
        },
      },
    };
    const warnings: string[] = [];
    const files = await profileArtifactFiles(result, out, (m) => warnings.push(m));
    expect(files).toEqual({
      'cpu-search-admins-base.cpuprofile': '{"base":1}',
      'cpu-search-admins-head.cpuprofile': '{"head":1}',
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^CPU profile loadgate-profiles\/head\/list-admins\.cpuprofile not in the report artifact: ENOENT/,
    );
    expect(await profileArtifactFiles(run, out, () => undefined)).toEqual({});
  });
});
