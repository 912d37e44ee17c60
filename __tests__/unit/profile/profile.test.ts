/**
 * The pure part of the CPU profile round: a `.cpuprofile` read strictly, each function's self and
 * total time (name, file, line), the repository's code told from packages and the runtime, the
 * service's profiles picked among a process tree's, and the functions whose cost per request
 * grew, ranked. Hand-built profiles whose times are known.
 */
import { describe, expect, it } from 'vitest';
import {
  costTable,
  locate,
  serviceProfiles,
  sumTables,
  type CostTable,
} from '../../../src/profile/costs.js';
import { parseCpuProfile, type CpuProfile } from '../../../src/profile/cpuprofile.js';
import { rankGrowth } from '../../../src/profile/diff.js';
import {
  profileFileStem,
  profilerPreload,
  profilingNodeOptions,
} from '../../../src/profile/node-options.js';

const ROOT = '/repo';

interface Frame {
  name: string;
  url?: string;
  line?: number;
  children?: Frame[];
  /** Samples of 100 µs in this frame itself. */
  samples?: number;
}

/**
 * A profile from a tree of frames: ids in depth-first order, each frame's samples 100 µs apart,
 * the samples in tree order (the profile's time runs from 1,000,000 µs).
 */
function profileOf(root: Frame): CpuProfile {
  const nodes: CpuProfile['nodes'] = [];
  const samples: number[] = [];
  let next = 1;
  const add = (frame: Frame): number => {
    const id = next++;
    const node: CpuProfile['nodes'][number] = {
      id,
      callFrame: {
        functionName: frame.name,
        url: frame.url ?? '',
        lineNumber: (frame.line ?? 0) - 1,
        columnNumber: 0,
        scriptId: '1',
      },
    };
    nodes.push(node);
    for (let i = 0; i < (frame.samples ?? 0); i++) samples.push(id);
    node.children = (frame.children ?? []).map(add);
    return id;
  };
  add(root);
  return {
    nodes,
    samples,
    timeDeltas: samples.map(() => 100),
    startTime: 1_000_000,
    endTime: 1_000_000 + 100 * samples.length,
  };
}

const user = (name: string, line: number, rest: Partial<Frame> = {}): Frame => ({
  name,
  url: `file:///repo/src/${name}.js`,
  line,
  ...rest,
});

/** A service: an idle loop, a request handler in the repository calling a package's router. */
function service(handlerSamples: number, burnSamples: number): CpuProfile {
  return profileOf({
    name: '(root)',
    children: [
      { name: '(idle)', samples: 50 },
      { name: '(garbage collector)', samples: 2 },
      {
        name: 'handle',
        url: 'file:///repo/node_modules/router/index.js',
        line: 10,
        samples: 5,
        children: [
          user('search', 42, {
            samples: handlerSamples,
            children: [
              // performance.now in a loop: the runtime's, counted for its caller.
              user('burn', 7, {
                samples: burnSamples,
                children: [
                  {
                    name: 'now',
                    url: 'node:internal/perf/performance',
                    line: 137,
                    samples: burnSamples,
                  },
                ],
              }),
            ],
          }),
        ],
      },
    ],
  });
}

function fn(table: CostTable, name: string) {
  return [...table.functions.values()].find((f) => f.name === name);
}

describe('reading a .cpuprofile', () => {
  it('reads what V8 writes and refuses a broken one, saying what is wrong', () => {
    const good = service(10, 0);
    expect(parseCpuProfile(JSON.stringify(good)).samples).toHaveLength(good.samples.length);
    expect(() => parseCpuProfile('{')).toThrow(/not a CPU profile: not valid JSON/);
    expect(() => parseCpuProfile(JSON.stringify({ ...good, timeDeltas: [1] }))).toThrow(
      /samples but 1 time deltas/,
    );
    expect(() =>
      parseCpuProfile(JSON.stringify({ ...good, samples: [999], timeDeltas: [100] })),
    ).toThrow(/node 999 is not defined/);
    expect(() => parseCpuProfile(JSON.stringify({ nodes: [] }))).toThrow(/not a CPU profile/);
  });
});

