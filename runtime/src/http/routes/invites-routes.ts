import type { FastifyReply } from 'fastify';
import { RuntimeTokens } from '../../container/runtime-tokens';
import { PeopleTokens } from '../../people/people-tokens';
import { SESSION_COOKIE } from '../../people/session-token';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';
import { nameField, passwordField, roleField, signedInSchema } from './people-schemas';

const tokenParams = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', minLength: 1, description: 'The token of the invite link' } },
} as const;

/**
 * The public side of an invite link (`<public url>/invite/<token>`): what it invites to, and
 * accepting it. The token never reaches a log line (the request URL is masked).
 */
export const invitesRoutes = defineRouteModule({
  name: 'invites',
  description: 'Open and accept an invite link (public)',
  prefix: '/v1/invites',
  dependencies: {
    invites: PeopleTokens.invites,
    sessions: PeopleTokens.sessions,
    config: RuntimeTokens.config,
  },
  register(app, { invites, sessions, config }) {
    const secure = config.publicUrl.startsWith('https:');
    const setSessionCookie = (reply: FastifyReply, token: string): void => {
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        maxAge: Math.floor(sessions.maxMs / 1000),
      });
    };

    app.get<{ Params: { token: string } }>(
      '/:token',
      {
        config: { public: true },
        schema: {
          summary: 'What an invite link invites to (404 unknown, 410 expired, used or withdrawn)',
          params: tokenParams,
          response: {
            200: {
              type: 'object',
              required: ['email', 'workspaceName', 'role', 'expiresAt', 'accountExists'],
              properties: {
                email: { type: 'string' },
                workspaceName: { type: 'string' },
                role: roleField,
                expiresAt: { type: 'string', format: 'date-time' },
                accountExists: {
                  type: 'boolean',
                  description:
                    "The email already has an account: accept with that account's password (no name)",
                },
              },
            },
            ...errorResponses(404, 410),
          },
        },
      },
      async (request) => invites.preview(request.params.token),
    );

    app.post<{ Params: { token: string }; Body: { name?: string; password: string } }>(
      '/:token/accept',
      {
        config: { public: true },
        schema: {
          summary:
            'Accept an invite: a new account (name + password) or an existing one (its password); answers the session cookie',
          params: tokenParams,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['password'],
            properties: {
              name: { ...nameField, description: 'Required for a new account; ignored for an existing one' },
              password: passwordField,
            },
          },
          response: { 201: signedInSchema, ...errorResponses(400, 401, 404, 410) },
        },
      },
      async (request, reply) => {
        const signedIn = await invites.accept(request.params.token, request.body);
        // The browser's earlier session (someone else's, perhaps) ends: one session per browser.
        const previous = request.cookies[SESSION_COOKIE];
        if (previous) await sessions.end(previous);
        setSessionCookie(reply, signedIn.started.token);
        return reply.status(201).send({
          user: { id: signedIn.user.id, name: signedIn.user.name, email: signedIn.user.email },
          workspace: { id: signedIn.workspace.id, name: signedIn.workspace.name },
          role: signedIn.role,
          csrfToken: signedIn.started.csrfToken,
        });
      },
    );
  },
});
