import type { ShiftableClock } from '../configurations/shiftable-clock';
import { token } from '../container/token';
import type { InviteService } from './invite-service';
import type { LastSeenRecorder } from './last-seen-recorder';
import type { PeopleService } from './people-service';
import type { SessionService } from './session-service';
import type { TeamService } from './team-service';

/** Bindings of the people area: sign-in, sessions, team and invites. */
export const PeopleTokens = {
  /** The clock of sessions and invites; tests move it to cross idle, absolute and invite expiry. */
  clock: token<ShiftableClock>('people.clock'),
  lastSeen: token<LastSeenRecorder>('people.lastSeen'),
  sessions: token<SessionService>('people.sessions'),
  people: token<PeopleService>('people.service'),
  team: token<TeamService>('people.team'),
  invites: token<InviteService>('people.invites'),
} as const;
