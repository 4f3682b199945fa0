import type { EmulatorCore } from '../emulator-core';
import type { FacebookPage, PagePhoto, PagePost, PostComment } from '../emulator-entities';
import { graphErrors } from '../graph-errors';
import { formatGraphTime, unixSeconds } from '../graph-time';
import { booleanParam, listParam, stringParam, type GraphCall } from './graph-call';
import { selectFields } from './graph-fields';
import { route } from './graph-handler';
import { paginate } from './graph-paging';
import {
  pageTasks,
  requireModeration,
  requirePageRead,
  requirePageWrite,
  requirePostWrite,
} from './page-access';

const MIN_SCHEDULE_MS = 10 * 60 * 1000;
const MAX_SCHEDULE_MS = 30 * 24 * 60 * 60 * 1000;
/** Meta refuses an identical status posted again shortly after; we use one hour. */
const DUPLICATE_WINDOW_MS = 60 * 60 * 1000;
const SUBSCRIBABLE_PAGE_FIELDS = [
  'leadgen',
  'feed',
  'messages',
  'mention',
  'ratings',
  'conversations',
  'messaging_postbacks',
  'message_deliveries',
];

export function renderPage(
  call: GraphCall,
  page: FacebookPage,
  core: EmulatorCore,
  defaults: readonly string[] = ['name'],
): Record<string, unknown> {
  const token = call.token;
  const tasks = pageTasks(core, token, page);
  let accessToken: string | undefined;
  if (token && tasks)
    accessToken = token.kind === 'page' ? token.token : core.tokens.pageTokenFor(token, page).token;
  return selectFields(
    call,
    {
      id: page.id,
      name: page.name,
      category: page.category,
      category_list: page.categoryList,
      about: page.about,
      fan_count: page.fanCount,
      followers_count: page.fanCount,
      link: page.link,
      access_token: accessToken,
      tasks,
      is_published: true,
      verification_status: 'not_verified',
    },
    defaults,
    'Page',
  );
}

function effectiveTime(post: PagePost): number {
  return post.scheduledAt ?? post.createdAt;
}

function isLive(post: PagePost, now: number): boolean {
  return post.published || (post.scheduledAt !== undefined && post.scheduledAt <= now);
}

function renderPost(
  call: GraphCall,
  post: PagePost,
  core: EmulatorCore,
  defaults: readonly string[],
): Record<string, unknown> {
  const now = core.clock.now();
  const live = isLive(post, now);
  const comments = post.comments.slice(0, 25);
  const statusType = post.photo ? 'added_photos' : post.link ? 'shared_story' : 'mobile_status_update';
  return selectFields(
    call,
    {
      id: post.id,
      message: post.message,
      link: post.link,
      created_time: formatGraphTime(effectiveTime(post)),
      updated_time: formatGraphTime(Math.max(post.updatedAt, effectiveTime(post))),
      is_published: live,
      scheduled_publish_time:
        !live && post.scheduledAt !== undefined ? unixSeconds(post.scheduledAt) : undefined,
      from: { id: post.fromId, name: post.fromName },
      permalink_url: `https://www.facebook.com/${post.pageId}/posts/${post.id.split('_')[1]}`,
      full_picture: post.photo?.url,
      status_type: statusType,
      story: undefined,
      comments: {
        data: comments.map((c) => renderComment(call, c, ['created_time', 'from', 'message'], false)),
        summary: { order: 'chronological', total_count: post.comments.length, can_comment: true },
      },
    },
    defaults,
    'Post',
  );
}

function renderComment(
  call: GraphCall,
  comment: PostComment,
  defaults: readonly string[],
  selectable = true,
): Record<string, unknown> {
  const full = {
    id: comment.id,
    message: comment.message,
    created_time: formatGraphTime(comment.createdAt),
    from: { id: comment.fromId, name: comment.fromName },
    can_remove: true,
    like_count: 0,
  };
  if (!selectable)
    return { created_time: full.created_time, from: full.from, message: full.message, id: full.id };
  return selectFields(call, full, defaults, 'Comment');
}

function livePosts(page: FacebookPage, now: number): PagePost[] {
  return page.posts
    .filter((p) => isLive(p, now))
    .sort((a, b) => effectiveTime(b) - effectiveTime(a) || (b.id < a.id ? -1 : 1));
}

function listFeed(call: GraphCall, page: FacebookPage, core: EmulatorCore): unknown {
  requirePageRead(core, call.token, page, 'pages_read_engagement');
  const posts = livePosts(page, core.clock.now());
  return paginate(
    call,
    posts,
    (p) => p.id,
    (p) => renderPost(call, p, core, ['message', 'created_time']),
  );
}

