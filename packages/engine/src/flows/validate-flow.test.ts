import { join } from 'node:path';
import { ConnectorRegistry } from '../registry/connector-registry';
import type { LoadedCard } from '../registry/loaded-connector';
import { flowTriggerKey } from './flow-trigger-key';
import { validateFlow, type CanUseConfiguration } from './validate-flow';

const registry = new ConnectorRegistry();
beforeAll(async () => {
  await registry.loadFrom({ directories: [join(__dirname, '..', '..', '..', '..', 'connectors')] });
});

// The saver may use cfg_page with Lead Ads cards and cfg_wp with Workplace cards, nothing else.
const canUse: CanUseConfiguration = async (id: string, card: LoadedCard) => {
  const connector = { cfg_page: 'facebook-leads', cfg_wp: 'workplace' }[id];
  if (!connector) return 'does not exist or is not shared with you';
  return connector === card.connector.manifest.name ? true : `belongs to connector ${connector}`;
};

// Loosely typed on purpose: the tests break flows in ways the FlowSpec type would not allow.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function demoFlow(): Record<string, any> {
  return {
    name: 'New lead → Workplace',
    trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg_page', input: { pageId: '101' } },
    steps: [
      {
        id: 'post',
        card: 'workplace/post-to-group@1',
        configurationId: 'cfg_wp',
        input: {
          groupId: '9001',
          message: 'New lead: {{trigger.output.fields.full_name}} <{{trigger.output.fields.email}}>',
        },
      },
      {
        id: 'notify',
        card: 'workplace/send-message@1',
        configurationId: 'cfg_wp',
        input: { recipientIds: ['7001'], text: 'See {{steps.post.output.id}}' },
      },
    ],
  };
}

describe('validateFlow', () => {
  it('accepts the demo flow', async () => {
    expect(await validateFlow(demoFlow(), registry, canUse)).toEqual([]);
  });

  it('reports schema violations with their JSON path', async () => {
    const flow = demoFlow();
    flow.steps[0].card = 'workplace/post-to-group';
    const problems = await validateFlow(flow, registry, canUse);
    expect(problems).toEqual([
      expect.objectContaining({ code: 'FLOWCARD_ERR_FLOW_SCHEMA', path: '/steps/0/card' }),
    ]);
  });

  it('names a card that is not loaded at that major', async () => {
    const flow = demoFlow();
    flow.steps[1].card = 'workplace/send-message@7';
    const problems = await validateFlow(flow, registry, canUse);
    expect(problems.map((p) => p.message)).toEqual([
      '/steps/1/card: card "workplace/send-message@7" is not loaded: connector "workplace" is loaded in major 1 only; install the connector at that major, or pick another card',
    ]);
  });

  it('refuses a trigger card as a step and an action as the trigger', async () => {
    const flow = demoFlow();
    flow.trigger.card = 'workplace/post-to-group@1';
    flow.trigger.configurationId = 'cfg_wp';
    flow.trigger.input = {};
    flow.steps[0].card = 'facebook-leads/new-lead@1';
    flow.steps[0].configurationId = 'cfg_page';
    flow.steps[0].input = { pageId: '1' };
    const codes = (await validateFlow(flow, registry, canUse))
      .filter((p) => p.code === 'FLOWCARD_ERR_FLOW_CARD_KIND')
      .map((p) => p.message);
    expect(codes).toEqual([
      '/trigger/card: card "workplace/post-to-group@1" is of kind action; this place needs kind trigger',
      '/steps/0/card: card "facebook-leads/new-lead@1" is of kind trigger; this place needs kind action',
    ]);
  });

  it('refuses a configuration the saver cannot use', async () => {
    const flow = demoFlow();
    flow.steps[1].configurationId = 'cfg_page';
    expect((await validateFlow(flow, registry, canUse)).map((p) => p.message)).toEqual([
      '/steps/1/configurationId: configuration "cfg_page" belongs to connector facebook-leads',
    ]);
  });

  it('refuses templates that read a later step, an unknown step or something other than outputs', async () => {
    const flow = demoFlow();
    flow.steps[0].input.message = '{{steps.notify.output.id}} {{input.x}} {{steps.post.output.id}}';
    const messages = (await validateFlow(flow, registry, canUse)).map((p) => p.message);
    expect(messages).toEqual([
      '/steps/0/input: template {{steps.notify.output.id}} names step "notify", which does not run before this one',
      '/steps/0/input: template {{input.x}} may only read trigger.output or steps.<id>.output',
      '/steps/0/input: template {{steps.post.output.id}} names step "post", which does not run before this one',
    ]);
  });

  it('refuses a field the output schema does not have', async () => {
    const flow = demoFlow();
    flow.steps[1].input.text = 'See {{steps.post.output.postId}} from {{trigger.output.fields.anything}}';
    expect((await validateFlow(flow, registry, canUse)).map((p) => p.message)).toEqual([
      '/steps/1/input: template {{steps.post.output.postId}} reads "postId", which the output of workplace/post-to-group@1 does not have',
    ]);
  });

  it('checks literal inputs against the card input schema but leaves templated ones to run time', async () => {
    const flow = demoFlow();
    flow.steps[0].input = { message: 'x', link: 'not a url' };
    flow.steps[1].input = { recipientIds: '{{trigger.output.id}}', text: 'hi' };
    const problems = await validateFlow(flow, registry, canUse);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['FLOWCARD_ERR_FLOW_INPUT_INVALID', '/steps/0/input'],
      ['FLOWCARD_ERR_FLOW_INPUT_INVALID', '/steps/0/input/link'],
    ]);
    expect(problems[0].message).toBe(
      "/steps/0/input: must have required property 'groupId' (card workplace/post-to-group@1)",
    );
  });

  it('refuses duplicate step ids and a condition that is not JSONata', async () => {
    const flow = demoFlow();
    flow.steps[1].id = 'post';
    flow.steps[1].input.text = 'x';
    flow.steps[1].condition = 'trigger.output.(';
    const codes = (await validateFlow(flow, registry, canUse)).map((p) => p.code);
    expect(codes).toEqual(['FLOWCARD_ERR_FLOW_STEP_DUPLICATE', 'FLOWCARD_ERR_FLOW_CONDITION_INVALID']);
  });
});

