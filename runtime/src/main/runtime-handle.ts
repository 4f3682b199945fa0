import type { Container } from 'inversify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ResolvedConfig, RuntimeRole } from '../config/runtime-config';

/** A started runtime: what it plays, where it listens, and how to stop it. */
export interface RuntimeHandle {
  readonly roles: readonly RuntimeRole[];
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  readonly container: Container;
  /** Present when the runtime plays `api`. */
  readonly http?: {
    readonly app: FastifyInstance;
    readonly url: string;
    /** The Studio web app (served by the API at `/`). */
    readonly studioUrl: string;
    readonly docsUrl: string;
  };
  /** Names of the background services started for the roles. */
  readonly services: readonly string[];
  /** Stops services, the API, connections and every embedded stand-in; safe to call twice. */
  stop(): Promise<void>;
}
