import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';

/** Redis URL for tests: REDIS_URL, or the local default. */
export const redisUrl = (): string => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** MongoDB URI (no database) set by global setup or by the caller's environment. */
export const mongoUri = (): string => {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: jest global setup should have started jongodb');
  return uri;
};

/** A fresh, unique name per test file and call: database names, queue prefixes. */
export const uniqueName = (file: string): string =>
  `t_${basename(file).replace(/\W+/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