describe('validateFlow refuses what every run would reject', () => {
  it('names an input the card does not have, even when a template fills it', async () => {
    const flow = demoFlow();
    flow.steps[0].input.extra = '{{trigger.output.id}}';
    flow.steps[1].input.urgent = true;
    expect((await validateFlow(flow, registry, canUse)).map((p) => p.message)).toEqual([
      '/steps/0/input/extra: card workplace/post-to-group@1 has no input "extra"; its inputs are groupId, message, link',
      '/steps/1/input/urgent: card workplace/send-message@1 has no input "urgent"; its inputs are recipientIds, text',
    ]);
  });

  it('refuses an unclosed template', async () => {
    const flow = demoFlow();
    flow.steps[0].input.message =
      'New lead: {{trigger.output.fields.full_name <{{trigger.output.fields.email}}>';
    flow.steps[1].input.text = 'See {{steps.post.output.id';
    const problems = await validateFlow(flow, registry, canUse);
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      [
        'FLOWCARD_ERR_FLOW_TEMPLATE_SYNTAX',
        '/steps/0/input/message: template {{trigger.output.fields.full_name < is not closed before the next "{{": end it with "}}"',
      ],
      [
        'FLOWCARD_ERR_FLOW_TEMPLATE_SYNTAX',
        '/steps/1/input/text: template {{steps.post.output.id is not closed: end it with "}}"',
      ],
    ]);
  });

  it('refuses empty templates and templates that are not paths', async () => {
    const flow = demoFlow();
    flow.steps[0].input.message = 'Hi {{ }} and {{trigger output}}';
    flow.steps[1].input.recipientIds = ['{{steps.post..output}}'];
    expect((await validateFlow(flow, registry, canUse)).map((p) => p.message)).toEqual([
      '/steps/0/input/message: template {{ }} is empty: name what to read, e.g. {{trigger.output.id}}',
      '/steps/0/input/message: template {{trigger output}} is not a path: write dot-separated names without spaces, e.g. {{steps.post.output.id}} or {{trigger.output.items[0].id}}',
      '/steps/1/input/recipientIds/0: template {{steps.post..output}} is not a path: write dot-separated names without spaces, e.g. {{steps.post.output.id}} or {{trigger.output.items[0].id}}',
    ]);
  });

  it('refuses literal inputs of the wrong type, and text around a template where another type is needed', async () => {
    const flow = demoFlow();
    flow.steps[0].input.groupId = 9001;
    flow.steps[1].input.recipientIds = 'to {{trigger.output.id}}';
    expect((await validateFlow(flow, registry, canUse)).map((p) => p.message)).toEqual([
      '/steps/0/input/groupId: must be string (card workplace/post-to-group@1)',
      '/steps/1/input/recipientIds: must be array (card workplace/send-message@1), but text around a template always makes a string; map the template alone, e.g. "{{trigger.output.x}}", to keep its type',
    ]);
  });

  it('refuses a missing required input even when other inputs are templated', async () => {
    const flow = demoFlow();
    delete flow.steps[0].input.groupId;
    expect((await validateFlow(flow, registry, canUse)).map((p) => p.message)).toEqual([
      "/steps/0/input: must have required property 'groupId' (card workplace/post-to-group@1)",
    ]);
  });

  it('still leaves to run time what only the rendered value can tell', async () => {
    const flow = demoFlow();
    flow.steps[0].input.groupId = '{{trigger.output.id}}';
    flow.steps[0].input.link = '{{trigger.output.fields.website}}';
    flow.steps[1].input.recipientIds = '{{trigger.output.fields.ids}}';
    expect(await validateFlow(flow, registry, canUse)).toEqual([]);
  });
});

