import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface StudioRoute {
  readonly path: string;
  /** Shown in the navigation when set. */
  readonly label?: string;
  /** Only owners and admins see it in the navigation (the page itself explains the rest). */
  readonly adminOnly?: boolean;
  readonly page: LazyExoticComponent<ComponentType>;
}

/**
 * The signed-in pages, each its own chunk (first load fetches only the shell). A new section (the
 * flow builder: `/flows`, `/flows/:id`) adds its lines here; the layout's navigation follows.
 */
export const signedInRoutes: readonly StudioRoute[] = [
  { path: '/flows', label: 'Flows', page: lazy(() => import('../pages/flows/FlowsPage')) },
  { path: '/flows/:id', page: lazy(() => import('../pages/flows/FlowEditorPage')) },
  { path: '/runs', label: 'Runs', page: lazy(() => import('../pages/runs/RunsPage')) },
  { path: '/runs/:id', page: lazy(() => import('../pages/runs/RunPage')) },
  {
    path: '/settings/integrations',
    label: 'Integrations',
    page: lazy(() => import('../pages/integrations/IntegrationsPage')),
  },
  { path: '/settings/team', label: 'Team', page: lazy(() => import('../pages/team/TeamPage')) },
  {
    path: '/settings/api-keys',
    label: 'API keys',
    page: lazy(() => import('../pages/api-keys/ApiKeysPage')),
  },
  {
    path: '/settings/meta-app',
    label: 'Meta app',
    adminOnly: true,
    page: lazy(() => import('../pages/meta-app/MetaAppPage')),
  },
];

export const HOME = '/settings/integrations';

/** The route whose path is `pathname` (trailing slash ignored; `:name` matches one segment). */
export function routeFor(pathname: string): StudioRoute | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return signedInRoutes.find((route) => route.path === path || matchesPattern(route.path, path));
}

function matchesPattern(pattern: string, path: string): boolean {
  if (!pattern.includes('/:')) return false;
  const want = pattern.split('/');
  const have = path.split('/');
  return (
    want.length === have.length &&
    want.every((part, i) => part === have[i] || (part.startsWith(':') && have[i] !== ''))
  );
}
