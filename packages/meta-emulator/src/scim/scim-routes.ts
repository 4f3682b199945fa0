import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorCore } from '../emulator-core';
import type { ScimUser } from '../emulator-entities';
import { ScimError } from './scim-error';
import { applyPatch, parseScimFilter, renderScimUser, SCIM_SCHEMAS, userFromBody } from './scim-users';

export const SCIM_PREFIX = '/scim/v2';
const CONTENT_TYPE = 'application/scim+json; charset=utf-8';
const MAX_COUNT = 100;

type Json = Record<string, unknown>;

function baseUrl(req: FastifyRequest): string {
  return `http://${req.headers.host ?? 'localhost'}${SCIM_PREFIX}`;
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-type', CONTENT_TYPE)
    .send(body === undefined ? '' : JSON.stringify(body));
}

function authorise(req: FastifyRequest, core: EmulatorCore): void {
  const header = req.headers.authorization ?? '';
  const token = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '';
  if (token === '') throw new ScimError(401, 'Authorization: Bearer <token> is required');
  if (token !== core.fixtures.scim.token)
    throw new ScimError(401, 'The bearer token is invalid or has been revoked');
}

function findUser(core: EmulatorCore, id: string): ScimUser {
  const user = core.state.scimUsers.get(id);
  if (!user) throw new ScimError(404, `User ${id} not found`);
  return user;
}

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new ScimError(400, `${name} must be an integer`, 'invalidValue');
  return n;
}

/**
 * SCIM 2.0 (RFC 7643/7644) Users under `/scim/v2`, as Workplace exposes it: bearer token,
 * `eq`-only filters, 1-based paging, PatchOp, 412 when deleting a claimed account.
 */
export function registerScimRoutes(app: FastifyInstance, core: EmulatorCore): void {
  const handle =
    (fn: (req: FastifyRequest, reply: FastifyReply) => unknown) =>
    async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      try {
        if (core.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, core.faults.latencyMs));
        authorise(req, core);
        return (await fn(req, reply)) as FastifyReply;
      } catch (error) {
        if (error instanceof ScimError) return send(reply, error.status, error.toBody());
        throw error;
      }
    };

  app.get(
    `${SCIM_PREFIX}/Users`,
    handle((req, reply) => {
      const query = req.query as Record<string, string | undefined>;
      const startIndex = Math.max(1, positiveInt(query.startIndex, 1, 'startIndex'));
      const count = Math.min(MAX_COUNT, Math.max(0, positiveInt(query.count, MAX_COUNT, 'count')));
      const keep = query.filter ? parseScimFilter(query.filter) : () => true;
      const matching = [...core.state.scimUsers.values()].filter(keep);
      const pageItems = matching.slice(startIndex - 1, startIndex - 1 + count);
      return send(reply, 200, {
        schemas: [SCIM_SCHEMAS.list],
        totalResults: matching.length,
        itemsPerPage: pageItems.length,
        startIndex,
        Resources: pageItems.map((u) => renderScimUser(u, baseUrl(req))),
      });
    }),
  );

  app.post(
    `${SCIM_PREFIX}/Users`,
    handle((req, reply) => {
      const fields = userFromBody(req.body, core);
      const now = core.clock.now();
      const user: ScimUser = {
        ...fields,
        id: core.state.newId(),
        claimed: false,
        createdAt: now,
        lastModified: now,
        version: 1,
      };
      core.state.scimUsers.set(user.id, user);
      return send(
        reply.header('location', `${baseUrl(req)}/Users/${user.id}`),
        201,
        renderScimUser(user, baseUrl(req)),
      );
    }),
  );

  app.get(
    `${SCIM_PREFIX}/Users/:id`,
    handle((req, reply) => {
      const { id } = req.params as { id: string };
      return send(reply, 200, renderScimUser(findUser(core, id), baseUrl(req)));
    }),
  );

  app.put(
    `${SCIM_PREFIX}/Users/:id`,
    handle((req, reply) => {
      const { id } = req.params as { id: string };
      const user = findUser(core, id);
      Object.assign(user, userFromBody(req.body, core, id), {
        lastModified: core.clock.now(),
        version: user.version + 1,
      });
      return send(reply, 200, renderScimUser(user, baseUrl(req)));
    }),
  );

  app.patch(
    `${SCIM_PREFIX}/Users/:id`,
    handle((req, reply) => {
      const { id } = req.params as { id: string };
      const user = findUser(core, id);
      const body = (req.body ?? {}) as Json;
      if (!Array.isArray(body.schemas) || !body.schemas.includes(SCIM_SCHEMAS.patch)) {
        throw new ScimError(
          400,
          `A PATCH body must declare the schema ${SCIM_SCHEMAS.patch}`,
          'invalidSyntax',
        );
      }
      if (!Array.isArray(body.Operations) || body.Operations.length === 0)
        throw new ScimError(400, 'Operations must be a non-empty array', 'invalidSyntax');
      // Apply to a copy so a failing operation leaves the user untouched (PATCH is atomic, RFC 7644 §3.5.2).
      const draft: ScimUser = structuredClone(user);
      for (const op of body.Operations as Json[]) applyPatch(draft, op, core);
      Object.assign(user, draft, { lastModified: core.clock.now(), version: user.version + 1 });
      return send(reply, 200, renderScimUser(user, baseUrl(req)));
    }),
  );

  app.delete(
    `${SCIM_PREFIX}/Users/:id`,
    handle((req, reply) => {
      const { id } = req.params as { id: string };
      const user = findUser(core, id);
      if (user.claimed)
        throw new ScimError(
          412,
          `User ${id} has claimed their account and cannot be deleted; deactivate it with active=false`,
        );
      core.state.scimUsers.delete(id);
      return reply.code(204).send();
    }),
  );

  app.get(
    `${SCIM_PREFIX}/ServiceProviderConfig`,
    handle((_req, reply) =>
      send(reply, 200, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        patch: { supported: true },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
        filter: { supported: true, maxResults: MAX_COUNT },
        changePassword: { supported: false },
        sort: { supported: false },
        etag: { supported: false },
        authenticationSchemes: [
          {
            type: 'oauthbearertoken',
            name: 'OAuth Bearer Token',
            description: 'Authentication using a bearer token',
            primary: true,
          },
        ],
      }),
    ),
  );

  app.all(
    `${SCIM_PREFIX}/*`,
    handle((req) => {
      throw new ScimError(404, `No SCIM resource at ${req.url.split('?')[0]}`);
    }),
  );
}
