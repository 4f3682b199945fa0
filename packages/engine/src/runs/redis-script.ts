import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script sent by its SHA-1 (`EVALSHA`), falling back to `EVAL` once when the server does not
 * know it yet (first use, `SCRIPT FLUSH`, a restarted or failed-over Redis). Why: `EVAL` ships the
 * whole script text on every call and makes Redis hash it again; on the step hot path that is a
 * few hundred bytes more per command for the client to encode and write and for Redis to read and
 * digest. ioredis's `defineCommand` does the same but adds an untyped method to a client the
 * runtime shares; this keeps the client untouched and the call typed.
 */
export class RedisScript {
  readonly sha: string;

  constructor(readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /** Runs the script with `keys` and `args`; the reply as Redis sent it. */
  async run(redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      // EVAL also caches the script server-side, so the next call goes back to EVALSHA.
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
