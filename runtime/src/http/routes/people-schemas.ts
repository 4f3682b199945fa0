import { workspaceRoles } from '../auth/principal';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../people/password-hasher';

/** Field schemas shared by the people routes (setup, sign-in, invites). */
export const emailField = {
  type: 'string',
  format: 'email',
  maxLength: 254,
  description: 'Compared and stored lower-cased',
} as const;
export const passwordField = {
  type: 'string',
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
  description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters; hashed with scrypt, never stored or logged as is`,
} as const;
export const nameField = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  description: 'Trimmed; must not be only spaces',
} as const;
export const roleField = { type: 'string', enum: [...workspaceRoles] } as const;

export const userSchema = {
  type: 'object',
  required: ['id', 'name', 'email'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' } },
} as const;
export const workspaceSchema = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const;

/** The answer of setup, sign-in and invite acceptance (with the session cookie). */
export const signedInSchema = {
  type: 'object',
  required: ['user', 'workspace', 'role', 'csrfToken'],
  properties: {
    user: userSchema,
    workspace: workspaceSchema,
    role: roleField,
    csrfToken: {
      type: 'string',
      description: 'Send it as x-csrf-token on every POST/PUT/PATCH/DELETE made with the session cookie',
    },
  },
} as const;
