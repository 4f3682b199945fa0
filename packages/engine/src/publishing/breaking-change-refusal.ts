import { formatSchemaChange, type CompatibilityReport } from './schema-change';

/** The first line of every refusal; clients and tests recognise a breaking-change refusal by it. */
export const BREAKING_CHANGE_HEADLINE = 'breaking change: bump the major version';

/**
 * The message a publish is refused with: the headline, then one line per breaking change
 * (`cards/<key>.json: <JSON pointer>: <what changed>`).
 */
export function formatBreakingChangeRefusal(report: CompatibilityReport): string {
  return [
    BREAKING_CHANGE_HEADLINE,
    ...report.breaking.map((change) => `  - ${formatSchemaChange(change)}`),
  ].join('\n');
}
