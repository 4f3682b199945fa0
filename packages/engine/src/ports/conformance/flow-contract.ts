import type { FlowSpec } from '@flowcard/schemas';
import type { FlowDocument, NewFlow } from '../flow-repository';
import { expectCode, unique, type StoreGetter } from './conformance-context';

function spec(triggerConfigurationId: string, stepConfigurationIds: string[] = [unique('cfg')]): FlowSpec {
  const [first, ...rest] = stepConfigurationIds.map((configurationId, index) => ({
    id: `step${index + 1}`,
    card: 'workplace/send-message@1',
    configurationId,
    input: { recipientIds: ['{{trigger.output.owner}}'], text: 'Lead {{trigger.output.id}}' },
  }));
  if (!first) throw new Error('a flow has at least one step');
  return {
    name: 'New lead → Workplace',
    trigger: {
      card: 'facebook-leads/new-lead@1',
      configurationId: triggerConfigurationId,
      input: { pageId: '101' },
    },
    steps: [first, ...rest],
  };
}

function draft(overrides: Partial<NewFlow> = {}): NewFlow {
  return { workspaceId: unique('ws'), ownerId: unique('owner'), spec: spec(unique('cfg')), ...overrides };
}

const ids = (flows: readonly FlowDocument[]): string[] => flows.map((flow) => flow.id);

