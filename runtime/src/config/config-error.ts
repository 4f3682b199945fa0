/**
 * Raised when the environment cannot be turned into a configuration. The message lists every problem
 * at once, each naming the variable, so an operator fixes them in one pass.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'FLOWCARD_ERR_CONFIG_INVALID';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}
