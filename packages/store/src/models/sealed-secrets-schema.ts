import { Schema } from 'mongoose';
import type { SealedSecrets } from '@flowcard/engine';

/** Embedded sealed blob (see SealedSecrets); base64 strings only, never plaintext. */
export const sealedSecretsSchema = new Schema<SealedSecrets>(
  {
    keyId: { type: String, required: true },
    wrappedKey: { type: String, required: true },
    iv: { type: String, required: true },
    tag: { type: String, required: true },
    ciphertext: { type: String, required: true },
  },
  { _id: false, versionKey: false },
);

/** Copies a stored blob into a plain DTO (drops anything else the document may carry). */
export function toSealedSecrets(doc: SealedSecrets): SealedSecrets {
  return {
    keyId: doc.keyId,
    wrappedKey: doc.wrappedKey,
    iv: doc.iv,
    tag: doc.tag,
    ciphertext: doc.ciphertext,
  };
}
