import { createAdmin, getBound, Ports } from '@flowcard/runtime';
import { startE2e, type E2e, type Json } from '../e2e/support/e2e-runtime';

/**
 * POST /v1/flows/test-step over HTTP against the Meta emulator: an action card runs once with its
 * templates filled from the sample data, a failing card answers its classified error, a trigger
 * loads a recent real item, and a configuration the caller may not use is refused like an unknown one.
 */
describe('testing one step from the flow editor', () => {
  let e2e: E2e;
  let memberKey: string;

  beforeAll(async () => {
    e2e = await startE2e(__filename, ['api']);
    const member = await createAdmin(
      {
        users: getBound(e2e.runtime.handle.container, Ports.users),
        workspaces: getBound(e2e.runtime.handle.container, Ports.workspaces),
      },
      { email: 'member@bakery.example', workspace: 'Bakery', role: 'member' },
    );
    memberKey = member.apiKey;
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  const group = (): Json => e2e.fixtures.workplace.groups[0];

  it('runs an action card once with the input rendered over the sample data and answers its output', async () => {
    const answer = await e2e.api('/v1/flows/test-step', {
      method: 'POST',
      body: {
        card: 'workplace/post-to-group@1',
        configurationId: e2e.workplaceConfigurationId,
        input: { groupId: group().id, message: 'Test: {{trigger.output.fields.full_name}}' },
        data: { trigger: { output: { fields: { full_name: 'Tess Tester' } } } },
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ok: true,
      card: 'workplace/post-to-group@1',
      source: 'run',
      input: { groupId: group().id, message: 'Test: Tess Tester' },
      output: { id: expect.stringMatching(new RegExp(`^${group().id}_`)) },
    });
    const feed = await e2e.emulator.groupFeed(group().id, e2e.fixtures.workplace.adminToken);
    expect(feed.filter((post) => post.message === 'Test: Tess Tester')).toHaveLength(1);
  });

  it("answers a failing card's classified error in words (the test itself worked)", async () => {
    const answer = await e2e.api('/v1/flows/test-step', {
      method: 'POST',
      body: {
        card: 'workplace/post-to-group@1',
        configurationId: e2e.workplaceConfigurationId,
        input: { groupId: '999999999999999', message: 'nowhere' },
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.ok).toBe(false);
    expect(answer.body.error).toEqual(
      expect.objectContaining({ code: expect.stringMatching(/^FLOWCARD_ERR_/), message: expect.any(String) }),
    );
    expect(answer.body.output).toBeUndefined();
  });

  it('loads a sample for a trigger: a recent real lead of the Page', async () => {
    const page = e2e.fixtures.pages[0];
    const lead = await e2e.emulator.createLead(page.forms[0].id, {
      full_name: 'Sam Sample',
      email: 'sam@mail.example',
    });
    const answer = await e2e.api('/v1/flows/test-step', {
      method: 'POST',
      body: {
        card: 'facebook-leads/new-lead@1',
        configurationId: e2e.pageConfigurations[page.id],
        input: { pageId: page.id },
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, source: 'recent' });
    expect(answer.body.output.fields).toEqual(expect.objectContaining({ full_name: expect.any(String) }));
    expect(typeof lead.id).toBe('string');
  });

  it('refuses a configuration the caller may not use exactly like an unknown one', async () => {
    const page = e2e.fixtures.pages[0];
    const body = {
      card: 'facebook-leads/new-lead@1',
      configurationId: e2e.pageConfigurations[page.id],
      input: { pageId: page.id },
    };
    const refused = await e2e.api('/v1/flows/test-step', { method: 'POST', body, apiKey: memberKey });
    const unknown = await e2e.api('/v1/flows/test-step', {
      method: 'POST',
      body: { ...body, configurationId: 'cfg_nope' },
      apiKey: memberKey,
    });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('FLOWCARD_ERR_CONFIGURATION_NOT_FOUND');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('FLOWCARD_ERR_CONFIGURATION_NOT_FOUND');
  });

  it('says what is wrong with a bad request, where', async () => {
    const answer = await e2e.api('/v1/flows/test-step', {
      method: 'POST',
      body: { card: 'workplace/post-to-group@1' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('FLOWCARD_ERR_REQUEST_INVALID');
    expect(JSON.stringify(answer.body.error)).toContain('configurationId');
  });

  it('is described in the OpenAPI document with its body and answer schemas', async () => {
    const doc = (await e2e.api('/docs/json')).body;
    const route = doc.paths['/v1/flows/test-step'].post;
    expect(route.tags).toEqual(['test-step']);
    expect(route.requestBody.content['application/json'].schema.required).toEqual([
      'card',
      'configurationId',
    ]);
    expect(route.responses['200'].content['application/json'].schema.required).toEqual([
      'ok',
      'card',
      'durationMs',
    ]);
  });
});
