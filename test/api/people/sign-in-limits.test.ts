import { createAdmin, getBound, Ports } from '@flowcard/runtime';
import { PeopleTokens } from '../../../runtime/src/people/people-tokens';
import { startTestRuntime, type TestRuntime } from '../support/start-test-runtime';
import { Browser, cookieAttributes } from './support/browser';

const PASSWORD = 'correct horse battery staple';

/**
 * Sign-in rate limits (per account, per client address; counters in Redis) and the Secure cookie
 * behind an https public URL. Small limits through the environment keep the file short.
 */
describe('sign-in limits and the Secure cookie', () => {
  let runtime: TestRuntime;

  beforeAll(async () => {
    runtime = await startTestRuntime(__filename, {
      env: {
        FLOWCARD_PUBLIC_URL: 'https://flowcard.example.com',
        FLOWCARD_SIGN_IN_ATTEMPTS_PER_ACCOUNT: '3',
        FLOWCARD_SIGN_IN_ATTEMPTS_PER_IP: '6',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it('marks the session cookie Secure when the public URL is https', async () => {
    const owner = new Browser(runtime.url);
    const created = await owner.post('/v1/setup', {
      workspaceName: 'Acme',
      name: 'Ada',
      email: 'ada@example.com',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(cookieAttributes(created.setCookies[0]!)).toMatchObject({
      secure: true,
      httponly: true,
      samesite: 'Lax',
      path: '/',
    });
  });

  it('limits attempts per account, then per client address, answering 429 with Retry-After', async () => {
    const bob = await createAdmin(
      {
        users: getBound(runtime.handle.container, Ports.users),
        workspaces: getBound(runtime.handle.container, Ports.workspaces),
      },
      { email: 'bob@example.com', workspace: 'Acme', role: 'member' },
    );
    await getBound(runtime.handle.container, PeopleTokens.people).setPassword(bob.user.id, PASSWORD);
    const browser = new Browser(runtime.url);
    const signIn = (email: string, password: string) => browser.post('/v1/auth/sign-in', { email, password });

    // Three wrong passwords for Ada: each one an ordinary refusal.
    for (let attempt = 1; attempt <= 3; attempt += 1)
      expect({ attempt, status: (await signIn('ada@example.com', 'guess guess')).status }).toEqual({
        attempt,
        status: 401,
      });
    // The fourth attempt on her account is refused even with the right password.
    const limited = await signIn('ada@example.com', PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('FLOWCARD_ERR_SIGN_IN_RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(limited.body.error.message).toBe(`Too many sign-in attempts; try again in ${retryAfter} seconds`);
    expect(limited.setCookies).toEqual([]);

    // Another account from the same address still signs in (attempt 5 of 6 from this address)…
    expect((await signIn('bob@example.com', PASSWORD)).status).toBe(200);
    expect((await signIn('nobody@example.com', PASSWORD)).status).toBe(401);
    // …until the address has used its six attempts.
    const byAddress = await signIn('bob@example.com', PASSWORD);
    expect(byAddress.status).toBe(429);
    expect(byAddress.body.error.code).toBe('FLOWCARD_ERR_SIGN_IN_RATE_LIMITED');
    expect(Number(byAddress.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('logs that a limit was hit without the email or password', () => {
    const lines = runtime
      .logs()
      .split('\n')
      .filter((line) => line.includes('sign-in attempts rate-limited'));
    expect(lines.length).toBe(2);
    expect(lines.join('\n')).not.toContain('ada@example.com');
    expect(runtime.logs()).not.toContain(PASSWORD);
  });
});
