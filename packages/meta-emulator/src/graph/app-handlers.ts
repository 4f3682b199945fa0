import type { EmulatorCore } from '../emulator-core';
import type { TokenRecord } from '../emulator-entities';
import { graphErrors } from '../graph-errors';
import { listParam, stringParam, type GraphCall } from './graph-call';
import { selectFields } from './graph-fields';
import { route } from './graph-handler';
import { verifyCallback } from '../webhooks/callback-verifier';

const SUBSCRIBABLE_OBJECTS = [
  'page',
  'user',
  'permissions',
  'application',
  'instagram',
  'whatsapp_business_account',
];

function requireAppToken(call: GraphCall, core: EmulatorCore): TokenRecord {
  const token = call.token;
  if (!token || token.kind !== 'app' || token.appId !== core.state.app.id)
    throw graphErrors.appTokenRequired();
  return token;
}

export const appRoutes = [
  route('app', '', 'GET', (call, node) =>
    selectFields(
      call,
      {
        id: node.app.id,
        name: node.app.name,
        link: 'https://flowcard.example/',
        category: 'Business',
        namespace: undefined,
      },
      ['name', 'link', 'category'],
      'Application',
    ),
  ),

  route('app', 'subscriptions', 'GET', (call, node, core) => {
    requireAppToken(call, core);
    const data = [...node.app.subscriptions.values()].map((s) => ({
      object: s.object,
      callback_url: s.callbackUrl,
      active: true,
      fields: s.fields.map((name) => ({ name, version: s.version })),
    }));
    return { data };
  }),

  route('app', 'subscriptions', 'POST', async (call, node, core) => {
    requireAppToken(call, core);
    const object = stringParam(call, 'object');
    const callbackUrl = stringParam(call, 'callback_url');
    const fields = listParam(call, 'fields');
    const verifyToken = stringParam(call, 'verify_token') ?? '';
    if (!object || !SUBSCRIBABLE_OBJECTS.includes(object))
      throw graphErrors.invalidParameter(`Param object must be one of {${SUBSCRIBABLE_OBJECTS.join(', ')}}`);
    if (!callbackUrl) throw graphErrors.invalidParameter('The parameter callback_url is required.');
    if (!fields || fields.length === 0)
      throw graphErrors.invalidParameter('The parameter fields is required.');
    await verifyCallback(callbackUrl, verifyToken);
    // One callback per object: a new URL replaces the old; fields accumulate when the URL is kept.
    const existing = node.app.subscriptions.get(object);
    const merged =
      existing && existing.callbackUrl === callbackUrl
        ? [...new Set([...existing.fields, ...fields])]
        : fields;
    node.app.subscriptions.set(object, {
      object,
      callbackUrl,
      fields: merged,
      verifyToken,
      version: call.version || 'v25.0',
    });
    return { success: true };
  }),

  route('app', 'subscriptions', 'DELETE', (call, node, core) => {
    requireAppToken(call, core);
    const object = stringParam(call, 'object');
    const fields = listParam(call, 'fields');
    if (!object) {
      node.app.subscriptions.clear();
      return { success: true };
    }
    const existing = node.app.subscriptions.get(object);
    if (existing && fields && fields.length > 0) {
      existing.fields = existing.fields.filter((f) => !fields.includes(f));
      if (existing.fields.length === 0) node.app.subscriptions.delete(object);
    } else {
      node.app.subscriptions.delete(object);
    }
    return { success: true };
  }),
];
