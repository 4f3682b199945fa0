import { startMetaEmulator, type FixturePage, type MetaEmulator } from '../src';
import { graph, graphError } from './graph-client';

type Feed = {
  data: { id: string; message?: string; created_time: string }[];
  paging?: { next?: string; previous?: string; cursors: { before: string; after: string } };
};

let emulator: MetaEmulator;
let bakery: FixturePage;
const MINUTE = 60 * 1000;

beforeAll(async () => {
  emulator = await startMetaEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  bakery = emulator.fixtures.pages[0];
});

const nowSeconds = (): number => Math.floor(emulator.control.now().getTime() / 1000);

describe('posting to a page feed', () => {
  it('creates a post whose id is {page-id}_{post-id} and shows it first in the feed', async () => {
    const created = await graph(emulator, 'POST', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
      body: { message: 'Hot cross buns today', link: 'https://bakery.flowcard.example/buns' },
    });
    expect(created.status).toBe(200);
    expect(created.body.id).toMatch(new RegExp(`^${bakery.id}_\\d+$`));
    const feed = await graph<Feed>(emulator, 'GET', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
    });
    expect(feed.body.data[0]).toEqual({
      id: created.body.id,
      message: 'Hot cross buns today',
      created_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/),
    });
  });

  it('needs a page token: a user token gets code 200', async () => {
    const response = await graph(emulator, 'POST', `/v25.0/${bakery.id}/feed`, {
      token: emulator.fixtures.user.accessToken,
      body: { message: 'as a user' },
    });
    expect(response.status).toBe(400);
    expect(graphError(response).code).toBe(200);
  });

  it('fails with code 200 once pages_manage_posts is removed from the user', async () => {
    emulator.control.removePermission(emulator.fixtures.user.id, 'pages_manage_posts');
    const response = await graph(emulator, 'POST', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
      body: { message: 'no permission' },
    });
    expect(graphError(response)).toMatchObject({
      code: 200,
      message: expect.stringContaining('pages_manage_posts'),
    });
  });

  it('refuses a post without message or link, and an identical status right after (506)', async () => {
    expect(
      graphError(
        await graph(emulator, 'POST', `/v25.0/${bakery.id}/feed`, { token: bakery.accessToken, body: {} }),
      ).code,
    ).toBe(100);
    await graph(emulator, 'POST', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
      body: { message: 'same' },
    });
    const again = await graph(emulator, 'POST', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
      body: { message: 'same' },
    });
    expect(graphError(again).code).toBe(506);
  });

  it('schedules a post 10 minutes to 30 days ahead with published=false, publishing it when the clock gets there', async () => {
    const when = nowSeconds() + 60 * 60;
    const created = await graph(emulator, 'POST', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
      form: true,
      body: { message: 'Later', published: 'false', scheduled_publish_time: String(when) },
    });
    expect(created.status).toBe(200);
    const feedBefore = await graph<Feed>(emulator, 'GET', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
    });
    expect(feedBefore.body.data.map((p) => p.id)).not.toContain(created.body.id);
    const scheduled = await graph<Feed>(emulator, 'GET', `/v25.0/${bakery.id}/scheduled_posts`, {
      token: bakery.accessToken,
    });
    expect(scheduled.body.data.map((p) => p.id)).toEqual([created.body.id]);
    const post = await graph(emulator, 'GET', `/v25.0/${created.body.id}`, {
      token: bakery.accessToken,
      query: { fields: 'is_published,scheduled_publish_time' },
    });
    expect(post.body).toEqual({ id: created.body.id, is_published: false, scheduled_publish_time: when });

    emulator.control.advanceClock(61 * MINUTE);
    const feedAfter = await graph<Feed>(emulator, 'GET', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
    });
    expect(feedAfter.body.data[0].id).toBe(created.body.id);
  });

  it.each([
    ['less than 10 minutes ahead', 5 * 60, 'false'],
    ['more than 30 days ahead', 31 * 24 * 60 * 60, 'false'],
    ['on a published post', 60 * 60, 'true'],
  ])('refuses a schedule %s with code 100', async (_label, ahead, published) => {
    const response = await graph(emulator, 'POST', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
      body: { message: 'x', published, scheduled_publish_time: nowSeconds() + ahead },
    });
    expect(response.status).toBe(400);
    expect(graphError(response).code).toBe(100);
  });
});

