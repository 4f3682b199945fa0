import type { EmulatorCore } from '../emulator-core';
import type { ScimUser } from '../emulator-entities';
import { ScimError } from './scim-error';

export const SCIM_SCHEMAS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  accountStatus: 'urn:ietf:params:scim:schemas:extension:facebook:accountstatusdetails:2.0:User',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
} as const;

type Json = Record<string, unknown>;

export function renderScimUser(user: ScimUser, baseUrl: string): Json {
  const formatted =
    user.name.formatted ?? [user.name.givenName, user.name.familyName].filter(Boolean).join(' ');
  return {
    schemas: [SCIM_SCHEMAS.user, SCIM_SCHEMAS.enterprise, SCIM_SCHEMAS.accountStatus],
    id: user.id,
    ...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
    userName: user.userName,
    name: { ...user.name, formatted },
    ...(user.displayName !== undefined ? { displayName: user.displayName } : {}),
    ...(user.title !== undefined ? { title: user.title } : {}),
    active: user.active,
    emails: user.emails,
    [SCIM_SCHEMAS.enterprise]: user.enterprise,
    [SCIM_SCHEMAS.accountStatus]: { invited: true, claimed: user.claimed },
    meta: {
      resourceType: 'User',
      created: new Date(user.createdAt).toISOString(),
      lastModified: new Date(user.lastModified).toISOString(),
      location: `${baseUrl}/Users/${user.id}`,
      version: `W/"${user.version}"`,
    },
  };
}

/** `attr eq "value"` only, on userName (case-insensitive), externalId or id. */
export function parseScimFilter(filter: string): (user: ScimUser) => boolean {
  const match = /^\s*([A-Za-z][\w.:]*)\s+(\w+)\s+"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!match)
    throw new ScimError(
      400,
      `The filter "${filter}" is not a valid expression; use: attribute eq "value"`,
      'invalidFilter',
    );
  const [, attribute, operator, rawValue] = match;
  if (operator.toLowerCase() !== 'eq')
    throw new ScimError(400, `The operator "${operator}" is not supported; only eq is`, 'invalidFilter');
  const value = rawValue.replace(/\\(.)/g, '$1');
  switch (attribute.toLowerCase()) {
    case 'username':
      return (u) => u.userName.toLowerCase() === value.toLowerCase();
    case 'externalid':
      return (u) => u.externalId === value;
    case 'id':
      return (u) => u.id === value;
    default:
      throw new ScimError(
        400,
        `Filtering on "${attribute}" is not supported; use userName, externalId or id`,
        'invalidFilter',
      );
  }
}

function assertUnique(core: EmulatorCore, userName: string, exceptId?: string): void {
  const lower = userName.toLowerCase();
  for (const u of core.state.scimUsers.values()) {
    if (u.id !== exceptId && u.userName.toLowerCase() === lower)
      throw new ScimError(409, `userName ${userName} is already taken`, 'uniqueness');
  }
}

function str(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ScimError(400, `${field} must be a string`, 'invalidValue');
  return value;
}

/** Builds the stored fields from a full SCIM representation (POST and PUT). */
export function userFromBody(
  body: unknown,
  core: EmulatorCore,
  exceptId?: string,
): Omit<ScimUser, 'id' | 'claimed' | 'createdAt' | 'lastModified' | 'version'> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ScimError(400, 'The request body must be a SCIM User object', 'invalidSyntax');
  const b = body as Json;
  const userName = str(b.userName, 'userName');
  if (!userName) throw new ScimError(400, 'userName is required', 'invalidValue');
  if (!b.name || typeof b.name !== 'object') throw new ScimError(400, 'name is required', 'invalidValue');
  const name = b.name as Json;
  assertUnique(core, userName, exceptId);
  const enterprise = (b[SCIM_SCHEMAS.enterprise] ?? {}) as Json;
  const emails = Array.isArray(b.emails)
    ? (b.emails as Json[]).map((e) => ({
        value: String(e.value),
        type: e.type === undefined ? 'work' : String(e.type),
        primary: e.primary === undefined ? true : Boolean(e.primary),
      }))
    : [{ value: userName, type: 'work', primary: true }];
  if (b.active !== undefined && typeof b.active !== 'boolean')
    throw new ScimError(400, 'active must be a boolean', 'invalidValue');
  return {
    userName,
    externalId: str(b.externalId, 'externalId'),
    name: {
      givenName: str(name.givenName, 'name.givenName'),
      familyName: str(name.familyName, 'name.familyName'),
      formatted: str(name.formatted, 'name.formatted'),
    },
    displayName: str(b.displayName, 'displayName'),
    title: str(b.title, 'title'),
    active: b.active === undefined ? true : (b.active as boolean),
    emails,
    enterprise: {
      department: str(enterprise.department, 'department'),
      employeeNumber: str(enterprise.employeeNumber, 'employeeNumber'),
      ...(enterprise.manager && typeof enterprise.manager === 'object'
        ? { manager: { value: str((enterprise.manager as Json).value, 'manager.value') } }
        : {}),
    },
  };
}

