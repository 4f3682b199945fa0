import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { startTestRuntime, type TestRuntime } from '../api/support/start-test-runtime';
import { repositoryRoot } from '../support/log-capture';
import { buildStudioIfChanged } from './support/studio-world';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely and assert their shape
type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the runtime serving the Studio at /', () => {
  jest.setTimeout(180_000);
  let runtime: TestRuntime;
  let base: string;

  beforeAll(async () => {
    buildStudioIfChanged();
    runtime = await startTestRuntime(__filename);
    base = runtime.url;
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  const get = (path: string, accept = HTML, method = 'GET'): Promise<Response> =>
    fetch(`${base}${path}`, { method, headers: { accept }, redirect: 'manual' });

  it('answers index.html at / and at every Studio address a browser navigates to, never cached', async () => {
    for (const path of ['/', '/sign-in', '/settings/integrations', '/settings/team?x=1', '/invite/abc123']) {
      const response = await get(path);
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({
        path,
        status: 200,
        type: 'text/html; charset=utf-8',
      });
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<div id="root"></div>');
    }
    const head = await get('/settings/team', HTML, 'HEAD');
    expect(head.status).toBe(200);
  });

  it('serves the hashed assets with a one-year immutable cache', async () => {
    const assets = readdirSync(join(repositoryRoot, 'packages/studio/dist/assets'));
    const script = assets.find((name) => /^index-[\w-]+\.js$/.test(name));
    expect(script).toBeDefined();
    const response = await get(`/assets/${script}`, '*/*');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await get('/assets/index-nothere.js', '*/*');
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('FLOWCARD_ERR_ROUTE_NOT_FOUND');
  });

  it('keeps the first-load JavaScript a production build under 250 kB gzipped', async () => {
    const dist = join(repositoryRoot, 'packages/studio/dist');
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => file.includes('jsx-dev-runtime'))).toEqual([]);
    const gzipped = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file))).length, 0);
    expect(gzipped).toBeLessThan(250 * 1024);
  });

  it('never shadows the API, docs, health, webhooks or OAuth routes, even for a browser asking for HTML', async () => {
    const unknownApi = await get('/v1/nothing-here');
    expect(unknownApi.status).toBe(404);
    expect((await json(unknownApi)).error).toEqual({
      code: 'FLOWCARD_ERR_ROUTE_NOT_FOUND',
      message: 'No route GET /v1/nothing-here',
    });
    expect((await get('/v1')).status).toBe(404);
    expect((await get('/docs/nothing-here')).headers.get('content-type')).not.toMatch(/text\/html/);
    expect((await get('/health')).headers.get('content-type')).toMatch(/application\/json/);
    expect((await get('/health/nothing')).status).toBe(404);
    const docs = await get('/docs/json', 'application/json');
    expect(docs.status).toBe(200);
    expect(
      Object.keys((await json(docs)).paths).some((path) => !path.startsWith('/v1') && path !== '/health'),
    ).toBe(false);
    // The webhook handshake and the OAuth callback answer as the API, not with the Studio's page.
    const handshake = await get(
      '/v1/webhooks/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1',
    );
    expect(handshake.status).toBe(403);
    expect((await json(handshake)).error.code).toBe('FLOWCARD_ERR_WEBHOOK_HANDSHAKE_REFUSED');
    const callback = await get('/v1/connect/meta/callback?state=forged&code=x');
    expect(await callback.text()).not.toContain('<div id="root"></div>');
    const me = await get('/v1/me');
    expect(me.status).toBe(401);
  });

  it('answers the JSON 404 to non-navigations: fetches, other methods, files outside the build', async () => {
    const fetched = await get('/settings/team', 'application/json');
    expect(fetched.status).toBe(404);
    expect((await json(fetched)).error.code).toBe('FLOWCARD_ERR_ROUTE_NOT_FOUND');
    const post = await fetch(`${base}/settings/team`, { method: 'POST', headers: { accept: HTML } });
    expect(post.status).toBe(404);
    const traversal = await get('/..%2f..%2fpackage.json', '*/*');
    expect(traversal.status).toBe(404);
    expect(await traversal.text()).not.toContain('"workspaces"');
  });
});
