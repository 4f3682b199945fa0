/** The Meta emulator's control API over HTTP (`/__control`), as a process other than the emulator drives it. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely and assert their shape
type Json = any;

export interface CreatedLead {
  id: string;
  formId: string;
  pageId: string;
  createdTime: string;
}

export class EmulatorHttpControl {
  constructor(
    readonly controlUrl: string,
    readonly graphUrl: string,
  ) {}

  async call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Json> {
    const response = await fetch(`${this.controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator control ${method} ${path}: HTTP ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  fixtures(): Promise<Json> {
    return this.call('GET', '/fixtures');
  }

  createLead(formId: string, fieldData: Record<string, string>): Promise<CreatedLead> {
    return this.call('POST', '/leads', { formId, fieldData });
  }

  setWebhookDelivery(options: {
    dropPercent?: number;
    duplicate?: number;
    seed?: number;
    forgeSignature?: boolean;
  }): Promise<Json> {
    return this.call('POST', '/webhooks/delivery', options);
  }

  flushWebhooks(): Promise<Json> {
    return this.call('POST', '/webhooks/flush');
  }

  async webhookDeliveries(): Promise<Array<{ leadId?: string; outcome: string; status?: number }>> {
    const answer = await this.call('GET', '/webhooks/deliveries');
    return Array.isArray(answer) ? answer : (answer.deliveries ?? []);
  }

  expireToken(token: string): Promise<Json> {
    return this.call('POST', '/tokens/expire', { token });
  }

  rateLimit(options: { code: number; pageId?: string; path?: string; minutes?: number }): Promise<Json> {
    return this.call('POST', '/rate-limits', options);
  }

  clearFaults(): Promise<Json> {
    return this.call('POST', '/faults/clear');
  }

  async calls(
    filter: Record<string, string> = {},
  ): Promise<
    Array<{ method: string; path: string; pageId?: string; status: number; errorCode?: number; time: string }>
  > {
    const query = new URLSearchParams(filter).toString();
    return (await this.call('GET', `/calls${query ? `?${query}` : ''}`)).calls;
  }

  async workplaceMessages(): Promise<Array<{ text: string; recipientId?: string; recipientIds?: string[] }>> {
    const answer = await this.call('GET', '/workplace/messages');
    return Array.isArray(answer) ? answer : (answer.messages ?? []);
  }

  /** A Workplace group's feed, read through Graph with the integration's token. */
  async groupFeed(groupId: string, token: string): Promise<Array<{ id: string; message?: string }>> {
    const response = await fetch(
      `${this.graphUrl}/v25.0/${groupId}/feed?limit=100&access_token=${encodeURIComponent(token)}`,
    );
    return ((await response.json()) as { data: Array<{ id: string; message?: string }> }).data;
  }
}
