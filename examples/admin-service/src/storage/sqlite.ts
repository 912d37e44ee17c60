/**
 * SQLite storage (better-sqlite3, synchronous under an async interface). Prepared statements
 * everywhere; a page of admins and their permissions come from one statement; search uses an FTS5
 * trigram index (substring, case-insensitive) for terms of 3+ characters and a LIKE scan below.
 */
import { randomUUID } from 'node:crypto';
import { isUniqueViolation, openSqlite } from './sqlite-driver.js';
import type { SqlDriver, SqlStatement } from './sqlite-driver.js';
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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS admins (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  nombre TEXT NOT NULL,
  apellido TEXT NOT NULL,
  user_type TEXT NOT NULL,
  security_clearance_level INTEGER NOT NULL CHECK (security_clearance_level BETWEEN 1 AND 5),
  is_active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS admins_email_lower_key ON admins (lower(email));
CREATE INDEX IF NOT EXISTS admins_user_type_seq_idx ON admins (user_type, seq);
CREATE TABLE IF NOT EXISTS admin_permissions (
  admin_id TEXT NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
  permission_id TEXT NOT NULL,
  granted_at TEXT NOT NULL,
  reason TEXT,
  PRIMARY KEY (admin_id, permission_id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS admins_search USING fts5 (
  email, nombre, apellido, content = 'admins', content_rowid = 'seq', tokenize = 'trigram'
);
CREATE TRIGGER IF NOT EXISTS admins_search_ai AFTER INSERT ON admins BEGIN
  INSERT INTO admins_search (rowid, email, nombre, apellido)
  VALUES (new.seq, new.email, new.nombre, new.apellido);
END;
CREATE TRIGGER IF NOT EXISTS admins_search_ad AFTER DELETE ON admins BEGIN
  INSERT INTO admins_search (admins_search, rowid, email, nombre, apellido)
  VALUES ('delete', old.seq, old.email, old.nombre, old.apellido);
END;
CREATE TRIGGER IF NOT EXISTS admins_search_au AFTER UPDATE OF email, nombre, apellido ON admins BEGIN
  INSERT INTO admins_search (admins_search, rowid, email, nombre, apellido)
  VALUES ('delete', old.seq, old.email, old.nombre, old.apellido);
  INSERT INTO admins_search (rowid, email, nombre, apellido)
  VALUES (new.seq, new.email, new.nombre, new.apellido);
END;
`;

const COLUMNS = `a.id, a.email, a.nombre, a.apellido, a.user_type, a.security_clearance_level,
  a.is_active, a.created_at, a.updated_at,
  (SELECT json_group_array(p.permission_id) FROM admin_permissions p WHERE p.admin_id = a.id)
    AS permissions`;

interface AdminRow {
  id: string;
  email: string;
  nombre: string;
  apellido: string;
  user_type: string;
  security_clearance_level: number;
  is_active: number;
  created_at: string;
  updated_at: string;
  permissions: string;
}

function toAdmin(row: AdminRow): Admin {
  return {
    id: row.id,
    email: row.email,
    nombre: row.nombre,
    apellido: row.apellido,
    user_type: row.user_type,
    security_clearance_level: row.security_clearance_level,
    is_active: row.is_active === 1,
    permissions: JSON.parse(row.permissions) as string[],
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

type SearchMode = 'none' | 'fts' | 'like';

/** FTS5 phrase: the term as one quoted string, so it matches as a substring. */
function ftsPhrase(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** First column of every row (the drivers differ in how they offer this; map by hand). */
function column<T>(rows: unknown[]): T[] {
  return rows.map((r) => Object.values(r as Record<string, T>)[0] as T);
}

export class SqliteStorage implements Storage {
  readonly kind = 'sqlite' as const;
  private readonly db: SqlDriver;
  private readonly listStatements = new Map<string, { page: SqlStatement; count: SqlStatement }>();
  private stmts!: ReturnType<SqliteStorage['prepare']>;

  constructor(path: string) {
    this.db = openSqlite(path);
    if (path !== ':memory:' && path !== '') {
      this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    }
    this.db.exec('PRAGMA foreign_keys = ON;');
  }

  async init(): Promise<void> {
    this.db.exec(SCHEMA);
    this.stmts = this.prepare();
  }

  /** better-sqlite3 or node:sqlite (see sqlite-driver.ts). */
  get driver(): string {
    return this.db.name;
  }

  private prepare() {
    const db = this.db;
    const s = {
      ping: db.prepare('SELECT 1'),
      insert: db.prepare(
        `INSERT INTO admins (id, email, nombre, apellido, user_type, security_clearance_level,
           is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`,
      ),
      insertPermissions: db.prepare(
        `INSERT OR IGNORE INTO admin_permissions (admin_id, permission_id, granted_at, reason)
         SELECT ?, value, ?, ? FROM json_each(?)`,
      ),
      deletePermissions: db.prepare(
        `DELETE FROM admin_permissions
         WHERE admin_id = ? AND permission_id IN (SELECT value FROM json_each(?))`,
      ),
      get: db.prepare(`SELECT ${COLUMNS} FROM admins a WHERE a.id = ?`),
      exists: db.prepare('SELECT 1 AS x FROM admins WHERE id = ?'),
      permissions: db.prepare('SELECT permission_id FROM admin_permissions WHERE admin_id = ?'),
      update: db.prepare(
        `UPDATE admins SET
           nombre = coalesce(?, nombre),
           apellido = coalesce(?, apellido),
           user_type = coalesce(?, user_type),
           security_clearance_level = coalesce(?, security_clearance_level),
           is_active = coalesce(?, is_active),
           updated_at = ?
         WHERE id = ?`,
      ),
      delete: db.prepare('DELETE FROM admins WHERE id = ?'),
      bulkSetActive: db.prepare(
        `UPDATE admins SET is_active = ?, updated_at = ?
         WHERE id IN (SELECT value FROM json_each(?)) RETURNING id`,
      ),
      bulkDelete: db.prepare(
        'DELETE FROM admins WHERE id IN (SELECT value FROM json_each(?)) RETURNING id',
      ),
    };
    return {
      ...s,
      createTx: db.transaction(this.createTx),
      updateTx: db.transaction(this.updateTx),
      grantTx: db.transaction(this.grantTx),
    };
  }

  async ping(): Promise<void> {
    this.stmts.ping.get();
  }

  private readonly createTx = (admin: Admin): void => {
    const s = this.stmts;
    s.insert.run(
      admin.id,
      admin.email,
      admin.nombre,
      admin.apellido,
      admin.user_type,
      admin.security_clearance_level,
      admin.created_at,
      admin.updated_at,
    );
    if (admin.permissions.length > 0) {
      s.insertPermissions.run(admin.id, admin.created_at, null, JSON.stringify(admin.permissions));
    }
  };

  async create(input: NewAdmin): Promise<Admin> {
    const now = new Date().toISOString();
    const admin: Admin = {
      id: randomUUID(),
      email: input.email,
      nombre: input.nombre,
      apellido: input.apellido,
      user_type: input.user_type,
      security_clearance_level: input.security_clearance_level,
      is_active: true,
      permissions: unique(input.initial_permissions).sort(),
      created_at: now,
      updated_at: now,
    };
    try {
      this.stmts.createTx(admin);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateEmailError(input.email);
      throw err;
    }
    return admin;
  }

  private listStatementsFor(mode: SearchMode, byType: boolean) {
    const key = `${mode}:${byType}`;
    let s = this.listStatements.get(key);
    if (!s) {
      const where: string[] = [];
      if (mode === 'fts') {
        where.push('a.seq IN (SELECT rowid FROM admins_search WHERE admins_search MATCH @fts)');
      } else if (mode === 'like') {
        where.push(
          `(lower(a.email) LIKE @like ESCAPE '\\' OR lower(a.nombre) LIKE @like ESCAPE '\\'
            OR lower(a.apellido) LIKE @like ESCAPE '\\')`,
        );
      }
      if (byType) where.push('a.user_type = @user_type');
      const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      s = {
        page: this.db.prepare(
          `SELECT ${COLUMNS} FROM admins a ${w} ORDER BY a.seq DESC LIMIT @limit OFFSET @skip`,
        ),
        count: this.db.prepare(`SELECT count(*) AS n FROM admins a ${w}`),
      };
      this.listStatements.set(key, s);
    }
    return s;
  }

  async list(q: ListQuery): Promise<ListPage> {
    const term = q.search ?? '';
    const mode: SearchMode = term === '' ? 'none' : [...term].length >= 3 ? 'fts' : 'like';
    const byType = q.user_type !== undefined;
    const s = this.listStatementsFor(mode, byType);
    const params: Record<string, unknown> = { limit: q.limit, skip: q.skip };
    if (mode === 'fts') params['fts'] = ftsPhrase(term);
    if (mode === 'like') params['like'] = likeContains(term);
    if (byType) params['user_type'] = q.user_type;
    const rows = s.page.all(params) as AdminRow[];
    const { limit: _l, skip: _s, ...countParams } = params;
    // A short, non-empty page tells the total without counting.
    const total =
      rows.length > 0 && rows.length < q.limit
        ? q.skip + rows.length
        : (s.count.get(countParams) as { n: number }).n;
    return { items: rows.map(toAdmin), total };
  }

  async get(id: string): Promise<Admin | null> {
    const row = this.stmts.get.get(id) as AdminRow | undefined;
    return row ? toAdmin(row) : null;
  }

  private readonly updateTx = (id: string, p: AdminPatch): AdminRow | undefined => {
    const isActive = p.is_active === undefined ? null : p.is_active ? 1 : 0;
    const info = this.stmts.update.run(
      p.nombre ?? null,
      p.apellido ?? null,
      p.user_type ?? null,
      p.security_clearance_level ?? null,
      isActive,
      new Date().toISOString(),
      id,
    );
    if (info.changes === 0) return undefined;
    return this.stmts.get.get(id) as AdminRow | undefined;
  };

  async update(id: string, patch: AdminPatch): Promise<Admin | null> {
    const row = this.stmts.updateTx(id, patch);
    return row ? toAdmin(row) : null;
  }

  async delete(id: string): Promise<boolean> {
    return this.stmts.delete.run(id).changes > 0;
  }

  private readonly grantTx = (
    id: string,
    perms: string[],
    reason: string | null,
    revoke: boolean,
  ): string[] | null => {
    const s = this.stmts;
    if (s.exists.get(id) === undefined) return null;
    if (revoke) s.deletePermissions.run(id, JSON.stringify(perms));
    else s.insertPermissions.run(id, new Date().toISOString(), reason, JSON.stringify(perms));
    return column<string>(s.permissions.all(id));
  };

  async grant(id: string, ids: string[], reason: string | undefined): Promise<string[] | null> {
    return this.stmts.grantTx(id, unique(ids), reason ?? null, false);
  }

  async revoke(id: string, ids: string[]): Promise<string[] | null> {
    return this.stmts.grantTx(id, unique(ids), null, true);
  }

  async permissions(id: string): Promise<string[] | null> {
    const s = this.stmts;
    if (s.exists.get(id) === undefined) return null;
    return column<string>(s.permissions.all(id));
  }

  async bulk(ids: string[], action: BulkAction): Promise<BulkResult> {
    const distinct = unique(ids);
    const json = JSON.stringify(distinct);
    const s = this.stmts;
    // One statement each: atomic on its own, no loop of round trips.
    const hit = column<string>(
      action === 'delete'
        ? s.bulkDelete.all(json)
        : s.bulkSetActive.all(action === 'activate' ? 1 : 0, new Date().toISOString(), json),
    );
    const found = new Set(hit);
    return { succeeded: found.size, failed: distinct.filter((id) => !found.has(id)) };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
