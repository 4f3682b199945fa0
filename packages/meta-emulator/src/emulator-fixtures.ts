/** The deterministic ids and tokens of the seed data, published so tests never hard-code them twice. */
export interface EmulatorFixtures {
  app: { id: string; secret: string; name: string; /** `{app_id}|{app_secret}` */ accessToken: string };
  /** A Facebook user who manages both pages and granted every permission our connectors use. */
  user: FixtureUser & { pageIds: string[] };
  /** A Facebook user who manages no page (the "no pages" OAuth case). */
  noPagesUser: FixtureUser;
  pages: FixturePage[];
  leads: FixtureLead[];
  workplace: {
    communityId: string;
    communityName: string;
    integrationId: string;
    /** Custom-integration token; never expires, `control.rotateWorkplaceToken()` replaces it. */
    adminToken: string;
    permissions: string[];
    members: FixtureMember[];
    groups: FixtureGroup[];
  };
  scim: { token: string; users: FixtureScimUser[] };
}

export interface FixtureUser {
  id: string;
  name: string;
  email: string;
  /** Long-lived (60-day) user token issued when the emulator (re)seeds. */
  accessToken: string;
  scopes: string[];
}

export interface FixturePage {
  id: string;
  name: string;
  category: string;
  /** Page token derived from `user.accessToken`; never expires by time. */
  accessToken: string;
  tasks: string[];
  postIds: string[];
  forms: { id: string; name: string; questionKeys: string[] }[];
}

export interface FixtureLead {
  id: string;
  formId: string;
  pageId: string;
  organic: boolean;
  adId?: string;
  email: string;
}

export interface FixtureMember {
  id: string;
  name: string;
  email: string;
  title: string;
  department: string;
  isAdmin: boolean;
  impersonateToken: string;
}

export interface FixtureGroup {
  id: string;
  name: string;
  privacy: 'OPEN' | 'CLOSED' | 'SECRET';
  memberIds: string[];
}

export interface FixtureScimUser {
  id: string;
  userName: string;
  externalId?: string;
  claimed: boolean;
  active: boolean;
}
