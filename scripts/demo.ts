/**
 * `npm run demo`: the whole engine on the bundled example admin service (SQLite in memory).
 * Starts the service through loadgate itself, runs the built-in admin preset (PR profile),
 * writes .loadgate/demo/result.json and prints the summary.
 */
import { createServer } from 'node:net';
import { consoleOutput } from '../src/cli/main.js';
import { runCommand } from '../src/commands/run.js';
import { installSignalCleanup } from '../src/service/index.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 8000));
    });
  });
}

installSignalCleanup();
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
consoleOutput.out(
  `loadgate demo: example admin service on ${baseUrl}, built-in preset, PR profile\n`,
);
const { exitCode } = await runCommand(
  {
    start: `exec env PORT=${port} node --import tsx examples/admin-service/src/main.ts`,
    cwd: process.cwd(),
    baseUrl,
    readyTimeoutSeconds: 60,
  },
  '.loadgate/demo/result.json',
  consoleOutput,
);
process.exit(exitCode);
