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
  /**
   * What a step of a non-repeatable card (post, message, comment, provisioning: the card says repeatable: false) does when it is delivered again after a crash and its first call's outcome is unknown: hold (the run waits as needs_review until a person retries or skips the step) or repeat (call again; the service may then get it twice). Repeatable cards always repeat.
   */
  onUnknownOutcome?: 'hold' | 'repeat';
  trigger: FlowTriggerSpec;
  /**
   * @minItems 1
   * @maxItems 50
   */
  steps: [FlowStepSpec, ...FlowStepSpec[]];
}
export interface FlowTriggerSpec {
  card: CardRef;
  configurationId: string;
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
  configurationId: string;
  /**
   * Input mapping: literals and templates over trigger.output and earlier steps.<id>.output.
   */
  input: {};
  /**
   * Optional JSONata expression over {trigger, steps}; the step is skipped when it is false.
   */
  condition?: string;
}