/** Unix seconds, numeric strings, or an ISO 8601 date, as Graph accepts for scheduled_publish_time. */
function parseScheduleTime(raw: string): number {
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms))
    throw graphErrors.invalidParameter('The specified scheduled publish time is invalid.');
  return ms;
}

function createPost(
  call: GraphCall,
  page: FacebookPage,
  core: EmulatorCore,
  fields: { message?: string; link?: string; photo?: PagePost['photo'] },
): PagePost {
  const now = core.clock.now();
  const published = booleanParam(call, 'published') ?? true;
  const scheduleRaw = stringParam(call, 'scheduled_publish_time');
  let scheduledAt: number | undefined;
  if (scheduleRaw !== undefined) {
    if (published)
      throw graphErrors.invalidParameter(
        'You cannot specify a scheduled publish time on a published post. Set published=false.',
      );
    scheduledAt = parseScheduleTime(scheduleRaw);
    if (scheduledAt < now + MIN_SCHEDULE_MS || scheduledAt > now + MAX_SCHEDULE_MS) {
      throw graphErrors.invalidParameter(
        'The specified scheduled publish time is invalid. It must be between 10 minutes and 30 days from the time of the API request.',
      );
    }
  }
  const last = page.posts[page.posts.length - 1];
  if (
    published &&
    !fields.photo &&
    last &&
    last.published &&
    last.message === fields.message &&
    last.link === fields.link &&
    now - last.createdAt < DUPLICATE_WINDOW_MS
  ) {
    throw graphErrors.duplicatePost();
  }
  const post: PagePost = {
    id: `${page.id}_${core.state.newId()}`,
    pageId: page.id,
    message: fields.message,
    link: fields.link,
    photo: fields.photo,
    createdAt: now,
    updatedAt: now,
    published,
    scheduledAt,
    fromId: page.id,
    fromName: page.name,
    comments: [],
  };
  page.posts.push(post);
  core.state.nodes.set(post.id, { kind: 'post', post, page });
  return post;
}

