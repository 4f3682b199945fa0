import { jsonPointer } from '../registry/json-pointer';
import { canonicalJson } from './canonical-json';
import type { SchemaChange } from './schema-change';

/**
 * Which side of the contract a schema is on. Input and configuration schemas describe what flows
 * and admins send: the new version must accept everything the old one accepted. Output schemas
 * describe what flows read: the new version must not produce anything the old one ruled out.
 */
export type SchemaPosition = 'input' | 'output' | 'configuration';

export interface SchemaComparisonScope {
  readonly position: SchemaPosition;
  readonly file: string;
  readonly card?: string;
  /** JSON pointer of the schema inside `file`, e.g. /input. */
  readonly pointer: string;
}

export interface MutableCompatibilityReport {
  readonly breaking: SchemaChange[];
  readonly additive: SchemaChange[];
}

type Schema = Record<string, unknown>;

interface Walk {
  readonly scope: SchemaComparisonScope;
  readonly report: MutableCompatibilityReport;
  readonly roots: { readonly previous: unknown; readonly candidate: unknown };
  /** Pairs of $refs already compared, so recursive schemas terminate. */
  readonly seenRefs: Set<string>;
}

interface Here {
  readonly pointer: string;
  /** Dotted field name (`address.city`, `data[].id`); empty at the root. */
  readonly field: string;
}

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;
/**
 * Keywords whose effect this check does not model. Any change to them counts as breaking: a false
 * "breaking" costs the author a major bump, a false "compatible" breaks someone's flow.
 */
const UNMODELLED = [
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'dependencies',
  'propertyNames',
  'contains',
  'additionalItems',
  'multipleOf',
] as const;
const ALL_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

/**
 * Compares one JSON Schema of the published version with the candidate's and records each
 * difference as breaking or additive, by the position's direction (see SchemaPosition).
 */
export function compareJsonSchemas(
  previous: unknown,
  candidate: unknown,
  scope: SchemaComparisonScope,
  report: MutableCompatibilityReport,
): void {
  const walk: Walk = { scope, report, roots: { previous, candidate }, seenRefs: new Set() };
  compareNode(walk, previous, candidate, { pointer: scope.pointer, field: '' });
}

function compareNode(walk: Walk, previousRaw: unknown, candidateRaw: unknown, here: Here): void {
  const refKey = `${refOf(previousRaw) ?? ''}|${refOf(candidateRaw) ?? ''}`;
  if (refKey !== '|') {
    if (walk.seenRefs.has(refKey)) return;
    walk.seenRefs.add(refKey);
  }
  const previous = resolve(previousRaw, walk.roots.previous);
  const candidate = resolve(candidateRaw, walk.roots.candidate);
  if (!compareTypes(walk, previous, candidate, here)) return;
  compareEnums(walk, previous, candidate, here);
  if (walk.scope.position !== 'output') compareInputConstraints(walk, previous, candidate, here);
  if (walk.scope.position === 'configuration') compareSecrecy(walk, previous, candidate, here);
  compareUnmodelled(walk, previous, candidate, here);
  compareProperties(walk, previous, candidate, here);
  compareItems(walk, previous, candidate, here);
}

/** Returns false when the schema was retyped outright: differences below it would only be noise. */
function compareTypes(walk: Walk, previous: Schema, candidate: Schema, here: Here): boolean {
  const before = typesOf(previous);
  const after = typesOf(candidate);
  const lost = uncovered(before, after);
  const gained = uncovered(after, before);
  if (lost.length === 0 && gained.length === 0) return true;
  const label = subject(walk, here);
  if (lost.length > 0 && gained.length > 0) {
    record(
      walk,
      'breaking',
      here,
      `${label} retyped from ${describeTypes(before)} to ${describeTypes(after)}`,
    );
    return false;
  }
  const accepting = walk.scope.position !== 'output';
  if (after === undefined) {
    if (accepting) record(walk, 'additive', here, `${label} now accepts any type`);
    else record(walk, 'breaking', here, `${label} may now be any type (was ${describeTypes(before)})`);
    return true;
  }
  if (lost.length > 0) {
    if (accepting) record(walk, 'breaking', here, `${label} no longer accepts ${lost.join(' or ')}`);
    else record(walk, 'additive', here, `${label} can no longer be ${lost.join(' or ')}`);
  } else if (accepting) {
    record(walk, 'additive', here, `${label} now also accepts ${gained.join(' or ')}`);
  } else {
    record(walk, 'breaking', here, `${label} may now be ${gained.join(' or ')}`);
  }
  return true;
}

