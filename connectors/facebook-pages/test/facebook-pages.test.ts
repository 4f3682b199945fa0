import {
  startMetaConnectorHarness,
  type MetaConnectorHarness,
} from '../../../test/connectors/meta-connector-harness';
import { failureOf } from '../../../test/connectors/failure-of';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface GraphPost {
  id: string;
  message?: string;
  link?: string;
  full_picture?: string;
  is_published?: boolean;
  scheduled_publish_time?: number;
  error?: { code: number };
}

let h: MetaConnectorHarness;
let pageId: string;
let pageToken: string;

beforeAll(async () => {
  h = await startMetaConnectorHarness('facebook-pages');
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.emulator.reset();
  const bakery = h.emulator.fixtures.pages[0];
  pageId = bakery.id;
  pageToken = bakery.accessToken;
});

const post = (
  id: string,
  fields = 'id,message,link,full_picture,is_published,scheduled_publish_time',
): Promise<GraphPost> => h.graphGet<GraphPost>(`/${id}`, pageToken, { fields });

describe('facebook-pages connector against the Meta emulator', () => {
  it('reads the configured Page (the connection test card)', async () => {
    const { output } = await h.run('get-page');
    expect(output).toEqual({
      id: pageId,
      name: 'Flowcard Bakery',
      category: 'Bakery',
      link: `https://www.facebook.com/${pageId}`,
    });
  });

  it('publishes a text post that the Page then has', async () => {
    const { output, calls } = await h.run('create-post', { message: 'Hello' });
    const id = (output as { id: string }).id;
    expect(id).toMatch(new RegExp(`^${pageId}_\\d+$`));
    expect(calls).toBe(1);
    expect(await post(id)).toMatchObject({ id, message: 'Hello', is_published: true });
  });

  it('publishes a link post with its link', async () => {
    const { output } = await h.run('create-post', {
      message: 'Spring menu',
      link: 'https://bakery.flowcard.example/spring-2026',
    });
    expect(await post((output as { id: string }).id)).toMatchObject({
      message: 'Spring menu',
      link: 'https://bakery.flowcard.example/spring-2026',
    });
  });

  it('publishes a photo post whose post shows the picture and caption', async () => {
    const { output } = await h.run('create-photo-post', {
      url: 'https://bakery.flowcard.example/croissant.jpg',
      caption: 'Butter croissants',
    });
    const { id, postId } = output as { id: string; postId: string };
    expect(id).toMatch(/^\d+$/);
    expect(postId).toMatch(new RegExp(`^${pageId}_`));
    expect(await post(postId)).toMatchObject({
      message: 'Butter croissants',
      full_picture: 'https://bakery.flowcard.example/croissant.jpg',
    });
  });

  describe('schedule-post', () => {
    it('schedules an unpublished post at the given time', async () => {
      const publishAt = new Date(h.emulator.control.now().getTime() + 2 * 60 * MINUTE);
      publishAt.setUTCMilliseconds(0);
      const { output } = await h.run('schedule-post', {
        message: 'Easter hours',
        publishAt: publishAt.toISOString(),
      });
      const { id, scheduledPublishTime } = output as { id: string; scheduledPublishTime: number };
      expect(scheduledPublishTime).toBe(publishAt.getTime() / 1000);
      expect(await post(id)).toMatchObject({
        message: 'Easter hours',
        is_published: false,
        scheduled_publish_time: scheduledPublishTime,
      });
      const scheduled = await h.graphGet<{ data: { id: string }[] }>(`/${pageId}/scheduled_posts`, pageToken);
      expect(scheduled.data.map((p) => p.id)).toContain(id);
    });

    it('refuses a time less than 10 minutes ahead without calling Meta', async () => {
      h.emulator.control.clearCalls();
      const publishAt = new Date(h.emulator.control.now().getTime() + 5 * MINUTE).toISOString();
      const error = await failureOf(h.run('schedule-post', { message: 'Too soon', publishAt }));
      expect(error).toMatchObject({ signal: 'invalid', code: 'FLOWCARD_ERR_INVALID_INPUT' });
      expect(error.message).toContain('at least 10 minutes ahead');
      expect(h.emulator.control.calls({ path: 'feed' })).toHaveLength(0);
    });

    it('refuses a time more than 30 days ahead without calling Meta', async () => {
      h.emulator.control.clearCalls();
      const publishAt = new Date(h.emulator.control.now().getTime() + 31 * DAY).toISOString();
      const error = await failureOf(h.run('schedule-post', { message: 'Too late', publishAt }));
      expect(error).toMatchObject({ signal: 'invalid' });
      expect(error.message).toContain('at most 30 days ahead');
      expect(h.emulator.control.calls({ path: 'feed' })).toHaveLength(0);
    });
  });

  it('gets a post with its fields', async () => {
    const id = h.emulator.fixtures.pages[0].postIds[2];
    const { output } = await h.run('get-post', { postId: id });
    expect(output).toMatchObject({ id, message: 'Closed on Monday for the holiday.', is_published: true });
    expect((output as { created_time: string }).created_time).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/,
    );
  });

  it('updates the text of a post', async () => {
    const id = h.emulator.fixtures.pages[0].postIds[2];
    const { output } = await h.run('update-post', { postId: id, message: 'Open on Monday after all!' });
    expect(output).toEqual({ id, success: true });
    expect(await post(id)).toMatchObject({ message: 'Open on Monday after all!' });
  });

  it('deletes a post, which Graph then no longer finds', async () => {
    const id = h.emulator.fixtures.pages[0].postIds[0];
    const { output } = await h.run('delete-post', { postId: id });
    expect(output).toEqual({ id, success: true });
    expect((await post(id)).error?.code).toBe(100);
  });

  it('lists posts newest first, following Graph paging past the first page', async () => {
    for (let i = 1; i <= 27; i++) await h.run('create-post', { message: `Batch post ${i}` });
    const { output, calls } = await h.run('list-posts', { limit: 100 });
    const posts = output as { id: string; message: string }[];
    expect(posts).toHaveLength(30);
    expect(calls).toBe(2);
    expect(new Set(posts.map((p) => p.id)).size).toBe(30);
    expect(posts.at(-1)?.message).toBe('Fresh sourdough every morning from 7am.');
  });

  it('stops listing posts at the limit', async () => {
    const { output } = await h.run('list-posts', { limit: 2 });
    expect((output as { message: string }[]).map((p) => p.message)).toEqual([
      'Closed on Monday for the holiday.',
      'Our spring menu is here!',
    ]);
  });

  it('comments on a post as the Page', async () => {
    const postId = h.emulator.fixtures.pages[0].postIds[1];
    const { output } = await h.run('comment-on-post', { postId, message: 'Thanks for coming!' });
    const id = (output as { id: string }).id;
    const comments = await h.graphGet<{ data: { id: string; message: string; from: { id: string } }[] }>(
      `/${postId}/comments`,
      pageToken,
    );
    expect(comments.data).toContainEqual(
      expect.objectContaining({
        id,
        message: 'Thanks for coming!',
        from: expect.objectContaining({ id: pageId }),
      }),
    );
  });

  it('lists the comments of a post oldest first', async () => {
    const { output } = await h.run('list-comments', { postId: h.emulator.fixtures.pages[0].postIds[0] });
    expect((output as { message: string; from: { name: string } }[]).map((c) => c.message)).toEqual([
      'Is it vegan?',
      'See you there!',
    ]);
  });

  describe('list-pages (options card)', () => {
    it("lists the user's Pages from the user token, without their page tokens", async () => {
      const { output } = await h.run('list-pages');
      const pages = output as Record<string, unknown>[];
      expect(pages.map((p) => [p.id, p.name])).toEqual(h.emulator.fixtures.pages.map((p) => [p.id, p.name]));
      expect(JSON.stringify(pages)).not.toContain('access_token');
      expect(JSON.stringify(pages)).not.toContain('EAAG');
    });

    it('fails as invalid, saying what to do, when the configuration has no user token', async () => {
      const configuration = h.configuration();
      const error = await failureOf(
        h.run(
          'list-pages',
          {},
          { ...configuration, secrets: { accessToken: configuration.secrets.accessToken } },
        ),
      );
      expect(error).toMatchObject({ signal: 'invalid', code: 'FACEBOOK_NO_USER_TOKEN' });
      expect(error.message).toContain('reconnect it with Connect Meta');
    });
  });

  describe('new-page-post trigger', () => {
    it('yields only posts newer than the cursor, then advances the cursor', async () => {
      const since = Math.floor(h.emulator.control.now().getTime() / 1000) - 60 * 60;
      const quiet = await h.poll('new-page-post', {}, { since });
      expect(quiet.items).toEqual([]);

      h.emulator.control.advanceClock(MINUTE);
      const { output } = await h.run('create-post', { message: 'Fresh from the oven' });
      const id = (output as { id: string }).id;
      const poll = await h.poll('new-page-post', {}, quiet.cursor);
      expect(poll.items.map((i) => i.key)).toEqual([id]);
      expect(poll.items[0].output).toMatchObject({ id, message: 'Fresh from the oven', is_published: true });
      expect(poll.cursor.since).toBe(Math.floor(h.emulator.control.now().getTime() / 1000));
    });
  });

  describe('appsecret_proof', () => {
    it('signs calls with the app secret when the app requires it', async () => {
      h.emulator.control.requireAppsecretProof(true);
      const configuration = h.configuration();
      const signed = {
        ...configuration,
        secrets: { ...configuration.secrets, appSecret: h.emulator.app.secret },
      };
      const { output } = await h.run('create-post', { message: 'Signed' }, signed);
      const error = await failureOf(h.run('create-post', { message: 'Unsigned' }));
      expect(error.signal).toBe('invalid');
      expect(error.message).toContain('appsecret_proof');
      h.emulator.control.requireAppsecretProof(false);
      expect(await post((output as { id: string }).id)).toMatchObject({ message: 'Signed' });
    });
  });

  describe('error paths', () => {
    it('signals auth when the page token has expired', async () => {
      h.emulator.control.expireToken(pageToken);
      const error = await failureOf(h.run('create-post', { message: 'Hello' }));
      expect(error).toMatchObject({ signal: 'auth', code: 'FLOWCARD_ERR_AUTH_INVALID_TOKEN' });
    });

    it('signals rate_limited with the wait Meta announces when the Page is throttled', async () => {
      h.emulator.control.rateLimit({ code: 80001, pageId, minutes: 7 });
      const error = await failureOf(h.run('list-posts', {}));
      expect(error.signal).toBe('rate_limited');
      expect(error.retryAfterMs).toBe(7 * MINUTE);
    });

    it('signals permission, naming it, when pages_manage_posts was removed', async () => {
      h.emulator.control.removePermission(h.emulator.fixtures.user.id, 'pages_manage_posts');
      const error = await failureOf(h.run('create-post', { message: 'Hello' }));
      expect(error).toMatchObject({ signal: 'permission', permission: 'pages_manage_posts' });
    });

    it('signals retry on a transient Graph error', async () => {
      h.emulator.control.injectTransientErrors({ count: 1, path: 'feed' });
      const error = await failureOf(h.run('create-post', { message: 'Hello' }));
      expect(error.signal).toBe('retry');
    });
  });
});
