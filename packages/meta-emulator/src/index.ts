import type { AddressInfo } from 'node:net';
import { EmulatorControl } from './control/emulator-control';
import { EmulatorCore } from './emulator-core';
import type { EmulatorFixtures } from './emulator-fixtures';
import { buildHttpServer } from './http-server';
import { SCIM_PREFIX } from './scim/scim-routes';
import { DEFAULT_APP_ID, DEFAULT_APP_SECRET } from './seed-state';

export interface MetaEmulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default true: pages, forms, leads, Workplace community and SCIM users. false: app, users and Workplace integration only. */
  seed?: boolean;
  appId?: string;
  appSecret?: string;
  /** Default false. When true, user and page token calls without a valid appsecret_proof fail with code 100. */
  requireAppsecretProof?: boolean;
  /** Fastify request logging is off; only `false` is accepted, kept for symmetry with other servers. */
  logger?: false;
}

export interface MetaEmulator {
  /** `http://127.0.0.1:PORT`: Graph at `/v25.0/...`, any `/vNN.N/...`, and unversioned paths. */
  readonly baseUrl: string;
  /** Same as baseUrl: Facebook Graph and Workplace Graph share the API. */
  readonly graphUrl: string;
  /** Base of the login dialog: `${dialogUrl}/v25.0/dialog/oauth?...`. */
  readonly dialogUrl: string;
  /** SCIM 2.0 base: `${scimUrl}/Users`. */
  readonly scimUrl: string;
  readonly app: { id: string; secret: string };
  /** Deterministic ids and tokens of the seed data (restored by reset). */
  readonly fixtures: EmulatorFixtures;
  readonly control: EmulatorControl;
  /** Back to the seed state: data, tokens, clock, faults, call log, webhook log. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts the emulator on a real HTTP port and resolves once it listens. */
export async function startMetaEmulator(options: MetaEmulatorOptions = {}): Promise<MetaEmulator> {
  const core = new EmulatorCore({
    appId: options.appId ?? DEFAULT_APP_ID,
    appSecret: options.appSecret ?? DEFAULT_APP_SECRET,
    requireAppsecretProof: options.requireAppsecretProof ?? false,
    seed: options.seed ?? true,
  });
  const control = new EmulatorControl(core);
  const reset = (): void => core.reset();
  const server = await buildHttpServer(core, control, reset);
  const host = options.host ?? '127.0.0.1';
  await server.listen({ port: options.port ?? 0, host });
  const { port } = server.server.address() as AddressInfo;
  // A wildcard bind is reachable on loopback; advertise that rather than an unroutable 0.0.0.0.
  const advertised =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${advertised}:${port}`;
  return {
    baseUrl,
    graphUrl: baseUrl,
    dialogUrl: baseUrl,
    scimUrl: `${baseUrl}${SCIM_PREFIX}`,
    app: { id: core.state.app.id, secret: core.state.app.secret },
    get fixtures() {
      return core.fixtures;
    },
    control,
    reset,
    close: async () => {
      await core.webhooks.flush();
      await server.close();
    },
  };
}

export { EmulatorControl } from './control/emulator-control';
export type { CreatedLead, TokenInvalidSubcode } from './control/emulator-control';
export type { DialogOutcome } from './emulator-core';
export type {
  EmulatorFixtures,
  FixtureGroup,
  FixtureLead,
  FixtureMember,
  FixturePage,
  FixtureScimUser,
  FixtureUser,
} from './emulator-fixtures';
export type { TokenKind, WorkplaceMessage, LeadFieldData } from './emulator-entities';
export type { CallLogEntry, CallLogFilter } from './faults/call-log';
export type { RateLimitOptions, TransientFaultOptions } from './faults/fault-injector';
export type { UsageBudgetOptions } from './faults/usage-meter';
export type { RateLimitCode } from './graph-errors';
export type { GraphErrorEnvelope } from './graph-error';
export type { CreateLeadInput } from './lead-factory';
export type { WebhookDelivery, WebhookDeliveryOptions } from './webhooks/webhook-dispatcher';
