/** The storage contract both backends implement. All methods are async. */

export interface Admin {
  id: string;
  email: string;
  nombre: string;
  apellido: string;
  user_type: string;
  security_clearance_level: number;
  is_active: boolean;
  permissions: string[];
  created_at: string;
  updated_at: string;
}

export interface NewAdmin {
  email: string;
  nombre: string;
  apellido: string;
  user_type: string;
  security_clearance_level: number;
  initial_permissions: string[];
}

export interface AdminPatch {
  nombre?: string | undefined;
  apellido?: string | undefined;
  user_type?: string | undefined;
  security_clearance_level?: number | undefined;
  is_active?: boolean | undefined;
}

export interface ListQuery {
  limit: number;
  skip: number;
  /** Case-insensitive substring of email, nombre or apellido. */
  search?: string | undefined;
  user_type?: string | undefined;
}

export interface ListPage {
  items: Admin[];
  total: number;
}

export type BulkAction = 'activate' | 'deactivate' | 'delete';

export interface BulkResult {
  /** Distinct admins affected. */
  succeeded: number;
  /** Distinct requested ids that match no admin, in request order. */
  failed: string[];
}

export type StorageKind = 'sqlite' | 'postgres';

export interface Storage {
  readonly kind: StorageKind;
  /** Create the schema if missing. */
  init(): Promise<void>;
  /** Cheap round trip (`SELECT 1`), for /health and the `roundtrip-<op>` fault knob. */
  ping(): Promise<void>;
  /** Throws `DuplicateEmailError` when the email (case-insensitive) exists. */
  create(input: NewAdmin): Promise<Admin>;
  list(query: ListQuery): Promise<ListPage>;
  get(id: string): Promise<Admin | null>;
  update(id: string, patch: AdminPatch): Promise<Admin | null>;
  delete(id: string): Promise<boolean>;
  /** The admin's permissions after the change, or null when the admin does not exist. */
  grant(id: string, permissionIds: string[], reason: string | undefined): Promise<string[] | null>;
  revoke(id: string, permissionIds: string[]): Promise<string[] | null>;
  permissions(id: string): Promise<string[] | null>;
  /** One transaction / set-based statement for the whole batch. */
  bulk(ids: string[], action: BulkAction): Promise<BulkResult>;
  close(): Promise<void>;
}

export class DuplicateEmailError extends Error {
  constructor(readonly email: string) {
    super(`admin with email ${email} already exists`);
    this.name = 'DuplicateEmailError';
  }
}

/** Distinct values in first-seen order. */
export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** `%`, `_` and `\` taken literally in a LIKE pattern with `ESCAPE '\'`. */
export function likeContains(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
