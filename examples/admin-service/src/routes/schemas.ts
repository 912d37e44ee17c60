/** JSON schemas (validated by fastify/ajv; failures become FastAPI-style 422s in errors.ts). */

export const USER_TYPES = ['SUPERADMIN', 'ADMIN', 'MODERATOR', 'SUPPORT', 'AUDITOR'] as const;
export const BULK_ACTIONS = ['activate', 'deactivate', 'delete'] as const;
export const MAX_LIMIT = 100;

const permissionId = { type: 'string', minLength: 1, maxLength: 128 } as const;
const name = { type: 'string', minLength: 1, maxLength: 100 } as const;
const userType = { type: 'string', enum: USER_TYPES } as const;
const clearance = { type: 'integer', minimum: 1, maximum: 5 } as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export const createAdminBody = {
  type: 'object',
  required: ['email', 'nombre', 'apellido', 'user_type', 'security_clearance_level'],
  properties: {
    email: { type: 'string', format: 'email', maxLength: 254 },
    nombre: name,
    apellido: name,
    user_type: userType,
    security_clearance_level: clearance,
    initial_permissions: { type: 'array', items: permissionId, maxItems: 1000 },
  },
} as const;

export const updateAdminBody = {
  type: 'object',
  minProperties: 1,
  properties: {
    nombre: name,
    apellido: name,
    user_type: userType,
    security_clearance_level: clearance,
    is_active: { type: 'boolean' },
  },
} as const;

export const listQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 10 },
    skip: { type: 'integer', minimum: 0 },
    offset: { type: 'integer', minimum: 0 },
    search: { type: 'string', maxLength: 100 },
    user_type: userType,
  },
} as const;

export const permissionsBody = {
  type: 'object',
  required: ['permission_ids'],
  properties: {
    permission_ids: { type: 'array', items: permissionId, minItems: 1, maxItems: 1000 },
    reason: { type: 'string', maxLength: 500 },
  },
} as const;

export const bulkBody = {
  type: 'object',
  required: ['user_ids', 'action'],
  properties: {
    user_ids: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 64 },
      minItems: 1,
      maxItems: 1000,
    },
    action: { type: 'string', enum: BULK_ACTIONS },
    reason: { type: 'string', maxLength: 500 },
  },
} as const;