/** Applies one PatchOp operation (add/replace/remove) to a stored user. */
export function applyPatch(user: ScimUser, op: Json, core: EmulatorCore): void {
  const kind = String(op.op ?? '').toLowerCase();
  if (!['add', 'replace', 'remove'].includes(kind))
    throw new ScimError(400, `Unsupported patch op "${String(op.op)}"`, 'invalidSyntax');
  const path = op.path === undefined ? undefined : String(op.path);
  if (path === undefined) {
    if (kind === 'remove') throw new ScimError(400, 'remove needs a path', 'noTarget');
    if (!op.value || typeof op.value !== 'object')
      throw new ScimError(400, 'A patch without path needs an object value', 'invalidValue');
    for (const [key, value] of Object.entries(op.value as Json)) {
      if (key === SCIM_SCHEMAS.enterprise && value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value as Json))
          setPath(user, `${SCIM_SCHEMAS.enterprise}:${k}`, v, core);
      } else if (key === 'name' && value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value as Json)) setPath(user, `name.${k}`, v, core);
      } else {
        setPath(user, key, value, core);
      }
    }
    return;
  }
  setPath(user, path, kind === 'remove' ? undefined : op.value, core);
}

function setPath(user: ScimUser, path: string, value: unknown, core: EmulatorCore): void {
  const enterprisePrefix = `${SCIM_SCHEMAS.enterprise}:`;
  if (path.startsWith(enterprisePrefix)) {
    const attr = path.slice(enterprisePrefix.length);
    if (attr === 'department' || attr === 'employeeNumber') user.enterprise[attr] = str(value, attr);
    else if (attr === 'manager')
      user.enterprise.manager =
        value && typeof value === 'object'
          ? { value: str((value as Json).value, 'manager.value') }
          : undefined;
    else throw new ScimError(400, `Unknown attribute path "${path}"`, 'invalidPath');
    return;
  }
  switch (path) {
    case 'active':
      // Some clients send "False"/"True" strings; Workplace accepts both.
      if (typeof value === 'string' && /^(true|false)$/i.test(value))
        user.active = value.toLowerCase() === 'true';
      else if (typeof value === 'boolean') user.active = value;
      else throw new ScimError(400, 'active must be a boolean', 'invalidValue');
      return;
    case 'userName': {
      const userName = str(value, 'userName');
      if (!userName) throw new ScimError(400, 'userName cannot be removed', 'mutability');
      assertUnique(core, userName, user.id);
      user.userName = userName;
      return;
    }
    case 'externalId':
      user.externalId = str(value, path);
      return;
    case 'title':
      user.title = str(value, path);
      return;
    case 'displayName':
      user.displayName = str(value, path);
      return;
    case 'name.givenName':
    case 'name.familyName':
    case 'name.formatted':
      user.name[path.slice(5) as 'givenName' | 'familyName' | 'formatted'] = str(value, path);
      return;
    case 'emails':
      if (!Array.isArray(value)) throw new ScimError(400, 'emails must be an array', 'invalidValue');
      user.emails = (value as Json[]).map((e) => ({
        value: String(e.value),
        type: String(e.type ?? 'work'),
        primary: Boolean(e.primary ?? true),
      }));
      return;
    default:
      throw new ScimError(400, `Unknown or unsupported attribute path "${path}"`, 'invalidPath');
  }
}
