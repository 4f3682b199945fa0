import { randomBytes } from 'node:crypto';
import type {
  FacebookApp,
  FacebookUser,
  GraphNode,
  OAuthCode,
  PermissionGrant,
  ScimUser,
  TokenRecord,
  WorkplaceCommunity,
  WorkplaceMember,
  WorkplaceMessage,
} from './emulator-entities';

/**
 * Everything the emulator knows, indexed by id so a request never scans the whole state.
 * `reset()` in the emulator throws this away and seeds a fresh one.
 */
export class EmulatorState {
  readonly nodes = new Map<string, GraphNode>();
  readonly users = new Map<string, FacebookUser>();
  readonly grants = new Map<string, PermissionGrant>();
  readonly tokens = new Map<string, TokenRecord>();
  /** Tokens that were rotated away or revoked: they answer 190 "invalidated" instead of "cannot parse". */
  readonly retiredTokens = new Set<string>();
  /** `${userToken}|${pageId}` → page token, so repeated /me/accounts calls return the same page token. */
  readonly pageTokens = new Map<string, string>();
  readonly codes = new Map<string, OAuthCode>();
  readonly membersByEmail = new Map<string, WorkplaceMember>();
  readonly messages: WorkplaceMessage[] = [];
  readonly scimUsers = new Map<string, ScimUser>();
  private nextNumericId = 910000000000001;
  private nextGrantId = 1;

  constructor(
    readonly app: FacebookApp,
    readonly community: WorkplaceCommunity,
  ) {}

  /** A fresh numeric id, deterministic from reset so ids of created objects are reproducible. */
  newId(): string {
    return String(this.nextNumericId++);
  }

  newGrantId(): number {
    return this.nextGrantId++;
  }

  /** A token that looks like Meta's (EAAG… for Facebook, DQW… for Workplace) and says EMU so logs can be grepped. */
  newToken(prefix: 'EAAG' | 'DQWR'): string {
    return `${prefix}EMU${randomBytes(30).toString('base64url').replace(/[-_]/g, 'x')}`;
  }

  node(id: string): GraphNode | undefined {
    return this.nodes.get(id);
  }
}
