import {
  createAdmin,
  defineRouteModule,
  getBound,
  Ports,
  principalOf,
  requireRole,
  RuntimeTokens,
} from '@flowcard/runtime';
import { call, startTestRuntime, type TestRuntime } from './support/start-test-runtime';

const adminOnlyRoutes = defineRouteModule({
  name: 'test-admin-only',
  description: 'A route module added the way other engineers add theirs',
  prefix: '/v1/test',
  dependencies: {},
  register(app) {
    app.post(
      '/admin-only',
      {
        preHandler: requireRole('admin'),
        schema: {
          response: {
            200: { type: 'object', properties: { ok: { type: 'boolean' }, role: { type: 'string' } } },
          },
        },
      },
      async (request) => ({ ok: true, role: principalOf(request).role }),
    );
  },
});

describe('the runtime API', () => {
  let runtime: TestRuntime;
  let ownerKey: string;

  beforeAll(async () => {
    const { routeModules } = await import('../../runtime/src/http/route-modules');
    runtime = await startTestRuntime(__filename, { routeModules: [...routeModules, adminOnlyRoutes] });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('reports MongoDB and Redis as up on /health without an API key', async () => {
    const { status, body } = await call(`${runtime.url}/health`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      checks: { mongodb: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('serves the OpenAPI document at /docs/json with every route and the error body', async () => {
    const { status, body } = await call(`${runtime.url}/docs/json`);
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/health', '/v1/me', '/v1/admin/bootstrap']),
    );
    expect(body.paths['/v1/me'].get.tags).toEqual(['me']);
    expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('serves the Swagger UI at /docs', async () => {
    const response = await fetch(`${runtime.url}/docs/`, { redirect: 'follow' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger');
  });

  it('refuses a route without an API key, saying how to send one', async () => {
    const { status, body } = await call(`${runtime.url}/v1/me`);
    expect(status).toBe(401);
    expect(body.error.code).toBe('FLOWCARD_ERR_AUTH_REQUIRED');
    expect(body.error.message).toContain('Authorization: Bearer fc_');
  });

  it('says what is wrong and where when a body is invalid', async () => {
    const { status, body } = await call(`${runtime.url}/v1/admin/bootstrap`, {
      method: 'POST',
      body: { workspace: 'Acme', colour: 'red' },
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('FLOWCARD_ERR_REQUEST_INVALID');
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { where: 'body', path: '/email', message: 'must have property "email"' },
        { where: 'body', path: '/colour', message: 'must not have property "colour"' },
      ]),
    );
    expect(body.error.message).toContain('body must have property "email"');
  });

  it('answers an unknown route with a FLOWCARD_ERR code', async () => {
    const { status, body } = await call(`${runtime.url}/v1/nothing-here?x=1`);
    expect(status).toBe(404);
    expect(body.error).toEqual({
      code: 'FLOWCARD_ERR_ROUTE_NOT_FOUND',
      message: 'No route GET /v1/nothing-here',
    });
  });

  it('bootstraps the first owner once, from localhost, and the key identifies them', async () => {
    const created = await call(`${runtime.url}/v1/admin/bootstrap`, {
      method: 'POST',
      body: { email: 'Owner@Example.com', workspace: 'Acme' },
    });
    expect(created.status).toBe(201);
    expect(created.body.apiKey).toMatch(/^fc_[a-f0-9]{12}_/);
    ownerKey = created.body.apiKey;

    const me = await call(`${runtime.url}/v1/me`, { apiKey: ownerKey });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { email: 'owner@example.com' },
      workspace: { name: 'Acme' },
      role: 'owner',
    });

    const again = await call(`${runtime.url}/v1/admin/bootstrap`, {
      method: 'POST',
      body: { email: 'x@example.com', workspace: 'Other' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('FLOWCARD_ERR_BOOTSTRAP_CLOSED');
  });

  it('accepts the key in an x-api-key header too', async () => {
    const me = await call(`${runtime.url}/v1/me`, { apiKey: ownerKey, header: 'x-api-key' });
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('owner');
  });

  it('refuses an unknown API key', async () => {
    const forged = ownerKey.slice(0, -4) + 'AAAA';
    const { status, body } = await call(`${runtime.url}/v1/me`, { apiKey: forged });
    expect(status).toBe(401);
    expect(body.error.code).toBe('FLOWCARD_ERR_API_KEY_INVALID');
  });

  it('lets an admin through requireRole("admin") and stops a member with a clear message', async () => {
    const container = runtime.handle.container;
    const users = getBound(container, Ports.users);
    const workspaces = getBound(container, Ports.workspaces);
    const member = await createAdmin(
      { users, workspaces },
      { email: 'member@example.com', workspace: 'Acme', role: 'member' },
    );

    const refused = await call(`${runtime.url}/v1/test/admin-only`, {
      method: 'POST',
      apiKey: member.apiKey,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: 'FLOWCARD_ERR_ROLE_FORBIDDEN',
      message: 'Your role (member) does not allow this; it needs admin or higher',
    });

    const allowed = await call(`${runtime.url}/v1/test/admin-only`, { method: 'POST', apiKey: ownerKey });
    expect(allowed).toEqual({ status: 200, body: { ok: true, role: 'owner' } });
  });

  it('never stores the API key itself, only its hash', async () => {
    const connection = getBound(runtime.handle.container, RuntimeTokens.mongoConnection);
    // jongodb has no listCollections: walk the store's models instead.
    const names = Object.values(connection.models).map((model) => model.collection.name);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) {
      const documents = await connection.db!.collection(name).find({}).toArray();
      expect(JSON.stringify(documents)).not.toContain(ownerKey);
    }
  });
});
