/** Where connector handler code runs and with which per-call limits (FLOWCARD_SANDBOX*). */
export interface SandboxConfig {
  /** `external`: handlers of connectors not shipped in this repository; `all`: shipped ones too. */
  readonly scope: 'external' | 'all';
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly memoryMb: number;
  readonly processes: number;
}

/** Reads the FLOWCARD_SANDBOX* variables; each problem is pushed as one sentence naming its variable. */
export function loadSandboxConfig(
  read: (name: string) => string | undefined,
  problems: string[],
): SandboxConfig {
  const scopeText = read('FLOWCARD_SANDBOX') ?? 'external';
  if (scopeText !== 'external' && scopeText !== 'all')
    problems.push(`FLOWCARD_SANDBOX must be external or all, got "${scopeText}"`);
  const number = (
    name: string,
    text: string | undefined,
    fallback: number,
    min: number,
    unit: string,
  ): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (Number.isInteger(value) && value >= min) return value;
    problems.push(`${name} must be a whole number of ${unit} (${min} or more), got "${text}"`);
    return fallback;
  };
  return {
    scope: scopeText === 'all' ? 'all' : 'external',
    cpuMs: number('FLOWCARD_SANDBOX_CPU_MS', read('FLOWCARD_SANDBOX_CPU_MS'), 5000, 10, 'milliseconds'),
    wallMs: number('FLOWCARD_SANDBOX_WALL_MS', read('FLOWCARD_SANDBOX_WALL_MS'), 30000, 10, 'milliseconds'),
    memoryMb: number('FLOWCARD_SANDBOX_MEMORY_MB', read('FLOWCARD_SANDBOX_MEMORY_MB'), 256, 64, 'megabytes'),
    processes: number('FLOWCARD_SANDBOX_PROCESSES', read('FLOWCARD_SANDBOX_PROCESSES'), 4, 1, 'processes'),
  };
}
