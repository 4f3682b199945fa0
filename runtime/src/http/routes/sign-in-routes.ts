import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RuntimeTokens } from '../../container/runtime-tokens';
import { normalisedEmail } from '../../people/field-problem';
import type { SignedIn } from '../../people/people-service';
import { PeopleTokens } from '../../people/people-tokens';
import { SESSION_COOKIE } from '../../people/session-token';
import { apiError } from '../errors/api-error';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';
import { emailField, nameField, passwordField, signedInSchema } from './people-schemas';

/** Sign-in attempts are counted per 15 minutes, per account and per client address. */
export const SIGN_IN_WINDOW_MS = 15 * 60_000;

interface SetupBody {
  workspaceName: string;
  name: string;
  email: string;
  password: string;
}
interface SignInBody {
  email: string;
  password: string;
}

/**
 * First-run setup, sign-in and sign-out of the Studio. Setup and sign-in are public and answer the
 * session cookie (`flowcard_session`: HttpOnly, SameSite=Lax, Path=/, Secure when the public URL is
 * https) plus the CSRF token; sign-out needs the session.
 */
export const signInRoutes = defineRouteModule({
  name: 'sign-in',
  description: 'First-run setup, email + password sign-in and sign-out (session cookie)',
  prefix: '/v1',
  dependencies: {
    people: PeopleTokens.people,
    sessions: PeopleTokens.sessions,
    config: RuntimeTokens.config,
    redis: RuntimeTokens.redis,
  },
  async register(app, { people, sessions, config, redis }) {
    const secure = config.publicUrl.startsWith('https:');
    const setSessionCookie = async (
      request: FastifyRequest,
      reply: FastifyReply,
      signedIn: SignedIn,
    ): Promise<void> => {
      // A browser signing in again (or as someone else) ends the session it had: one per browser.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await sessions.end(previous);
      reply.setCookie(SESSION_COOKIE, signedIn.started.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        // The browser forgets it at the absolute expiry; the server enforces both expiries anyway.
        maxAge: Math.floor(sessions.maxMs / 1000),
      });
    };
    const answer = (signedIn: SignedIn) => ({
      user: { id: signedIn.user.id, name: signedIn.user.name, email: signedIn.user.email },
      workspace: { id: signedIn.workspace.id, name: signedIn.workspace.name },
      role: signedIn.role,
      csrfToken: signedIn.started.csrfToken,
    });

    // Counters live in Redis, so every API process shares them. Only createRateLimit is used:
    // no route is limited implicitly.
    await app.register(rateLimit, {
      global: false,
      redis,
      nameSpace: `${config.redisPrefix}:sign-in-attempts:`,
      skipOnError: false,
    });
    const perIp = app.createRateLimit({
      max: config.sessions.attemptsPerIp,
      timeWindow: SIGN_IN_WINDOW_MS,
      keyGenerator: (request) => `ip:${request.ip}`,
    });
    const perAccount = app.createRateLimit({
      max: config.sessions.attemptsPerAccount,
      timeWindow: SIGN_IN_WINDOW_MS,
      keyGenerator: (request) =>
        `account:${normalisedEmail((request.body as Partial<SignInBody> | undefined)?.email ?? '')}`,
    });
    const limit = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      for (const limiter of [perIp, perAccount]) {
        const outcome = await limiter(request);
        if (!outcome.isAllowed && outcome.isExceeded) {
          reply.header('retry-after', String(outcome.ttlInSeconds));
          request.log.warn({ limit: outcome.key.split(':')[0] }, 'sign-in attempts rate-limited');
          throw apiError('FLOWCARD_ERR_SIGN_IN_RATE_LIMITED', { seconds: outcome.ttlInSeconds });
        }
      }
    };

    app.get(
      '/setup',
      {
        config: { public: true },
        schema: {
          summary: 'Whether first-run setup is needed (true while no user exists)',
          response: {
            200: { type: 'object', required: ['needed'], properties: { needed: { type: 'boolean' } } },
          },
        },
      },
      async () => ({ needed: await people.setupNeeded() }),
    );

    app.post<{ Body: SetupBody }>(
      '/setup',
      {
        config: { public: true },
        schema: {
          summary: 'First run: create the workspace and its owner, and sign the owner in',
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['workspaceName', 'name', 'email', 'password'],
            properties: {
              workspaceName: nameField,
              name: nameField,
              email: emailField,
              password: passwordField,
            },
          },
          response: { 201: signedInSchema, ...errorResponses(400, 409) },
        },
      },
      async (request, reply) => {
        const signedIn = await people.setup(request.body);
        await setSessionCookie(request, reply, signedIn);
        return reply.status(201).send(answer(signedIn));
      },
    );

    app.post<{ Body: SignInBody }>(
      '/auth/sign-in',
      {
        config: { public: true },
        schema: {
          summary: 'Sign in with email and password: answers the session cookie and the CSRF token',
          description: `Rate-limited: ${config.sessions.attemptsPerAccount} attempts per account and ${config.sessions.attemptsPerIp} per client address in 15 minutes (429 with Retry-After).`,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['email', 'password'],
            // No length rules on sign-in: a wrong password of any length is just wrong.
            properties: { email: emailField, password: { type: 'string', maxLength: 1000 } },
          },
          response: { 200: signedInSchema, ...errorResponses(400, 401, 403, 429) },
        },
      },
      async (request, reply) => {
        await limit(request, reply);
        const signedIn = await people.signIn(request.body);
        await setSessionCookie(request, reply, signedIn);
        return answer(signedIn);
      },
    );

    app.post(
      '/auth/sign-out',
      {
        schema: {
          summary: 'Sign out: the session is deleted and the cookie cleared',
          response: { 204: { type: 'null' }, ...errorResponses(401, 403) },
        },
      },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await sessions.end(token);
        reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
        return reply.status(204).send();
      },
    );
  },
});
