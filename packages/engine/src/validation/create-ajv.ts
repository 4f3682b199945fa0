import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ajvOptions, flowcardKeywords } from '@flowcard/schemas';

/**
 * The one way to build an ajv instance in Flowcard: strict, all errors, standard formats, and
 * Flowcard's vendor keywords (x-secret, x-options, …) declared. Compile once, keep the validator.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ ...ajvOptions });
  addFormats(ajv);
  ajv.addVocabulary([...flowcardKeywords]);
  return ajv;
}
