import type { FlowSpec } from '@flowcard/schemas';
import { configurationIdsOf, mapCardSteps } from './flow-steps';

const spec = {
  name: 'Nested',
  trigger: { card: 'core/manual@1' },
  steps: [
    { id: 'first', card: 'a/one@1', configurationId: 'c1', input: {} },
    {
      id: 'route',
      type: 'paths',
      branches: [
        {
          name: 'big',
          condition: 'true',
          steps: [{ id: 'deep', card: 'a/two@1', configurationId: 'c2', input: {} }],
        },
      ],
      otherwise: [
        {
          id: 'each',
          type: 'forEach',
          items: '{{trigger.output.items}}',
          steps: [{ id: 'inner', card: 'a/three@1', configurationId: 'c3', input: {} }],
        },
      ],
    },
  ],
} as unknown as FlowSpec;

describe('flow step helpers', () => {
  it('lists the configurations of nested steps and leaves out a trigger that needs none', () => {
    expect([...configurationIdsOf(spec)].sort()).toEqual(['c1', 'c2', 'c3']);
  });

  it('rewrites card steps inside branches and loops and keeps the containers', () => {
    const moved = mapCardSteps(spec.steps, (step) => ({
      ...step,
      configurationId: `${step.configurationId}-new`,
    }));
    expect([...configurationIdsOf({ ...spec, steps: moved })].sort()).toEqual(['c1-new', 'c2-new', 'c3-new']);
    expect(JSON.stringify(moved)).toContain('"type":"forEach"');
    expect(configurationIdsOf(spec).has('c3')).toBe(true);
  });
});
