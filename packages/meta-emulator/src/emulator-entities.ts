/**
 * The records the emulator keeps in memory. Plain data: behaviour lives in the handlers. Times are
 * epoch milliseconds of the emulator clock.
 */

export interface FacebookApp {
  id: string;
  secret: string;
  name: string;
  requireAppsecretProof: boolean;
  /** App webhook subscriptions keyed by object (`page`, `user`, …): one callback per object. */
  subscriptions: Map<string, AppSubscription>;
}

export interface AppSubscription {
  object: string;
  callbackUrl: string;
  fields: string[];
  verifyToken: string;
  version: string;
}

export interface FacebookUser {
  id: string;
  name: string;
  firstName: string;
  lastName: string;
  email: string;
  /** Bumped by a password change: every token minted before then dies with 190/460. */
  sessionVersion: number;
  /** Page id → tasks the user holds on it (MANAGE, CREATE_CONTENT, MODERATE, ADVERTISE, ANALYZE). */
  pageTasks: Map<string, string[]>;
}

/** What one user granted the app. One per user; revoking the whole grant deletes it. */
export interface PermissionGrant {
  /** Tokens remember the grant id they were minted under; a new grant after a revoke gets a new id. */
  id: number;
  userId: string;
  granted: Set<string>;
  declined: Set<string>;
  /** Pages the user selected in the dialog (granular scopes' target_ids). */
  pageIds: Set<string>;
  grantedAt: number;
}

export type TokenKind = 'user' | 'page' | 'app' | 'workplace' | 'impersonation';

export interface TokenRecord {
  token: string;
  kind: TokenKind;
  appId: string;
  userId?: string;
  pageId?: string;
  /** Workplace member an impersonation token acts as. */
  memberId?: string;
  issuedAt: number;
  /** 0 means never. */
  expiresAt: number;
  longLived: boolean;
  sessionVersion: number;
  grantId: number;
  /** Set by the control API to kill a token with a given 190 subcode. */
  invalidSubcode?: number;
}

export interface OAuthCode {
  code: string;
  userId: string;
  redirectUri: string;
  issuedAt: number;
  used: boolean;
}

export interface FacebookPage {
  id: string;
  name: string;
  category: string;
  categoryList: { id: string; name: string }[];
  about: string;
  fanCount: number;
  link: string;
  /** Insertion order; listings sort by effective created time. */
  posts: PagePost[];
  formIds: string[];
  /** App id → subscribed fields (the page's `subscribed_apps`). */
  subscribedApps: Map<string, string[]>;
}

export interface PagePost {
  id: string;
  pageId: string;
  message?: string;
  link?: string;
  createdAt: number;
  updatedAt: number;
  published: boolean;
  scheduledAt?: number;
  photo?: { id: string; url: string };
  fromId: string;
  fromName: string;
  comments: PostComment[];
}

export interface PostComment {
  id: string;
  postId: string;
  message: string;
  createdAt: number;
  fromId: string;
  fromName: string;
}

export interface PagePhoto {
  id: string;
  postId: string;
  pageId: string;
  url: string;
  caption?: string;
  createdAt: number;
}

export interface LeadQuestion {
  id: string;
  key: string;
  label: string;
  type: string;
}

export interface LeadForm {
  id: string;
  pageId: string;
  name: string;
  status: string;
  locale: string;
  questions: LeadQuestion[];
  /** Ascending by createdAt. */
  leads: Lead[];
  createdAt: number;
}

export interface LeadFieldData {
  name: string;
  values: string[];
}

export interface Lead {
  id: string;
  formId: string;
  pageId: string;
  createdAt: number;
  fieldData: LeadFieldData[];
  adId?: string;
  adName?: string;
  adsetId?: string;
  adsetName?: string;
  campaignId?: string;
  campaignName?: string;
  platform: string;
}

export interface WorkplaceCommunity {
  id: string;
  name: string;
  privacy: string;
  integrationId: string;
  integrationName: string;
  integrationToken: string;
  /** Admin-panel permissions of the custom integration. */
  permissions: Set<string>;
  memberIds: string[];
  groupIds: string[];
}

export interface WorkplaceMember {
  id: string;
  name: string;
  firstName: string;
  lastName: string;
  email: string;
  title: string;
  department: string;
  employeeNumber: string;
  active: boolean;
  isAdmin: boolean;
  impersonateToken: string;
}

export interface WorkplaceGroup {
  id: string;
  name: string;
  description: string;
  privacy: 'OPEN' | 'CLOSED' | 'SECRET';
  purpose: string;
  memberIds: string[];
  adminIds: Set<string>;
  posts: GroupPost[];
  createdAt: number;
}

export interface GroupPost {
  id: string;
  groupId: string;
  message: string;
  link?: string;
  fromId: string;
  fromName: string;
  createdAt: number;
}

export interface WorkplaceMessage {
  id: string;
  fromId: string;
  recipientIds: string[];
  text: string;
  createdAt: number;
  threadKey?: string;
}

export interface ScimUser {
  id: string;
  externalId?: string;
  userName: string;
  name: { givenName?: string; familyName?: string; formatted?: string };
  displayName?: string;
  title?: string;
  active: boolean;
  emails: { value: string; type?: string; primary?: boolean }[];
  enterprise: { department?: string; employeeNumber?: string; manager?: { value?: string } };
  /** A claimed account has been activated by its owner and can no longer be deleted (412). */
  claimed: boolean;
  createdAt: number;
  lastModified: number;
  version: number;
}

/** What an id in a Graph path resolves to. */
export type GraphNode =
  | { kind: 'user'; user: FacebookUser }
  | { kind: 'page'; page: FacebookPage }
  | { kind: 'post'; post: PagePost; page: FacebookPage }
  | { kind: 'comment'; comment: PostComment; post: PagePost; page: FacebookPage }
  | { kind: 'photo'; photo: PagePhoto; page: FacebookPage }
  | { kind: 'form'; form: LeadForm; page: FacebookPage }
  | { kind: 'lead'; lead: Lead; form: LeadForm; page: FacebookPage }
  | { kind: 'app'; app: FacebookApp }
  | { kind: 'community'; community: WorkplaceCommunity }
  | { kind: 'integration'; community: WorkplaceCommunity }
  | { kind: 'member'; member: WorkplaceMember }
  | { kind: 'group'; group: WorkplaceGroup }
  | { kind: 'group_post'; post: GroupPost; group: WorkplaceGroup };

export type GraphNodeKind = GraphNode['kind'];
