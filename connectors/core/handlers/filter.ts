import jsonata from 'jsonata';
import { CardError, defineHandler } from '@flowcard/sdk';

/** True or false from a JSONata condition; in a flow the engine ends the run as `filtered` on false. */
export default defineHandler<{ condition: string; data?: unknown }, { passed: boolean }>(
  async (_ctx, input) => {
    let expression: ReturnType<typeof jsonata>;
    try {
      expression = jsonata(input.condition);
    } catch (error) {
      throw new CardError(
        'invalid',
        `The filter condition is not valid JSONata: ${(error as Error).message}`,
      );
    }
    return { passed: Boolean(await expression.evaluate(input.data ?? {})) };
  },
);
