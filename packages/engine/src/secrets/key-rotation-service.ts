import type { KeyProvider } from '../ports/key-provider';
import type { SealedSecretsHolder } from '../ports/sealed-secrets-holder';
import type { SecretSealer } from './secret-sealer';

export interface KeyRotationOptions {
  /** Target key id; default: the provider's current key. */
  readonly toKeyId?: string;
  /** Records read per query; default 100. */
  readonly batchSize?: number;
  /** Called after each record (done counts rewrapped + skipped + failed). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface KeyRotationFailure {
  readonly kind: string;
  readonly id: string;
  /** A message naming key ids only. */
  readonly reason: string;
}

export interface KeyRotationSummary {
  readonly toKeyId: string;
  /** Records not under the target key when the run started. */
  readonly total: number;
  readonly rewrapped: number;
  /** Changed by someone else during the run (their write sealed them afresh); not an error. */
  readonly skipped: number;
  readonly failed: readonly KeyRotationFailure[];
}

/**
 * Re-wraps every sealed blob not already under the target key, holder by holder, one id-ordered
 * pass in batches. Only data keys are re-wrapped; ciphertexts stay as they are.
 *
 * Resumable and safe to run twice or concurrently: it only ever picks records not under the
 * target key, and each replacement is a compare-and-set on the old blob, so an interrupted run
 * continues where it stopped and a concurrent token update is never overwritten.
 */
export class KeyRotationService {
  constructor(
    private readonly holders: readonly SealedSecretsHolder[],
    private readonly sealer: SecretSealer,
    private readonly keyProvider: KeyProvider,
  ) {}

  async rotate(options: KeyRotationOptions = {}): Promise<KeyRotationSummary> {
    const toKeyId = options.toKeyId ?? this.keyProvider.currentKeyId();
    // Fail before touching anything when the target key is not configured.
    this.keyProvider.getKey(toKeyId);
    const batchSize = options.batchSize ?? 100;
    const counts = await Promise.all(this.holders.map((holder) => holder.countSealedNotUnder(toKeyId)));
    const total = counts.reduce((sum, count) => sum + count, 0);
    const progress = { done: 0, rewrapped: 0, skipped: 0, failed: [] as KeyRotationFailure[] };
    options.onProgress?.(0, total);
    for (const holder of this.holders) {
      let afterId: string | undefined;
      for (;;) {
        const batch = await holder.listSealedNotUnder(toKeyId, afterId, batchSize);
        if (batch.length === 0) break;
        for (const record of batch) {
          await this.rotateOne(holder, record.id, record.sealed, toKeyId, progress);
          progress.done += 1;
          // Records sealed under an old key after the count was taken may push done past total.
          options.onProgress?.(progress.done, Math.max(total, progress.done));
        }
        afterId = batch[batch.length - 1]!.id;
      }
    }
    return {
      toKeyId,
      total,
      rewrapped: progress.rewrapped,
      skipped: progress.skipped,
      failed: progress.failed,
    };
  }

  private async rotateOne(
    holder: SealedSecretsHolder,
    id: string,
    sealed: Parameters<SecretSealer['rewrap']>[0],
    toKeyId: string,
    progress: { rewrapped: number; skipped: number; failed: KeyRotationFailure[] },
  ): Promise<void> {
    let next;
    try {
      next = this.sealer.rewrap(sealed, toKeyId);
    } catch (error) {
      progress.failed.push({ kind: holder.sealedSecretsKind, id, reason: (error as Error).message });
      return;
    }
    if (await holder.replaceSealed(id, sealed, next)) progress.rewrapped += 1;
    else progress.skipped += 1;
  }
}
