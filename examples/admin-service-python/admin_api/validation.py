"""Request validation with the Node example's schemas and its FastAPI-style 422 details.

The Node example validates with ajv (fastify's defaults: coerceTypes 'array', useDefaults,
allErrors); this is the small part of it those schemas use, with the same coercions (a scalar
where an array is expected becomes a one-item array, "3" becomes 3 for an integer, 5 becomes "5"
for a string, null becomes "" ...), the same messages and the same error types.
"""

from __future__ import annotations

import math
import re
from typing import Any

Detail = dict[str, Any]
Schema = dict[str, Any]

USER_TYPES = ('SUPERADMIN', 'ADMIN', 'MODERATOR', 'SUPPORT', 'AUDITOR')
BULK_ACTIONS = ('activate', 'deactivate', 'delete')
MAX_LIMIT = 100

_permission_id = {'type': 'string', 'minLength': 1, 'maxLength': 128}
_name = {'type': 'string', 'minLength': 1, 'maxLength': 100}
_user_type = {'type': 'string', 'enum': USER_TYPES}
_clearance = {'type': 'integer', 'minimum': 1, 'maximum': 5}

ID_PARAMS: Schema = {
    'type': 'object',
    'required': ['id'],
    'properties': {'id': {'type': 'string', 'minLength': 1, 'maxLength': 64}},
}

CREATE_ADMIN_BODY: Schema = {
    'type': 'object',
    'required': ['email', 'nombre', 'apellido', 'user_type', 'security_clearance_level'],
    'properties': {
        'email': {'type': 'string', 'format': 'email', 'maxLength': 254},
        'nombre': _name,
        'apellido': _name,
        'user_type': _user_type,
        'security_clearance_level': _clearance,
        'initial_permissions': {'type': 'array', 'items': _permission_id, 'maxItems': 1000},
    },
}

UPDATE_ADMIN_BODY: Schema = {
    'type': 'object',
    'minProperties': 1,
    'properties': {
        'nombre': _name,
        'apellido': _name,
        'user_type': _user_type,
        'security_clearance_level': _clearance,
        'is_active': {'type': 'boolean'},
    },
}

LIST_QUERY: Schema = {
    'type': 'object',
    'properties': {
        'limit': {'type': 'integer', 'minimum': 1, 'maximum': MAX_LIMIT, 'default': 10},
        'skip': {'type': 'integer', 'minimum': 0},
        'offset': {'type': 'integer', 'minimum': 0},
        'search': {'type': 'string', 'maxLength': 100},
        'user_type': _user_type,
    },
}

PERMISSIONS_BODY: Schema = {
    'type': 'object',
    'required': ['permission_ids'],
    'properties': {
        'permission_ids': {
            'type': 'array',
            'items': _permission_id,
            'minItems': 1,
            'maxItems': 1000,
        },
        'reason': {'type': 'string', 'maxLength': 500},
    },
}

BULK_BODY: Schema = {
    'type': 'object',
    'required': ['user_ids', 'action'],
    'properties': {
        'user_ids': {
            'type': 'array',
            'items': {'type': 'string', 'minLength': 1, 'maxLength': 64},
            'minItems': 1,
            'maxItems': 1000,
        },
        'action': {'type': 'string', 'enum': BULK_ACTIONS},
        'reason': {'type': 'string', 'maxLength': 500},
    },
}

# ajv-formats' "full" email format; ASCII-only case folding, as in JavaScript.
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r'@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?',
    re.IGNORECASE | re.ASCII,
)

_NO_VALUE = object()


