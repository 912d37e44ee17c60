/**
 * Postgres storage through a `pg` Pool (max `DATABASE_POOL_MAX`, default 20). Every operation is
 * one named (server-side prepared) statement, so one round trip; a page of admins carries its
 * permissions via a correlated ARRAY subquery; bulk actions are one `= ANY($1)` statement.
 * Search is a case-insensitive substring match on lower(email|nombre|apellido), served by pg_trgm
 * GIN indexes when the extension is available (else a scan: a btree cannot serve '%x%').
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { DuplicateEmailError, likeContains, unique } from './types.js';
import type {
  Admin,
  AdminPatch,
  BulkAction,
  BulkResult,
  ListPage,
  ListQuery,
  NewAdmin,
  Storage,
} from './types.js';

export interface PostgresOptions {
  url: string;
  poolMax: number;
  /** Own schema (created if missing, put first on search_path) for isolation. */
  schema?: string | undefined;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SELECT_ADMIN = `a.id, a.email, a.nombre, a.apellido, a.user_type,
  a.security_clearance_level, a.is_active, a.created_at, a.updated_at`;

const PERMISSIONS_OF = (alias: string) =>
  `ARRAY(SELECT p.permission_id FROM admin_permissions p
         WHERE p.admin_id = ${alias}.id ORDER BY p.permission_id) AS permissions`;

interface AdminRow {
  id: string;
  email: string;
  nombre: string;
  apellido: string;
  user_type: string;
  security_clearance_level: number;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
  permissions: string[];
}

function toAdmin(row: AdminRow): Admin {
  return {
    id: row.id,
    email: row.email,
    nombre: row.nombre,
    apellido: row.apellido,
    user_type: row.user_type,
    security_clearance_level: row.security_clearance_level,
    is_active: row.is_active,
    permissions: row.permissions,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function pgCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

/** Create the database `url` names when it does not exist, connecting through `adminUrl`. */
export async function ensureDatabase(adminUrl: string, url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      } catch (err) {
        if (pgCode(err) !== '42P04') throw err; // created meanwhile by another start
      }
    }
  } finally {
    await client.end();
  }
}

export class PostgresStorage implements Storage {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  /** Whether pg_trgm indexes back the search (reported for the README / debugging). */
  trigramIndexes = false;

