"""SQLite storage, the same schema and statements as the Node example's sqlite.ts.

One connection shared by every request thread, behind a lock: an in-memory database must be
one connection to be shared at all, SQLite runs one writer at a time anyway, and its statements
take microseconds next to the Python around them. The sqlite3 module caches the prepared
statements. A page of admins and their permissions come from one statement; search uses an FTS5
trigram index (substring, case-insensitive) for terms of 3+ characters and a LIKE scan below.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterator

SCHEMA = """
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
CREATE TRIGGER IF NOT EXISTS admins_search_au
AFTER UPDATE OF email, nombre, apellido ON admins BEGIN
  INSERT INTO admins_search (admins_search, rowid, email, nombre, apellido)
  VALUES ('delete', old.seq, old.email, old.nombre, old.apellido);
  INSERT INTO admins_search (rowid, email, nombre, apellido)
  VALUES (new.seq, new.email, new.nombre, new.apellido);
END;
"""

COLUMNS = """a.id, a.email, a.nombre, a.apellido, a.user_type, a.security_clearance_level,
  a.is_active, a.created_at, a.updated_at,
  (SELECT json_group_array(p.permission_id) FROM admin_permissions p WHERE p.admin_id = a.id)
    AS permissions"""

SQL = {
    'ping': 'SELECT 1',
    'insert': """INSERT INTO admins (id, email, nombre, apellido, user_type,
        security_clearance_level, is_active, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)""",
    'insert_permissions': """INSERT OR IGNORE INTO admin_permissions
        (admin_id, permission_id, granted_at, reason) SELECT ?, value, ?, ? FROM json_each(?)""",
    'delete_permissions': """DELETE FROM admin_permissions
        WHERE admin_id = ? AND permission_id IN (SELECT value FROM json_each(?))""",
    'get': f'SELECT {COLUMNS} FROM admins a WHERE a.id = ?',
    'exists': 'SELECT 1 FROM admins WHERE id = ?',
    'permissions': 'SELECT permission_id FROM admin_permissions WHERE admin_id = ?',
    'update': """UPDATE admins SET
        nombre = coalesce(?, nombre),
        apellido = coalesce(?, apellido),
        user_type = coalesce(?, user_type),
        security_clearance_level = coalesce(?, security_clearance_level),
        is_active = coalesce(?, is_active),
        updated_at = ?
        WHERE id = ?""",
    'delete': 'DELETE FROM admins WHERE id = ?',
    'bulk_set_active': """UPDATE admins SET is_active = ?, updated_at = ?
        WHERE id IN (SELECT value FROM json_each(?)) RETURNING id""",
    'bulk_delete': 'DELETE FROM admins WHERE id IN (SELECT value FROM json_each(?)) RETURNING id',
}

PATCH_FIELDS = ('nombre', 'apellido', 'user_type', 'security_clearance_level', 'is_active')


class DuplicateEmailError(Exception):
    def __init__(self, email: str) -> None:
        super().__init__(f'admin with email {email} already exists')


def now_iso() -> str:
    """JavaScript's toISOString: milliseconds and a Z."""
    return datetime.now(timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')


def unique(values: list[str]) -> list[str]:
    """Distinct values in first-seen order."""
    return list(dict.fromkeys(values))


def like_contains(term: str) -> str:
    """`%`, `_` and `\\` taken literally in a LIKE pattern with ESCAPE '\\'."""
    escaped = ''.join('\\' + c if c in '\\%_' else c for c in term.lower())
    return f'%{escaped}%'


def fts_phrase(term: str) -> str:
    """FTS5 phrase: the term as one quoted string, so it matches as a substring."""
    return '"' + term.replace('"', '""') + '"'


def to_admin(row: tuple[Any, ...]) -> dict[str, Any]:
    return {
        'id': row[0],
        'email': row[1],
        'nombre': row[2],
        'apellido': row[3],
        'user_type': row[4],
        'security_clearance_level': row[5],
        'is_active': row[6] == 1,
        'permissions': json.loads(row[9]),
        'created_at': row[7],
        'updated_at': row[8],
    }


def _list_sql(mode: str, by_type: bool) -> tuple[str, str]:
    where = []
    if mode == 'fts':
        where.append('a.seq IN (SELECT rowid FROM admins_search WHERE admins_search MATCH :fts)')
    elif mode == 'like':
        where.append(
            "(lower(a.email) LIKE :like ESCAPE '\\' OR lower(a.nombre) LIKE :like ESCAPE '\\'"
            " OR lower(a.apellido) LIKE :like ESCAPE '\\')"
        )
    if by_type:
        where.append('a.user_type = :user_type')
    w = f'WHERE {" AND ".join(where)}' if where else ''
    page = f'SELECT {COLUMNS} FROM admins a {w} ORDER BY a.seq DESC LIMIT :limit OFFSET :skip'
    return page, f'SELECT count(*) FROM admins a {w}'


# (search mode, filtered by user_type) -> (page, count) statements.
LIST_SQL = {
    (mode, by_type): _list_sql(mode, by_type)
    for mode in ('none', 'fts', 'like')
    for by_type in (False, True)
}


class SqliteStorage:
    kind = 'sqlite'

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, cached_statements=256
        )
        self._lock = threading.Lock()
        if path not in (':memory:', ''):
            self._db.executescript('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;')
        self._db.executescript('PRAGMA foreign_keys = ON;')
        self._db.executescript(SCHEMA)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Called with the lock held: the statements inside commit together or not at all."""
        self._db.execute('BEGIN')
        try:
            yield self._db
        except BaseException:
            self._db.execute('ROLLBACK')
            raise
        self._db.execute('COMMIT')

    def ping(self) -> None:
        with self._lock:
            self._db.execute(SQL['ping']).fetchone()

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        now = now_iso()
        admin = {
            'id': str(uuid.uuid4()),
            'email': body['email'],
            'nombre': body['nombre'],
            'apellido': body['apellido'],
            'user_type': body['user_type'],
            'security_clearance_level': body['security_clearance_level'],
            'is_active': True,
            'permissions': sorted(unique(body.get('initial_permissions', []))),
            'created_at': now,
            'updated_at': now,
        }
        try:
            with self._lock, self._transaction() as db:
                db.execute(
                    SQL['insert'],
                    (
                        admin['id'],
                        admin['email'],
                        admin['nombre'],
                        admin['apellido'],
                        admin['user_type'],
                        admin['security_clearance_level'],
                        now,
                        now,
                    ),
                )
                if admin['permissions']:
                    db.execute(
                        SQL['insert_permissions'],
                        (admin['id'], now, None, json.dumps(admin['permissions'])),
                    )
        except sqlite3.IntegrityError as err:
            if err.sqlite_errorname == 'SQLITE_CONSTRAINT_UNIQUE':
                raise DuplicateEmailError(body['email']) from None
            raise
        return admin

    def list(
        self, limit: int, skip: int, search: str | None, user_type: str | None
    ) -> dict[str, Any]:
        term = search or ''
        mode = 'none' if term == '' else 'fts' if len(term) >= 3 else 'like'
        page_sql, count_sql = LIST_SQL[(mode, user_type is not None)]
        params: dict[str, Any] = {}
        if mode == 'fts':
            params['fts'] = fts_phrase(term)
        elif mode == 'like':
            params['like'] = like_contains(term)
        if user_type is not None:
            params['user_type'] = user_type
        with self._lock:
            rows = self._db.execute(page_sql, {**params, 'limit': limit, 'skip': skip}).fetchall()
            # A short, non-empty page tells the total without counting.
            if 0 < len(rows) < limit:
                total = skip + len(rows)
            else:
                total = self._db.execute(count_sql, params).fetchone()[0]
        return {'items': [to_admin(r) for r in rows], 'total': total}

    def get(self, admin_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(SQL['get'], (admin_id,)).fetchone()
        return to_admin(row) if row else None

    def update(self, admin_id: str, patch: dict[str, Any]) -> dict[str, Any] | None:
        values = [patch.get(f) for f in PATCH_FIELDS]
        if values[4] is not None:
            values[4] = 1 if values[4] else 0
        with self._lock, self._transaction() as db:
            changed = db.execute(SQL['update'], (*values, now_iso(), admin_id)).rowcount
            row = db.execute(SQL['get'], (admin_id,)).fetchone() if changed else None
        return to_admin(row) if row else None

    def delete(self, admin_id: str) -> bool:
        with self._lock:
            return self._db.execute(SQL['delete'], (admin_id,)).rowcount > 0

    def _change_permissions(
        self, admin_id: str, ids: list[str], reason: str | None, revoke: bool
    ) -> list[str] | None:
        perms = json.dumps(unique(ids))
        with self._lock, self._transaction() as db:
            if db.execute(SQL['exists'], (admin_id,)).fetchone() is None:
                return None
            if revoke:
                db.execute(SQL['delete_permissions'], (admin_id, perms))
            else:
                db.execute(SQL['insert_permissions'], (admin_id, now_iso(), reason, perms))
            return [r[0] for r in db.execute(SQL['permissions'], (admin_id,))]

    def grant(self, admin_id: str, ids: list[str], reason: str | None) -> list[str] | None:
        return self._change_permissions(admin_id, ids, reason, revoke=False)

    def revoke(self, admin_id: str, ids: list[str]) -> list[str] | None:
        return self._change_permissions(admin_id, ids, None, revoke=True)

    def permissions(self, admin_id: str) -> list[str] | None:
        with self._lock:
            if self._db.execute(SQL['exists'], (admin_id,)).fetchone() is None:
                return None
            return [r[0] for r in self._db.execute(SQL['permissions'], (admin_id,))]

    def bulk(self, ids: list[str], action: str) -> dict[str, Any]:
        distinct = unique(ids)
        ids_json = json.dumps(distinct)
        # One statement each: atomic on its own, no loop of round trips.
        if action == 'delete':
            sql, args = SQL['bulk_delete'], (ids_json,)
        else:
            sql, args = SQL['bulk_set_active'], (int(action == 'activate'), now_iso(), ids_json)
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        found = {r[0] for r in rows}
        return {'succeeded': len(found), 'failed': [i for i in distinct if i not in found]}

    def close(self) -> None:
        with self._lock:
            self._db.close()
