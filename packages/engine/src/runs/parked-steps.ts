import type { Redis } from 'ioredis';

export interface ParkedStepsOptions {
  redis: Redis;
  keyPrefix: string;
}

/**
 * Which steps wait for a configuration to be re-authorised, in Redis so every worker sees them: a
 * set of step job ids per configuration, plus a flag that makes new steps using the configuration
 * park at once instead of calling the service with a dead token.
 */
export class ParkedSteps {
  constructor(private readonly options: ParkedStepsOptions) {}

  /** Records the step as parked and flags the configuration; true when the flag was newly set. */
  async park(configurationId: string, stepJobId: string): Promise<boolean> {
    const result = await this.options.redis
      .multi()
      .sadd(this.setKey(configurationId), stepJobId)
      .set(this.flagKey(configurationId), '1', 'NX')
      .exec();
    return result?.[1]?.[1] === 'OK';
  }

  /** True while the configuration is known to need re-authorisation. */
  async isBroken(configurationId: string): Promise<boolean> {
    return (await this.options.redis.exists(this.flagKey(configurationId))) === 1;
  }

  /** Clears the flag and hands back every parked step job id, removing them from the set. */
  async release(configurationId: string): Promise<string[]> {
    const key = this.setKey(configurationId);
    const result = await this.options.redis
      .multi()
      .del(this.flagKey(configurationId))
      .smembers(key)
      .del(key)
      .exec();
    return (result?.[1]?.[1] as string[] | undefined) ?? [];
  }

  /** Parked steps of a configuration, for status pages and tests. */
  async list(configurationId: string): Promise<string[]> {
    return this.options.redis.smembers(this.setKey(configurationId));
  }

  private setKey(configurationId: string): string {
    return `${this.options.keyPrefix}:parked:${configurationId}`;
  }

  /**
   * The Redis key of the configuration's "needs re-authorisation" flag. Public so the step's
   * begin-attempt script can read it in the same round trip (RunStateStore.beginAttempt).
   */
  flagKey(configurationId: string): string {
    return `${this.options.keyPrefix}:reauth:${configurationId}`;
  }
}
