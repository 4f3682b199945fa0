import jsonata from 'jsonata';
import { CardError, defineHandler } from '@flowcard/sdk';

/** The value of a JSONata expression over `data` (in a flow: the run's trigger and step outputs). */
export default defineHandler<{ expression: string; data?: unknown }, unknown>(async (_ctx, input) => {
  let expression: ReturnType<typeof jsonata>;
  try {
    expression = jsonata(input.expression);
  } catch (error) {
    throw new CardError(
      'invalid',
      `The transform expression is not valid JSONata: ${(error as Error).message}`,
    );
  }
  try {
    const value: unknown = await expression.evaluate(input.data ?? {});
    // JSONata sequences carry a marker property; JSON round trip gives plain data.
    return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
  } catch (error) {
    throw new CardError('invalid', `The transform expression failed: ${(error as Error).message}`);
  }
});
