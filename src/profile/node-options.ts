/**
 * How a Node service is profiled without touching its start command: V8's CPU profiler started
 * by a script every Node process of the tree preloads through NODE_OPTIONS (`--require`), which
 * npm, a process manager that passes the environment on, and the service itself all read. Each
 * process (and worker thread) writes its `.cpuprofile` into the side's folder when it exits
 * normally (`process.exit`, the end of its work); one killed by a signal writes none.
 *
 * Why not `--cpu-prof --cpu-prof-dir`: Node 20 refuses them in NODE_OPTIONS ("--cpu-prof is not
 * allowed in NODE_OPTIONS"); the preload asks the same profiler through the inspector protocol
 * (in the same thread its messages are answered at once, so it can stop and write in `exit`).
 */

/** Node's default is 1000 µs: at a few hundred µs per request that misses whole requests. */
export const PROFILE_INTERVAL_US = 200;

/** The preload script: profiles from its start, writes `CPU.<pid>.<thread>.cpuprofile` on exit. */
export function profilerPreload(dir: string, intervalUs: number): string {
  return `'use strict';
// Written by loadgate for its CPU profile round: V8's profiler, written to a file on exit.
try {
  const inspector = require('node:inspector');
  const fs = require('node:fs');
  const path = require('node:path');
  const { threadId } = require('node:worker_threads');
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: ${Math.round(intervalUs)} });
  session.post('Profiler.start');
  let written = false;
  process.on('exit', () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (error, result) => {
      if (error || !result) return;
      const file = path.join(${JSON.stringify(dir)}, 'CPU.' + process.pid + '.' + threadId + '.cpuprofile');
      try {
        fs.writeFileSync(file, JSON.stringify(result.profile));
      } catch {}
    });
  });
} catch {}
`;
}

/** A value as NODE_OPTIONS reads one: in double quotes, `\` and `"` escaped. */
function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** NODE_OPTIONS with the preload after what it already held. */
export function profilingNodeOptions(preload: string, existing: string | undefined): string {
  const flag = `--require ${quoted(preload)}`;
  return existing === undefined || existing.trim() === '' ? flag : `${existing} ${flag}`;
}

/** A scenario's name as a file name: letters, digits, `.`, `-`, `_`; never hidden, bounded. */
export function profileFileStem(scenario: string, taken: ReadonlySet<string>): string {
  const cleaned = scenario
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 80);
  const stem = cleaned === '' ? 'scenario' : cleaned;
  if (!taken.has(stem)) return stem;
  for (let i = 2; ; i++) if (!taken.has(`${stem}-${i}`)) return `${stem}-${i}`;
}
