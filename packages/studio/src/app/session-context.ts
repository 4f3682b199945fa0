import { createContext, useContext } from 'react';
import type { Me } from '../api/api-types';

export interface Session {
  readonly me: Me;
  readonly isAdmin: boolean;
  /** Reload /v1/me (after a role change, for example). */
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in person; only inside the signed-in layout. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in layout');
  return session;
}