def _js_string(value: float) -> str:
    """JavaScript's String(number) for the usual cases: 3.0 is "3"."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _coerce(kind: str, value: Any) -> Any:
    """`value` as `kind`, with ajv's coercions; _NO_VALUE when it cannot be."""
    if kind == 'array':
        if isinstance(value, list):
            return value
        return [value] if value is None or isinstance(value, (str, int, float)) else _NO_VALUE
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if kind == 'object':
        return value if isinstance(value, dict) else _NO_VALUE
    if kind == 'string':
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return 'true' if value else 'false'
        if _is_number(value):
            return _js_string(value)
        return '' if value is None else _NO_VALUE
    if kind == 'integer':
        if isinstance(value, bool) or value is None:
            return int(bool(value))
        if isinstance(value, str):
            if value.strip() == '' or '_' in value:  # Python's float() takes "1_0", JS does not
                return _NO_VALUE
            try:
                value = float(value)
            except ValueError:
                return _NO_VALUE
        if isinstance(value, int):
            return value
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            return int(value)
        return _NO_VALUE
    if kind == 'boolean':
        if isinstance(value, bool):
            return value
        if value == 'true' or (_is_number(value) and value == 1):
            return True
        if value == 'false' or value is None or (_is_number(value) and value == 0):
            return False
        return _NO_VALUE
    raise ValueError(f'unsupported schema type {kind}')


def _check(schema: Schema, value: Any, loc: list[Any], root: str, errors: list[Detail]) -> Any:
    """`value` checked against `schema` in ajv's keyword order; returns it coerced."""

    def fail(message: str, type_: str) -> None:
        field = str(loc[-1]) if len(loc) > 1 else root
        errors.append({'loc': loc, 'msg': f'{field} {message}', 'type': type_})

    kind = schema['type']
    coerced = _coerce(kind, value)
    if coerced is _NO_VALUE:
        fail(f'must be {kind}', 'int_type' if kind == 'integer' else f'{kind}_type')
    else:
        value = coerced
    if 'enum' in schema and value not in schema['enum']:
        fail('must be equal to one of the allowed values', 'enum')
    if coerced is _NO_VALUE:
        return value
    if kind == 'integer':
        if value > schema.get('maximum', math.inf):
            fail(f'must be <= {schema["maximum"]}', 'less_than_equal')
        if value < schema.get('minimum', -math.inf):
            fail(f'must be >= {schema["minimum"]}', 'greater_than_equal')
    elif kind == 'string':
        if len(value) > schema.get('maxLength', math.inf):
            fail(f'must NOT have more than {schema["maxLength"]} characters', 'string_too_long')
        if len(value) < schema.get('minLength', 0):
            fail(f'must NOT have fewer than {schema["minLength"]} characters', 'string_too_short')
        if schema.get('format') == 'email' and not _EMAIL.fullmatch(value):
            fail('must match format "email"', 'value_error')
    elif kind == 'array':
        if len(value) > schema.get('maxItems', math.inf):
            fail(f'must NOT have more than {schema["maxItems"]} items', 'too_long')
        if len(value) < schema.get('minItems', 0):
            fail(f'must NOT have fewer than {schema["minItems"]} items', 'too_short')
        items = schema.get('items')
        if items is not None:
            value = [_check(items, item, [*loc, i], root, errors) for i, item in enumerate(value)]
    elif kind == 'object':
        if len(value) < schema.get('minProperties', 0):
            fail(f'must NOT have fewer than {schema["minProperties"]} properties', 'too_short')
        for name in schema.get('required', ()):
            if name not in value:
                errors.append({'loc': [*loc, name], 'msg': 'Field required', 'type': 'missing'})
        value = dict(value)
        for name, sub in schema.get('properties', {}).items():
            if name in value:
                value[name] = _check(sub, value[name], [*loc, name], root, errors)
            elif 'default' in sub:
                value[name] = sub['default']
    return value


def validate(schema: Schema, value: Any, root: str) -> tuple[Any, list[Detail]]:
    """The validated (coerced, defaulted) value and the 422 details; `root` is body, query or
    path, the first element of every `loc`."""
    errors: list[Detail] = []
    result = _check(schema, value, [root], root, errors)
    return result, errors