export const pageRoutes = [
  route('page', '', 'GET', (call, node, core) => renderPage(call, node.page, core)),
  route('page', 'feed', 'GET', (call, node, core) => listFeed(call, node.page, core)),
  route('page', 'posts', 'GET', (call, node, core) => listFeed(call, node.page, core)),
  route('page', 'published_posts', 'GET', (call, node, core) => listFeed(call, node.page, core)),

  route('page', 'scheduled_posts', 'GET', (call, node, core) => {
    requirePageRead(core, call.token, node.page, 'pages_read_engagement');
    const now = core.clock.now();
    const scheduled = node.page.posts
      .filter((p) => !isLive(p, now) && p.scheduledAt !== undefined)
      .sort((a, b) => effectiveTime(a) - effectiveTime(b));
    return paginate(
      call,
      scheduled,
      (p) => p.id,
      (p) => renderPost(call, p, core, ['message', 'created_time', 'scheduled_publish_time']),
    );
  }),

  route('page', 'feed', 'POST', (call, node, core) => {
    requirePostWrite(core, call.token, node.page);
    const message = stringParam(call, 'message');
    const link = stringParam(call, 'link');
    if (!message && !link) throw graphErrors.invalidParameter('Missing message or attachment');
    if (link !== undefined && !/^https?:\/\//.test(link))
      throw graphErrors.invalidParameter('Param link must be a valid URL');
    return { id: createPost(call, node.page, core, { message, link }).id };
  }),

  route('page', 'photos', 'POST', (call, node, core) => {
    requirePostWrite(core, call.token, node.page);
    const url = stringParam(call, 'url');
    if (!url) throw graphErrors.requiresUpload();
    const photoId = core.state.newId();
    const post = createPost(call, node.page, core, {
      message: stringParam(call, 'caption') ?? stringParam(call, 'message'),
      photo: { id: photoId, url },
    });
    const photo: PagePhoto = {
      id: photoId,
      postId: post.id,
      pageId: node.page.id,
      url,
      caption: post.message,
      createdAt: post.createdAt,
    };
    core.state.nodes.set(photo.id, { kind: 'photo', photo, page: node.page });
    return post.published || post.scheduledAt !== undefined
      ? { id: photo.id, post_id: post.id }
      : { id: photo.id };
  }),

  route('photo', '', 'GET', (call, node, core) => {
    requirePageRead(core, call.token, node.page, 'pages_read_engagement');
    const { photo } = node;
    return selectFields(
      call,
      {
        id: photo.id,
        name: photo.caption,
        created_time: formatGraphTime(photo.createdAt),
        link: `https://www.facebook.com/photo.php?fbid=${photo.id}`,
        images: [{ source: photo.url, height: 720, width: 960 }],
        page_story_id: photo.postId,
        from: { id: node.page.id, name: node.page.name },
      },
      ['created_time', 'name'],
      'Photo',
    );
  }),

  route('post', '', 'GET', (call, node, core) => {
    requirePageRead(core, call.token, node.page, 'pages_read_engagement');
    return renderPost(call, node.post, core, ['message', 'created_time']);
  }),

  route('post', '', 'POST', (call, node, core) => {
    requirePostWrite(core, call.token, node.page);
    const message = stringParam(call, 'message');
    if (message === undefined) throw graphErrors.invalidParameter('Param message must be set to edit a post');
    node.post.message = message;
    node.post.updatedAt = core.clock.now();
    return { success: true };
  }),

  route('post', '', 'DELETE', (call, node, core) => {
    requirePostWrite(core, call.token, node.page);
    node.page.posts = node.page.posts.filter((p) => p !== node.post);
    core.state.nodes.delete(node.post.id);
    for (const c of node.post.comments) core.state.nodes.delete(c.id);
    return { success: true };
  }),

  route('post', 'comments', 'GET', (call, node, core) => {
    requirePageRead(core, call.token, node.page, 'pages_read_engagement');
    const order = stringParam(call, 'order') ?? 'chronological';
    if (order !== 'chronological' && order !== 'reverse_chronological')
      throw graphErrors.invalidParameter('Param order must be one of {chronological, reverse_chronological}');
    const filter = stringParam(call, 'filter') ?? 'toplevel';
    if (filter !== 'toplevel' && filter !== 'stream')
      throw graphErrors.invalidParameter('Param filter must be one of {toplevel, stream}');
    const comments = order === 'chronological' ? node.post.comments : [...node.post.comments].reverse();
    const page = paginate(
      call,
      comments,
      (c) => c.id,
      (c) => renderComment(call, c, ['created_time', 'from', 'message']),
    );
    if (booleanParam(call, 'summary'))
      page.summary = { order, total_count: comments.length, can_comment: true };
    return page;
  }),

  route('post', 'comments', 'POST', (call, node, core) => {
    requireModeration(core, call.token, node.page);
    const message = stringParam(call, 'message');
    if (!message && !stringParam(call, 'attachment_url'))
      throw graphErrors.invalidParameter('Missing message or attachment');
    const comment: PostComment = {
      id: `${node.post.id.split('_')[1]}_${core.state.newId()}`,
      postId: node.post.id,
      message: message ?? '',
      createdAt: core.clock.now(),
      fromId: node.page.id,
      fromName: node.page.name,
    };
    node.post.comments.push(comment);
    core.state.nodes.set(comment.id, { kind: 'comment', comment, post: node.post, page: node.page });
    return { id: comment.id };
  }),

  route('comment', '', 'GET', (call, node, core) => {
    requirePageRead(core, call.token, node.page, 'pages_read_engagement');
    return renderComment(call, node.comment, ['created_time', 'from', 'message']);
  }),

  route('comment', '', 'DELETE', (call, node, core) => {
    requireModeration(core, call.token, node.page);
    node.post.comments = node.post.comments.filter((c) => c !== node.comment);
    core.state.nodes.delete(node.comment.id);
    return { success: true };
  }),

  route('page', 'subscribed_apps', 'GET', (call, node, core) => {
    requirePageWrite(core, call.token, node.page, 'MANAGE', 'pages_manage_metadata');
    const app = core.state.app;
    const data = [...node.page.subscribedApps.entries()].map(([id, fields]) => ({
      category: 'Business',
      link: 'https://flowcard.example/',
      name: id === app.id ? app.name : id,
      id,
      subscribed_fields: fields,
    }));
    return { data };
  }),

  route('page', 'subscribed_apps', 'POST', (call, node, core) => {
    const token = requirePageWrite(core, call.token, node.page, 'MANAGE', 'pages_manage_metadata');
    const fields = listParam(call, 'subscribed_fields');
    if (!fields || fields.length === 0)
      throw graphErrors.invalidParameter('The parameter subscribed_fields is required.');
    const unknown = fields.filter((f) => !SUBSCRIBABLE_PAGE_FIELDS.includes(f));
    if (unknown.length > 0)
      throw graphErrors.invalidParameter(
        `Param subscribed_fields must be one of {${SUBSCRIBABLE_PAGE_FIELDS.join(', ')}} - got "${unknown[0]}".`,
      );
    node.page.subscribedApps.set(token.appId, fields);
    return { success: true };
  }),

  route('page', 'subscribed_apps', 'DELETE', (call, node, core) => {
    const token = requirePageWrite(core, call.token, node.page, 'MANAGE', 'pages_manage_metadata');
    node.page.subscribedApps.delete(token.appId);
    return { success: true };
  }),
];
