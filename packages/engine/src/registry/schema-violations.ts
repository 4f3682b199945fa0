import type { ErrorObject } from 'ajv';

/** One schema error translated for people: where, what is wrong, how to fix it. */
export interface SchemaViolation {
  readonly jsonPath: string;
  readonly reason: string;
  readonly hint: string;
}

type Schema = Record<string, unknown>;

/**
 * Turns ajv errors (from a validator compiled with `verbose`, so errors carry their schema, parent
 * schema and data) into one violation per real mistake. Raw ajv output for a manifest lists every
 * branch of every failed oneOf ("must have required property 'provider'" for a bearer auth); here a
 * failed oneOf reports only the branch the data was meant for — the one whose discriminator (a
 * `const`/`enum` property such as `kind`) matches, else the one with clearly the fewest errors.
 */
export function describeSchemaViolations(
  errors: readonly ErrorObject[],
  rootSchema: Schema,
): SchemaViolation[] {
  const reach = new ReachableSchemas(rootSchema);
  const kept = selectErrors(errors, reach);
  const seen = new Set<string>();
  const out: SchemaViolation[] = [];
  for (const error of kept) {
    const violation = translate(error, reach);
    const key = `${violation.jsonPath}\u0000${violation.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(violation);
  }
  return out;
}

function selectErrors(errors: readonly ErrorObject[], reach: ReachableSchemas): ErrorObject[] {
  // `if` errors only repeat the then/else error; a pattern error inside propertyNames repeats it.
  let remaining = errors.filter(
    (e) => e.keyword !== 'if' && !(e.propertyName !== undefined && e.keyword !== 'propertyNames'),
  );
  // Outermost failed oneOf/anyOf first, so a nested one is judged inside the branch kept for it.
  const alternatives = remaining
    .filter(
      (e) => (e.keyword === 'oneOf' || e.keyword === 'anyOf') && !Array.isArray(e.params.passingSchemas),
    )
    .sort((a, b) => a.instancePath.length - b.instancePath.length);
  for (const alternative of alternatives) {
    if (!remaining.includes(alternative)) continue;
    const branches = (alternative.schema as Schema[]).map((branch) => reach.from(branch));
    const inside = (e: ErrorObject): boolean =>
      e !== alternative &&
      isUnder(e.instancePath, alternative.instancePath) &&
      branches.some((set) => set.has(e.parentSchema as Schema));
    const branchErrors = branches.map((set) =>
      remaining.filter((e) => inside(e) && set.has(e.parentSchema as Schema)),
    );
    const chosen = chooseBranch(branchErrors, alternative);
    const replacement = chosen ?? [alternative];
    remaining = remaining.flatMap((e) =>
      e === alternative ? replacement : inside(e) && !replacement.includes(e) ? [] : [e],
    );
  }
  return remaining;
}

/** The errors of the branch the data was meant for, or undefined to report the oneOf itself. */
function chooseBranch(branchErrors: ErrorObject[][], alternative: ErrorObject): ErrorObject[] | undefined {
  const isDiscriminatorMiss = (e: ErrorObject): boolean =>
    (e.keyword === 'const' || e.keyword === 'enum') &&
    isDirectChild(e.instancePath, alternative.instancePath);
  const candidates = branchErrors.filter((list) => list.length > 0 && !list.some(isDiscriminatorMiss));
  if (candidates.length > 0) {
    const fewest = Math.min(...candidates.map((list) => list.length));
    const best = candidates.filter((list) => list.length === fewest);
    // A tie means the data does not say which shape it meant: report the alternatives instead.
    return best.length === 1 ? best[0] : undefined;
  }
  const misses = branchErrors.flat().filter(isDiscriminatorMiss);
  // Every branch refused the same discriminator: say which values it may take.
  if (misses.length > 0 && misses.every((e) => e.instancePath === misses[0].instancePath)) {
    return [misses[0]];
  }
  return undefined;
}

function translate(error: ErrorObject, reach: ReachableSchemas): SchemaViolation {
  const at = error.instancePath;
  const parent = (error.parentSchema ?? {}) as Schema;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const name = String(params.missingProperty);
      const description = describe(propertySchema(parent, name, reach));
      return {
        jsonPath: at,
        reason: `missing required property "${name}"`,
        hint: description ? `Add "${name}" (${description})` : `Add "${name}"`,
      };
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const allowed = Object.keys((parent.properties as Schema | undefined) ?? {});
      return {
        jsonPath: `${at}/${escapeToken(name)}`,
        reason: `unknown property "${name}"`,
        hint: allowed.length
          ? `Remove it or fix its spelling; allowed here: ${allowed.join(', ')}`
          : 'Remove it',
      };
    }
    case 'enum':
    case 'const': {
      const allowed = error.keyword === 'const' ? [params.allowedValue] : (params.allowedValues as unknown[]);
      const siblings = error.keyword === 'const' ? discriminatorValues(error, reach) : allowed;
      return {
        jsonPath: at,
        reason: `${JSON.stringify(error.data)} is not allowed here`,
        hint: `Use ${siblings.length > 1 ? 'one of: ' : ''}${siblings.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    }
    case 'type':
      return {
        jsonPath: at,
        reason: `must be ${article(String(params.type))} but is ${article(jsonType(error.data))}`,
        hint: `Change it to ${article(String(params.type))}`,
      };
    case 'pattern': {
      const description = describe(parent);
      return {
        jsonPath: at,
        reason: `${JSON.stringify(error.data)} does not match the pattern ${String(params.pattern)}`,
        hint: description ? `Expected: ${description}` : `Change it to match ${String(params.pattern)}`,
      };
    }
    case 'format':
      return {
        jsonPath: at,
        reason: `${JSON.stringify(error.data)} is not a valid ${String(params.format)}`,
        hint: `Write a valid ${String(params.format)}${formatExample(String(params.format))}`,
      };
    case 'propertyNames':
      return {
        jsonPath: `${at}/${escapeToken(String(params.propertyName))}`,
        reason: `the name "${String(params.propertyName)}" is not allowed`,
        hint: 'Rename it: start with a lower-case letter, then letters and digits only',
      };
    case 'oneOf':
    case 'anyOf':
      return translateAlternatives(error);
    default:
      return {
        jsonPath: at,
        reason: error.message ?? `fails ${error.keyword}`,
        hint: 'Fix the value so that it matches the schema',
      };
  }
}

