"""HTTP/1.1 on the standard library: a thread per connection, keep-alive, one write per response.

Per request: read the body, route, auth (all but health), parse JSON, validate (params, body,
query, the first that fails answers 422), fault knobs, handler. Every response carries
`Server-Timing: db;dur=<ms>`. Nothing is logged per request.
"""

from __future__ import annotations

import hmac
import json
import socket
import socketserver
import sys
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

from . import validation as v
from .fault_effects import FaultEffects
from .routes import AdminApi, Request, Response, Route

# fastify's default body limit.
BODY_LIMIT = 1024 * 1024
BODY_METHODS = ('POST', 'PUT', 'PATCH', 'DELETE')
NOT_FOUND = Response(404, {'detail': 'Not Found'})


class BadRequest(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, separators=(',', ':'), ensure_ascii=False).encode()


def _reject_constant(name: str) -> Any:
    raise ValueError(f'{name} is not JSON')


def parse_body(raw: bytes, content_type: str | None) -> Any:
    """None for no body; a JSON value; a str for text/plain (which no route accepts)."""
    if raw == b'':
        return None
    media = (content_type or '').split(';', 1)[0].strip().lower()
    if media == 'application/json':
        try:
            return json.loads(raw, parse_constant=_reject_constant)
        except ValueError as err:
            detail = {'loc': ['body'], 'msg': f'JSON decode error: {err}', 'type': 'json_invalid'}
            raise BadRequest(Response(422, {'detail': [detail]})) from None
    if media == 'text/plain':
        return raw.decode('utf-8', 'replace')
    raise BadRequest(Response(415, {'detail': 'Unsupported Media Type'}))


def parse_query(raw: str) -> dict[str, Any]:
    """A repeated parameter stays a list (and then fails its scalar schema, as in fastify)."""
    pairs = parse_qs(raw, keep_blank_values=True)
    return {k: vals[0] if len(vals) == 1 else vals for k, vals in pairs.items()}


class AdminRequestHandler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive: one connection serves many requests
    disable_nagle_algorithm = True
    server: AdminServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no per-request output

    def do_GET(self) -> None:
        self._serve()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def _serve(self) -> None:
        req = Request(params={}, query={}, body=None)
        try:
            response = self._respond(req)
        except BadRequest as err:
            response = err.response
        except Exception:
            if not self.server.stopping:
                sys.stderr.write(f'admin-service: unhandled error: {traceback.format_exc()}')
            response = Response(500, {'detail': 'Internal Server Error'})
        self._write(response, req.db_ms)

    def _refuse(self, status: int, detail: str) -> BadRequest:
        # The rest of this request's body is not read, so the connection cannot serve another.
        self.close_connection = True
        return BadRequest(Response(status, {'detail': detail}))

    def _read_body(self) -> bytes:
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            return self._read_chunked()
        raw_length = self.headers.get('Content-Length', '0').strip() or '0'
        if not raw_length.isdigit():
            raise self._refuse(400, 'Invalid Content-Length')
        length = int(raw_length)
        if length > BODY_LIMIT:
            raise self._refuse(413, 'Request body is too large')
        return self.rfile.read(length) if length else b''

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            try:
                size = int(self.rfile.readline(65537).split(b';', 1)[0].strip(), 16)
            except ValueError:
                raise self._refuse(400, 'Invalid chunk size') from None
            if size == 0:
                while self.rfile.readline(65537) not in (b'\r\n', b'\n', b''):
                    pass  # trailers
                return b''.join(parts)
            total += size
            if total > BODY_LIMIT:
                raise self._refuse(413, 'Request body is too large')
            parts.append(self.rfile.read(size))
            self.rfile.readline(3)  # the CRLF after the chunk

    def _authorized(self) -> bool:
        given = self.headers.get('Authorization')
        return given is not None and hmac.compare_digest(given.encode(), self.server.expected_auth)

    def _respond(self, req: Request) -> Response:
        raw_body = self._read_body()
        path, _, raw_query = self.path.partition('?')
        method = 'GET' if self.command == 'HEAD' else self.command
        found = self.server.api.match(method, path)
        if (found is None or not found[0].public) and not self._authorized():
            given = 'Authorization' in self.headers
            detail = 'Invalid token' if given else 'Not authenticated'
            return Response(401, {'detail': detail}, {'WWW-Authenticate': 'Bearer'})
        if found is None:
            return NOT_FOUND
        route, params = found
        body = None
        if method in BODY_METHODS:
            body = parse_body(raw_body, self.headers.get('Content-Type'))
        params = {k: unquote(p) for k, p in params.items()}
        self._validate(route, req, params, body, parse_query(raw_query))
        op = route.op
        if op == 'list' and req.query.get('search'):
            op = 'search'
        effects = self.server.effects
        if effects.active and not effects.apply(op, lambda: req.db(self.server.api.storage.ping)):
            return Response(500, {'detail': 'Injected fault (error-rate)'})
        return route.handler(req)

    @staticmethod
    def _validate(
        route: Route, req: Request, params: dict[str, str], body: Any, query: dict[str, Any]
    ) -> None:
        """fastify's order: params, body, query; the first part that fails is the answer."""
        parts = (
            ('params', route.params, params, 'path'),
            ('body', route.body, body, 'body'),
            ('query', route.query, query, 'query'),
        )
        for attr, schema, value, root in parts:
            if schema is None:
                continue
            checked, errors = v.validate(schema, value, root)
            if errors:
                raise BadRequest(Response(422, {'detail': errors}))
            setattr(req, attr, checked)

    def _write(self, response: Response, db_ms: float) -> None:
        status = response.status
        headers = [f'HTTP/1.1 {status} {HTTPStatus(status).phrase}']
        payload = b''
        if response.body is not None:
            payload = json_bytes(response.body)
            headers.append('Content-Type: application/json; charset=utf-8')
        headers.extend(f'{k}: {val}' for k, val in response.headers.items())
        headers.append(f'Server-Timing: db;dur={db_ms:.3f}')
        if status != 204:
            headers.append(f'Content-Length: {len(payload)}')
        if self.close_connection:
            headers.append('Connection: close')
        head = ('\r\n'.join(headers) + '\r\n\r\n').encode('latin-1')
        # One write: headers and body in one segment (no small second write to delay).
        self.wfile.write(head if self.command == 'HEAD' else head + payload)


class AdminServer(ThreadingHTTPServer):
    daemon_threads = True  # open keep-alive connections do not hold up the exit
    request_queue_size = 1024  # many connections opened at once by the load generator

    def __init__(
        self, host: str, port: int, api: AdminApi, token: str, effects: FaultEffects
    ) -> None:
        self.address_family = socket.AF_INET6 if ':' in host else socket.AF_INET
        self.api = api
        self.effects = effects
        self.expected_auth = f'Bearer {token}'.encode()
        self.stopping = False
        super().__init__((host, port), AdminRequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind also resolves the host's FQDN (a DNS lookup); not needed here.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)) or self.stopping:
            return  # a client that went away is not an error of the service
        super().handle_error(request, client_address)