  constructor(private readonly opts: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolMax,
      ...(opts.schema ? { options: `-c search_path=${quoteIdent(opts.schema)},public` } : {}),
    });
    // An idle client losing its connection must not crash the process.
    this.pool.on('error', (err) => {
      process.stderr.write(`admin-service: postgres pool error: ${err.message}\n`);
    });
  }

  async init(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Concurrent starts against one database must not race on CREATE ... IF NOT EXISTS.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('admin-service-schema'))`);
      if (this.opts.schema) {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.opts.schema)}`);
      }
      let trgmSchema = await this.trigramSchema(client);
      if (trgmSchema === undefined) {
        await client.query('SAVEPOINT ext');
        try {
          await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
          await client.query('RELEASE SAVEPOINT ext');
        } catch {
          await client.query('ROLLBACK TO SAVEPOINT ext'); // not available or not allowed
        }
        trgmSchema = await this.trigramSchema(client);
      }
      await client.query(`
        CREATE TABLE IF NOT EXISTS admins (
          seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          id uuid NOT NULL UNIQUE,
          email text NOT NULL,
          nombre text NOT NULL,
          apellido text NOT NULL,
          user_type text NOT NULL,
          security_clearance_level smallint NOT NULL
            CHECK (security_clearance_level BETWEEN 1 AND 5),
          is_active boolean NOT NULL DEFAULT true,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX IF NOT EXISTS admins_email_lower_key ON admins (lower(email));
        CREATE INDEX IF NOT EXISTS admins_user_type_seq_idx ON admins (user_type, seq);
        CREATE TABLE IF NOT EXISTS admin_permissions (
          admin_id uuid NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
          permission_id text NOT NULL,
          granted_at timestamptz NOT NULL DEFAULT now(),
          reason text,
          PRIMARY KEY (admin_id, permission_id)
        );`);
      if (trgmSchema !== undefined) {
        const ops = `${quoteIdent(trgmSchema)}.gin_trgm_ops`;
        for (const col of ['email', 'nombre', 'apellido']) {
          await client.query(
            `CREATE INDEX IF NOT EXISTS admins_${col}_trgm_idx ON admins USING gin (lower(${col}) ${ops})`,
          );
        }
        this.trigramIndexes = true;
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async trigramSchema(client: pg.PoolClient): Promise<string | undefined> {
    const r = await client.query<{ nspname: string }>(
      `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
       WHERE e.extname = 'pg_trgm'`,
    );
    return r.rows[0]?.nspname;
  }

  async ping(): Promise<void> {
    await this.pool.query({ name: 'ping', text: 'SELECT 1' });
  }

  async create(input: NewAdmin): Promise<Admin> {
    const perms = unique(input.initial_permissions).sort();
    try {
      const r = await this.pool.query<AdminRow>({
        name: 'create',
        text: `WITH a AS (
                 INSERT INTO admins (id, email, nombre, apellido, user_type, security_clearance_level)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING *
               ), p AS (
                 INSERT INTO admin_permissions (admin_id, permission_id)
                 SELECT a.id, x FROM a, unnest($7::text[]) AS x ON CONFLICT DO NOTHING
               )
               SELECT ${SELECT_ADMIN} FROM a`,
        values: [
          randomUUID(),
          input.email,
          input.nombre,
          input.apellido,
          input.user_type,
          input.security_clearance_level,
          perms,
        ],
      });
      const row = r.rows[0];
      if (!row) throw new Error('insert returned no row');
      return toAdmin({ ...row, permissions: perms });
    } catch (err) {
      if (pgCode(err) === '23505') throw new DuplicateEmailError(input.email);
      throw err;
    }
  }

  async list(q: ListQuery): Promise<ListPage> {
    const values: unknown[] = [q.limit, q.skip];
    const where: string[] = [];
    const term = q.search ?? '';
    if (term !== '') {
      values.push(likeContains(term));
      const n = `$${values.length}`;
      where.push(
        `(lower(a.email) LIKE ${n} OR lower(a.nombre) LIKE ${n} OR lower(a.apellido) LIKE ${n})`,
      );
    }
    if (q.user_type !== undefined) {
      values.push(q.user_type);
      where.push(`a.user_type = $${values.length}`);
    }
    const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const name = `list:${term !== '' ? 's' : ''}${q.user_type !== undefined ? 't' : ''}`;
    // One round trip: the count is an InitPlan run once (index-only where it can), the page an
    // index scan that stops after LIMIT, the permissions subquery runs for the page rows only.
    const r = await this.pool.query<AdminRow & { total: string }>({
      name,
      text: `SELECT page.*, ${PERMISSIONS_OF('page')},
               (SELECT count(*) FROM admins a ${w}) AS total
             FROM (
               SELECT ${SELECT_ADMIN}, a.seq FROM admins a ${w}
               ORDER BY a.seq DESC LIMIT $1 OFFSET $2
             ) page ORDER BY page.seq DESC`,
      values,
    });
    const first = r.rows[0];
    let total: number;
    if (first) {
      total = Number(first.total);
    } else if (q.skip === 0) {
      total = 0;
    } else {
      const c = await this.pool.query<{ n: string }>({
        name: `${name}:count`,
        text: `SELECT count(*) AS n FROM admins a ${w.replace(/\$(\d+)/g, (_m, d: string) => `$${Number(d) - 2}`)}`,
        values: values.slice(2),
      });
      total = Number(c.rows[0]?.n ?? 0);
    }
    return { items: r.rows.map(toAdmin), total };
  }

  async get(id: string): Promise<Admin | null> {
    if (!UUID_RE.test(id)) return null;
    const r = await this.pool.query<AdminRow>({
      name: 'get',
      text: `SELECT ${SELECT_ADMIN}, ${PERMISSIONS_OF('a')} FROM admins a WHERE a.id = $1`,
      values: [id],
    });
    const row = r.rows[0];
    return row ? toAdmin(row) : null;
  }

  async update(id: string, p: AdminPatch): Promise<Admin | null> {
    if (!UUID_RE.test(id)) return null;
    const r = await this.pool.query<AdminRow>({
      name: 'update',
      text: `WITH a AS (
               UPDATE admins SET
                 nombre = coalesce($2, nombre),
                 apellido = coalesce($3, apellido),
                 user_type = coalesce($4, user_type),
                 security_clearance_level = coalesce($5::smallint, security_clearance_level),
                 is_active = coalesce($6::boolean, is_active),
                 updated_at = now()
               WHERE id = $1 RETURNING *
             )
             SELECT ${SELECT_ADMIN}, ${PERMISSIONS_OF('a')} FROM a`,
      values: [
        id,
        p.nombre ?? null,
        p.apellido ?? null,
        p.user_type ?? null,
        p.security_clearance_level ?? null,
        p.is_active ?? null,
      ],
    });
    const row = r.rows[0];
    return row ? toAdmin(row) : null;
  }

  async delete(id: string): Promise<boolean> {
    if (!UUID_RE.test(id)) return false;
    const r = await this.pool.query({
      name: 'delete',
      text: 'DELETE FROM admins WHERE id = $1',
      values: [id],
    });
    return (r.rowCount ?? 0) > 0;
  }

  async grant(id: string, ids: string[], reason: string | undefined): Promise<string[] | null> {
    if (!UUID_RE.test(id)) return null;
    const perms = unique(ids);
    try {
      // All parts of one statement see the same snapshot: `existing` is the list before the
      // insert, so the answer is existing ∪ requested.
      const r = await this.pool.query<{ found: boolean; existing: string[] }>({
        name: 'grant',
        text: `WITH a AS (SELECT id FROM admins WHERE id = $1), ins AS (
                 INSERT INTO admin_permissions (admin_id, permission_id, reason)
                 SELECT a.id, x, $3 FROM a, unnest($2::text[]) AS x ON CONFLICT DO NOTHING
               )
               SELECT EXISTS (SELECT 1 FROM a) AS found,
                 ARRAY(SELECT permission_id FROM admin_permissions WHERE admin_id = $1) AS existing`,
        values: [id, perms, reason ?? null],
      });
      const row = r.rows[0];
      if (!row?.found) return null;
      return unique([...row.existing, ...perms]).sort();
    } catch (err) {
      if (pgCode(err) === '23503') return null; // admin deleted concurrently
      throw err;
    }
  }

  async revoke(id: string, ids: string[]): Promise<string[] | null> {
    if (!UUID_RE.test(id)) return null;
    const perms = unique(ids);
    const r = await this.pool.query<{ found: boolean; existing: string[] }>({
      name: 'revoke',
      text: `WITH a AS (SELECT id FROM admins WHERE id = $1), d AS (
               DELETE FROM admin_permissions WHERE admin_id = $1 AND permission_id = ANY ($2::text[])
             )
             SELECT EXISTS (SELECT 1 FROM a) AS found,
               ARRAY(SELECT permission_id FROM admin_permissions WHERE admin_id = $1) AS existing`,
      values: [id, perms],
    });
    const row = r.rows[0];
    if (!row?.found) return null;
    const gone = new Set(perms);
    return row.existing.filter((p) => !gone.has(p)).sort();
  }

  async permissions(id: string): Promise<string[] | null> {
    if (!UUID_RE.test(id)) return null;
    const r = await this.pool.query<{ permissions: string[] }>({
      name: 'permissions',
      text: `SELECT ${PERMISSIONS_OF('a')} FROM admins a WHERE a.id = $1`,
      values: [id],
    });
    return r.rows[0]?.permissions ?? null;
  }

  async bulk(ids: string[], action: BulkAction): Promise<BulkResult> {
    const distinct = unique(ids);
    const valid = distinct.filter((id) => UUID_RE.test(id)).map((id) => id.toLowerCase());
    let hit: string[] = [];
    if (valid.length > 0) {
      const r =
        action === 'delete'
          ? await this.pool.query<{ id: string }>({
              name: 'bulk-delete',
              text: 'DELETE FROM admins WHERE id = ANY ($1::uuid[]) RETURNING id',
              values: [valid],
            })
          : await this.pool.query<{ id: string }>({
              name: 'bulk-set-active',
              text: `UPDATE admins SET is_active = $2, updated_at = now()
                     WHERE id = ANY ($1::uuid[]) RETURNING id`,
              values: [valid, action === 'activate'],
            });
      hit = r.rows.map((row) => row.id);
    }
    const found = new Set(hit);
    return {
      succeeded: found.size,
      failed: distinct.filter((id) => !found.has(id.toLowerCase())),
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