export function describeFlowContract(store: StoreGetter): void {
  describe('flows', () => {
    it('creates a disabled flow at version 1 that reads back field for field', async () => {
      const created = await store().flows.create(draft());
      expect(created).toMatchObject({ enabled: false, triggerKey: null, version: 1 });
      expect(created.createdAt).toEqual(created.updatedAt);
      expect(await store().flows.findById(created.id)).toEqual(created);
      expect(await store().flows.findById(unique('missing'))).toBeNull();
    });

    it('keeps a spec whose input holds keys MongoDB dislikes, exactly as saved', async () => {
      const awkward = spec(unique('cfg'));
      awkward.steps[0] = {
        ...awkward.steps[0],
        name: 'Post with headers',
        condition: 'trigger.output.email != ""',
        input: { $set: { 'a.b': 1 }, 'dotted.key': ['x', { $gt: null }], empty: {} },
      };
      const created = await store().flows.create(
        draft({ spec: awkward, enabled: true, triggerKey: unique('meta:page:leadgen') }),
      );
      expect(created.spec).toEqual(awkward);
      expect((await store().flows.findById(created.id))?.spec).toEqual(awkward);
    });

    it("lists a workspace's flows by id, filtered by enabled and page by page", async () => {
      const workspaceId = unique('ws');
      const made: FlowDocument[] = [];
      for (const enabled of [true, false, true, true])
        made.push(await store().flows.create(draft({ workspaceId, enabled })));
      await store().flows.create(draft({ enabled: true }));
      const sorted = ids(made).sort();
      expect(ids(await store().flows.listByWorkspace({ workspaceId }))).toEqual(sorted);
      const enabled = ids(made.filter((flow) => flow.enabled)).sort();
      expect(ids(await store().flows.listByWorkspace({ workspaceId, enabled: true }))).toEqual(enabled);
      const firstPage = await store().flows.listByWorkspace({ workspaceId, limit: 3 });
      const secondPage = await store().flows.listByWorkspace({
        workspaceId,
        limit: 3,
        afterId: firstPage[2]?.id,
      });
      expect([...ids(firstPage), ...ids(secondPage)]).toEqual(sorted);
      expect(secondPage).toHaveLength(1);
    });

    it('routes a trigger key to the enabled flows listening on it, by id', async () => {
      const triggerKey = unique('meta:page:leadgen');
      const a = await store().flows.create(draft({ enabled: true, triggerKey }));
      await store().flows.create(draft({ enabled: false, triggerKey }));
      await store().flows.create(draft({ enabled: true, triggerKey: unique('meta:page:leadgen') }));
      const b = await store().flows.create(draft({ enabled: true, triggerKey }));
      expect(ids(await store().flows.listEnabledByTriggerKey(triggerKey))).toEqual([a.id, b.id].sort());
      await store().flows.update(a.id, a.version, { triggerKey: null });
      expect(ids(await store().flows.listEnabledByTriggerKey(triggerKey))).toEqual([b.id]);
      expect(await store().flows.listEnabledByTriggerKey(unique('nobody-listens'))).toEqual([]);
    });

    it('pages through every enabled flow once, in id order, skipping disabled ones', async () => {
      const on = [
        await store().flows.create(draft({ enabled: true })),
        await store().flows.create(draft({ enabled: true })),
      ];
      const off = await store().flows.create(draft({ enabled: false }));
      const seen: string[] = [];
      let afterId: string | undefined;
      for (;;) {
        const page = await store().flows.listEnabled({ afterId, limit: 2 });
        expect(page.length).toBeLessThanOrEqual(2);
        expect(page.every((flow) => flow.enabled)).toBe(true);
        seen.push(...ids(page));
        if (page.length < 2) break;
        afterId = page[page.length - 1]?.id;
      }
      expect(seen).toEqual([...seen].sort());
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(ids(on)));
      expect(seen).not.toContain(off.id);
    });

    it('finds the enabled flows using a configuration in their trigger or in any step, after edits too', async () => {
      const configurationId = unique('cfg');
      const inTrigger = await store().flows.create(draft({ enabled: true, spec: spec(configurationId) }));
      const inStep = await store().flows.create(
        draft({ enabled: true, spec: spec(unique('cfg'), [unique('cfg'), configurationId]) }),
      );
      await store().flows.create(draft({ enabled: false, spec: spec(configurationId) }));
      await store().flows.create(draft({ enabled: true }));
      expect(ids(await store().flows.listEnabledByConfiguration(configurationId))).toEqual(
        [inTrigger.id, inStep.id].sort(),
      );
      await store().flows.update(inStep.id, inStep.version, { spec: spec(unique('cfg')) });
      expect(ids(await store().flows.listEnabledByConfiguration(configurationId))).toEqual([inTrigger.id]);
    });

    it('applies an update at the expected version, bumps the version and refuses a stale one', async () => {
      const created = await store().flows.create(draft({ triggerKey: unique('meta:page:leadgen') }));
      const replaced = spec(unique('cfg'));
      const updated = await store().flows.update(created.id, 1, {
        spec: replaced,
        enabled: true,
        triggerKey: null,
        ownerId: 'new-owner',
      });
      expect(updated).toMatchObject({
        version: 2,
        spec: replaced,
        enabled: true,
        triggerKey: null,
        ownerId: 'new-owner',
      });
      expect(updated.workspaceId).toBe(created.workspaceId);
      expect(updated.createdAt).toEqual(created.createdAt);
      expect(await store().flows.findById(created.id)).toEqual(updated);
      const disabled = await store().flows.update(created.id, 2, { enabled: false });
      expect(disabled).toMatchObject({ version: 3, spec: replaced, enabled: false, ownerId: 'new-owner' });
      await expectCode(
        store().flows.update(created.id, 2, { enabled: true }),
        'FLOWCARD_ERR_STORE_VERSION_CONFLICT',
      );
      await expectCode(
        store().flows.update(unique('missing'), 1, { enabled: true }),
        'FLOWCARD_ERR_STORE_NOT_FOUND',
      );
      expect((await store().flows.findById(created.id))?.enabled).toBe(false);
    });

    it('lets exactly one of several concurrent updates at the same version win, every time', async () => {
      for (let round = 0; round < 8; round += 1) {
        const created = await store().flows.create(draft());
        const owners = ['owner-a', 'owner-b', 'owner-c', 'owner-d'];
        const results = await Promise.allSettled(
          owners.map((ownerId) => store().flows.update(created.id, 1, { ownerId })),
        );
        const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        expect(won).toHaveLength(1);
        for (const lost of results.filter((r) => r.status === 'rejected')) {
          expect(lost).toMatchObject({ reason: { code: 'FLOWCARD_ERR_STORE_VERSION_CONFLICT' } });
        }
        expect(await store().flows.findById(created.id)).toMatchObject({
          version: 2,
          ownerId: won[0]?.ownerId,
        });
      }
    });

    it('deletes once, and refuses a delete at a stale version', async () => {
      const created = await store().flows.create(draft({ enabled: true }));
      await store().flows.update(created.id, 1, { enabled: false });
      await expectCode(store().flows.delete(created.id, 1), 'FLOWCARD_ERR_STORE_VERSION_CONFLICT');
      expect(await store().flows.delete(created.id, 2)).toBe(true);
      expect(await store().flows.delete(created.id)).toBe(false);
      expect(await store().flows.findById(created.id)).toBeNull();
    });
  });
}
