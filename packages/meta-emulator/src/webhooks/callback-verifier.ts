import { randomInt } from 'node:crypto';
import { graphErrors } from '../graph-errors';

/**
 * Meta's subscription handshake: GET the callback with hub.mode=subscribe, a random
 * hub.challenge and the app's hub.verify_token; the endpoint must answer 200 with the challenge as
 * its body, otherwise the subscription is refused with error 2200.
 */
export async function verifyCallback(callbackUrl: string, verifyToken: string): Promise<void> {
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    throw graphErrors.invalidParameter('callback_url must be a valid URL');
  }
  const challenge = String(randomInt(1, 2 ** 31 - 1));
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.challenge', challenge);
  url.searchParams.set('hub.verify_token', verifyToken);
  let status: number;
  let text: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw graphErrors.callbackVerificationFailed(
      `couldn't connect to server (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (status !== 200) throw graphErrors.callbackVerificationFailed(`HTTP Status Code = ${status}`);
  if (text.trim() !== challenge)
    throw graphErrors.callbackVerificationFailed("the URL didn't return the challenge");
}
