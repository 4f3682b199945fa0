import { startMetaEmulator, type MetaEmulator } from '../src';

let emulator: MetaEmulator;

beforeAll(async () => {
  emulator = await startMetaEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

interface ScimResponse {
  status: number;
  contentType: string | null;
  body: Record<string, unknown>;
}

async function scim(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = emulator.fixtures.scim.token,
): Promise<ScimResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/scim+json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${emulator.scimUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: text ? JSON.parse(text) : {},
  };
}

const newUser = (userName: string): Record<string, unknown> => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  externalId: `ext-${userName}`,
  name: { givenName: 'Test', familyName: 'User' },
  active: true,
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Sales' },
});

describe('SCIM users', () => {
  it('lists users as a ListResponse with startIndex and count', async () => {
    const all = await scim('GET', '/Users');
    expect(all.contentType).toContain('application/scim+json');
    expect(all.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: emulator.fixtures.scim.users.length,
      startIndex: 1,
    });
    const page = await scim('GET', '/Users?startIndex=2&count=1');
    expect(page.body).toMatchObject({ totalResults: 3, itemsPerPage: 1, startIndex: 2 });
    expect((page.body.Resources as { id: string }[])[0].id).toBe(emulator.fixtures.scim.users[1].id);
  });

  it('filters on userName (case-insensitively) and externalId with eq', async () => {
    const target = emulator.fixtures.scim.users[2];
    const byName = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${target.userName.toUpperCase()}"`)}`,
    );
    expect((byName.body.Resources as { id: string }[]).map((u) => u.id)).toEqual([target.id]);
    const byExternal = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`externalId eq "${target.externalId}"`)}`,
    );
    expect(byExternal.body.totalResults).toBe(1);
    const none = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "ghost@flowcard.example"')}`,
    );
    expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it.each(['userName co "grace"', 'userName sw "a"', 'title eq "Intern"', 'garbage'])(
    'refuses the filter %s with 400 invalidFilter',
    async (filter) => {
      const response = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '400',
        scimType: 'invalidFilter',
        detail: expect.any(String),
      });
    },
  );

  it('creates a user with 201, a Location and the enterprise extension', async () => {
    const created = await scim('POST', '/Users', newUser('sam.sales@flowcard.example'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      userName: 'sam.sales@flowcard.example',
      active: true,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Sales' },
      meta: { resourceType: 'User' },
    });
    const read = await scim('GET', `/Users/${created.body.id as string}`);
    expect(read.body.userName).toBe('sam.sales@flowcard.example');
  });

  it('refuses a duplicate userName with 409 uniqueness', async () => {
    const response = await scim('POST', '/Users', newUser(emulator.fixtures.scim.users[0].userName));
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });

  it('requires userName and name (400)', async () => {
    expect((await scim('POST', '/Users', { userName: 'x@flowcard.example' })).status).toBe(400);
    expect((await scim('POST', '/Users', { name: { givenName: 'X' } })).status).toBe(400);
  });

  it('replaces a user with PUT', async () => {
    const id = emulator.fixtures.scim.users[2].id;
    const put = await scim('PUT', `/Users/${id}`, {
      ...newUser('noel.hire@flowcard.example'),
      title: 'Engineer',
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id, userName: 'noel.hire@flowcard.example', title: 'Engineer' });
  });

  it('deprovisions with a PatchOp replace of active, keeping the account', async () => {
    const id = emulator.fixtures.scim.users[0].id;
    const patched = await scim('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.active).toBe(false);
    expect((await scim('GET', `/Users/${id}`)).body.active).toBe(false);
  });

  it('applies a path-less replace and refuses an unknown path atomically', async () => {
    const id = emulator.fixtures.scim.users[1].id;
    const ok = await scim('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { title: 'Director', name: { familyName: 'T.' } } }],
    });
    expect(ok.body).toMatchObject({ title: 'Director', name: { givenName: 'Alan', familyName: 'T.' } });
    const bad = await scim('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'title', value: 'Janitor' },
        { op: 'replace', path: 'shoeSize', value: 42 },
      ],
    });
    expect(bad.body).toMatchObject({ status: '400', scimType: 'invalidPath' });
    expect((await scim('GET', `/Users/${id}`)).body.title).toBe('Director');
  });

  it('deletes a never-claimed user (204) but not a claimed one (412)', async () => {
    const [claimed, , unclaimed] = emulator.fixtures.scim.users;
    expect(claimed.claimed).toBe(true);
    expect(unclaimed.claimed).toBe(false);
    const refused = await scim('DELETE', `/Users/${claimed.id}`);
    expect(refused.status).toBe(412);
    expect(refused.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '412',
    });
    expect((await scim('DELETE', `/Users/${unclaimed.id}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${unclaimed.id}`)).status).toBe(404);
  });

  it('refuses deleting a user once the test marks them claimed', async () => {
    const { id } = emulator.fixtures.scim.users[2];
    emulator.control.claimScimUser(id);
    expect((await scim('DELETE', `/Users/${id}`)).status).toBe(412);
  });

  it('answers 404 with an RFC 7644 body for an unknown user', async () => {
    const response = await scim('GET', '/Users/123');
    expect(response).toMatchObject({ status: 404, body: { status: '404', detail: expect.any(String) } });
  });

  it('needs the bearer token (401 without it or with a wrong one)', async () => {
    expect((await scim('GET', '/Users', undefined, null)).status).toBe(401);
    expect((await scim('GET', '/Users', undefined, 'wrong')).status).toBe(401);
  });
});
