import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CardError,
  isCardError,
  type CardHttpClient,
  type CardHttpRequest,
  type CardLogger,
  type SerializedCardError,
} from '@flowcard/sdk';
import { cardErrorFor } from '../errors/classify-http-error';
import { classifyHandlerError } from '../errors/classify-handler-error';
import { executionCodes as codes } from '../errors/codes/execution-codes';
import type { ErrorCodeSpec } from '../errors/error-code';
import type { SandboxLimits } from './sandbox-limits';
import type { ModuleMap } from './sandbox-modules';

/** The child's entry: plain JavaScript, the only file the sandbox process may read. */
export const SANDBOX_CHILD_PATH = join(__dirname, 'sandbox-child.js');

/** One handler call as the sandbox process gets it; only what the step uses crosses over. */
export interface SandboxCall {
  /** `<connector>/<card>@<major>`, for error messages. */
  readonly card: string;
  /** Module path inside the bundle, e.g. "handlers/list-pages.ts". */
  readonly entry: string;
  /** The handler's second argument (input, or `{ input, cursor }` for a polling handler). */
  readonly arg: unknown;
  readonly config: Readonly<Record<string, unknown>>;
  /** Raw secrets: only for cards that declare `needsSecrets`. */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly connector: string;
  readonly cardKey: string;
  readonly now: Date;
  /** The host's client: credentials are applied here, outside the sandbox. */
  readonly http: CardHttpClient;
  readonly logger: CardLogger;
  /** Secret values to scrub from any message that comes back. */
  readonly redact: readonly string[];
}

interface LogLine {
  level: keyof CardLogger;
  message: string;
  fields?: Record<string, unknown>;
}

type ChildMessage =
  | { t: 'ready' }
  | { t: 'http'; id: number; seq: number; request: CardHttpRequest; logs?: LogLine[] }
  | { t: 'done'; id: number; output: unknown; logs?: LogLine[] }
  | { t: 'fail'; id: number; phase?: 'import' | 'export'; error: ErrorView; logs?: LogLine[] };

interface ErrorView {
  name: string;
  message: string;
  signal?: string;
  code?: string;
  [key: string]: unknown;
}

interface Current {
  readonly id: number;
  readonly call: SandboxCall;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: CardError) => void;
  readonly cpuAtStart: number;
  readonly wallTimer: NodeJS.Timeout;
}

interface Usage {
  cpuMs: number;
  rssMb: number;
}

const MONITOR_MS = 50;
const STDERR_KEPT = 4096;
const LOG_LEVELS = new Set(['debug', 'info', 'warn', 'error']);
const PAGE_BYTES = 4096;
const TICKS_PER_SECOND = 100;

/**
 * One sandbox process, bound to one connector bundle for its whole life (so no connector's code
 * ever shares a process with another connector's data). It runs one call at a time, and watches
 * the call's CPU time and the process's memory from outside (Linux /proc) and its wall time: over
 * a limit, the process is killed and the call fails with a classified error; the pool starts a
 * fresh process for the next call.
 */
export class SandboxProcess {
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  private current: Current | undefined;
  private nextId = 0;
  private stderr = '';
  private stop: { spec: ErrorCodeSpec; params: Record<string, unknown> } | undefined;
  private monitor: NodeJS.Timeout | undefined;
  private idleCpu = 0;
  private exited = false;

