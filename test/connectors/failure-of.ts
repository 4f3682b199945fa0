/** What a card run rejects with (a CardError), as connector tests assert it. */
export interface CardFailure {
  signal: string;
  code: string;
  message: string;
  retryAfterMs?: number;
  permission?: string;
}

/** Answers what `promise` (a card run) rejects with, so tests can assert its signal, code and message; fails if it resolves. */
export async function failureOf(promise: Promise<unknown>): Promise<CardFailure> {
  try {
    await promise;
  } catch (error) {
    return error as CardFailure;
  }
  throw new Error('expected the card to fail');
}
