"""The admin API: one handler per route, each told its validated params, query and body.

Status codes and JSON shapes are the Node example's: 201 on create, 204 on delete, 404
`{"detail": "Admin not found"}`, 409 on a duplicate email, lists newest first as
`{items, total, limit, skip}`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from . import validation as v
from .storage import DuplicateEmailError, SqliteStorage

BASE_PATH = '/api/v1/admin-management'

T = TypeVar('T')


@dataclass
class Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    params: dict[str, Any]
    query: dict[str, Any]
    body: Any
    db_ms: float = 0.0

    def db(self, call: Callable[..., T], *args: Any) -> T:
        """A storage call, its time added to this request's `Server-Timing: db`."""
        start = time.perf_counter()
        try:
            return call(*args)
        finally:
            self.db_ms += (time.perf_counter() - start) * 1000


Handler = Callable[[Request], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    op: str
    handler: Handler
    params: v.Schema | None = None
    query: v.Schema | None = None
    body: v.Schema | None = None
    public: bool = False


ADMIN_NOT_FOUND = Response(404, {'detail': 'Admin not found'})


class AdminApi:
    def __init__(self, storage: SqliteStorage) -> None:
        self.storage = storage
        self.routes = self._routes()

    def _routes(self) -> list[Route]:
        def path(template: str) -> re.Pattern[str]:
            return re.compile(re.escape(template).replace(r'\{id\}', '(?P<id>[^/]*)') + r'\Z')

        base = BASE_PATH
        one = {'params': v.ID_PARAMS}
        return [
            Route('GET', path('/health'), 'health', self.health, public=True),
            Route('GET', path(f'{base}/health'), 'health', self.health, public=True),
            Route('POST', path(f'{base}/admins'), 'create', self.create, body=v.CREATE_ADMIN_BODY),
            Route('GET', path(f'{base}/admins'), 'list', self.list, query=v.LIST_QUERY),
            Route('POST', path(f'{base}/admins/bulk-action'), 'bulk', self.bulk, body=v.BULK_BODY),
            Route('GET', path(f'{base}/admins/{{id}}'), 'get', self.get, **one),
            Route(
                'PATCH', path(f'{base}/admins/{{id}}'), 'update', self.update,
                body=v.UPDATE_ADMIN_BODY, **one,
            ),
            Route('DELETE', path(f'{base}/admins/{{id}}'), 'delete', self.delete, **one),
            Route(
                'POST', path(f'{base}/admins/{{id}}/permissions/grant'), 'grant', self.grant,
                body=v.PERMISSIONS_BODY, **one,
            ),
            Route(
                'POST', path(f'{base}/admins/{{id}}/permissions/revoke'), 'revoke', self.revoke,
                body=v.PERMISSIONS_BODY, **one,
            ),
            Route(
                'GET', path(f'{base}/admins/{{id}}/permissions'), 'permissions', self.permissions,
                **one,
            ),
        ]

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method == method:
                m = route.pattern.match(path)
                if m:
                    return route, m.groupdict()
        return None

    def health(self, req: Request) -> Response:
        req.db(self.storage.ping)
        return Response(200, {'status': 'ok', 'storage': self.storage.kind, 'cache': 'none'})

    def create(self, req: Request) -> Response:
        try:
            admin = req.db(self.storage.create, req.body)
        except DuplicateEmailError as err:
            return Response(409, {'detail': str(err)})
        return Response(201, admin)

    def list(self, req: Request) -> Response:
        q = req.query
        limit = q['limit']
        skip = q.get('skip', q.get('offset', 0))
        search = q.get('search') or None
        page = req.db(self.storage.list, limit, skip, search, q.get('user_type'))
        return Response(
            200, {'items': page['items'], 'total': page['total'], 'limit': limit, 'skip': skip}
        )

    def get(self, req: Request) -> Response:
        admin = req.db(self.storage.get, req.params['id'])
        return Response(200, admin) if admin else ADMIN_NOT_FOUND

    def update(self, req: Request) -> Response:
        admin = req.db(self.storage.update, req.params['id'], req.body)
        return Response(200, admin) if admin else ADMIN_NOT_FOUND

    def delete(self, req: Request) -> Response:
        deleted = req.db(self.storage.delete, req.params['id'])
        return Response(204) if deleted else ADMIN_NOT_FOUND

    def _permissions_response(self, admin_id: str, perms: list[str] | None) -> Response:
        if perms is None:
            return ADMIN_NOT_FOUND
        return Response(200, {'admin_id': admin_id, 'permissions': perms})

    def grant(self, req: Request) -> Response:
        admin_id = req.params['id']
        b = req.body
        perms = req.db(self.storage.grant, admin_id, b['permission_ids'], b.get('reason'))
        return self._permissions_response(admin_id, perms)

    def revoke(self, req: Request) -> Response:
        admin_id = req.params['id']
        perms = req.db(self.storage.revoke, admin_id, req.body['permission_ids'])
        return self._permissions_response(admin_id, perms)

    def permissions(self, req: Request) -> Response:
        admin_id = req.params['id']
        return self._permissions_response(admin_id, req.db(self.storage.permissions, admin_id))

    def bulk(self, req: Request) -> Response:
        ids = req.body['user_ids']
        action = req.body['action']
        result = req.db(self.storage.bulk, ids, action)
        return Response(200, {
            'action': action,
            'requested': len(ids),
            'succeeded': result['succeeded'],
            'failed': result['failed'],
        })
