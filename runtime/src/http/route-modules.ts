import type { RouteModule } from './route-module';
import { adminRoutes } from './routes/admin-routes';
import { blockedRunsRoutes } from './routes/blocked-runs-routes';
import { apiKeysRoutes } from './routes/api-keys-routes';
import { invitesRoutes } from './routes/invites-routes';
import { teamRoutes } from './routes/team-routes';
import { catalogRoutes } from './routes/catalog-routes';
import { configurationsRoutes } from './routes/configurations-routes';
import { connectMetaRoutes } from './routes/connect-meta-routes';
import { metaAppRoutes } from './routes/meta-app-routes';
import { notificationsRoutes } from './routes/notifications-routes';
import { healthRoutes } from './routes/health-routes';
import { lifecycleRoutes } from './routes/lifecycle-routes';
import { meRoutes } from './routes/me-routes';
import { registryRoutes } from './routes/registry-routes';
import { flowsRoutes } from './routes/flows-routes';
import { runsRoutes } from './routes/runs-routes';
import { signInRoutes } from './routes/sign-in-routes';
import { studioRoutes } from './routes/studio-routes';
import { testStepRoutes } from './routes/test-step-routes';
import { webhooksRoutes } from './routes/webhooks-routes';
import { hooksRoutes } from './routes/hooks-routes';

/**
 * Every route module of the API, one line each. Add configurations, connect-meta, flows, runs and
 * webhooks modules here; each lives in http/routes/<name>-routes.ts.
 */
export const routeModules: readonly RouteModule[] = [
  healthRoutes,
  meRoutes,
  signInRoutes,
  apiKeysRoutes,
  teamRoutes,
  invitesRoutes,
  adminRoutes,
  catalogRoutes,
  configurationsRoutes,
  connectMetaRoutes,
  metaAppRoutes,
  notificationsRoutes,
  registryRoutes,
  flowsRoutes,
  runsRoutes,
  testStepRoutes,
  webhooksRoutes,
  hooksRoutes,
  lifecycleRoutes,
  blockedRunsRoutes,
  // Last: the Studio's fallback answers only what no API route does.
  studioRoutes,
];