describe('reading a page feed', () => {
  it('pages newest first with cursors and absolute next/previous links, honouring limit and fields', async () => {
    const first = await graph<Feed>(emulator, 'GET', `/v25.0/${bakery.id}/published_posts`, {
      token: bakery.accessToken,
      query: { limit: 2, fields: 'id,message,created_time,permalink_url' },
    });
    expect(first.body.data).toHaveLength(2);
    expect(first.body.data[0].created_time > first.body.data[1].created_time).toBe(true);
    expect(first.body.data[0]).toHaveProperty('permalink_url');
    expect(first.body.paging?.previous).toBeUndefined();
    expect(first.body.paging?.next).toMatch(
      new RegExp(`^${emulator.baseUrl}/v25.0/${bakery.id}/published_posts\\?.*after=`),
    );
    const second = await graph<Feed>(emulator, 'GET', first.body.paging?.next ?? '');
    expect(second.body.data).toHaveLength(1);
    expect(second.body.paging?.next).toBeUndefined();
    const back = await graph<Feed>(emulator, 'GET', second.body.paging?.previous ?? '');
    expect(back.body.data.map((p) => p.id)).toEqual(first.body.data.map((p) => p.id));
  });

  it('serves /posts and /feed with the same posts', async () => {
    const feed = await graph<Feed>(emulator, 'GET', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
    });
    const posts = await graph<Feed>(emulator, 'GET', `/v25.0/${bakery.id}/posts`, {
      token: emulator.fixtures.user.accessToken,
    });
    expect(posts.body.data.map((p) => p.id)).toEqual(feed.body.data.map((p) => p.id));
    expect(feed.body.data.map((p) => p.id)).toEqual(expect.arrayContaining(bakery.postIds));
  });

  it('answers an unknown field with code 100 and an unknown object with 100/33', async () => {
    const badField = await graph(emulator, 'GET', `/v25.0/${bakery.id}`, {
      token: bakery.accessToken,
      query: { fields: 'name,favourite_colour' },
    });
    expect(graphError(badField)).toMatchObject({
      code: 100,
      message: expect.stringContaining('favourite_colour'),
    });
    const unknown = await graph(emulator, 'GET', '/v25.0/123456789', { token: bakery.accessToken });
    expect(graphError(unknown)).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
  });

  it("hides another page's posts from a page token", async () => {
    const bikes = emulator.fixtures.pages[1];
    const response = await graph(emulator, 'GET', `/v25.0/${bakery.postIds[0]}`, {
      token: bikes.accessToken,
    });
    expect(graphError(response).error_subcode).toBe(33);
  });
});

describe('photos', () => {
  it('creates a photo and its post from a url and caption', async () => {
    const created = await graph(emulator, 'POST', `/v25.0/${bakery.id}/photos`, {
      token: bakery.accessToken,
      body: { url: 'https://cdn.flowcard.example/cake.jpg', caption: 'Birthday cake' },
    });
    expect(created.body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      post_id: expect.stringMatching(new RegExp(`^${bakery.id}_`)),
    });
    const post = await graph(emulator, 'GET', `/v25.0/${created.body.post_id as string}`, {
      token: bakery.accessToken,
      query: { fields: 'message,full_picture' },
    });
    expect(post.body).toMatchObject({
      message: 'Birthday cake',
      full_picture: 'https://cdn.flowcard.example/cake.jpg',
    });
    const photo = await graph(emulator, 'GET', `/v25.0/${created.body.id as string}`, {
      token: bakery.accessToken,
      query: { fields: 'page_story_id,name' },
    });
    expect(photo.body).toEqual({
      id: created.body.id,
      page_story_id: created.body.post_id,
      name: 'Birthday cake',
    });
  });

  it('needs a url (324 without an upload)', async () => {
    expect(
      graphError(
        await graph(emulator, 'POST', `/v25.0/${bakery.id}/photos`, {
          token: bakery.accessToken,
          body: { caption: 'x' },
        }),
      ).code,
    ).toBe(324);
  });
});

