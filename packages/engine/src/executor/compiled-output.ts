import jsonata from 'jsonata';
import type { OutputSelectorSpec } from '@flowcard/schemas';
import { compileTemplate, type CompiledTemplate } from '../templates/compile-template';
import { getAtPath, parsePath, type PathSegments } from '../templates/object-path';
import { cardErrorFor } from '../errors/classify-http-error';
import { executionCodes as codes } from '../errors/codes/execution-codes';

/**
 * An output selector compiled once: `path`, then `map` (templates over {response, input, config}),
 * then `transform` (JSONata over {response, input}). Each step sees the previous step's result as
 * `response`; without any step the whole response body is the output.
 */
export interface CompiledOutput {
  /** `extra` adds names to both (e.g. `item` for a trigger item, `event` for a webhook fetch). */
  select(
    response: unknown,
    input: unknown,
    config: unknown,
    extra?: Readonly<Record<string, unknown>>,
  ): Promise<unknown>;
}

export const WHOLE_RESPONSE: CompiledOutput = { select: async (response) => response };

/** `card` names the card in errors: a transform that does not parse fails its runs, not the load. */
export function compileOutput(spec: OutputSelectorSpec | undefined, card: string): CompiledOutput {
  if (!spec || (spec.path === undefined && spec.map === undefined && spec.transform === undefined))
    return WHOLE_RESPONSE;
  const path: PathSegments | undefined = spec.path === undefined ? undefined : parsePath(spec.path);
  const map: CompiledTemplate | undefined = spec.map === undefined ? undefined : compileTemplate(spec.map);
  let transform: jsonata.Expression | undefined;
  try {
    transform = spec.transform === undefined ? undefined : jsonata(spec.transform);
  } catch (error) {
    const failure = cardErrorFor(codes.FLOWCARD_ERR_TRANSFORM_FAILED, { card, message: messageOf(error) });
    return { select: () => Promise.reject(failure) };
  }
  return {
    async select(response, input, config, extra) {
      let value = path ? getAtPath(response, path) : response;
      if (map) value = map.render({ ...extra, response: value, input, config });
      if (transform) {
        let result: unknown;
        try {
          result = await transform.evaluate({ ...extra, response: value, input });
        } catch (error) {
          throw cardErrorFor(codes.FLOWCARD_ERR_TRANSFORM_FAILED, { card, message: messageOf(error) });
        }
        // JSONata marks its sequences with extra properties; outputs must be plain JSON.
        value = result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
      }
      return value;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
}
