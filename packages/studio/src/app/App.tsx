import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ReactElement } from 'react';
import { api, setCsrfToken, setSessionEndedHandler } from '../api/api-client';
import { ApiError } from '../api/api-error';
import type { Me } from '../api/api-types';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';
import { Redirect } from '../components/Redirect';
import { Layout } from './Layout';
import { HOME, routeFor } from './routes';
import { navigate, useLocation } from './router';
import { SessionContext, type Session } from './session-context';

const SetupPage = lazy(() => import('../pages/setup/SetupPage'));
const SignInPage = lazy(() => import('../pages/sign-in/SignInPage'));
const AcceptInvitePage = lazy(() => import('../pages/invite/AcceptInvitePage'));
const NotFoundPage = lazy(() => import('../pages/not-found/NotFoundPage'));

type State =
  | { kind: 'loading' }
  | { kind: 'failed'; error: ApiError }
  | { kind: 'setup' }
  | { kind: 'signed-out'; notice?: string }
  | { kind: 'signed-in'; me: Me };

/**
 * The shell: asks the API who is signed in (GET /v1/me), else whether the deployment still needs
 * its first owner (GET /v1/setup), and shows setup, sign-in, an invite, or the signed-in pages.
 */
export function App(): ReactElement {
  const location = useLocation();
  const [state, setState] = useState<State>({ kind: 'loading' });

  const load = useCallback(async (): Promise<void> => {
    try {
      const me = await api<Me>('GET', '/v1/me');
      setCsrfToken(me.csrfToken);
      setState({ kind: 'signed-in', me });
    } catch (error) {
      const failure = error as ApiError;
      if (failure.status !== 401) return setState({ kind: 'failed', error: failure });
      setCsrfToken(undefined);
      try {
        const setup = await api<{ needed: boolean }>('GET', '/v1/setup');
        setState(setup.needed ? { kind: 'setup' } : { kind: 'signed-out' });
      } catch {
        setState({ kind: 'signed-out' });
      }
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  // A session that ends while a page is open (idle or absolute expiry, signed out elsewhere).
  useEffect(() => {
    setSessionEndedHandler((error) => {
      setCsrfToken(undefined);
      setState({ kind: 'signed-out', notice: error.message });
    });
    return () => setSessionEndedHandler(undefined);
  }, []);

  const signedIn = useCallback((me: Me): void => {
    setCsrfToken(me.csrfToken);
    setState({ kind: 'signed-in', me });
    const next = new URLSearchParams(window.location.search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : HOME, { replace: true });
  }, []);

  const session = useMemo((): Session | null => {
    if (state.kind !== 'signed-in') return null;
    return {
      me: state.me,
      isAdmin: state.me.role === 'owner' || state.me.role === 'admin',
      refresh: load,
      signOut: async () => {
        await api('POST', '/v1/auth/sign-out').catch(() => undefined);
        setCsrfToken(undefined);
        setState({ kind: 'signed-out' });
        navigate('/sign-in', { replace: true });
      },
    };
  }, [state, load]);

  if (location.pathname.startsWith('/invite/')) {
    const token = decodeURIComponent(location.pathname.slice('/invite/'.length));
    return (
      <Suspense fallback={<Loading />}>
        <AcceptInvitePage token={token} onAccepted={signedIn} />
      </Suspense>
    );
  }
  switch (state.kind) {
    case 'loading':
      return <Loading />;
    case 'failed':
      return (
        <main className="centered">
          <h1>Flowcard Studio</h1>
          <ErrorNotice error={state.error}>
            <button type="button" onClick={() => void load()}>
              Try again
            </button>
          </ErrorNotice>
        </main>
      );
    case 'setup':
      return (
        <Suspense fallback={<Loading />}>
          <SetupPage onDone={signedIn} />
        </Suspense>
      );
    case 'signed-out':
      return (
        <Suspense fallback={<Loading />}>
          <SignInPage onSignedIn={signedIn} notice={state.notice} />
        </Suspense>
      );
    case 'signed-in': {
      if (location.pathname === '/' || location.pathname === '/sign-in' || location.pathname === '/setup')
        return <Redirect to={HOME} />;
      const route = routeFor(location.pathname);
      const Page = route?.page ?? NotFoundPage;
      return (
        <SessionContext.Provider value={session}>
          <Layout>
            <Suspense fallback={<Loading />}>
              <Page />
            </Suspense>
          </Layout>
        </SessionContext.Provider>
      );
    }
  }
}
