/* generated — do not edit. Source: schemas/flow.schema.json; run `npm run generate`. */

/**
 * <connector>/<card>@<major>: the newest minor of that major runs.
 *
 * This interface was referenced by `FlowSpec`'s JSON-Schema
 * via the `definition` "cardRef".
 */
export type CardRef = string;

/**
 * A flow: one trigger card and ordered steps. Each step names a card as <connector>/<card>@<major>, a saved configuration by id, and an input mapping whose templates read {{trigger.output.x}} and {{steps.<id>.output.y}}.
 */
export interface FlowSpec {
  name: string;
  description?: string;
  trigger: FlowTriggerSpec;
  /**
   * @minItems 1
   * @maxItems 50
   */
  steps: [FlowStepSpec, ...FlowStepSpec[]];
}
export interface FlowTriggerSpec {
  card: CardRef;
  /**
   * Saved configuration the trigger uses; omitted for cards that need none (core/manual, core/schedule, core/webhook).
   */
  configurationId?: string;
  /**
   * Literal input of the trigger card (e.g. which page and form).
   */
  input?: {};
}
export interface FlowStepSpec {
  /**
   * Step id, used in later templates as steps.<id>.
   */
  id: string;
  name?: string;
  card: CardRef;
  /**
   * Saved configuration the step uses; omitted for cards that need none (core/filter, core/transform, core/delay, core/http-request without credentials).
   */
  configurationId?: string;
  /**
   * Input mapping: literals and templates over trigger.output and earlier steps.<id>.output.
   */
  input: {};
  /**
   * Optional JSONata expression over {trigger, steps}; the step is skipped when it is false.
   */
  condition?: string;
}
