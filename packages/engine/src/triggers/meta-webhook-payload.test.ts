import { parseMetaWebhook } from './meta-webhook-payload';

describe('parseMetaWebhook', () => {
  it('flattens every leadgen change of every entry', () => {
    const body = {
      object: 'page',
      entry: [
        {
          id: '101',
          time: 1700000000,
          changes: [{ field: 'leadgen', value: { leadgen_id: 'L1', page_id: '101', form_id: 'F1' } }],
        },
        {
          id: '102',
          time: 1700000001,
          changes: [
            { field: 'leadgen', value: { leadgen_id: 'L2', page_id: '102', form_id: 'F2' } },
            { field: 'feed', value: { item: 'post' } },
          ],
        },
      ],
    };
    expect(parseMetaWebhook(body)).toEqual([
      {
        object: 'page',
        entryId: '101',
        time: 1700000000,
        field: 'leadgen',
        value: { leadgen_id: 'L1', page_id: '101', form_id: 'F1' },
      },
      {
        object: 'page',
        entryId: '102',
        time: 1700000001,
        field: 'leadgen',
        value: { leadgen_id: 'L2', page_id: '102', form_id: 'F2' },
      },
      { object: 'page', entryId: '102', time: 1700000001, field: 'feed', value: { item: 'post' } },
    ]);
  });

  it('skips malformed entries and changes instead of throwing', () => {
    expect(
      parseMetaWebhook({
        object: 'page',
        entry: [null, { id: 1 }, { id: 2, changes: [{ field: 'leadgen' }, 'x'] }],
      }),
    ).toEqual([]);
    expect(parseMetaWebhook('nope')).toEqual([]);
    expect(parseMetaWebhook({ entry: [] })).toEqual([]);
  });
});
