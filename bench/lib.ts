import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/load-file.js';
import { buildPlan, type Plan } from '../src/config/plan.js';

/** Start bench/trivial-server.mjs in its own process; resolves with its URL and a stop function. */
export async function startTrivialServer(
  delayMs = 0,
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./trivial-server.mjs', import.meta.url))],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DELAY_MS: String(delayMs) },
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`trivial server exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name}: expected a positive number`);
  return value;
}

/** A plan of one scenario that GETs / of the trivial server. */
export function trivialPlan(options: {
  connections: number;
  trials: number;
  trialSeconds: number;
  warmupSeconds: number;
}): Plan {
  const scenario = { name: 'trivial', requests: [{ name: 'get', path: '/' }], ...options };
  return buildPlan(parseConfig({ preset: 'none', scenarios: [scenario] }, 'bench'), 'bench');
}
