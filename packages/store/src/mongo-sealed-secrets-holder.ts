import type { Model } from 'mongoose';
import type { SealedSecrets, SealedSecretsHolder, SealedSecretsRecord } from '@flowcard/engine';
import { toSealedSecrets } from './models/sealed-secrets-schema';

/**
 * SealedSecretsHolder over one embedded sealed blob at `path` (e.g. "secrets" or
 * "metaApp.appSecret") of a collection whose `_id` is a string. Repositories delegate to it.
 */
export class MongoSealedSecretsHolder<T extends { _id: string }> implements SealedSecretsHolder {
  constructor(
    readonly sealedSecretsKind: string,
    private readonly model: Model<T>,
    private readonly path: string,
  ) {}

  countSealedNotUnder(keyId: string): Promise<number> {
    return this.model.countDocuments(this.notUnder(keyId)).exec();
  }

  async listSealedNotUnder(
    keyId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<SealedSecretsRecord[]> {
    const filter =
      afterId === undefined ? this.notUnder(keyId) : { ...this.notUnder(keyId), _id: { $gt: afterId } };
    const docs = await this.model
      .find(filter)
      .sort({ _id: 1 })
      .limit(limit)
      .lean<Record<string, unknown>[]>()
      .exec();
    return docs.map((doc) => ({ id: String(doc._id), sealed: toSealedSecrets(this.blobOf(doc)) }));
  }

  async replaceSealed(id: string, expected: SealedSecrets, next: SealedSecrets): Promise<boolean> {
    const result = await this.model
      .updateOne(
        {
          _id: id,
          [`${this.path}.keyId`]: expected.keyId,
          [`${this.path}.wrappedKey`]: expected.wrappedKey,
        } as Record<string, unknown>,
        { $set: { [this.path]: toSealedSecrets(next) } } as Record<string, unknown>,
      )
      .exec();
    return result.matchedCount === 1;
  }

  private notUnder(keyId: string): Record<string, unknown> {
    return { [`${this.path}.keyId`]: { $exists: true, $ne: keyId } };
  }

  private blobOf(doc: Record<string, unknown>): SealedSecrets {
    let value: unknown = doc;
    for (const part of this.path.split('.')) value = (value as Record<string, unknown>)[part];
    return value as SealedSecrets;
  }
}
