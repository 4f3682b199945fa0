import { startTestHttpServer, type TestHttpServer } from '../executor/testing/test-http-server';
import { createAxiosInstance, proxyConfiguredInEnv } from './create-axios-instance';

describe('createAxiosInstance', () => {
  let server: TestHttpServer;
  const http = createAxiosInstance({ env: {} });

  beforeAll(async () => {
    server = await startTestHttpServer((request) => {
      if (request.path === '/json') return { body: { ok: true, echo: request.body } };
      if (request.path === '/js')
        return { headers: { 'content-type': 'text/javascript; charset=UTF-8' }, body: '{"legacy":1}' };
      if (request.path === '/html')
        return { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' };
      if (request.path === '/broken')
        return { headers: { 'content-type': 'application/json' }, body: '{"cut' };
      return { body: 'plain words' };
    });
  });
  afterAll(() => server.close());

  it('sends objects as JSON and parses JSON answers', async () => {
    const response = await http.post(`${server.baseUrl}/json`, { recipient: { ids: ['1'] } });
    expect(response.data).toEqual({ ok: true, echo: '{"recipient":{"ids":["1"]}}' });
    expect(server.requests.at(-1)?.headers['content-type']).toMatch(/^application\/json/);
    expect(server.requests.at(-1)?.headers.accept).toBe('application/json, text/plain, */*');
  });

  it('keeps one header bucket in the defaults, and request headers still override it', async () => {
    expect(Object.keys(http.defaults.headers)).toEqual(['common']);
    await http.get(`${server.baseUrl}/json`, { headers: { Accept: 'text/plain', 'X-Trace': 't1' } });
    expect(server.requests.at(-1)?.headers).toMatchObject({ accept: 'text/plain', 'x-trace': 't1' });
  });

  it('leaves form bodies and strings to axios as before', async () => {
    await http.post(`${server.baseUrl}/json`, 'a=1&b=2', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(server.requests.at(-1)?.body).toBe('a=1&b=2');
  });

  it('parses JSON that Graph labels text/javascript', async () => {
    expect((await http.get(`${server.baseUrl}/js`)).data).toEqual({ legacy: 1 });
  });

  it('keeps non-JSON and unparsable bodies as text for the error classifier', async () => {
    expect((await http.get(`${server.baseUrl}/html`)).data).toBe('<html>Bad gateway</html>');
    expect((await http.get(`${server.baseUrl}/broken`)).data).toBe('{"cut');
    expect((await http.get(`${server.baseUrl}/plain`)).data).toBe('plain words');
  });

  it('goes direct when the environment names no proxy, and leaves proxies to axios when it does', () => {
    expect(createAxiosInstance({ env: {} }).defaults.proxy).toBe(false);
    expect(createAxiosInstance({ env: { NO_PROXY: 'localhost' } }).defaults.proxy).toBe(false);
    expect(
      createAxiosInstance({ env: { HTTPS_PROXY: 'http://proxy.internal:3128' } }).defaults.proxy,
    ).toBeUndefined();
    expect(proxyConfiguredInEnv({ http_proxy: 'http://proxy.internal:3128' })).toBe(true);
    expect(proxyConfiguredInEnv({ ALL_PROXY: 'socks5://proxy.internal' })).toBe(true);
    expect(proxyConfiguredInEnv({ HTTP_PROXY: '' })).toBe(false);
  });
});