describe('a single post', () => {
  it('is edited with POST and removed with DELETE', async () => {
    const { body } = await graph(emulator, 'POST', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
      body: { message: 'Typo' },
    });
    const id = body.id as string;
    expect(
      (
        await graph(emulator, 'POST', `/v25.0/${id}`, {
          token: bakery.accessToken,
          body: { message: 'Fixed' },
        })
      ).body,
    ).toEqual({ success: true });
    expect((await graph(emulator, 'GET', `/v25.0/${id}`, { token: bakery.accessToken })).body).toMatchObject({
      message: 'Fixed',
    });
    expect((await graph(emulator, 'DELETE', `/v25.0/${id}`, { token: bakery.accessToken })).body).toEqual({
      success: true,
    });
    expect(
      graphError(await graph(emulator, 'GET', `/v25.0/${id}`, { token: bakery.accessToken })).error_subcode,
    ).toBe(33);
  });

  it('accepts method=delete on a POST, as Graph does', async () => {
    const { body } = await graph(emulator, 'POST', `/v25.0/${bakery.id}/feed`, {
      token: bakery.accessToken,
      body: { message: 'Delete me' },
    });
    expect(
      (
        await graph(emulator, 'POST', `/v25.0/${body.id as string}`, {
          token: bakery.accessToken,
          query: { method: 'delete' },
        })
      ).body,
    ).toEqual({ success: true });
  });
});

describe('comments', () => {
  it('lists comments chronologically with a summary, and reverse_chronologically on request', async () => {
    const postId = bakery.postIds[0];
    const list = await graph<{
      data: { message: string; from: { id: string } }[];
      summary: { total_count: number };
    }>(emulator, 'GET', `/v25.0/${postId}/comments`, {
      token: bakery.accessToken,
      query: { summary: 'true' },
    });
    expect(list.body.data.map((c) => c.message)).toEqual(['Is it vegan?', 'See you there!']);
    expect(list.body.summary.total_count).toBe(2);
    const reversed = await graph<{ data: { message: string }[] }>(
      emulator,
      'GET',
      `/v25.0/${postId}/comments`,
      { token: bakery.accessToken, query: { order: 'reverse_chronological' } },
    );
    expect(reversed.body.data.map((c) => c.message)).toEqual(['See you there!', 'Is it vegan?']);
  });

  it('adds a comment as the page', async () => {
    const postId = bakery.postIds[0];
    const created = await graph(emulator, 'POST', `/v25.0/${postId}/comments`, {
      token: bakery.accessToken,
      body: { message: 'Yes, it is vegan!' },
    });
    expect(created.body.id).toMatch(/^\d+_\d+$/);
    const comment = await graph(emulator, 'GET', `/v25.0/${created.body.id as string}`, {
      token: bakery.accessToken,
    });
    expect(comment.body).toMatchObject({
      message: 'Yes, it is vegan!',
      from: { id: bakery.id, name: bakery.name },
    });
  });

  it('needs pages_manage_engagement to comment', async () => {
    emulator.control.removePermission(emulator.fixtures.user.id, 'pages_manage_engagement');
    const response = await graph(emulator, 'POST', `/v25.0/${bakery.postIds[0]}/comments`, {
      token: bakery.accessToken,
      body: { message: 'x' },
    });
    expect(graphError(response).code).toBe(200);
  });
});
