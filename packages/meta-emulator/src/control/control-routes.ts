import type { FastifyInstance } from 'fastify';
import type { EmulatorCore } from '../emulator-core';
import type { TokenKind } from '../emulator-entities';
import type { RateLimitOptions, TransientFaultOptions } from '../faults/fault-injector';
import type { CreateLeadInput } from '../lead-factory';
import type { EmulatorControl, TokenInvalidSubcode } from './emulator-control';

export const CONTROL_PREFIX = '/__control';

type Json = Record<string, unknown>;
type ControlRoute = [
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  run: (body: Json, query: Record<string, string | undefined>) => unknown,
];

function requireString(body: Json, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new RangeError(`body.${name} (string) is required`);
  return value;
}

function requireNumber(body: Json, name: string): number {
  const value = Number(body[name]);
  if (body[name] === undefined || !Number.isFinite(value))
    throw new RangeError(`body.${name} (number) is required`);
  return value;
}

/**
 * The HTTP twin of `EmulatorControl`, for tests that drive the emulator from another process.
 * Bodies are JSON; answers are JSON; a bad request answers 400 `{"error": "…"}`.
 */
export function registerControlRoutes(
  app: FastifyInstance,
  core: EmulatorCore,
  control: EmulatorControl,
  reset: () => void,
): void {
  const routes: ControlRoute[] = [
    ['POST', '/reset', () => (reset(), { ok: true })],
    ['GET', '/fixtures', () => core.fixtures],
    ['GET', '/clock', () => ({ now: control.now().toISOString(), ms: control.now().getTime() })],
    [
      'POST',
      '/clock/advance',
      (b) => (control.advanceClock(requireNumber(b, 'ms')), { now: control.now().toISOString() }),
    ],
    [
      'POST',
      '/clock/set',
      (b) => {
        const now = b.now;
        if (typeof now !== 'string' && typeof now !== 'number')
          throw new RangeError('body.now (ISO string or epoch ms) is required');
        control.setNow(now);
        return { now: control.now().toISOString() };
      },
    ],
    ['POST', '/oauth/next-dialog', (b) => (control.setNextDialogOutcome(b), { ok: true })],
    ['DELETE', '/oauth/next-dialog', () => (control.clearDialogOutcome(), { ok: true })],
    [
      'POST',
      '/tokens/issue',
      (b) => ({
        accessToken: control.issueUserToken({
          userId: b.userId as string | undefined,
          longLived: b.longLived as boolean | undefined,
        }),
      }),
    ],
    ['POST', '/tokens/expire', (b) => (control.expireToken(requireString(b, 'token')), { ok: true })],
    [
      'POST',
      '/tokens/invalidate',
      (b) => (
        control.invalidateToken(
          requireString(b, 'token'),
          requireNumber(b, 'subcode') as TokenInvalidSubcode,
        ),
        { ok: true }
      ),
    ],
    [
      'POST',
      '/users/password-change',
      (b) => (control.changePassword(requireString(b, 'userId')), { ok: true }),
    ],
    [
      'POST',
      '/permissions/remove',
      (b) => (
        control.removePermission(requireString(b, 'userId'), requireString(b, 'permission')),
        { ok: true }
      ),
    ],
    [
      'POST',
      '/permissions/grant',
      (b) => (
        control.grantPermission(requireString(b, 'userId'), requireString(b, 'permission')),
        { ok: true }
      ),
    ],
    [
      'POST',
      '/pages/remove-role',
      (b) => (control.removePageRole(requireString(b, 'userId'), requireString(b, 'pageId')), { ok: true }),
    ],
    [
      'POST',
      '/pages/remove-subscription',
      (b) => (control.removePageSubscription(requireString(b, 'pageId')), { ok: true }),
    ],
    ['GET', '/pages/subscription', (_b, q) => ({ fields: control.pageSubscription(q.pageId ?? '') })],
    [
      'POST',
      '/app/appsecret-proof',
      (b) => (control.requireAppsecretProof(b.required !== false), { ok: true }),
    ],
    ['POST', '/rate-limits', (b) => (control.rateLimit(b as unknown as RateLimitOptions), { ok: true })],
    [
      'POST',
      '/faults/transient',
      (b) => (control.injectTransientErrors(b as TransientFaultOptions), { ok: true }),
    ],
    ['POST', '/latency', (b) => (control.setLatency(requireNumber(b, 'ms')), { ok: true })],
    ['POST', '/usage', (b) => (control.setUsageBudget(b), { ok: true })],
    ['POST', '/faults/clear', () => (control.clearFaults(), { ok: true })],
    [
      'GET',
      '/calls',
      (_b, q) => {
        const entries = control.calls({
          method: q.method,
          path: q.path,
          pageId: q.pageId,
          tokenKind: q.tokenKind as TokenKind | undefined,
          since: q.since ? Number(q.since) : undefined,
        });
        return { count: entries.length, calls: entries };
      },
    ],
    ['DELETE', '/calls', () => (control.clearCalls(), { ok: true })],
    ['POST', '/leads', (b) => control.createLead(b as unknown as CreateLeadInput)],
    ['POST', '/webhooks/delivery', (b) => (control.setWebhookDelivery(b), { ok: true })],
    ['GET', '/webhooks/deliveries', () => ({ deliveries: control.webhookDeliveries() })],
    [
      'POST',
      '/webhooks/flush',
      async () => (await control.flushWebhooks(), { deliveries: control.webhookDeliveries() }),
    ],
    ['POST', '/workplace/rotate-token', () => ({ token: control.rotateWorkplaceToken() })],
    ['GET', '/workplace/messages', () => ({ messages: control.workplaceMessages() })],
    ['POST', '/scim/claim', (b) => (control.claimScimUser(requireString(b, 'id')), { ok: true })],
  ];

  for (const [method, path, run] of routes) {
    app.route({
      method,
      url: `${CONTROL_PREFIX}${path}`,
      handler: async (req, reply) => {
        try {
          const body = req.body && typeof req.body === 'object' ? (req.body as Json) : {};
          const result = await run(body, req.query as Record<string, string | undefined>);
          return reply
            .code(200)
            .header('content-type', 'application/json; charset=utf-8')
            .send(JSON.stringify(result));
        } catch (error) {
          return reply.code(400).send({ error: error instanceof Error ? error.message : String(error) });
        }
      },
    });
  }
  app.all(`${CONTROL_PREFIX}/*`, async (req, reply) =>
    reply.code(404).send({ error: `no control call ${req.method} ${req.url.split('?')[0]}; see the README` }),
  );
}
