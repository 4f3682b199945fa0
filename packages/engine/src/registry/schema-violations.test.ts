import { cardSchema, connectorSchema } from '@flowcard/schemas';
import { packageSchemaValidators } from './package-schema-validators';
import { describeSchemaViolations, type SchemaViolation } from './schema-violations';

function manifestWithAuth(auth: unknown): Record<string, unknown> {
  return {
    name: 'x',
    version: '1.0.0',
    title: 'X',
    description: 'X',
    lifecycle: { status: 'active' },
    configurations: {
      default: { title: 'X', auth, baseUrl: 'http://x', schema: { type: 'object', properties: {} } },
    },
  };
}

function manifestViolations(value: unknown): SchemaViolation[] {
  const validate = packageSchemaValidators().connector;
  expect(validate(value)).toBe(false);
  return describeSchemaViolations(validate.errors ?? [], connectorSchema);
}

describe('describeSchemaViolations', () => {
  it('reports only the errors of the auth kind the manifest names', () => {
    expect(manifestViolations(manifestWithAuth({ kind: 'basic', usernameField: 'user' }))).toEqual([
      {
        jsonPath: '/configurations/default/auth',
        reason: 'missing required property "passwordField"',
        hint: 'Add "passwordField" (Configuration field (x-secret) holding the password)',
      },
    ]);
  });

  it('lists every allowed value when the discriminator itself is unknown', () => {
    expect(manifestViolations(manifestWithAuth({ kind: 'token' }))).toEqual([
      {
        jsonPath: '/configurations/default/auth/kind',
        reason: '"token" is not allowed here',
        hint: 'Use one of: "bearer", "oauth2", "basic", "none"',
      },
    ]);
  });

  it('says which properties are missing when a card has neither a request nor a handler', () => {
    const validate = packageSchemaValidators().card;
    const card = {
      key: 'x',
      kind: 'action',
      title: 'X',
      description: 'X',
      input: { type: 'object' },
      output: {},
    };
    expect(validate(card)).toBe(false);
    expect(describeSchemaViolations(validate.errors ?? [], cardSchema)).toEqual([
      { jsonPath: '', reason: 'needs one of "request", "handler"', hint: 'Add "request" or "handler"' },
    ]);
  });

  it('names the expected and the actual type', () => {
    expect(manifestViolations({ ...manifestWithAuth({ kind: 'none' }), title: 7 })).toEqual([
      { jsonPath: '/title', reason: 'must be a string but is a number', hint: 'Change it to a string' },
    ]);
  });
});
