import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/runtime-config';
import { logCaptureDestination } from './log-capture';
import { redactPaths } from './redact-paths';

export type { Logger } from 'pino';

/**
 * The runtime's root logger: JSON lines, secrets redacted (redact-paths.ts), query strings carrying
 * tokens masked by the request serializer. `destination` lets tests capture output.
 *
 * When FLOWCARD_LOG_CAPTURE_DIR is set (test runs), every line is also appended to
 * `<dir>/<pid>.log` at every level down to trace, whatever LOG_LEVEL says: the capture exists to
 * prove no secret reaches a log line, and a debug line that leaks would leak the day someone turns
 * debug on. The usual destination still gets only LOG_LEVEL and above.
 */
export function createLogger(options: {
  level: LogLevel;
  destination?: DestinationStream;
  name?: string;
}): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  const capture = logCaptureDestination();
  return pino(
    {
      name: options.name ?? 'flowcard',
      level: capture ? 'trace' : options.level,
      redact: { paths: [...redactPaths], censor: '[redacted]' },
      serializers: {
        req: (req: { method?: string; url?: string; id?: unknown }) => ({
          id: req.id,
          method: req.method,
          url: maskQuerySecrets(req.url),
        }),
        err: pino.stdSerializers.err,
      },
    },
    capture ? teeWithCapture(destination, options.level, capture) : destination,
  );
}

/**
 * The usual destination at the configured level plus the capture at every level. pino's
 * multistream has no `flush`, so the usual destination's is passed through: `logger.flush()` at
 * shutdown must still drain stdout.
 */
function teeWithCapture(
  destination: DestinationStream,
  level: LogLevel,
  capture: DestinationStream,
): DestinationStream {
  const streams = pino.multistream([
    { level, stream: destination },
    { level: 'trace', stream: capture },
  ]);
  const flushable = destination as DestinationStream & {
    flush?: (callback?: (error?: Error) => void) => void;
  };
  return Object.assign(streams, {
    flush: (callback?: (error?: Error) => void): void => {
      if (typeof flushable.flush === 'function') flushable.flush(callback);
      else callback?.();
    },
  });
}

const secretQueryParams =
  /([?&](?:access_token|token|code|client_secret|appsecret_proof|fb_exchange_token|input_token|state|hub\.verify_token|verify_token)=)[^&#]*/gi;

/**
 * Invite links carry their single-use token in the path (the Studio page /invite/<token>, the API
 * /v1/invites/<token>[/accept]), and so do the incoming webhook URLs of core/webhook flows
 * (/v1/hooks/<token>).
 */
const secretPathSegments = /(\/v1\/(?:invites|hooks)\/|^\/invite\/)[^/?#]+/g;

/**
 * Masks token-bearing query parameters (OAuth callbacks and Graph calls carry them) and the token
 * in an invite or webhook route's path.
 */
export function maskQuerySecrets(url: string | undefined): string | undefined {
  return url?.replace(secretQueryParams, '$1[redacted]').replace(secretPathSegments, '$1[redacted]');
}