  constructor(
    readonly key: string,
    modules: ModuleMap,
    sdk: ModuleMap,
    private readonly limits: SandboxLimits,
  ) {
    this.child = spawn(
      process.execPath,
      [
        '--experimental-permission',
        `--allow-fs-read=${SANDBOX_CHILD_PATH}`,
        `--max-old-space-size=${Math.max(16, Math.floor(limits.memoryMb))}`,
        '--disable-warning=ExperimentalWarning',
        SANDBOX_CHILD_PATH,
      ],
      // No environment, no working folder of ours, no stdin/stdout: IPC is the only way in or out.
      { env: {}, cwd: '/', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' },
    );
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEPT);
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: ChildMessage): void => {
        if (message?.t !== 'ready') return;
        this.child.off('message', onMessage);
        resolve();
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (code, signal) =>
        reject(
          cardErrorFor(codes.FLOWCARD_ERR_SANDBOX_UNAVAILABLE, {
            reason: `the sandbox process ended while starting (${exitText(code, signal)})`,
          }),
        ),
      );
      this.child.once('error', (error) =>
        reject(cardErrorFor(codes.FLOWCARD_ERR_SANDBOX_UNAVAILABLE, { reason: error.message })),
      );
    });
    this.ready.catch(() => undefined);
    this.child.on('message', (message: ChildMessage) => this.onMessage(message));
    this.child.on('exit', (code, signal) => this.onExit(code, signal));
    this.child.on('error', () => undefined);
    this.child.send({ t: 'init', modules, sdk });
    this.monitor = setInterval(() => this.watch(), MONITOR_MS);
    this.monitor.unref();
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  get alive(): boolean {
    return !this.exited;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs one handler call; the answer is its output, or a classified CardError. */
  async run(call: SandboxCall): Promise<unknown> {
    await this.ready;
    if (this.exited)
      throw cardErrorFor(codes.FLOWCARD_ERR_SANDBOX_UNAVAILABLE, { reason: 'the sandbox process ended' });
    return new Promise<unknown>((resolve, reject) => {
      const id = ++this.nextId;
      const wallTimer = setTimeout(
        () => this.kill(codes.FLOWCARD_ERR_SANDBOX_WALL_LIMIT, { limitMs: this.limits.wallMs }),
        this.limits.wallMs,
      );
      this.current = {
        id,
        call,
        resolve,
        reject,
        cpuAtStart: usageOf(this.child.pid)?.cpuMs ?? 0,
        wallTimer,
      };
      this.child.send({
        t: 'call',
        id,
        entry: call.entry,
        arg: call.arg,
        ctx: {
          config: call.config,
          ...(call.secrets ? { secrets: call.secrets } : {}),
          connector: call.connector,
          card: call.cardKey,
          now: call.now.getTime(),
        },
      });
    });
  }

  /** Ends the process (idle or not); a call in flight fails with `spec`. */
  kill(
    spec: ErrorCodeSpec = codes.FLOWCARD_ERR_SANDBOX_UNAVAILABLE,
    params: Record<string, unknown> = {},
  ): void {
    if (this.exited) return;
    this.stop ??= { spec, params: { reason: 'the runtime stopped it', ...params } };
    this.child.kill('SIGKILL');
  }

  /** Resolves once the process has ended. */
  closed(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  private onMessage(message: ChildMessage): void {
    const current = this.current;
    if (!message || typeof message !== 'object' || !current || !('id' in message)) return;
    if (message.id !== current.id) return;
    if (Array.isArray(message.logs)) this.log(current.call.logger, message.logs);
    switch (message.t) {
      case 'http':
        void this.http(current, message.seq, message.request);
        return;
      case 'done':
        this.settle(current, () => current.resolve(message.output));
        return;
      case 'fail':
        this.settle(current, () => current.reject(this.failure(current.call, message)));
        return;
    }
  }

  private log(logger: CardLogger, lines: readonly LogLine[]): void {
    for (const line of lines) {
      if (line && LOG_LEVELS.has(line.level))
        logger[line.level](String(line.message), plainFields(line.fields));
    }
  }

  private async http(current: Current, seq: number, request: CardHttpRequest): Promise<void> {
    let answer: Record<string, unknown>;
    try {
      const response = await current.call.http.request(request);
      answer = { response: { status: response.status, headers: response.headers, data: response.data } };
    } catch (error) {
      answer = { error: serializedError(error) };
    }
    if (this.current?.id !== current.id || this.exited) return;
    this.child.send({ t: 'http-result', id: current.id, seq, ...answer }, (error) => {
      if (error) this.kill();
    });
  }

  private failure(call: SandboxCall, message: Extract<ChildMessage, { t: 'fail' }>): CardError {
    const error = message.error ?? { name: 'Error', message: '' };
    const name = String(error.name);
    const text = String(error.message);
    if (name === 'SandboxDenied')
      return cardErrorFor(
        codes.FLOWCARD_ERR_SANDBOX_DENIED,
        { card: call.card, message: text },
        {},
        call.redact,
      );
    if (message.phase === 'import')
      return cardErrorFor(
        codes.FLOWCARD_ERR_SANDBOX_IMPORT_FAILED,
        { card: call.card, module: call.entry, name, message: text },
        {},
        call.redact,
      );
    if (message.phase === 'export')
      return cardErrorFor(codes.FLOWCARD_ERR_HANDLER_INVALID, { path: call.entry });
    if (isCardError(error)) return classifyHandlerError(error, call.card, call.redact);
    return classifyHandlerError(Object.assign(new Error(text), { name }), call.card, call.redact);
  }

  private settle(current: Current, done: () => void): void {
    clearTimeout(current.wallTimer);
    this.current = undefined;
    this.idleCpu = usageOf(this.child.pid)?.cpuMs ?? 0;
    done();
  }

  private watch(): void {
    if (this.exited) return;
    const usage = usageOf(this.child.pid);
    if (!usage) return;
    if (usage.rssMb > this.limits.memoryMb) {
      this.kill(codes.FLOWCARD_ERR_SANDBOX_MEMORY_LIMIT, { limitMb: this.limits.memoryMb });
      return;
    }
    const current = this.current;
    // Code left running after its call (a timer that burns CPU) is stopped too, with nobody to fail.
    const since = current ? current.cpuAtStart : this.idleCpu;
    if (usage.cpuMs - since > this.limits.cpuMs)
      this.kill(codes.FLOWCARD_ERR_SANDBOX_CPU_LIMIT, { limitMs: this.limits.cpuMs });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    clearInterval(this.monitor);
    const current = this.current;
    if (!current) return;
    clearTimeout(current.wallTimer);
    this.current = undefined;
    const card = current.call.card;
    if (this.stop) {
      current.reject(cardErrorFor(this.stop.spec, { card, ...this.stop.params }));
    } else if (/heap limit|out of memory|Allocation failed/i.test(this.stderr)) {
      current.reject(
        cardErrorFor(codes.FLOWCARD_ERR_SANDBOX_MEMORY_LIMIT, { card, limitMb: this.limits.memoryMb }),
      );
    } else {
      current.reject(
        cardErrorFor(codes.FLOWCARD_ERR_SANDBOX_PROCESS_EXITED, { card, reason: exitText(code, signal) }),
      );
    }
  }
}

/** CPU time and resident memory of a process from /proc (Linux); undefined elsewhere or once it is gone. */
function usageOf(pid: number | undefined): Usage | undefined {
  if (pid === undefined) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15, rss 24.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return {
    cpuMs: (ticks * 1000) / TICKS_PER_SECOND,
    rssMb: (Number(fields[21]) * PAGE_BYTES) / (1024 * 1024),
  };
}

function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
}

function serializedError(error: unknown): SerializedCardError {
  if (error instanceof CardError) return error.toJSON();
  if (isCardError(error)) return { ...error } as SerializedCardError;
  return {
    name: 'CardError',
    signal: 'retry',
    code: codes.FLOWCARD_ERR_HANDLER_FAILED.code,
    message: 'the call failed',
  };
}

function plainFields(fields: unknown): Record<string, unknown> | undefined {
  return fields !== null && typeof fields === 'object' && !Array.isArray(fields)
    ? (fields as Record<string, unknown>)
    : undefined;
}
