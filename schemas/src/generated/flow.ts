/* generated — do not edit. Source: schemas/flow.schema.json; run `npm run generate`. */

/**
 * <connector>/<card>@<major>: the newest minor of that major runs.
 *
 * This interface was referenced by `FlowSpec`'s JSON-Schema
 * via the `definition` "cardRef".
 */
export type CardRef = string;
/**
 * @minItems 1
 * @maxItems 50
 *
 * This interface was referenced by `FlowSpec`'s JSON-Schema
 * via the `definition` "stepList".
 *
 * Items: A step: a card step, or a paths or forEach step (told apart by type, so errors name only the kind the step is).
 */
export type StepList = [
  FlowStepSpec | FlowPathsStepSpec | FlowForEachStepSpec,
  ...(FlowStepSpec | FlowPathsStepSpec | FlowForEachStepSpec)[],
];
/**
 * Step id, unique in the whole flow, used in later templates as steps.<id>.
 *
 * This interface was referenced by `FlowSpec`'s JSON-Schema
 * via the `definition` "stepId".
 */
export type StepId = string;

/**
 * A flow: one trigger card and ordered steps. A step runs a card (<connector>/<card>@<major>, a saved configuration by id when the card needs one, an input mapping whose templates read {{trigger.output.x}} and {{steps.<id>.output.y}}), or holds steps of its own: a paths step (named branches, each with a JSONata condition) or a forEach step (its steps once per item of a list). Step ids are unique in the whole flow.
 */
export interface FlowSpec {
  name: string;
  description?: string;
  trigger: FlowTriggerSpec;
  steps: StepList;
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
/**
 * This interface was referenced by `FlowSpec`'s JSON-Schema
 * via the `definition` "actionStep".
 */
export interface FlowStepSpec {
  id: StepId;
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
/**
 * Sends the run down named branches: each branch has a JSONata condition over {trigger, steps} (and item, index, loops inside a forEach) and its own steps. mode first: the first branch whose condition is true; every: each true branch, one after the other in order. otherwise runs when no condition is true. The output is {branches: [names taken]}; after the last step of the taken branches, the run goes on after the paths step.
 *
 * This interface was referenced by `FlowSpec`'s JSON-Schema
 * via the `definition` "pathsStep".
 */
export interface FlowPathsStepSpec {
  id: StepId;
  name?: string;
  type: 'paths';
  mode?: 'first' | 'every';
  /**
   * @minItems 1
   */
  branches: [FlowBranchSpec, ...FlowBranchSpec[]];
  otherwise?: StepList;
}
export interface FlowBranchSpec {
  /**
   * Branch name, unique in its paths step; shown on the run.
   */
  name: string;
  /**
   * JSONata; the branch is taken when it is true.
   */
  condition: string;
  steps: StepList;
}
/**
 * Runs its steps once per item of a list from earlier data. Inside, templates read {{item}} (the current item), {{index}} (from 0) and {{loops.<forEach id>.item}} of enclosing loops, and steps.<id>.output of earlier steps of the same item. Items run concurrency at a time; a list longer than maxItems fails the step. The output is the list of per-item outputs: the output of the last step of each item (null when it did not run).
 *
 * This interface was referenced by `FlowSpec`'s JSON-Schema
 * via the `definition` "forEachStep".
 */
export interface FlowForEachStepSpec {
  id: StepId;
  name?: string;
  type: 'forEach';
  /**
   * A template that is the whole value, naming a list: {{trigger.output.lines}} or {{steps.search.output.body.results}}.
   */
  items: string;
  /**
   * Items processed at once.
   */
  concurrency?: number;
  /**
   * Longest list accepted.
   */
  maxItems?: number;
  steps: StepList;
}