/**
 * Enums are compared the same way on both sides: flows send the listed values (input) and branch
 * on them (output), so a value that disappears breaks a flow; a new value is additive.
 */
function compareEnums(walk: Walk, previous: Schema, candidate: Schema, here: Here): void {
  const before = enumOf(previous);
  const after = enumOf(candidate);
  const label = subject(walk, here);
  if (before === undefined && after === undefined) return;
  if (before === undefined && after !== undefined) {
    if (walk.scope.position === 'output')
      record(walk, 'additive', here, `${label} is now limited to ${after.join(', ')}`);
    else record(walk, 'breaking', here, `${label} is now limited to ${after.join(', ')}`);
    return;
  }
  if (before !== undefined && after === undefined) {
    record(walk, 'additive', here, `${label} is no longer limited to a list of values`);
    return;
  }
  const removed = (before ?? []).filter((value) => !(after ?? []).includes(value));
  const added = (after ?? []).filter((value) => !(before ?? []).includes(value));
  if (removed.length > 0)
    record(walk, 'breaking', here, `${label} enum narrowed: ${removed.join(', ')} removed`);
  if (added.length > 0) record(walk, 'additive', here, `${label} enum widened: ${added.join(', ')} added`);
}

/** Tighter bounds, a new pattern or format refuse values an input accepted before. */
function compareInputConstraints(walk: Walk, previous: Schema, candidate: Schema, here: Here): void {
  const label = subject(walk, here);
  for (const keyword of [...LOWER_BOUNDS, ...UPPER_BOUNDS]) {
    const before = numberOf(previous[keyword]);
    const after = numberOf(candidate[keyword]);
    if (before === after) continue;
    const lower = (LOWER_BOUNDS as readonly string[]).includes(keyword);
    const tighter =
      after !== undefined && (before === undefined || (lower ? after > before : after < before));
    const words =
      after === undefined
        ? `${label} no longer has ${keyword} ${before}`
        : before === undefined
          ? `${label} now has ${keyword} ${after}`
          : `${label} ${keyword} changed from ${before} to ${after}`;
    record(walk, tighter ? 'breaking' : 'additive', here, words);
  }
  for (const keyword of ['pattern', 'format'] as const) {
    const before = previous[keyword];
    const after = candidate[keyword];
    if (before === after) continue;
    if (after === undefined)
      record(walk, 'additive', here, `${label} no longer has ${keyword} ${String(before)}`);
    else if (before === undefined)
      record(walk, 'breaking', here, `${label} now has ${keyword} ${String(after)}`);
    else
      record(
        walk,
        'breaking',
        here,
        `${label} ${keyword} changed from ${String(before)} to ${String(after)}`,
      );
  }
  const closedBefore = previous.additionalProperties === false;
  const closedAfter = candidate.additionalProperties === false;
  if (!closedBefore && closedAfter)
    record(walk, 'breaking', here, `${label} no longer accepts properties it does not declare`);
  if (closedBefore && !closedAfter)
    record(walk, 'additive', here, `${label} now accepts properties it does not declare`);
}

/** A field that becomes (or stops being) secret is stored differently: saved values must be entered again. */
function compareSecrecy(walk: Walk, previous: Schema, candidate: Schema, here: Here): void {
  const before = previous['x-secret'] === true;
  const after = candidate['x-secret'] === true;
  if (before === after || here.field === '') return;
  const label = subject(walk, here);
  record(walk, 'breaking', here, after ? `${label} is now secret` : `${label} is no longer secret`);
}

function compareUnmodelled(walk: Walk, previous: Schema, candidate: Schema, here: Here): void {
  for (const keyword of UNMODELLED) {
    if (canonical(previous[keyword]) === canonical(candidate[keyword])) continue;
    record(
      walk,
      'breaking',
      { ...here, pointer: jsonPointer(here.pointer, keyword) },
      `${subject(walk, here)} ${keyword} changed, which this check cannot prove compatible`,
    );
  }
}

