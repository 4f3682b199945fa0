import { runtimeErrorCodes } from '../http/errors/runtime-error-codes';

/**
 * The codes a Connect Meta attempt can end with, as a person sees them: the seven failures of the
 * callback (in the order the callback checks them), then Meta refusing the app. Each has a message
 * and a "what to do" line in the runtime's error registry.
 */
export const CONNECT_META_MESSAGE_CODES = [
  'FLOWCARD_ERR_META_STATE_INVALID',
  'FLOWCARD_ERR_META_STATE_EXPIRED',
  'FLOWCARD_ERR_META_SESSION_CHANGED',
  'FLOWCARD_ERR_META_ROLE_FORBIDDEN',
  'FLOWCARD_ERR_META_PERMISSIONS_DECLINED',
  'FLOWCARD_ERR_META_NO_PAGES',
  'FLOWCARD_ERR_META_UNAVAILABLE',
  'FLOWCARD_ERR_META_REFUSED',
] as const;

export interface ConnectMetaMessage {
  readonly code: string;
  /** As the API answers it; FLOWCARD_ERR_META_REFUSED keeps its {code} placeholder (the Graph code). */
  readonly message: string;
  readonly whatToDo: string;
}

export function connectMetaMessages(): ConnectMetaMessage[] {
  return CONNECT_META_MESSAGE_CODES.map((code) => {
    const spec = runtimeErrorCodes[code];
    return { code, message: spec.message, whatToDo: spec.whatToDo ?? '' };
  });
}