describe('each function’s cost', () => {
  it('self and total time per function, idle left out, the runtime’s calls charged to their caller', () => {
    const table = costTable(service(10, 20), ROOT);
    // Each sample lasts until the next: 100 µs (the last one: the mean interval).
    expect(fn(table, 'burn')).toMatchObject({
      file: 'src/burn.js',
      line: 7,
      origin: 'user',
      selfUs: 4000, // its own 20 samples and performance.now's 20
      totalUs: 4000,
    });
    expect(fn(table, 'search')).toMatchObject({ selfUs: 1000, totalUs: 5000, origin: 'user' });
    expect(fn(table, 'handle')).toMatchObject({
      file: 'node_modules/router/index.js',
      origin: 'library',
      selfUs: 500,
      totalUs: 5500,
    });
    expect(fn(table, 'now')).toBeUndefined();
    expect(fn(table, '(idle)')).toBeUndefined();
    expect(fn(table, '(garbage collector)')).toMatchObject({ origin: 'runtime' });
    // Everything sampled but idle.
    expect(table.cpuUs).toBeCloseTo(5500 + 200, 6);
  });

  it('a recursive function’s total counts each sample once', () => {
    const table = costTable(
      profileOf({
        name: '(root)',
        children: [user('walk', 3, { samples: 1, children: [user('walk', 3, { samples: 3 })] })],
      }),
      ROOT,
    );
    expect(fn(table, 'walk')).toMatchObject({ selfUs: 400, totalUs: 400 });
  });

  it('with a window, only the samples inside it count', () => {
    const profile = service(10, 20);
    // Samples are at 1,000,100 + 100 i: keep the first 50 (the idle loop's).
    const idleOnly = costTable(profile, ROOT, { fromUs: 1_000_000, toUs: 1_005_000 });
    expect(idleOnly.cpuUs).toBe(0);
    const all = costTable(profile, ROOT, { fromUs: 0, toUs: 2_000_000 });
    expect(all.cpuUs).toBe(costTable(profile, ROOT).cpuUs);
  });

  it('tells the repository’s code from packages’ and the runtime’s', () => {
    expect(locate('file:///repo/src/a.ts', ROOT)).toEqual({ file: 'src/a.ts', origin: 'user' });
    expect(locate('/repo/lib/b.js', ROOT)).toEqual({ file: 'lib/b.js', origin: 'user' });
    expect(locate('file:///repo/node_modules/x/node_modules/y/i.js', ROOT)).toEqual({
      file: 'node_modules/y/i.js',
      origin: 'library',
    });
    expect(locate('file:///usr/lib/node_modules/npm/lib/cli.js', ROOT)).toEqual({
      file: 'node_modules/npm/lib/cli.js',
      origin: 'library',
    });
    expect(locate('node:internal/timers', ROOT)).toEqual({
      file: 'node:internal/timers',
      origin: 'runtime',
    });
    expect(locate('', ROOT)).toEqual({ file: '', origin: 'runtime' });
    // A sibling folder whose name starts like the repository's is not the repository.
    expect(locate('file:///repo2/a.js', ROOT).origin).toBe('library');
  });

  it('picks the service’s profiles of a process tree: those with time in the repository’s code', () => {
    const npm = costTable(
      profileOf({
        name: '(root)',
        children: [
          {
            name: 'exec',
            url: 'file:///usr/lib/node_modules/npm/lib/npm.js',
            line: 5,
            samples: 30,
          },
        ],
      }),
      ROOT,
    );
    const app = costTable(service(10, 0), ROOT);
    const idle = costTable(
      profileOf({ name: '(root)', children: [{ name: '(idle)', samples: 9 }] }),
      ROOT,
    );
    expect(serviceProfiles([npm, app, idle])).toEqual([1]);
    // None in the repository's code (a bundle elsewhere): every profile with samples.
    expect(serviceProfiles([npm, idle])).toEqual([0]);
    const both = sumTables([app, app]);
    expect(fn(both, 'search')?.selfUs).toBe(2 * (fn(app, 'search')?.selfUs ?? 0));
    expect(both.cpuUs).toBe(2 * app.cpuUs);
  });
});

