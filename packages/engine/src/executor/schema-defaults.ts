/**
 * Input defaults from the card's input schema (`default` on properties, nested objects included),
 * prepared once per card. The shared validators are compiled without ajv's useDefaults (they also
 * check examples, which must not be mutated), so defaults are applied here, on a copy.
 */
export type ApplyDefaults = (input: Record<string, unknown>) => Record<string, unknown>;

interface DefaultNode {
  key: string;
  hasDefault: boolean;
  value: unknown;
  children: DefaultNode[];
}

const identity: ApplyDefaults = (input) => input;

export function compileSchemaDefaults(schema: unknown): ApplyDefaults {
  const nodes = nodesOf(schema);
  if (nodes.length === 0) return identity;
  return (input) => applyNodes(input, nodes);
}

function nodesOf(schema: unknown): DefaultNode[] {
  const properties = (schema as { properties?: Record<string, unknown> } | null)?.properties;
  if (!properties || typeof properties !== 'object') return [];
  const nodes: DefaultNode[] = [];
  for (const [key, property] of Object.entries(properties)) {
    if (property === null || typeof property !== 'object') continue;
    const hasDefault = 'default' in property;
    const children = nodesOf(property);
    if (hasDefault || children.length > 0)
      nodes.push({ key, hasDefault, value: (property as { default?: unknown }).default, children });
  }
  return nodes;
}

function applyNodes(input: Record<string, unknown>, nodes: readonly DefaultNode[]): Record<string, unknown> {
  let out = input;
  for (const node of nodes) {
    const current = input[node.key];
    let next = current;
    // Copies so that a default object handed to one run is never shared with another.
    if (current === undefined && node.hasDefault) next = structuredClone(node.value);
    if (next !== null && typeof next === 'object' && !Array.isArray(next) && node.children.length > 0) {
      next = applyNodes(next as Record<string, unknown>, node.children);
    }
    if (next !== current) {
      if (out === input) out = { ...input };
      out[node.key] = next;
    }
  }
  return out;
}
