import type {
  FacebookPage,
  FacebookUser,
  Lead,
  LeadForm,
  LeadQuestion,
  PagePost,
  ScimUser,
  TokenRecord,
  WorkplaceGroup,
  WorkplaceMember,
} from './emulator-entities';
import type { EmulatorFixtures, FixtureLead } from './emulator-fixtures';
import { EmulatorState } from './emulator-state';
import { tokenLifetimes } from './token-lifetimes';

export interface SeedOptions {
  appId: string;
  appSecret: string;
  requireAppsecretProof: boolean;
  /** false: only the app, the users and the Workplace integration, no pages/leads/groups/SCIM users. */
  seed: boolean;
  now: number;
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const ALL_TASKS = ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'];
const USER_SCOPES = [
  'public_profile',
  'email',
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_posts',
  'pages_manage_engagement',
  'pages_manage_metadata',
  'pages_manage_ads',
  'leads_retrieval',
];
const WORKPLACE_PERMISSIONS = [
  'read_group_content',
  'manage_group_content',
  'manage_groups',
  'manage_accounts',
  'message_any_member',
  'impersonate_account',
  'read_user_email',
];

export const DEFAULT_APP_ID = '1009000000000001';
export const DEFAULT_APP_SECRET = 'd3adbeefEMUappSecretf1owcard0001';

/**
 * Builds the seed world: one app, two Facebook users (one manages two pages with forms and leads,
 * one manages nothing), a Workplace community and SCIM users. Ids and tokens are constants so
 * tests and docs can name them; times are relative to the clock at seeding.
 */
export function seedState(options: SeedOptions): { state: EmulatorState; fixtures: EmulatorFixtures } {
  const { now } = options;
  const state = new EmulatorState(
    {
      id: options.appId,
      secret: options.appSecret,
      name: 'Flowcard Emulated App',
      requireAppsecretProof: options.requireAppsecretProof,
      subscriptions: new Map(),
    },
    {
      id: '500000000000501',
      name: 'Flowcard Workplace',
      privacy: 'CLOSED',
      integrationId: '500000000000500',
      integrationName: 'Flowcard Integration',
      integrationToken: 'DQWREMUworkplaceAdminToken000000000000501',
      permissions: new Set(WORKPLACE_PERMISSIONS),
      memberIds: [],
      groupIds: [],
    },
  );
  state.nodes.set(state.app.id, { kind: 'app', app: state.app });
  state.nodes.set(state.community.id, { kind: 'community', community: state.community });
  state.nodes.set(state.community.integrationId, { kind: 'integration', community: state.community });
  addWorkplaceToken(state, state.community.integrationToken, 'workplace', undefined, now);

  const avery = addUser(state, '100000000000101', 'Avery', 'Admin', 'avery.admin@flowcard.example');
  const nora = addUser(state, '100000000000102', 'Nora', 'Nopages', 'nora.nopages@flowcard.example');
  const averyToken = addLongLivedUserToken(
    state,
    avery,
    'EAAGEMUaveryLongLivedUserToken0000000101',
    USER_SCOPES,
    now,
  );
  const noraToken = addLongLivedUserToken(
    state,
    nora,
    'EAAGEMUnoraLongLivedUserToken00000000102',
    ['public_profile', 'email', 'pages_show_list'],
    now,
  );

  const fixtures: EmulatorFixtures = {
    app: {
      id: state.app.id,
      secret: state.app.secret,
      name: state.app.name,
      accessToken: `${state.app.id}|${state.app.secret}`,
    },
    user: {
      id: avery.id,
      name: avery.name,
      email: avery.email,
      accessToken: averyToken.token,
      scopes: USER_SCOPES,
      pageIds: [],
    },
    noPagesUser: {
      id: nora.id,
      name: nora.name,
      email: nora.email,
      accessToken: noraToken.token,
      scopes: ['public_profile', 'email', 'pages_show_list'],
    },
    pages: [],
    leads: [],
    workplace: {
      communityId: state.community.id,
      communityName: state.community.name,
      integrationId: state.community.integrationId,
      adminToken: state.community.integrationToken,
      permissions: WORKPLACE_PERMISSIONS,
      members: [],
      groups: [],
    },
    scim: { token: 'SCIMEMUbearerToken00000000000000000000701', users: [] },
  };
  if (!options.seed) return { state, fixtures };

  seedPages(state, fixtures, avery, averyToken, now);
  seedWorkplace(state, fixtures, now);
  seedScim(state, fixtures, now);
  return { state, fixtures };
}

function addUser(
  state: EmulatorState,
  id: string,
  firstName: string,
  lastName: string,
  email: string,
): FacebookUser {
  const user: FacebookUser = {
    id,
    firstName,
    lastName,
    name: `${firstName} ${lastName}`,
    email,
    sessionVersion: 1,
    pageTasks: new Map(),
  };
  state.users.set(id, user);
  state.nodes.set(id, { kind: 'user', user });
  return user;
}

function addLongLivedUserToken(
  state: EmulatorState,
  user: FacebookUser,
  token: string,
  scopes: string[],
  now: number,
): TokenRecord {
  const grant = {
    id: state.newGrantId(),
    userId: user.id,
    granted: new Set(scopes),
    declined: new Set<string>(),
    pageIds: new Set<string>(),
    grantedAt: now,
  };
  state.grants.set(user.id, grant);
  const record: TokenRecord = {
    token,
    kind: 'user',
    appId: state.app.id,
    userId: user.id,
    issuedAt: now,
    expiresAt: now + tokenLifetimes.longLivedMs,
    longLived: true,
    sessionVersion: user.sessionVersion,
    grantId: grant.id,
  };
  state.tokens.set(token, record);
  return record;
}

function addWorkplaceToken(
  state: EmulatorState,
  token: string,
  kind: 'workplace' | 'impersonation',
  memberId: string | undefined,
  now: number,
): void {
  state.tokens.set(token, {
    token,
    kind,
    appId: state.community.integrationId,
    memberId,
    issuedAt: now,
    expiresAt: 0,
    longLived: true,
    sessionVersion: 0,
    grantId: 0,
  });
}

function question(id: string, key: string, label: string, type: string): LeadQuestion {
  return { id, key, label, type };
}

const AD = {
  adId: '600000000000601',
  adName: 'Spring cakes',
  adsetId: '600000000000611',
  adsetName: 'Locals 25-45',
  campaignId: '600000000000621',
  campaignName: 'Spring 2026',
};

function seedPages(
  state: EmulatorState,
  fixtures: EmulatorFixtures,
  avery: FacebookUser,
  averyToken: TokenRecord,
  now: number,
): void {
  const grant = state.grants.get(avery.id);
  const specs = [
    {
      id: '200000000000201',
      name: 'Flowcard Bakery',
      category: 'Bakery',
      categoryId: '2705',
      token: 'EAAGEMUbakeryPageToken000000000000000201',
      posts: [
        { message: 'Fresh sourdough every morning from 7am.', ageMs: 3 * DAY },
        {
          message: 'Our spring menu is here!',
          link: 'https://bakery.flowcard.example/spring',
          ageMs: 2 * DAY,
        },
        { message: 'Closed on Monday for the holiday.', ageMs: 5 * HOUR },
      ],
      forms: [
        {
          id: '300000000000301',
          name: 'Cake order',
          questions: [
            question('q301-1', 'email', 'Email', 'EMAIL'),
            question('q301-2', 'full_name', 'Full name', 'FULL_NAME'),
            question('q301-3', 'phone_number', 'Phone number', 'PHONE'),
            question('q301-4', 'cake_flavour', 'Which flavour?', 'CUSTOM'),
          ],
          leads: [
            { id: '400000000000401', name: 'Olive Organic', ageMs: 3 * DAY, ad: false, extra: ['chocolate'] },
            { id: '400000000000402', name: 'Adam Adclick', ageMs: 2 * DAY, ad: true, extra: ['lemon'] },
            { id: '400000000000403', name: 'Oscar Organic', ageMs: 1 * DAY, ad: false, extra: ['vanilla'] },
            { id: '400000000000404', name: 'Abby Adclick', ageMs: 2 * HOUR, ad: true, extra: ['carrot'] },
          ],
        },
        {
          id: '300000000000303',
          name: 'Catering inquiry',
          questions: [
            question('q303-1', 'email', 'Email', 'EMAIL'),
            question('q303-2', 'full_name', 'Full name', 'FULL_NAME'),
          ],
          leads: [],
        },
      ],
    },
    {
      id: '200000000000202',
      name: 'Flowcard Bikes',
      category: 'Bicycle Shop',
      categoryId: '2236',
      token: 'EAAGEMUbikesPageToken0000000000000000202',
      posts: [
        { message: 'Free tune-ups this weekend.', ageMs: 4 * DAY },
        { message: 'New e-bikes in stock.', ageMs: 1 * DAY },
      ],
      forms: [
        {
          id: '300000000000302',
          name: 'Test ride booking',
          questions: [
            question('q302-1', 'email', 'Email', 'EMAIL'),
            question('q302-2', 'full_name', 'Full name', 'FULL_NAME'),
            question('q302-3', 'phone_number', 'Phone number', 'PHONE'),
            question('q302-4', 'city', 'City', 'CITY'),
          ],
          leads: [
            { id: '400000000000405', name: 'Bea Bikead', ageMs: 5 * DAY, ad: true, extra: ['Lyon'] },
            { id: '400000000000406', name: 'Otto Organic', ageMs: 6 * HOUR, ad: false, extra: ['Nantes'] },
          ],
        },
      ],
    },
  ];

  for (const spec of specs) {
    const page: FacebookPage = {
      id: spec.id,
      name: spec.name,
      category: spec.category,
      categoryList: [{ id: spec.categoryId, name: spec.category }],
      about: `${spec.name}, an emulated Page.`,
      fanCount: 1200,
      link: `https://www.facebook.com/${spec.id}`,
      posts: [],
      formIds: [],
      subscribedApps: new Map(),
    };
    state.nodes.set(page.id, { kind: 'page', page });
    avery.pageTasks.set(page.id, ALL_TASKS);
    grant?.pageIds.add(page.id);
    fixtures.user.pageIds.push(page.id);
    state.tokens.set(spec.token, {
      ...averyToken,
      token: spec.token,
      kind: 'page',
      pageId: page.id,
      expiresAt: 0,
    });
    state.pageTokens.set(`${averyToken.token}|${page.id}`, spec.token);

    const postIds: string[] = [];
    for (const p of spec.posts) {
      const post: PagePost = {
        id: `${page.id}_${state.newId()}`,
        pageId: page.id,
        message: p.message,
        link: 'link' in p ? p.link : undefined,
        createdAt: now - p.ageMs,
        updatedAt: now - p.ageMs,
        published: true,
        fromId: page.id,
        fromName: page.name,
        comments: [],
      };
      page.posts.push(post);
      state.nodes.set(post.id, { kind: 'post', post, page });
      postIds.push(post.id);
    }
    const firstPost = page.posts[0];
    for (const [i, text] of ['Is it vegan?', 'See you there!'].entries()) {
      const comment = {
        id: `${firstPost.id.split('_')[1]}_${state.newId()}`,
        postId: firstPost.id,
        message: text,
        createdAt: firstPost.createdAt + (i + 1) * HOUR,
        fromId: '100000000000102',
        fromName: 'Nora Nopages',
      };
      firstPost.comments.push(comment);
      state.nodes.set(comment.id, { kind: 'comment', comment, post: firstPost, page });
    }

    const formFixtures: EmulatorFixtures['pages'][number]['forms'] = [];
    for (const f of spec.forms) {
      const form: LeadForm = {
        id: f.id,
        pageId: page.id,
        name: f.name,
        status: 'ACTIVE',
        locale: 'en_US',
        questions: f.questions,
        leads: [],
        createdAt: now - 30 * DAY,
      };
      page.formIds.push(form.id);
      state.nodes.set(form.id, { kind: 'form', form, page });
      formFixtures.push({ id: form.id, name: form.name, questionKeys: f.questions.map((q) => q.key) });
      for (const l of [...f.leads].sort((a, b) => b.ageMs - a.ageMs)) {
        const email = `${l.name.toLowerCase().replace(/ /g, '.')}@mail.example`;
        const lead: Lead = {
          id: l.id,
          formId: form.id,
          pageId: page.id,
          createdAt: now - l.ageMs,
          platform: l.ad ? 'fb' : 'fb',
          fieldData: [
            { name: 'email', values: [email] },
            { name: 'full_name', values: [l.name] },
            { name: 'phone_number', values: [`+3361234${l.id.slice(-4)}`] },
            { name: f.questions[3].key, values: l.extra },
          ],
          ...(l.ad ? AD : {}),
        };
        form.leads.push(lead);
        state.nodes.set(lead.id, { kind: 'lead', lead, form, page });
        const leadFixture: FixtureLead = {
          id: lead.id,
          formId: form.id,
          pageId: page.id,
          organic: !l.ad,
          email,
          ...(l.ad ? { adId: AD.adId } : {}),
        };
        fixtures.leads.push(leadFixture);
      }
    }
    fixtures.pages.push({
      id: page.id,
      name: page.name,
      category: page.category,
      accessToken: spec.token,
      tasks: ALL_TASKS,
      postIds,
      forms: formFixtures,
    });
  }
}

function seedWorkplace(state: EmulatorState, fixtures: EmulatorFixtures, now: number): void {
  const community = state.community;
  const people = [
    {
      id: '500000000000511',
      first: 'Grace',
      last: 'Hopper',
      title: 'Chief Engineer',
      department: 'Engineering',
      admin: true,
    },
    {
      id: '500000000000512',
      first: 'Alan',
      last: 'Turing',
      title: 'Research Lead',
      department: 'Research',
      admin: false,
    },
    {
      id: '500000000000513',
      first: 'Ada',
      last: 'Lovelace',
      title: 'Analyst',
      department: 'Finance',
      admin: false,
    },
    {
      id: '500000000000514',
      first: 'Linus',
      last: 'Frost',
      title: 'Support Agent',
      department: 'Support',
      admin: false,
    },
  ];
  for (const [i, p] of people.entries()) {
    const member: WorkplaceMember = {
      id: p.id,
      firstName: p.first,
      lastName: p.last,
      name: `${p.first} ${p.last}`,
      email: `${p.first.toLowerCase()}.${p.last.toLowerCase()}@flowcard.example`,
      title: p.title,
      department: p.department,
      employeeNumber: `E-${1001 + i}`,
      active: true,
      isAdmin: p.admin,
      impersonateToken: `DQWREMUimpersonate${p.first.padEnd(8, '0')}00000000${p.id.slice(-3)}`,
    };
    community.memberIds.push(member.id);
    state.nodes.set(member.id, { kind: 'member', member });
    state.membersByEmail.set(member.email.toLowerCase(), member);
    addWorkplaceToken(state, member.impersonateToken, 'impersonation', member.id, now);
    fixtures.workplace.members.push({
      id: member.id,
      name: member.name,
      email: member.email,
      title: member.title,
      department: member.department,
      isAdmin: member.isAdmin,
      impersonateToken: member.impersonateToken,
    });
  }
  const groups: { id: string; name: string; privacy: WorkplaceGroup['privacy']; members: string[] }[] = [
    { id: '500000000000521', name: 'All Company', privacy: 'OPEN', members: people.map((p) => p.id) },
    {
      id: '500000000000522',
      name: 'Engineering',
      privacy: 'CLOSED',
      members: ['500000000000511', '500000000000512'],
    },
    { id: '500000000000523', name: 'Leadership', privacy: 'SECRET', members: ['500000000000511'] },
  ];
  for (const g of groups) {
    const group: WorkplaceGroup = {
      id: g.id,
      name: g.name,
      description: `${g.name} group`,
      privacy: g.privacy,
      purpose: 'WORK_TEAM',
      memberIds: [...g.members],
      adminIds: new Set(['500000000000511']),
      posts: [],
      createdAt: now - 90 * DAY,
    };
    community.groupIds.push(group.id);
    state.nodes.set(group.id, { kind: 'group', group });
    fixtures.workplace.groups.push({
      id: group.id,
      name: group.name,
      privacy: group.privacy,
      memberIds: [...g.members],
    });
  }
  const allCompany = state.nodes.get('500000000000521');
  if (allCompany?.kind === 'group') {
    const post = {
      id: `${allCompany.group.id}_${state.newId()}`,
      groupId: allCompany.group.id,
      message: 'Welcome to Workplace!',
      fromId: '500000000000511',
      fromName: 'Grace Hopper',
      createdAt: now - 10 * DAY,
    };
    allCompany.group.posts.push(post);
    state.nodes.set(post.id, { kind: 'group_post', post, group: allCompany.group });
  }
}

function seedScim(state: EmulatorState, fixtures: EmulatorFixtures, now: number): void {
  const users: Omit<ScimUser, 'createdAt' | 'lastModified' | 'version'>[] = [
    {
      id: '500000000000511',
      externalId: 'hr-0511',
      userName: 'grace.hopper@flowcard.example',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      title: 'Chief Engineer',
      active: true,
      emails: [{ value: 'grace.hopper@flowcard.example', type: 'work', primary: true }],
      enterprise: { department: 'Engineering', employeeNumber: 'E-1001' },
      claimed: true,
    },
    {
      id: '500000000000512',
      externalId: 'hr-0512',
      userName: 'alan.turing@flowcard.example',
      name: { givenName: 'Alan', familyName: 'Turing' },
      title: 'Research Lead',
      active: true,
      emails: [{ value: 'alan.turing@flowcard.example', type: 'work', primary: true }],
      enterprise: { department: 'Research', employeeNumber: 'E-1002', manager: { value: '500000000000511' } },
      claimed: true,
    },
    {
      id: '500000000000515',
      externalId: 'hr-0515',
      userName: 'new.hire@flowcard.example',
      name: { givenName: 'Noel', familyName: 'Hire' },
      title: 'Intern',
      active: true,
      emails: [{ value: 'new.hire@flowcard.example', type: 'work', primary: true }],
      enterprise: { department: 'Engineering', employeeNumber: 'E-1005' },
      claimed: false,
    },
  ];
  for (const u of users) {
    state.scimUsers.set(u.id, { ...u, createdAt: now - 30 * DAY, lastModified: now - 30 * DAY, version: 1 });
    fixtures.scim.users.push({
      id: u.id,
      userName: u.userName,
      externalId: u.externalId,
      claimed: u.claimed,
      active: u.active,
    });
  }
}
