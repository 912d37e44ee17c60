/**
 * Baseline stores. A baseline is a RunResult saved under a name (e.g. "main" or a profile).
 * `load` returns undefined when there is none (a neutral "no baseline"), and throws a
 * CorruptBaselineError naming the file and the problem when one exists but is unusable; the
 * caller decides to report "corrupt baseline" rather than crash.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseRunResult, RunResultError } from '../result/schema.js';
import type { RunResult } from '../result/types.js';

export interface BaselineStore {
  load(name: string): Promise<RunResult | undefined>;
  save(name: string, result: RunResult): Promise<void>;
  /** Where baselines live, for messages: "files in baselines/". */
  describe(): string;
}

export class CorruptBaselineError extends Error {
  readonly location: string;
  constructor(location: string, problem: string) {
    super(`corrupt baseline ${location}: ${problem}`);
    this.name = 'CorruptBaselineError';
    this.location = location;
  }
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Baseline names become file names: letters, digits, dot, dash, underscore; no "..". */
export function assertBaselineName(name: string): void {
  if (!NAME_RE.test(name) || name.includes('..')) {
    throw new Error(
      `invalid baseline name ${JSON.stringify(name)}: use letters, digits, ".", "-" or "_" (at most 128, no "..")`,
    );
  }
}

/** `<dir>/<name>.json`, written atomically (temp file + rename). */
export class FileBaselineStore implements BaselineStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  pathOf(name: string): string {
    assertBaselineName(name);
    return join(this.dir, `${name}.json`);
  }

  async load(name: string): Promise<RunResult | undefined> {
    const path = this.pathOf(name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CorruptBaselineError(path, `cannot read (${(e as Error).message})`);
    }
    try {
      return parseRunResult(text, path);
    } catch (e) {
      if (e instanceof RunResultError) {
        throw new CorruptBaselineError(path, e.message.slice(path.length + 2));
      }
      throw e;
    }
  }

  async save(name: string, result: RunResult): Promise<void> {
    const path = this.pathOf(name);
    await mkdir(this.dir, { recursive: true });
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, `${JSON.stringify(result, null, 2)}\n`, 'utf8');
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  describe(): string {
    return `files in ${this.dir}`;
  }
}
