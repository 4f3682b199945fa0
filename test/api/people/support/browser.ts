/**
 * A minimal browser for API tests: keeps the cookies the API sets (by name, honouring Max-Age=0
 * as deletion), sends them back, and adds the CSRF token it was last given to unsafe requests
 * unless told otherwise. Answers are parsed as JSON when they have a body.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely and assert their shape
type AnswerBody = any;

export interface BrowserAnswer {
  readonly status: number;
  readonly body: AnswerBody;
  readonly headers: Headers;
  /** Raw Set-Cookie lines of this answer. */
  readonly setCookies: string[];
}

export interface BrowserRequest {
  readonly method?: string;
  readonly body?: unknown;
  /** `false` sends no x-csrf-token; a string sends that one instead of the remembered token. */
  readonly csrf?: false | string;
  readonly headers?: Record<string, string>;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(private readonly baseUrl: string) {}

  async request(path: string, init: BrowserRequest = {}): Promise<BrowserAnswer> {
    const method = init.method ?? 'GET';
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const csrf = init.csrf === undefined ? this.csrfToken : init.csrf;
    if (csrf && !['GET', 'HEAD'].includes(method)) headers['x-csrf-token'] = csrf;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      redirect: 'manual',
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const separator = pair!.indexOf('=');
      const name = pair!.slice(0, separator);
      const value = pair!.slice(separator + 1);
      const deleted =
        value === '' ||
        attributes.some((a) => /^max-age=0$/i.test(a)) ||
        attributes.some((a) => /^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now());
      if (deleted) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const body = text && type.includes('json') ? JSON.parse(text) : text || undefined;
    if (body && typeof body === 'object' && typeof body.csrfToken === 'string')
      this.csrfToken = body.csrfToken;
    return { status: response.status, body, headers: response.headers, setCookies };
  }

  get(path: string): Promise<BrowserAnswer> {
    return this.request(path);
  }

  post(
    path: string,
    body?: unknown,
    init: Omit<BrowserRequest, 'method' | 'body'> = {},
  ): Promise<BrowserAnswer> {
    return this.request(path, { ...init, method: 'POST', body });
  }
}

/** The attributes of one Set-Cookie line, lower-cased names, for assertions. */
export function cookieAttributes(line: string): Record<string, string | true> {
  const [, ...attributes] = line.split(';').map((part) => part.trim());
  return Object.fromEntries(
    attributes.map((attribute) => {
      const [name, ...value] = attribute.split('=');
      return [name!.toLowerCase(), value.length > 0 ? value.join('=') : true];
    }),
  );
}
