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

/** The route whose path is `pathname` (trailing slash ignored). */
export function routeFor(pathname: string): StudioRoute | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return signedInRoutes.find((route) => route.path === path);
}
