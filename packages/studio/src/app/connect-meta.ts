/** What the Studio remembers across the Facebook round trip (not secret): for "Try again". */
export interface PendingConnect {
  readonly connector: string;
  readonly configurationId?: string;
}

const KEY = 'flowcard.connect-meta';

/**
 * Connect Meta is a real browser redirect: the API's start answers 302 to the Facebook dialog, and
 * the callback sends the browser back to /settings/integrations?connect=ok|error. The API always
 * asks Facebook to show declined permissions again (auth_type=rerequest).
 */
export function startConnectMeta(pending: PendingConnect): void {
  sessionStorage.setItem(
    KEY,
    JSON.stringify({ connector: pending.connector, configurationId: pending.configurationId }),
  );
  const query = new URLSearchParams({ connector: pending.connector });
  if (pending.configurationId) query.set('configurationId', pending.configurationId);
  window.location.assign(`/v1/connect/meta/start?${query.toString()}`);
}

/** The connection last started from this tab, if any. */
export function pendingConnect(): PendingConnect | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as PendingConnect | null;
    return value && typeof value.connector === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
