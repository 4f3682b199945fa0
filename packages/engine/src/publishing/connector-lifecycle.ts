import type { LifecycleSpec } from '@flowcard/schemas';
import { publishingCodes as codes } from '../errors/codes/publishing-codes';
import { FlowcardError } from '../errors/flowcard-error';
import type { ConnectorRegistry } from '../registry/connector-registry';

/** Where a connector major stands, as the flow engine needs to know it before running one of its cards. */
export interface ConnectorLifecycleStatus {
  /** `<name>@<major>` */
  readonly connector: string;
  /** The version this process runs for that major. */
  readonly version: string;
  /** The manifest's lifecycle, or the one set since with `flowcard connector lifecycle`. */
  readonly lifecycle: LifecycleSpec;
  /** Deprecated or sunset: enabling a flow on it should warn with `message`. */
  readonly warn: boolean;
  /**
   * Sunset, and its `sunsetAt` has come (or it names no date): the service is gone, so a run should
   * fail with `message` (connectorSunsetError) rather than with the network error the call would give.
   */
  readonly gone: boolean;
  /** The lifecycle's message, or a plain sentence when it has none (an active connector). */
  readonly message: string;
}

/**
 * The lifecycle of the connector major this process runs, read from the registry at call time so a
 * lifecycle set through the API (and hot-loaded by PublishedConnectorLoader) counts from the next
 * step on. Undefined when that major is not loaded. `now` decides whether `sunsetAt` has come.
 */
export function connectorLifecycleOf(
  registry: ConnectorRegistry,
  name: string,
  major: number,
  now: Date = new Date(),
): ConnectorLifecycleStatus | undefined {
  const connector = registry.get(name, major);
  if (!connector) return undefined;
  const { lifecycle, title, version } = connector.manifest;
  const sunsetAt = lifecycle.sunsetAt === undefined ? undefined : Date.parse(lifecycle.sunsetAt);
  return {
    connector: `${name}@${major}`,
    version,
    lifecycle,
    warn: lifecycle.status !== 'active',
    gone: lifecycle.status === 'sunset' && (sunsetAt === undefined || sunsetAt <= now.getTime()),
    message: lifecycle.message ?? `${title} is ${lifecycle.status}.`,
  };
}

/**
 * The error a step of a gone connector fails with (FLOWCARD_ERR_CONNECTOR_SUNSET, signal `invalid`:
 * never retried). `cause` keeps the network error it replaces, for logs.
 */
export function connectorSunsetError(status: ConnectorLifecycleStatus, cause?: unknown): FlowcardError {
  return new FlowcardError(
    codes.FLOWCARD_ERR_CONNECTOR_SUNSET,
    { connector: status.connector, message: status.message },
    cause === undefined ? undefined : { cause },
  );
}
