/**
 * The CPU profile's section of the report (report/sections/profile.ts): collapsed, right under
 * the table of what changed, the top functions whose own CPU per request grew, the repository's
 * code first, hostile names escaped; a scenario without profiles says why.
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import {
  growthLine,
  profileSection,
  profileTerminalLines,
} from '../../../src/report/sections/profile.js';
import { abBaseRun } from '../../../src/result/ab.js';
import { parseRunResult } from '../../../src/result/schema.js';
import type { FunctionGrowth, ProfileSection, RunResult } from '../../../src/result/types.js';
import { AB_OPTIONS, abRun, demoScenarios } from '../helpers/ab-runs.js';

function grown(
  name: string,
  growthUs: number,
  extra: Partial<FunctionGrowth> = {},
): FunctionGrowth {
  return {
    name,
    file: 'src/routes/admins.ts',
    line: 42,
    origin: 'user',
    base: { selfUs: 10, totalUs: 40 },
    head: { selfUs: 10 + growthUs, totalUs: 40 + growthUs },
    growthUs,
    share: { base: 0.05, head: 0.6 },
    ...extra,
  };
}

const PROFILE: ProfileSection = {
  mode: 'auto',
  seconds: 4.2,
  intervalUs: 200,
  scenarios: [
    {
      scenario: 'search-admins',
      base: {
        requests: 200,
        cpuUs: 200,
        file: 'loadgate-profiles/base/search-admins.cpuprofile',
        profiles: { written: 1, counted: 1 },
      },
      head: {
        requests: 180,
        cpuUs: 510,
        file: 'loadgate-profiles/head/search-admins.cpuprofile',
        profiles: { written: 2, counted: 1 },
      },
      grown: [
        grown('searchAdmins', 310),
        grown('escape', 40),
        grown('a', 30),
        grown('b', 20),
        grown('c', 15),
        grown('parse', 12, { origin: 'library', file: 'node_modules/qs/lib/parse.js', line: 7 }),
      ],
    },
  ],
};

function withProfile(run: RunResult, profile: ProfileSection): RunResult {
  if (!run.ab) throw new Error('an A/B run expected');
  return { ...run, ab: { ...run.ab, profile } };
}

describe('the CPU profile section', () => {
  it('says how much more per request, in which function, where', () => {
    expect(growthLine(grown('searchAdmins', 310))).toBe(
      '**+0.310 ms** per request in <code>searchAdmins</code> src/routes/admins.ts:42: self 10.0 µs → 320 µs (5.00 % → 60.0 % of the CPU), total 40.0 µs → 350 µs',
    );
    expect(
      growthLine(grown('parse', 12, { origin: 'library', file: 'node_modules/qs/lib/parse.js' })),
    ).toContain('node_modules/qs/lib/parse.js:42 (package)');
  });

  it('is collapsed right under the table of what changed, five functions per scenario', () => {
    const run = withProfile(abRun(demoScenarios({ 'search-admins': { search: 3 } })), PROFILE);
    const verdict = judge(undefined, run, AB_OPTIONS);
    const md = renderMarkdown(verdict, run, abBaseRun(run), { layout: 'comment' });
    const section = profileSection(run);
    expect(
      section.startsWith(
        '<details><summary>Why slower: +0.310 ms per request in searchAdmins (search-admins)',
      ),
    ).toBe(true);
    expect(md).toContain(section);
    const lines = md.split('\n');
    const table = lines.findIndex((l) => l.startsWith('| Scenario | Metric |'));
    let after = table;
    while (lines[after]?.startsWith('|')) after++;
    // The first block after the changed scenarios' table.
    const next = lines.findIndex((l, i) => i >= after && l.trim() !== '');
    expect(lines[next]).toMatch(/^<details><summary>Why slower/);
    expect(section.match(/^- /gm)).toHaveLength(5);
    expect(section).not.toContain('qs/lib/parse.js');
    expect(section).toContain('loadgate-profiles/head/search-admins.cpuprofile');
  });

  it('in the terminal: the function that grew most per scenario, and where the profiles are', () => {
    const run = withProfile(abRun(demoScenarios()), {
      ...PROFILE,
      scenarios: [
        PROFILE.scenarios[0]!,
        { scenario: 'python', grown: [], note: 'no CPU profile: neither service wrote one.' },
      ],
    });
    expect(profileTerminalLines(run)).toEqual([
      'cpu profile: search-admins: +0.310 ms per request in searchAdmins (src/routes/admins.ts:42); beside the result: loadgate-profiles/base/search-admins.cpuprofile, loadgate-profiles/head/search-admins.cpuprofile',
      'cpu profile: python: no CPU profile: neither service wrote one',
    ]);
    expect(profileTerminalLines(abRun(demoScenarios()))).toEqual([]);
  });

  it('escapes names and files from the code under test', () => {
    const hostile: ProfileSection = {
      ...PROFILE,
      scenarios: [
        {
          ...PROFILE.scenarios[0]!,
          grown: [grown('<img src=x onerror=alert(1)>`@team', 500, { file: 'src/<b>.ts' })],
        },
      ],
    };
    const section = profileSection(withProfile(abRun(demoScenarios()), hostile));
    expect(section).not.toContain('<img');
    expect(section).not.toContain('<b>');
    expect(section).not.toContain('@team');
    expect(section).toContain('&lt;img src=x onerror=alert(1)&gt;`&#64;team');
  });

  it('a scenario without profiles says why; no profile round, no section', () => {
    const note = 'no CPU profile: neither service wrote one.';
    const section = profileSection(
      withProfile(abRun(demoScenarios()), {
        ...PROFILE,
        scenarios: [{ scenario: 'search-admins', grown: [], note }],
      }),
    );
    expect(section).toContain(`⚠️ ${note}`);
    expect(section).toContain('<summary>Why slower: CPU profiles of base and head</summary>');
    expect(profileSection(abRun(demoScenarios()))).toBe('');
  });

  it('is part of the result document, read back as written', () => {
    const run = withProfile(abRun(demoScenarios()), PROFILE);
    expect(parseRunResult(JSON.parse(JSON.stringify(run)), 'r.json').ab?.profile).toEqual(PROFILE);
  });
});