/** Branches like `{ required: ["request"] }` | `{ required: ["handler"] }`: name the properties. */
function translateAlternatives(error: ErrorObject): SchemaViolation {
  const branches = error.schema as Schema[];
  const names = branches.map((b) =>
    Array.isArray(b.required) && b.required.length === 1 ? String(b.required[0]) : undefined,
  );
  const quoted = names.every((n) => n !== undefined) ? names.map((n) => `"${n}"`) : undefined;
  if (Array.isArray(error.params.passingSchemas)) {
    return quoted
      ? {
          jsonPath: error.instancePath,
          reason: `has more than one of ${quoted.join(', ')}`,
          hint: 'Keep only one of them',
        }
      : {
          jsonPath: error.instancePath,
          reason: 'matches more than one allowed shape',
          hint: 'Remove the properties of all but one shape',
        };
  }
  return quoted
    ? {
        jsonPath: error.instancePath,
        reason: `needs one of ${quoted.join(', ')}`,
        hint: `Add ${quoted.join(' or ')}`,
      }
    : {
        jsonPath: error.instancePath,
        reason: 'matches none of the allowed shapes',
        hint: 'Compare it with the schema and its examples',
      };
}

/** For a discriminator miss, the values every branch of the enclosing oneOf accepts. */
function discriminatorValues(error: ErrorObject, reach: ReachableSchemas): unknown[] {
  const values = reach.discriminatorValues(
    error.instancePath.split('/').pop() ?? '',
    error.parentSchema as Schema,
  );
  return values.length ? values : [error.params.allowedValue];
}

function propertySchema(parent: Schema, name: string, reach: ReachableSchemas): Schema | undefined {
  const properties = parent.properties as Record<string, Schema> | undefined;
  return properties?.[name] ? reach.resolve(properties[name]) : undefined;
}

function describe(schema: Schema | undefined): string | undefined {
  const text = schema?.description;
  return typeof text === 'string' ? text.replace(/\.$/, '') : undefined;
}

function formatExample(format: string): string {
  const examples: Record<string, string> = {
    date: 'YYYY-MM-DD, e.g. 2026-06-01',
    uri: 'absolute URL, e.g. https://example.com/docs',
  };
  return examples[format] ? ` (${examples[format]})` : '';
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isUnder(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`);
}

function isDirectChild(path: string, base: string): boolean {
  return path.startsWith(`${base}/`) && !path.slice(base.length + 1).includes('/');
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Sub-schemas reachable from a schema, following local `#/...` refs of the root schema. */
class ReachableSchemas {
  private readonly cache = new WeakMap<Schema, Set<Schema>>();

  constructor(private readonly root: Schema) {}

  resolve(schema: Schema): Schema {
    let current = schema;
    for (
      let hops = 0;
      typeof current.$ref === 'string' && current.$ref.startsWith('#/') && hops < 32;
      hops++
    ) {
      const target = current.$ref
        .slice(2)
        .split('/')
        .reduce<unknown>(
          (node, token) => (node as Schema | undefined)?.[token.replace(/~1/g, '/').replace(/~0/g, '~')],
          this.root,
        );
      if (target === null || typeof target !== 'object') break;
      current = target as Schema;
    }
    return current;
  }

  from(schema: Schema): Set<Schema> {
    const cached = this.cache.get(schema);
    if (cached) return cached;
    const found = new Set<Schema>();
    const visit = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(visit);
      const object = node as Schema;
      if (found.has(object)) return;
      found.add(object);
      if (typeof object.$ref === 'string') visit(this.resolve(object));
      for (const [key, value] of Object.entries(object))
        if (key !== 'examples' && key !== 'x-anti-examples') visit(value);
    };
    visit(schema);
    this.cache.set(schema, found);
    return found;
  }

  /** Values of `property` in every oneOf branch that has the given const schema for it. */
  discriminatorValues(property: string, constSchema: Schema): unknown[] {
    const values: unknown[] = [];
    for (const node of this.from(this.root)) {
      const branches = node.oneOf ?? node.anyOf;
      if (!Array.isArray(branches)) continue;
      const consts = branches.map((b: Schema) => {
        const prop = (this.resolve(b).properties as Record<string, Schema> | undefined)?.[property];
        return prop ? this.resolve(prop) : undefined;
      });
      if (!consts.includes(constSchema)) continue;
      for (const c of consts) if (c && 'const' in c) values.push(c.const);
      break;
    }
    return values;
  }
}
