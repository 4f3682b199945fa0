import { randomBytes } from 'node:crypto';
import { EnvKeyProvider, SecretSealer } from '@flowcard/engine';
import { createMongoStore } from '@flowcard/store';
import { mongoUri } from '../../../../test/support/env';
import { useTestDatabase } from '../../../../test/support/mongo';
import { runKeysRotate } from './keys-rotate';

const database = useTestDatabase(__filename);
const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

describe('flowcard keys rotate', () => {
  it('re-wraps every configuration under the new key and prints a summary', async () => {
    const store = createMongoStore(database().connection);
    await store.ensureIndexes();
    const oldSealer = new SecretSealer(EnvKeyProvider.fromEnv({ FLOWCARD_MASTER_KEYS: `k1:${k1}` }));
    const created = await store.configurations.create({
      workspaceId: 'w',
      connector: 'workplace',
      kind: 'bearer',
      nickname: 'HR bot',
      ownerId: 'u',
      secrets: oldSealer.seal({ accessToken: 'workplace-token' }),
    });
    const output: string[] = [];
    const env = {
      MONGODB_URI: `${mongoUri().replace(/\/?(\?|$)/, `/${database().name}$1`)}`,
      FLOWCARD_MASTER_KEYS: `k1:${k1},k2:${k2}`,
      FLOWCARD_MASTER_KEY_ID: 'k2',
    };
    const summary = await runKeysRotate({ env, write: (text) => output.push(text) });
    expect(summary).toMatchObject({ toKeyId: 'k2', total: 1, rewrapped: 1, failed: [] });
    expect(output.join('')).toContain(
      'Key rotation to "k2": 1 re-wrapped, 0 changed by someone meanwhile (rerun to cover them), 0 failed, of 1.',
    );
    const newSealer = new SecretSealer(EnvKeyProvider.fromEnv({ FLOWCARD_MASTER_KEYS: `k2:${k2}` }));
    expect(newSealer.open((await store.configurations.findById(created.id))!.secrets!)).toEqual({
      accessToken: 'workplace-token',
    });
  });

  it('says MONGODB_URI is required when it is not set', async () => {
    await expect(runKeysRotate({ env: { FLOWCARD_MASTER_KEYS: `k1:${k1}` } })).rejects.toThrow(
      'flowcard keys rotate needs MONGODB_URI',
    );
  });
});