function compareProperties(walk: Walk, previous: Schema, candidate: Schema, here: Here): void {
  const before = propertiesOf(previous);
  const after = propertiesOf(candidate);
  const requiredBefore = requiredOf(previous);
  const requiredAfter = requiredOf(candidate);
  const names = [
    ...new Set([...Object.keys(before), ...requiredBefore, ...Object.keys(after), ...requiredAfter]),
  ].sort();
  const output = walk.scope.position === 'output';
  for (const name of names) {
    const child: Here = {
      pointer: jsonPointer(here.pointer, 'properties', name),
      field: joinField(here.field, name),
    };
    const label = subject(walk, child);
    const existedBefore = name in before || requiredBefore.includes(name);
    const existsAfter = name in after || requiredAfter.includes(name);
    const wasRequired = requiredBefore.includes(name);
    const isRequired = requiredAfter.includes(name);
    if (existedBefore && !existsAfter) {
      record(walk, 'breaking', child, `${label} removed`);
      continue;
    }
    if (!existedBefore && existsAfter) {
      if (output) record(walk, 'additive', child, `new ${label}`);
      else if (isRequired) record(walk, 'breaking', child, `new required ${label}`);
      else record(walk, 'additive', child, `new optional ${label}`);
      continue;
    }
    if (wasRequired !== isRequired) {
      if (output) {
        if (wasRequired) record(walk, 'breaking', child, `${label} is no longer always present`);
        else record(walk, 'additive', child, `${label} is now always present`);
      } else if (isRequired) {
        record(walk, 'breaking', child, `${label} is now required`);
      } else {
        record(walk, 'additive', child, `${label} is no longer required`);
      }
    }
    // A property still listed in required but no longer described has become "any type".
    compareNode(walk, before[name] ?? {}, after[name] ?? {}, child);
  }
}

function compareItems(walk: Walk, previous: Schema, candidate: Schema, here: Here): void {
  const before = previous.items;
  const after = candidate.items;
  if (before === undefined && after === undefined) return;
  const child: Here = { pointer: jsonPointer(here.pointer, 'items'), field: `${here.field}[]` };
  if (isSchema(before) && isSchema(after)) {
    compareNode(walk, before, after, child);
    return;
  }
  if (canonical(before) !== canonical(after)) {
    record(
      walk,
      'breaking',
      child,
      `${subject(walk, here)} items changed, which this check cannot prove compatible`,
    );
  }
}

function record(
  walk: Walk,
  kind: keyof MutableCompatibilityReport,
  here: Pick<Here, 'pointer'>,
  message: string,
): void {
  const { file, card } = walk.scope;
  walk.report[kind].push({ ...(card === undefined ? {} : { card }), file, path: here.pointer, message });
}

function subject(walk: Walk, here: Here): string {
  const noun = { input: 'input', output: 'output field', configuration: 'configuration field' }[
    walk.scope.position
  ];
  if (here.field === '')
    return walk.scope.position === 'configuration' ? 'configuration schema' : walk.scope.position;
  return `${noun} "${here.field}"`;
}

function joinField(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

function resolve(raw: unknown, root: unknown): Schema {
  let schema = isSchema(raw) ? raw : {};
  for (let hops = 0; typeof schema.$ref === 'string' && hops < 32; hops += 1) {
    const target = followLocalRef(schema.$ref, root);
    if (!target) break;
    schema = target;
  }
  return schema;
}

function followLocalRef(ref: string, root: unknown): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  const tokens = ref
    .slice(1)
    .split('/')
    .filter((token) => token !== '')
    .map((token) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = root;
  for (const token of tokens) {
    if (!isSchema(node)) return undefined;
    node = node[token];
  }
  return isSchema(node) ? node : undefined;
}

function refOf(raw: unknown): string | undefined {
  return isSchema(raw) && typeof raw.$ref === 'string' ? raw.$ref : undefined;
}

/** The declared types, or undefined for "any type". */
function typesOf(schema: Schema): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type))
    return schema.type.filter((type): type is string => typeof type === 'string').sort();
  return undefined;
}

/** Types of `from` that `to` does not accept (number accepts integer; "any type" accepts all). */
function uncovered(from: string[] | undefined, to: string[] | undefined): string[] {
  if (to === undefined) return [];
  return (from ?? ALL_TYPES).filter(
    (type) => !to.includes(type) && !(type === 'integer' && to.includes('number')),
  );
}

function describeTypes(types: string[] | undefined): string {
  return types === undefined ? 'any type' : types.join(' or ');
}

/** Enum values (or a const) as canonical JSON text, so objects and strings compare alike. */
function enumOf(schema: Schema): string[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum.map(canonical);
  if ('const' in schema) return [canonical(schema.const)];
  return undefined;
}

function propertiesOf(schema: Schema): Record<string, unknown> {
  return isSchema(schema.properties) ? schema.properties : {};
}

function requiredOf(schema: Schema): string[] {
  return Array.isArray(schema.required)
    ? schema.required.filter((name): name is string => typeof name === 'string')
    : [];
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function canonical(value: unknown): string {
  return value === undefined ? '' : canonicalJson(value);
}
