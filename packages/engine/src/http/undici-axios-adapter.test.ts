import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import axios, { AxiosError } from 'axios';
import { createUndiciAdapter } from './undici-axios-adapter';

/** A raw node:http server: these tests need slow answers, compressed bodies and chunked ones. */
async function startServer(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

async function rejection(promise: Promise<unknown>): Promise<AxiosError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AxiosError) return error;
    throw new Error(`expected an AxiosError, got ${String(error)}`);
  }
  throw new Error('expected the request to fail');
}

describe('the undici axios adapter', () => {
  const client = axios.create({ adapter: createUndiciAdapter(), proxy: false });
  let server: { url: string; close(): Promise<void> };
  const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = await startServer(async (req, res) => {
      const body = await readBody(req);
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/slow') {
        setTimeout(() => res.end('late'), 2_000).unref();
        return;
      }
      if (path === '/gzip') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync(JSON.stringify({ packed: true })));
        return;
      }
      if (path === '/chunked') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('a'.repeat(600));
        res.end('b'.repeat(600));
        return;
      }
      if (path === '/missing') {
        res.writeHead(404, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
        res.end('{"error":{"message":"gone"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-app-usage': '{"call_count":3}' });
      res.end(JSON.stringify({ method: req.method, body }));
    });
  });
  afterAll(() => server.close());

  it('sends method, headers, query and body, and answers through axios transforms', async () => {
    const response = await client.post(
      `${server.url}/echo`,
      { hello: 'world' },
      { params: { fields: 'id,name' }, headers: { 'X-Trace': 'abc' } },
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ method: 'POST', body: '{"hello":"world"}' });
    expect(response.headers['x-app-usage']).toBe('{"call_count":3}');
    const request = seen.at(-1);
    expect(request?.url).toBe('/echo?fields=id,name');
    expect(request?.headers['x-trace']).toBe('abc');
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
  });

  it('rejects a status validateStatus refuses with the response attached, as axios does', async () => {
    const error = await rejection(client.get(`${server.url}/missing`));
    expect(error.code).toBe(AxiosError.ERR_BAD_REQUEST);
    expect(error.response?.status).toBe(404);
    expect(error.response?.data).toEqual({ error: { message: 'gone' } });
    expect(error.response?.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('times out a slow answer with ECONNABORTED, like the node adapter', async () => {
    const error = await rejection(client.get(`${server.url}/slow`, { timeout: 50 }));
    expect(error.code).toBe('ECONNABORTED');
    expect(error.message).toBe('timeout of 50ms exceeded');
  });

  it('cancels on the caller signal with ERR_CANCELED', async () => {
    const controller = new AbortController();
    const pending = client.get(`${server.url}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(pending);
    expect(axios.isCancel(error)).toBe(true);
    expect(error.code).toBe('ERR_CANCELED');
    const already = new AbortController();
    already.abort();
    expect((await rejection(client.get(`${server.url}/echo`, { signal: already.signal }))).code).toBe(
      'ERR_CANCELED',
    );
  });

  it('keeps the system error code of a refused connection', async () => {
    const closed = await startServer((_req, res) => res.end());
    const url = closed.url;
    await closed.close();
    const error = await rejection(client.get(`${url}/anything`));
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('decodes gzip answers', async () => {
    expect((await client.get(`${server.url}/gzip`)).data).toEqual({ packed: true });
  });

  it('enforces maxContentLength on bodies without a length too', async () => {
    const error = await rejection(client.get(`${server.url}/chunked`, { maxContentLength: 1_000 }));
    expect(error.code).toBe(AxiosError.ERR_BAD_RESPONSE);
    expect(error.message).toBe('maxContentLength size of 1000 exceeded');
    expect((await client.get(`${server.url}/chunked`, { maxContentLength: 5_000 })).data).toHaveLength(1_200);
  });

  it('answers arraybuffer and stream response types', async () => {
    const bytes = await client.get(`${server.url}/chunked`, { responseType: 'arraybuffer' });
    expect(Buffer.isBuffer(bytes.data)).toBe(true);
    expect((bytes.data as Buffer).length).toBe(1_200);
    const streamed = await client.get(`${server.url}/chunked`, { responseType: 'stream' });
    let text = '';
    for await (const chunk of streamed.data as Readable) text += String(chunk);
    expect(text).toHaveLength(1_200);
  });

  it('refuses a body it cannot send instead of sending something else', async () => {
    const error = await rejection(
      client.post(`${server.url}/echo`, new Map([['a', 1]]), { transformRequest: [(data: unknown) => data] }),
    );
    expect(error.code).toBe(AxiosError.ERR_BAD_REQUEST);
    expect(error.message).toMatch(/sends strings, buffers and streams; got \[object Map\]/);
  });

  it('reuses the connection with keep-alive and closes it when keep-alive is off', async () => {
    await client.get(`${server.url}/echo`);
    expect(seen.at(-1)?.headers.connection).not.toBe('close');
    const closing = axios.create({ adapter: createUndiciAdapter({ keepAlive: false }), proxy: false });
    await closing.get(`${server.url}/echo`);
    expect(seen.at(-1)?.headers.connection).toBe('close');
  });
});
