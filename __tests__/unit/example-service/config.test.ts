import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../examples/admin-service/src/config.js';

describe('parseConfig', () => {
  it('has the documented defaults', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8000,
      token: 'test_superuser_token',
      databaseUrl: undefined,
      databasePoolMax: 20,
      sqlitePath: ':memory:',
      redisUrl: undefined,
      redisPrefix: 'admin-service:',
      cacheTtlSeconds: 30,
    });
    expect(c.faults.errorRate).toBe(0);
  });

  it('reads every variable', () => {
    const c = parseConfig({
      HOST: '0.0.0.0',
      PORT: '0',
      ADMIN_API_TOKEN: 'secret',
      DATABASE_URL: 'postgresql://u@h/db',
      DATABASE_POOL_MAX: '5',
      DATABASE_SCHEMA: 'run_42',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 't1:',
      CACHE_TTL_SECONDS: '5',
      ADMIN_SERVICE_FAULTS: 'slow-list:3ms',
    });
    expect(c).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      token: 'secret',
      databaseUrl: 'postgresql://u@h/db',
      databasePoolMax: 5,
      databaseSchema: 'run_42',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 't1:',
      cacheTtlSeconds: 5,
    });
    expect(c.faults.slowMs).toEqual({ list: 3 });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must be in 0\.\.65535/],
    [{ DATABASE_POOL_MAX: '0' }, /DATABASE_POOL_MAX must be in 1\.\./],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ DATABASE_SCHEMA: 'Robert"; drop' }, /DATABASE_SCHEMA must be/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL must start with redis/],
    [{ ADMIN_SERVICE_FAULTS: 'slow-nothing:1ms' }, /"slow-nothing:1ms"/],
  ])('rejects %o', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it('keeps each side of an A/B run in its own database and Redis prefix (LOADGATE_SIDE)', () => {
    const base = parseConfig({ LOADGATE_SIDE: 'base', DATABASE_URL: 'postgres://u:p@x:5432/app' });
    const head = parseConfig({ LOADGATE_SIDE: 'head', DATABASE_URL: 'postgres://u:p@x:5432/app' });
    expect([base.databaseUrl, head.databaseUrl]).toEqual([
      'postgres://u:p@x:5432/app_base',
      'postgres://u:p@x:5432/app_head',
    ]);
    expect(head.createDatabaseFrom).toBe('postgres://u:p@x:5432/app');
    expect([base.redisPrefix, head.redisPrefix]).toEqual([
      'admin-service:base:',
      'admin-service:head:',
    ]);
    const single = parseConfig({ DATABASE_URL: 'postgres://x/app' });
    expect(single.databaseUrl).toBe('postgres://x/app');
    expect(single.createDatabaseFrom).toBeUndefined();
    expect(() => parseConfig({ LOADGATE_SIDE: 'x; drop' })).toThrow(/LOADGATE_SIDE must be/);
  });
});