describe('what grew per request', () => {
  it('ranks the functions whose own time per request grew, the repository’s code first', () => {
    const base = costTable(service(10, 0), ROOT);
    const head = costTable(service(10, 20), ROOT);
    const grown = rankGrowth(base, head, { base: 10, head: 10 });
    expect(grown[0]).toMatchObject({
      name: 'burn',
      file: 'src/burn.js',
      line: 7,
      origin: 'user',
      growthUs: 400, // 4000 µs over 10 requests
      base: { selfUs: 0, totalUs: 0 },
      head: { selfUs: 400, totalUs: 400 },
    });
    expect(grown[0]?.share.head).toBeCloseTo(4000 / 5700, 6);
    // The callers' totals grew as much, their own time did not: they are not named.
    expect(grown.map((f) => f.name)).toEqual(['burn']);
  });

  it('divides by each side’s requests: the same work per request is no growth', () => {
    const base = costTable(service(10, 10), ROOT);
    const head = costTable(service(20, 20), ROOT);
    expect(rankGrowth(base, head, { base: 10, head: 20 })).toEqual([]);
    expect(rankGrowth(base, head, { base: 10, head: 0 })).toEqual([]);
  });

  it('pairs a function that moved lines with its base, and puts packages after the user’s code', () => {
    const base = costTable(
      profileOf({
        name: '(root)',
        children: [
          user('query', 10, { samples: 10 }),
          { name: 'parse', url: 'file:///repo/node_modules/qs/i.js', line: 1, samples: 10 },
        ],
      }),
      ROOT,
    );
    const head = costTable(
      profileOf({
        name: '(root)',
        children: [
          user('query', 12, { samples: 14 }), // moved two lines down, 4 samples more
          { name: 'parse', url: 'file:///repo/node_modules/qs/i.js', line: 1, samples: 30 },
        ],
      }),
      ROOT,
    );
    const grown = rankGrowth(base, head, { base: 1, head: 1 });
    expect(grown.map((f) => [f.name, f.origin, f.line])).toEqual([
      ['query', 'user', 12],
      ['parse', 'library', 1],
    ]);
    expect(grown[0]?.growthUs).toBe(400);
    expect(grown[0]?.base.selfUs).toBe(1000);
    expect(grown[1]?.growthUs).toBe(2000);
  });

  it('leaves out what grew by less than 1 % of the head’s CPU per request', () => {
    const base = costTable(
      profileOf({
        name: '(root)',
        children: [user('a', 1, { samples: 1000 }), user('b', 2, { samples: 10 })],
      }),
      ROOT,
    );
    const head = costTable(
      profileOf({
        name: '(root)',
        children: [user('a', 1, { samples: 1000 }), user('b', 2, { samples: 15 })],
      }),
      ROOT,
    );
    expect(rankGrowth(base, head, { base: 1, head: 1 })).toEqual([]);
  });
});

describe('the profiler’s switch', () => {
  it('NODE_OPTIONS keeps what it held and quotes the preload’s path', () => {
    expect(profilingNodeOptions('/tmp/a b/p.cjs', undefined)).toBe('--require "/tmp/a b/p.cjs"');
    expect(profilingNodeOptions('/x/"q"\\p.cjs', '--max-old-space-size=512')).toBe(
      '--max-old-space-size=512 --require "/x/\\"q\\"\\\\p.cjs"',
    );
  });

  it('the preload writes into the folder given, at the interval given', () => {
    const script = profilerPreload('/out/"side"', 250);
    expect(script).toContain(JSON.stringify('/out/"side"'));
    expect(script).toContain('{ interval: 250 }');
    expect(script).toContain("process.on('exit'");
  });

  it('a scenario’s name becomes a plain file name, one per scenario', () => {
    expect(profileFileStem('search-admins', new Set())).toBe('search-admins');
    expect(profileFileStem('../../etc/passwd', new Set())).toBe('etc-passwd');
    expect(profileFileStem('a b', new Set(['a-b']))).toBe('a-b-2');
    expect(profileFileStem('...', new Set())).toBe('scenario');
  });
});
