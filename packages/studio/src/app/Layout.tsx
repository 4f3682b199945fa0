import type { ReactElement, ReactNode } from 'react';
import { Link } from '../components/Link';
import { NotificationBell } from './NotificationBell';
import { signedInRoutes } from './routes';
import { useLocation } from './router';
import { useSession } from './session-context';

/** The signed-in frame: skip link, header (workspace, navigation, bell, who and sign out), main. */
export function Layout(props: { children: ReactNode }): ReactElement {
  const session = useSession();
  const { pathname } = useLocation();
  const { me } = session;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">Flowcard Studio</span>
          <span className="workspace-name">{me.workspace.name}</span>
        </div>
        <nav aria-label="Main">
          <ul>
            {signedInRoutes
              .filter((route) => route.label && (!route.adminOnly || session.isAdmin))
              .map((route) => (
                <li key={route.path}>
                  <Link to={route.path} aria-current={pathname === route.path ? 'page' : undefined}>
                    {route.label}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
        <div className="header-tools">
          <NotificationBell />
          <span className="who">
            {me.user.name ?? me.user.email} <span className="role">({me.role})</span>
          </span>
          <button type="button" className="button-secondary" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}
