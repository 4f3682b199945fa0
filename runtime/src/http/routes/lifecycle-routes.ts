import { ConfigurationTokens } from '../../configurations/configuration-tokens';
import { requireRole } from '../auth/install-authentication';
import { errorResponses } from '../errors/error-body-schema';
import { defineRouteModule } from '../route-module';

const sweepReportSchema = {
  type: 'object',
  required: ['scanned', 'changed', 'reminders', 'conflicts'],
  properties: {
    scanned: {
      type: 'integer',
      description: 'Configurations whose expiry is within the reminder lead time or past.',
    },
    changed: { type: 'integer', description: 'Configurations whose status or reminders changed.' },
    reminders: { type: 'integer', description: 'Reminders sent now (one per configuration and threshold).' },
    conflicts: { type: 'integer', description: 'Changed by someone meanwhile; the next sweep looks again.' },
  },
} as const;

const subscriptionReportSchema = {
  type: 'object',
  required: ['checked', 'resubscribed', 'failing'],
  properties: {
    checked: { type: 'integer', description: 'Configurations an enabled webhook flow listens through.' },
    resubscribed: {
      type: 'integer',
      description: 'Found unsubscribed at Meta and subscribed again (gap backfilled).',
    },
    failing: {
      type: 'integer',
      description: 'Unsubscribed and could not be subscribed again (people told).',
    },
  },
} as const;

/**
 * POST /v1/lifecycle/sweep: runs the token lifecycle sweep now (what the scheduler runs every 15
 * minutes, with the webhook subscription check; `flowcard lifecycle sweep` calls it). Admins only. The sweep is idempotent, so running it
 * on demand beside the scheduler never sends a reminder twice.
 */
export const lifecycleRoutes = defineRouteModule({
  name: 'lifecycle',
  description: 'Token lifecycle on demand: expiry status and reminders',
  prefix: '/v1/lifecycle',
  dependencies: {
    sweep: ConfigurationTokens.lifecycleSweep,
    subscriptions: ConfigurationTokens.subscriptionHealth,
  },
  register(app, { sweep, subscriptions }) {
    app.post(
      '/sweep',
      {
        preHandler: requireRole('admin'),
        schema: {
          summary: 'Run the token lifecycle sweep and the webhook subscription check now (admins)',
          response: {
            200: {
              type: 'object',
              required: ['tokens', 'subscriptions'],
              properties: { tokens: sweepReportSchema, subscriptions: subscriptionReportSchema },
            },
            ...errorResponses(401, 403),
          },
        },
      },
      async () => ({ tokens: await sweep.run(), subscriptions: await subscriptions.run() }),
    );
  },
});
