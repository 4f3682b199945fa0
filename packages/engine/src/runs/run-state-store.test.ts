import { Redis } from 'ioredis';
import type { FlowSpec } from '@flowcard/schemas';
import { redisUrl, uniqueName } from '../../../../test/support/env';
import { ParkedSteps } from './parked-steps';
import { RedisScript } from './redis-script';
import { liveRunToRecord, RUN_RECORD_FIELDS, runRecordFromFields, RunStateStore } from './run-state-store';

const spec: FlowSpec = {
  name: 'state store test',
  trigger: { card: 'facebook-leads/new-lead@1', configurationId: 'cfg_page', input: { pageId: '1' } },
  steps: [{ id: 'notify', card: 'workplace/send-message@1', configurationId: 'cfg_wp', input: {} }],
};

describe('RunStateStore', () => {
  const prefix = uniqueName(__filename);
  const redis = new Redis(redisUrl());
  const state = new RunStateStore({ redis, keyPrefix: prefix });
  const parked = new ParkedSteps({ redis, keyPrefix: prefix });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const create = (id: string): Promise<boolean> =>
    state.create({
      id,
      flowId: 'flow_1',
      workspaceId: 'ws',
      ownerId: 'u',
      flowVersion: 1,
      spec,
      triggerOutput: { id: 'lead' },
      dedupeKey: null,
      firstStepId: 'notify',
      at: new Date(),
    });

  it('reports the configuration flag with the attempt when the step names it', async () => {
    expect(await create('run_flag')).toBe(true);
    const clear = await state.beginAttempt('run_flag', 'notify', parked.flagKey('cfg_wp'));
    expect(clear).toMatchObject({ attempt: 1, flagged: false });
    await parked.park('cfg_wp', 'run_flag:notify:1');
    const broken = await state.beginAttempt('run_flag', 'notify', parked.flagKey('cfg_wp'));
    expect(broken).toMatchObject({ attempt: 2, flagged: true });
    expect(broken.run?.status).toBe('queued');
  });

  it('leaves the flag unknown when no flag key is given', async () => {
    expect(await create('run_noflag')).toBe(true);
    const begun = await state.beginAttempt('run_noflag', 'notify');
    expect(begun.attempt).toBe(1);
    expect(begun.flagged).toBeUndefined();
  });

  it('builds the same store record from the record fields as from the whole hash', async () => {
    expect(await create('run_record')).toBe(true);
    await state.transition('run_record', {
      at: new Date(),
      status: 'failed',
      error: { code: 'FLOWCARD_ERR_X', message: 'x', signal: 'invalid', stepId: 'notify' },
      finishedAt: new Date(),
      output: { stepId: 'notify', value: { big: 'output' } },
    });
    const live = await state.load('run_record');
    const values = await redis.hmget(state.runKey('run_record'), ...RUN_RECORD_FIELDS);
    expect(runRecordFromFields('run_record', values)).toEqual(live && liveRunToRecord(live));
    expect(
      runRecordFromFields(
        'run_gone',
        RUN_RECORD_FIELDS.map(() => null),
      ),
    ).toBeNull();
  });

  it('answers an unknown run without creating its hash', async () => {
    expect(await state.beginAttempt('run_missing', 'notify', parked.flagKey('cfg_wp'))).toEqual({
      run: null,
      attempt: 0,
    });
    expect(await redis.exists(state.runKey('run_missing'))).toBe(0);
  });
});

describe('RedisScript', () => {
  const redis = new Redis(redisUrl());
  afterAll(() => redis.quit());

  it('loads a script the server does not know yet, then runs it by its hash', async () => {
    // A unique comment gives a script no server has cached: the first call must fall back to EVAL.
    const script = new RedisScript(`-- ${uniqueName(__filename)}\nreturn ARGV[1] .. KEYS[1]`);
    expect(await redis.script('EXISTS', script.sha)).toEqual([0]);
    expect(await script.run(redis, ['k'], ['v'])).toBe('vk');
    expect(await redis.script('EXISTS', script.sha)).toEqual([1]);
    expect(await script.run(redis, ['k2'], [1])).toBe('1k2');
  });

  it('passes script errors through', async () => {
    const script = new RedisScript(
      `-- ${uniqueName(__filename)}\nreturn redis.call('INCR', KEYS[1], 'extra')`,
    );
    await expect(script.run(redis, ['x'], [])).rejects.toThrow(/ERR/);
  });
});
