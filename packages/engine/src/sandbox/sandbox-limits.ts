/** Per-call limits of the handler sandbox; each is configurable (runtime: FLOWCARD_SANDBOX_*). */
export interface SandboxLimits {
  /** CPU time one call may use (user + system), in ms. */
  readonly cpuMs: number;
  /** Wall time from the call's start to its answer, in ms (HTTP waits count). */
  readonly wallMs: number;
  /** Resident memory of the sandbox process (V8 heap and buffers), in MB. */
  readonly memoryMb: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { cpuMs: 5_000, wallMs: 30_000, memoryMb: 256 };

/** How many sandbox processes may run at once (each serves one call at a time). */
export const DEFAULT_SANDBOX_PROCESSES = 4;
