import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../../../scripts/fault-server.js';
import { mixConfig, ROOT, runLoadgate } from './helpers.js';

/**
 * The client fix wraps autocannon's Client prototype at load time: inside an esbuild bundle the
 * wrapped module must be the one autocannon's run.js requires, or answers would again be credited
 * to lost requests. The bundle is built here with scripts/build.ts's settings (bundled ESM for
 * Node 20 with a createRequire banner), into a temporary directory, so the test does not depend on
 * a committed dist/ being fresh.
 */

let server: FaultServer | undefined;
afterAll(async () => server?.stop());

describe('the client fix inside the esbuild bundle', () => {
  it('counts dropped connections against their own requests', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'loadgate-bundle-'));
    await build({
      absWorkingDir: ROOT,
      entryPoints: { cli: 'src/cli.ts' },
      outdir,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      define: { __LOADGATE_VERSION__: JSON.stringify('0.0.0-test') },
      banner: {
        js: "import { createRequire as __loadgateCreateRequire } from 'node:module';\nconst require = __loadgateCreateRequire(import.meta.url);",
      },
    });
    server = await startFaultServer({ delayMs: 10, dropPercent: 5, seed: 11 });
    const { trial } = await runLoadgate(mixConfig({ trialSeconds: 1.5 }), server.url, {
      entry: join(outdir, 'cli.js'),
    });
    const counters = await server.counters();
    expect(trial.metrics.attribution).toMatchObject({ mismatched: 0, unresolved: 0 });
    expect(trial.metrics.closedBeforeResponse).toBeGreaterThan(10);
    expect(counters.dropped - (trial.metrics.closedBeforeResponse ?? 0)).toBeLessThanOrEqual(10);
    expect(trial.metrics.unexpectedStatus).toBe(0);
    expect(trial.metrics.p50).toBeLessThan(counters.handling.p50 + 5);
  });
});
