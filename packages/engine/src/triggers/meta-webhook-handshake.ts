import { timingSafeEqual } from 'node:crypto';

export interface MetaHandshakeAnswer {
  status: 200 | 403;
  /** Plain text: the challenge on success, a short reason otherwise. */
  body: string;
}

/**
 * Answers Meta's subscription handshake `GET callback?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…`:
 * 200 with the challenge as plain text when the verify token is this deployment's, else 403.
 */
export function answerMetaHandshake(
  query: Readonly<Record<string, unknown>>,
  verifyToken: string,
): MetaHandshakeAnswer {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe') return { status: 403, body: 'hub.mode must be subscribe' };
  if (typeof token !== 'string' || !sameText(token, verifyToken))
    return { status: 403, body: 'verify token mismatch' };
  if (typeof challenge !== 'string' || challenge === '')
    return { status: 403, body: 'hub.challenge missing' };
  return { status: 200, body: challenge };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