describe('validateFlow and steps without a configuration', () => {
  it('lets built-in cards run without one, but not a card whose kind sends credentials', async () => {
    const flow = demoFlow();
    flow.steps.unshift(
      { id: 'onlyFrance', card: 'core/filter@1', input: { condition: 'trigger.output.country = "FR"' } },
      { id: 'wait', card: 'core/delay@1', input: { for: '1h' } },
      { id: 'call', card: 'core/http-request@1', input: { url: 'https://api.example.com/leads' } },
    );
    expect(await validateFlow(flow, registry, canUse)).toEqual([]);
    delete flow.steps[3].configurationId;
    expect((await validateFlow(flow, registry, canUse)).map((p) => p.message)).toEqual([
      '/steps/3/configurationId: card "workplace/post-to-group@1" needs a configuration (Workplace custom integration); choose one you own or one shared with you',
    ]);
  });
});

// A lead goes down a VIP path or the otherwise path; every line of the lead is sent in a loop.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function branchingFlow(): Record<string, any> {
  const flow = demoFlow();
  flow.steps = [
    {
      id: 'route',
      type: 'paths',
      mode: 'first',
      branches: [
        {
          name: 'vip',
          condition: 'trigger.output.fields.budget > 1000',
          steps: [
            {
              id: 'vipPost',
              card: 'workplace/post-to-group@1',
              configurationId: 'cfg_wp',
              input: { groupId: '9001', message: 'VIP {{trigger.output.fields.full_name}}' },
            },
          ],
        },
      ],
      otherwise: [{ id: 'wait', card: 'core/delay@1', input: { for: '1d' } }],
    },
    {
      id: 'each',
      type: 'forEach',
      items: '{{trigger.output.fields.lines}}',
      concurrency: 5,
      steps: [
        {
          id: 'send',
          card: 'core/http-request@1',
          input: {
            method: 'POST',
            url: 'https://api.example.com/lines',
            body: { line: '{{item}}', n: '{{index}}' },
          },
        },
        {
          id: 'ack',
          card: 'workplace/send-message@1',
          configurationId: 'cfg_wp',
          input: {
            recipientIds: ['7001'],
            text: 'Sent {{steps.send.output.status}} after {{steps.route.output.branches}}',
          },
        },
      ],
    },
    {
      id: 'notify',
      card: 'workplace/send-message@1',
      configurationId: 'cfg_wp',
      input: { recipientIds: ['7001'], text: '{{steps.each.output}}' },
    },
  ];
  return flow;
}

describe('validateFlow with paths and loops', () => {
  it('accepts branches and a loop reading what certainly ran before them, and the item', async () => {
    expect(await validateFlow(branchingFlow(), registry, canUse)).toEqual([]);
  });

  it('refuses a nested template reading a step of another branch, a loop body from outside, or the item outside a loop', async () => {
    const flow = branchingFlow();
    flow.steps[1].steps[1].input.text = 'after {{steps.vipPost.output.id}}';
    flow.steps[2].input.text = '{{steps.send.output.status}} {{item}}';
    const problems = await validateFlow(flow, registry, canUse);
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      [
        'FLOWCARD_ERR_FLOW_TEMPLATE_REFERENCE',
        '/steps/1/steps/1/input: template {{steps.vipPost.output.id}} names step "vipPost", which is not certain to have run before this one: it runs only on another branch or inside a loop this step is not part of',
      ],
      [
        'FLOWCARD_ERR_FLOW_TEMPLATE_REFERENCE',
        '/steps/2/input: template {{steps.send.output.status}} names step "send", which is not certain to have run before this one: it runs only on another branch or inside a loop this step is not part of',
      ],
      [
        'FLOWCARD_ERR_FLOW_TEMPLATE_REFERENCE',
        '/steps/2/input: template {{item}} reads a loop item, but this step is not inside a forEach step',
      ],
    ]);
  });

  it('refuses duplicate ids across branches, a list that is not one template, and a bad branch condition', async () => {
    const flow = branchingFlow();
    flow.steps[0].otherwise[0].id = 'vipPost';
    flow.steps[0].branches[0].condition = 'budget >';
    flow.steps[1].items = 'lines: {{trigger.output.fields.lines}}';
    expect((await validateFlow(flow, registry, canUse)).map((p) => p.message)).toEqual([
      expect.stringMatching(/^\/steps\/0\/branches\/0\/condition: the condition is not valid JSONata: /),
      'step id "vipPost" is used twice; step ids must be unique',
      '/steps/1/items: must be one template naming a list, e.g. {{trigger.output.items}}',
    ]);
  });

  it('names only the errors of the kind a step is', async () => {
    const flow = branchingFlow();
    flow.steps[1].concurrency = 0;
    expect((await validateFlow(flow, registry, canUse)).map((p) => p.message)).toEqual([
      '/steps/1/concurrency must be >= 1',
    ]);
  });
});

describe('flowTriggerKey', () => {
  it('routes a Lead Ads flow by its page', () => {
    const flow = demoFlow();
    expect(flowTriggerKey(flow as never, registry.card('facebook-leads/new-lead@1'))).toBe(
      'meta:page:leadgen:101',
    );
  });

  it('is null for a trigger without a webhook route', () => {
    expect(flowTriggerKey(demoFlow() as never, registry.card('workplace/post-to-group@1'))).toBeNull();
  });
});
