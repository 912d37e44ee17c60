/** Environment → validated configuration, with errors that name the variable. */
import { parseFaults, FaultSpecError } from './faults.js';
import type { FaultPlan } from './faults.js';

export interface Config {
  host: string;
  port: number;
  token: string;
  /** Postgres when set, SQLite otherwise. */
  databaseUrl: string | undefined;
  /** Set when databaseUrl is a side's own database: created through this URL when missing. */
  createDatabaseFrom?: string;
  databasePoolMax: number;
  databaseSchema: string | undefined;
  sqlitePath: string;
  redisUrl: string | undefined;
  redisPrefix: string;
  cacheTtlSeconds: number;
  faults: FaultPlan;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new ConfigError(`${name} must be in ${min}..${max}, got ${n}`);
  return n;
}

function nonEmpty(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

/** `postgres://h/app` → `postgres://h/app_head`: the side's own database. */
export function databaseOfSide(url: string, side: string): string {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
  parsed.pathname = `/${encodeURIComponent(`${name}_${side}`)}`;
  return parsed.toString();
}

export function parseConfig(env: Env): Config {
  const sharedDatabaseUrl = nonEmpty(env, 'DATABASE_URL');
  if (sharedDatabaseUrl !== undefined && !/^postgres(?:ql)?:\/\//.test(sharedDatabaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  // Run by loadgate with base and head side by side (LOADGATE_SIDE=base|head), each side keeps
  // its own state: its own database (DATABASE_URL's name + _<side>, created from DATABASE_URL's)
  // and its own Redis key prefix.
  const side = nonEmpty(env, 'LOADGATE_SIDE');
  if (side !== undefined && !/^[a-z]{1,20}$/.test(side)) {
    throw new ConfigError(`LOADGATE_SIDE must be a lower-case word (base or head), got "${side}"`);
  }
  const databaseUrl =
    sharedDatabaseUrl === undefined || side === undefined
      ? sharedDatabaseUrl
      : databaseOfSide(sharedDatabaseUrl, side);
  const databaseSchema = nonEmpty(env, 'DATABASE_SCHEMA');
  if (databaseSchema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    throw new ConfigError(
      `DATABASE_SCHEMA must be a lower-case SQL identifier ([a-z_][a-z0-9_]*), got "${databaseSchema}"`,
    );
  }
  const redisUrl = nonEmpty(env, 'REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  }
  let faults: FaultPlan;
  try {
    faults = parseFaults(env['ADMIN_SERVICE_FAULTS']);
  } catch (err) {
    if (err instanceof FaultSpecError) throw new ConfigError(err.message);
    throw err;
  }
  return {
    host: nonEmpty(env, 'HOST') ?? '127.0.0.1',
    port: intVar(env, 'PORT', 8000, 0, 65535),
    token: nonEmpty(env, 'ADMIN_API_TOKEN') ?? 'test_superuser_token',
    databaseUrl,
    ...(databaseUrl !== sharedDatabaseUrl && sharedDatabaseUrl !== undefined
      ? { createDatabaseFrom: sharedDatabaseUrl }
      : {}),
    databasePoolMax: intVar(env, 'DATABASE_POOL_MAX', 20, 1, 1000),
    databaseSchema,
    sqlitePath: nonEmpty(env, 'SQLITE_PATH') ?? ':memory:',
    redisUrl,
    redisPrefix:
      env['REDIS_PREFIX'] ?? (side === undefined ? 'admin-service:' : `admin-service:${side}:`),
    cacheTtlSeconds: intVar(env, 'CACHE_TTL_SECONDS', 30, 1, 86_400),
    faults,
  };
}
