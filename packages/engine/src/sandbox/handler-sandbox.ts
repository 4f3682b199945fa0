import { DEFAULT_SANDBOX_LIMITS, DEFAULT_SANDBOX_PROCESSES, type SandboxLimits } from './sandbox-limits';
import { connectorModules, sdkModuleMap } from './sandbox-modules';
import { SandboxProcess, type SandboxCall } from './sandbox-process';

export interface HandlerSandboxOptions {
  readonly limits?: Partial<SandboxLimits>;
  /** At most this many sandbox processes at once (default 4); calls beyond wait for one. */
  readonly processes?: number;
}

/** A handler call for the pool: the call plus the connector folder whose bundle runs it. */
export interface SandboxRequest extends SandboxCall {
  /** Absolute folder of the connector version; its handlers/ sources are what the process runs. */
  readonly connectorDir: string;
}

interface Waiter {
  readonly key: string;
  readonly dir: string;
  readonly entry: string;
  readonly resolve: (process: SandboxProcess) => void;
}

/**
 * The pool of sandbox processes that run connector handler code (see docs/decisions/0006). A
 * process is bound to one connector version (its folder) and runs one call at a time; up to
 * `processes` of them live at once, started on first use, and an idle process of another connector
 * gives way when the pool is full. A process that is killed (a limit, process.exit, a crash) is
 * dropped and the next call starts a fresh one, so one bad handler fails its own step only.
 */
export class HandlerSandbox {
  readonly limits: SandboxLimits;
  private readonly max: number;
  private readonly pool: SandboxProcess[] = [];
  private readonly waiting: Waiter[] = [];
  /** Taken between acquire and release (a process is busy only once its call is sent). */
  private readonly claimed = new Set<SandboxProcess>();
  private closing = false;

  constructor(options: HandlerSandboxOptions = {}) {
    this.limits = { ...DEFAULT_SANDBOX_LIMITS, ...options.limits };
    this.max = Math.max(1, options.processes ?? DEFAULT_SANDBOX_PROCESSES);
  }

  /** Runs one handler call in a sandbox process: its output, or a classified CardError. */
  async run(request: SandboxRequest): Promise<unknown> {
    const process = await this.acquire(request.connectorDir, request.entry);
    try {
      return await process.run(request);
    } finally {
      this.release(process);
    }
  }

  /** Sandbox processes alive now (tests and diagnostics). */
  get size(): number {
    return this.pool.filter((process) => process.alive).length;
  }

  /** Process ids of the live sandbox processes (tests). */
  get pids(): number[] {
    return this.pool.flatMap((process) => (process.alive && process.pid !== undefined ? [process.pid] : []));
  }

  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.pool];
    for (const process of all) process.kill();
    await Promise.all(all.map((process) => process.closed()));
    this.pool.length = 0;
  }

  private acquire(dir: string, entry: string): Promise<SandboxProcess> {
    this.prune();
    const key = dir;
    const idle = this.pool.find((process) => process.key === key && process.alive && !this.inUse(process));
    if (idle) return Promise.resolve(this.claim(idle));
    const started = this.start(key, dir, entry);
    if (started) return Promise.resolve(this.claim(started));
    return new Promise((resolve) => this.waiting.push({ key, dir, entry, resolve }));
  }

  private claim(process: SandboxProcess): SandboxProcess {
    this.claimed.add(process);
    return process;
  }

  private release(process: SandboxProcess): void {
    this.claimed.delete(process);
    this.prune();
    while (this.waiting.length > 0) {
      const waiter = this.waiting[0] as Waiter;
      const idle = this.pool.find(
        (candidate) => candidate.key === waiter.key && candidate.alive && !this.inUse(candidate),
      );
      const next = idle ?? this.start(waiter.key, waiter.dir, waiter.entry);
      if (!next) return;
      this.waiting.shift();
      waiter.resolve(this.claim(next));
    }
  }

  /** A new process for `key` when there is room (an idle process of another connector gives way), else undefined. */
  private start(key: string, dir: string, entry: string): SandboxProcess | undefined {
    if (this.closing) return undefined;
    if (this.pool.length >= this.max) {
      const idle = this.pool.find((process) => !this.inUse(process));
      if (!idle) return undefined;
      idle.kill();
      this.pool.splice(this.pool.indexOf(idle), 1);
    }
    const process = new SandboxProcess(key, connectorModules(dir, [entry]), sdkModuleMap(), this.limits);
    this.pool.push(process);
    return process;
  }

  private inUse(process: SandboxProcess): boolean {
    return this.claimed.has(process);
  }

  private prune(): void {
    for (let i = this.pool.length - 1; i >= 0; i--) {
      const process = this.pool[i] as SandboxProcess;
      if (!process.alive && !this.claimed.has(process)) this.pool.splice(i, 1);
    }
  }
}
